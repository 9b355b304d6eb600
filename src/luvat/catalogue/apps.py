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

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from luvat.catalogue.models import Authority, Municipality, Service, ServicePackage
        from luvat.catalogue.snapshot import catalogue_changed

        # Any change to what the snapshot holds raises the catalogue's version number.
        for model in (Authority, Municipality, Service, ServicePackage):
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"snap-{model}")
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"snap-d-{model}")
        for through in (
            Authority.municipalities.through,
            Service.depends_on.through,
            ServicePackage.services.through,
        ):
            m2m_changed.connect(catalogue_changed, sender=through, dispatch_uid=f"snap-{through}")
