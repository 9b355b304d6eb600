from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "luvat.onboarding"
    label = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self) -> None:
        from luvat.onboarding.demo import load_demo_joinings
        from luvat.onboarding.routes import service_offered_to
        from luvat.projects.hooks import JoiningTerms, register_joining_rule
        from luvat.web.demo import register_demo_loader

        register_demo_loader("onboarding", load_demo_joinings, order=80)

        def terms(authority_code: str, service_code: str, business_id: str) -> JoiningTerms:
            offering = service_offered_to(
                authority_code=authority_code, service_code=service_code, business_id=business_id
            )
            return JoiningTerms(offered=offering.offered, mode=offering.mode)

        register_joining_rule(terms)
