from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "luvat.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from luvat.integrations.worker import register_job
        from luvat.notifications import tasks
        from luvat.notifications.audiences import (
            authority_people,
            authority_service_people,
            company_people,
        )
        from luvat.notifications.letters.sending import send_letters_batch
        from luvat.notifications.recipients import register_audience_resolver

        register_job("notifications.fan_out", tasks.fan_out_batch, interval_seconds=2)
        register_job("notifications.send_email", tasks.send_email_batch, interval_seconds=5)
        register_job("notifications.send_letters", send_letters_batch, interval_seconds=5)
        register_audience_resolver("company", company_people)
        register_audience_resolver("authority", authority_people)
        register_audience_resolver("authority_service", authority_service_people)

        from luvat.identity.login_listeners import register_login_listener
        from luvat.notifications.addresses import address_from_login_listener

        register_login_listener(address_from_login_listener)
