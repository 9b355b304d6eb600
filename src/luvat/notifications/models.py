"""Notifications to people: an in-service list and e-mail, per-person preferences.

A service function publishes a :class:`NotificationEvent` inside its transaction; the worker
fans it out to the people of its audience (:class:`Notification`, one per person) and sends the
e-mails. Nothing is sent inside a request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    STATUS_CHANGED = "status_changed", _("Application status changed")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    DECISION_MADE = "decision_made", _("Decision made")
    NEW_MESSAGE = "new_message", _("New message in a discussion")
    SUBMISSION_WINDOW_CLOSING = "submission_window_closing", _("Submission window closing")
    SUPERVISION_EVENT = "supervision_event", _("Supervision event coming or changed")


class EmailState(models.TextChoices):
    NOT_WANTED = "not_wanted", _("not wanted")
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class NotificationEvent(models.Model):
    """Something happened that people should hear about; fanned out by the worker."""

    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    params = models.JSONField(_("parameters"), default=dict)
    url = models.CharField(_("link"), max_length=500, blank=True)
    audience = models.JSONField(_("audience"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    fanned_out_at = models.DateTimeField(_("fanned out at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("notification event")
        verbose_name_plural = _("notification events")
        indexes = [models.Index(fields=["fanned_out_at", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Notification(models.Model):
    """One notification to one person."""

    event = models.ForeignKey(NotificationEvent, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    in_list = models.BooleanField(_("shown in the service"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=12, choices=EmailState.choices, default=EmailState.NOT_WANTED
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_next_attempt_at = models.DateTimeField(_("next e-mail attempt"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="notification_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "in_list", "-created_at"]),
            models.Index(fields=["email_state", "email_next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """How one person wants one kind of notification. No row: both channels on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    in_service = models.BooleanField(_("in the service"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class NotificationSettings(models.Model):
    """Per-person settings that apply to every kind: the language of notifications."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id} {self.language}"
