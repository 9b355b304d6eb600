from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "luvat.onboarding"
    label = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self) -> None:
        from luvat.catalogue.joining import register_offering_rule
        from luvat.onboarding.demo import load_demo_joinings
        from luvat.onboarding.routes import offerings_for
        from luvat.web.demo import register_demo_loader

        register_demo_loader("onboarding", load_demo_joinings, order=80)
        register_offering_rule(
            lambda pairs, business_id: offerings_for(pairs, business_id=business_id)
        )
