from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "luvat.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from luvat.web import checks  # noqa: F401  (registers the checks)
