from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "luvat.discussion"
    label = "discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from luvat.discussion import checks  # noqa: F401  (registers the check)
