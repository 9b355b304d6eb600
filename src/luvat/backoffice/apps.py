from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "luvat.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from luvat.backoffice.casefiles import case_files_refresh
        from luvat.backoffice.demo import load_demo_activity
        from luvat.backoffice.reminders import remind_submission_windows
        from luvat.integrations.worker import register_job
        from luvat.projects.hooks import register_status_listener
        from luvat.web.demo import register_demo_loader

        register_status_listener("backoffice.case_file", case_files_refresh)
        register_job(
            "backoffice.submission_windows", remind_submission_windows, interval_seconds=3600
        )
        register_demo_loader("back office activity", load_demo_activity, order=70)
