from django.apps import AppConfig
from django.conf import settings


class RetentionConfig(AppConfig):
    name = "luvat.retention"
    label = "retention"
    verbose_name = "Retention"

    def ready(self) -> None:
        if not settings.LUVAT_RETENTION_ENABLED:
            return
        from luvat.integrations.worker import register_job
        from luvat.retention.services import retention_job

        register_job(
            "retention.run",
            retention_job,
            interval_seconds=settings.LUVAT_RETENTION_INTERVAL_SECONDS,
            once_per_cluster=True,
        )
