from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "luvat.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from luvat.integrations.demo import DEMO_LOGINS, load_demo_integration
        from luvat.integrations.tasks import consume_status_events, deliver_outbox_job
        from luvat.integrations.wakeup import OUTBOX
        from luvat.integrations.worker import register_job
        from luvat.web.demo import register_demo_loader

        register_job(
            "outbox-delivery", deliver_outbox_job, interval_seconds=1.0, wake_channel=OUTBOX
        )
        register_job("amqp-status-events", consume_status_events, interval_seconds=1.0)
        from django.db.models.signals import post_delete, post_save

        from luvat.integrations.models import AuthorityEndpoint
        from luvat.integrations.selectors import forget_authority_secrets

        post_save.connect(forget_authority_secrets, sender=AuthorityEndpoint)
        post_delete.connect(forget_authority_secrets, sender=AuthorityEndpoint)
        register_demo_loader(
            "authority system", load_demo_integration, order=55, logins=DEMO_LOGINS
        )
