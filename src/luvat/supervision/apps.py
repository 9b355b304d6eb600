from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "luvat.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from luvat.integrations.worker import register_job
        from luvat.supervision.tasks import remind_upcoming_batch

        register_job("supervision.remind_upcoming", remind_upcoming_batch, interval_seconds=300)
