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
    EMAIL_UNDELIVERABLE = "email_undeliverable", _("Your e-mail address cannot be reached")
    NEW_APPLICATION = "new_application", _("New application to handle")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")
    SHARED_DATA_CHANGED = "shared_data_changed", _("Shared data of a project changed")
    INFOREQUEST_ASKED = "inforequest_asked", _("New inforequest to answer")
    INFOREQUEST_ANSWERED = "inforequest_answered", _("Inforequest answered")


class EmailState(models.TextChoices):
    NOT_WANTED = "not_wanted", _("not wanted")
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    BOUNCED = "bounced", _("refused by the recipient's mail server")
    HELD = "held", _("waiting for Suomi.fi Messages")
    VIA_MESSAGES = "via_messages", _("went to the company's Suomi.fi mailbox instead")


class NotificationEvent(models.Model):
    """Something happened that people should hear about; fanned out by the worker."""

    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    params = models.JSONField(_("parameters"), default=dict)
    url = models.CharField(_("link"), max_length=500, blank=True)
    audience = models.JSONField(_("audience"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    fanned_out_at = models.DateTimeField(_("fanned out at"), null=True, blank=True)
    # An official letter of an authority to a company: {"authority_code", "business_id"}.
    # Goes to the company's Suomi.fi mailbox when the authority has the channel on.
    letter = models.JSONField(_("official letter"), default=dict, blank=True)
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
    email_error = models.CharField(_("last e-mail error"), max_length=500, blank=True)

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


# Kinds that are always shown in the service, whatever the person chose: they are about the
# e-mail channel itself, so e-mail cannot be the only way to hear of them.
ALWAYS_IN_SERVICE = frozenset({NotificationKind.EMAIL_UNDELIVERABLE})


class AddressSource(models.TextChoices):
    LOGIN = "login", _("from the log-in service")
    ENTERED = "entered", _("entered by the person")


class EmailAddress(models.Model):
    """The one address a person's notification e-mails go to.

    Used only once verified (the person followed the link sent to it) and while no mail
    server has refused it permanently. The verification mail itself is queued on this row
    and sent by the same worker job as the notifications, with the same retries.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_email"
    )
    address = models.EmailField(_("e-mail address"))
    source = models.CharField(_("source"), max_length=10, choices=AddressSource.choices)
    language = models.CharField(
        _("language of the verification e-mail"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="fi",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    undeliverable_at = models.DateTimeField(_("found undeliverable at"), null=True, blank=True)
    undeliverable_reason = models.CharField(_("why undeliverable"), max_length=500, blank=True)
    verification_state = models.CharField(
        _("verification e-mail"),
        max_length=12,
        choices=EmailState.choices,
        default=EmailState.PENDING,
    )
    verification_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    verification_next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    verification_sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    verification_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("e-mail address")
        verbose_name_plural = _("e-mail addresses")
        indexes = [models.Index(fields=["verification_state", "verification_next_attempt_at"])]

    def __str__(self) -> str:
        return self.address

    @property
    def usable(self) -> bool:
        return self.verified_at is not None and self.undeliverable_at is None


class MessagesChannel(models.Model):
    """An authority sends its letters to companies through Suomi.fi Messages."""

    authority_code = models.CharField(_("authority code"), max_length=40, unique=True)
    service_id = models.CharField(
        _("Suomi.fi Messages service ID"),
        max_length=200,
        help_text=_("The sender service registered for the authority in Suomi.fi Messages."),
    )
    enabled = models.BooleanField(_("in use"), default=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("Suomi.fi Messages channel")
        verbose_name_plural = _("Suomi.fi Messages channels")

    def __str__(self) -> str:
        return f"{self.authority_code} {self.service_id}"


class LetterState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("in the company's Suomi.fi mailbox")
    NO_MAILBOX = "no_mailbox", _("no active mailbox: sent by e-mail instead")
    FAILED = "failed", _("failed: sent by e-mail instead")


class Letter(models.Model):
    """One official letter to a company's Suomi.fi mailbox, sent by the worker."""

    event = models.OneToOneField(NotificationEvent, on_delete=models.CASCADE, related_name="+")
    business_id = models.CharField(_("business ID"), max_length=9)
    authority_code = models.CharField(_("authority code"), max_length=40)
    service_id = models.CharField(_("Suomi.fi Messages service ID"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=12, choices=LetterState.choices, default=LetterState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    message_id = models.CharField(_("Suomi.fi message id"), max_length=60, blank=True)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Suomi.fi letter")
        verbose_name_plural = _("Suomi.fi letters")
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.authority_code} → {self.business_id}: {self.title}"
