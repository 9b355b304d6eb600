"""The discussion forum of a project: a room per project with its threads.

A room knows the project's company (business ID) and the authorities handling its
applications (authority codes); the projects context keeps it in step through
:func:`luvat.discussion.services.discussion_room_sync`. Message bodies live in the configured
backend (built-in: the :class:`Message` table; Zulip: a channel per project, a topic per
thread); the :class:`Message` table always records who wrote what through the service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThreadKind(models.TextChoices):
    CUSTOMER = "customer", _("The company and all authorities of the project")
    APPLICATION = "application", _("The company and the authority of one application")
    AUTHORITIES = "authorities", _("Authorities of the project only")


class DiscussionRoom(models.Model):
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="discussion_room",
    )
    title = models.CharField(_("project name"), max_length=200)
    business_id = models.CharField(_("business ID"), max_length=9, db_index=True)
    authority_codes = models.JSONField(_("authorities of the project"), default=list)
    external_channel = models.CharField(_("Zulip channel"), max_length=60, blank=True)
    # Authorities-only threads live in a channel of their own whose members are only the
    # project's officials (and the bot), never in the channel of customer-facing threads.
    external_authority_channel = models.CharField(
        _("Zulip channel of the authorities"), max_length=60, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("discussion room")
        verbose_name_plural = _("discussion rooms")

    def __str__(self) -> str:
        return self.title


class Thread(models.Model):
    room = models.ForeignKey(DiscussionRoom, on_delete=models.CASCADE, related_name="threads")
    kind = models.CharField(_("kind"), max_length=20, choices=ThreadKind.choices)
    application = models.ForeignKey(
        "projects.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    authority_code = models.CharField(_("authority of the application"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    last_message_id = models.BigIntegerField(_("latest message"), default=0)
    last_message_at = models.DateTimeField(_("latest message at"), null=True, blank=True)

    class Meta:
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        ordering = ["room_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "kind"],
                condition=models.Q(application_id__isnull=True),
                name="discussion_one_shared_thread_per_kind",
            ),
            models.UniqueConstraint(
                fields=["room", "application"],
                condition=models.Q(application_id__isnull=False),
                name="discussion_one_thread_per_application",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the active language (shared threads are named by their kind)."""
        if self.kind == ThreadKind.CUSTOMER:
            return str(_("The company and the authorities"))
        if self.kind == ThreadKind.AUTHORITIES:
            return str(_("Authorities only"))
        return self.title

    @property
    def topic(self) -> str:
        """The Zulip topic of this thread (at most 60 characters, unique within the room)."""
        return f"#{self.pk} {self.title}"[:60]


class AuthorKind(models.TextChoices):
    CUSTOMER = "customer", _("company")
    OFFICIAL = "official", _("authority")
    EXTERNAL = "external", _("written in Zulip")


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_ref = models.CharField(_("author"), max_length=128)
    author_label = models.CharField(_("author name"), max_length=200)
    author_kind = models.CharField(_("author is"), max_length=10, choices=AuthorKind.choices)
    author_party = models.CharField(
        _("company or authority"), max_length=40, help_text=_("Business ID or authority code.")
    )
    body = models.TextField(_("text"))
    mentioned_authorities = models.JSONField(_("mentioned authorities"), default=list)
    external_id = models.BigIntegerField(_("Zulip message id"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["thread_id", "id"]

    def __str__(self) -> str:
        return f"{self.author_label}: {self.body[:40]}"

    @property
    def backend_id(self) -> int:
        """The id that orders messages in the backend (Zulip's id when posted there)."""
        return self.external_id if self.external_id is not None else self.pk


def attachment_path(instance: MessageAttachment, filename: str) -> str:
    return f"discussion/{instance.message.thread.room_id}/{instance.message_id}/{filename}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    external_url = models.CharField(_("Zulip address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class ReadMark(models.Model):
    """How far one person has read one thread (by backend message id)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_marks")
    last_read_id = models.BigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="discussion_read_mark_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.last_read_id}"
