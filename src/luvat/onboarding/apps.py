from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "luvat.onboarding"
    label = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self) -> None:
        from luvat.onboarding.demo import load_demo_joinings
        from luvat.onboarding.routes import joining_mode_for, service_offered_to
        from luvat.projects.hooks import register_offer_rule, register_route_resolver
        from luvat.web.demo import register_demo_loader

        register_demo_loader("onboarding", load_demo_joinings, order=80)
        register_route_resolver(
            lambda authority_code, service_code, catalogue_mode: joining_mode_for(
                authority_code=authority_code, service_code=service_code, default=catalogue_mode
            )
        )
        register_offer_rule(
            lambda authority_code, service_code, business_id: (
                service_offered_to(
                    authority_code=authority_code,
                    service_code=service_code,
                    business_id=business_id,
                ).offered
            )
        )
