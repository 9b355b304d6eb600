from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "luvat.discussion"
    label = "discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from luvat.discussion import checks  # noqa: F401  (registers the check)
        from luvat.discussion.models import MessageAttachment, Thread
        from luvat.identity.door import register_target

        # Whose object a URL names, for refusals at the door (the company sees them).
        register_target(
            "thread_id",
            "discussion.thread",
            lambda pk: (
                Thread.objects.filter(pk=int(pk))
                .values_list("room__business_id", flat=True)
                .first()
            ),
        )
        register_target(
            "attachment_id",
            "discussion.attachment",
            lambda pk: (
                MessageAttachment.objects.filter(pk=int(pk))
                .values_list("message__thread__room__business_id", flat=True)
                .first()
            ),
        )
