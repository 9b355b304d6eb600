from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "luvat.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from luvat.integrations.worker import register_job
        from luvat.notifications import tasks

        register_job("notifications.fan_out", tasks.fan_out_batch, interval_seconds=2)
        register_job("notifications.send_email", tasks.send_email_batch, interval_seconds=5)
