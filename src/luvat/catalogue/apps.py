from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "luvat.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from luvat.catalogue.demo import load_demo_catalogue
        from luvat.web.demo import register_demo_loader

        register_demo_loader("catalogue", load_demo_catalogue, order=20)
