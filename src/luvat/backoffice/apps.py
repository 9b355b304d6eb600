from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "luvat.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from luvat.backoffice.casefiles import case_files_refresh
        from luvat.backoffice.demo import load_demo_activity
        from luvat.backoffice.notify import fact_notices, status_notices
        from luvat.backoffice.reminders import remind_submission_windows
        from luvat.backoffice.selectors import open_supplement_due_dates
        from luvat.integrations.worker import register_job
        from luvat.projects.hooks import (
            register_fact_listener,
            register_status_listener,
            register_supplement_due_provider,
        )
        from luvat.web.demo import register_demo_loader

        register_status_listener("backoffice.case_file", case_files_refresh)
        register_status_listener("backoffice.notices", status_notices)
        register_fact_listener("backoffice.notices", fact_notices)
        register_supplement_due_provider(open_supplement_due_dates)
        register_job(
            "backoffice.submission_windows",
            remind_submission_windows,
            interval_seconds=3600,
            once_per_cluster=True,
        )
        register_demo_loader("back office activity", load_demo_activity, order=70)

        from luvat.backoffice.models import SupplementRequest
        from luvat.identity.door import register_target

        register_target(
            "request_id",
            "supplement-request",
            lambda public_id: (
                SupplementRequest.objects.filter(public_id=public_id)
                .values_list("application__project__business_id", flat=True)
                .first()
            ),
        )
