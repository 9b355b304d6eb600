from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InforequestsConfig(AppConfig):
    name = "luvat.inforequests"
    label = "inforequests"
    verbose_name = _("Inforequests")

    def ready(self) -> None:
        from luvat.identity.door import register_target
        from luvat.inforequests.models import Inforequest

        # Whose object a URL names, for refusals at the door (the company sees them).
        register_target(
            "inforequest_id",
            "inforequest",
            lambda public_id: (
                Inforequest.objects.filter(public_id=public_id)
                .values_list("business_id", flat=True)
                .first()
            ),
        )
