from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "luvat.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from luvat.identity.door import register_target
        from luvat.integrations.worker import register_job
        from luvat.supervision.models import SupervisionEvent
        from luvat.supervision.tasks import remind_upcoming_batch

        register_target(
            "event_id",
            "supervision.event",
            lambda pk: (
                SupervisionEvent.objects.filter(pk=int(pk))
                .values_list("business_id", flat=True)
                .first()
            ),
        )
        register_job(
            "supervision.remind_upcoming",
            remind_upcoming_batch,
            interval_seconds=300,
            once_per_cluster=True,
        )
