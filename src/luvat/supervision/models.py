"""Supervision events: inspections and other supervision a company should expect.

Companies are referred to by business ID and authorities by their catalogue code, so that
supervision stays independent of how the catalogue and identity store them. ``project`` is
the project an event belongs to, if any.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    INSPECTION = "inspection", _("inspection")
    DOCUMENT_REVIEW = "document_review", _("document review")
    SAMPLING = "sampling", _("sampling or measurement")
    MEETING = "meeting", _("supervision meeting")
    OTHER = "other", _("other supervision")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONFIRMED = "confirmed", _("confirmed")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    YEARLY = "yearly", _("yearly")


class SupervisionSeries(models.Model):
    """Recurring supervision (e.g. a yearly inspection); its occurrences are events."""

    business_id = models.CharField(_("business ID"), max_length=9, db_index=True)
    authority_code = models.CharField(_("authority code"), max_length=40, db_index=True)
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    count = models.PositiveSmallIntegerField(_("number of occurrences"))
    created_by_ref = models.CharField(_("created by"), max_length=128)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("supervision series")
        verbose_name_plural = _("supervision series")

    def __str__(self) -> str:
        return f"{self.authority_code} → {self.business_id} ({self.frequency} x {self.count})"


class SupervisionEvent(models.Model):
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    business_id = models.CharField(_("business ID"), max_length=9)
    authority_code = models.CharField(_("authority code"), max_length=40)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    site = models.CharField(_("site"), max_length=300, blank=True)
    permit_reference = models.CharField(_("permit"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    preparation = models.TextField(_("what to prepare"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    result_note = models.TextField(_("result"), blank=True)
    series = models.ForeignKey(
        SupervisionSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("iCalendar SEQUENCE: raised on every change.")
    )
    scheduled_by_ref = models.CharField(_("scheduled by"), max_length=128)
    scheduled_by_label = models.CharField(_("scheduled by (name)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision event")
        verbose_name_plural = _("supervision events")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["business_id", "starts_at"]),
            models.Index(fields=["authority_code", "starts_at"]),
            models.Index(fields=["status", "reminder_sent_at", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="supervision_event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.business_id}, {self.starts_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status in (EventStatus.PLANNED, EventStatus.CONFIRMED)

    def authority_codes(self) -> list[str]:
        """The leading authority first, then the joint inspection's other participants
        (uses the prefetched ``participants`` when there are)."""
        return [self.authority_code, *(p.authority_code for p in self.participants.all())]


class JointParticipant(models.Model):
    """Another authority taking part in a joint inspection of one site.

    The event's own authority (``SupervisionEvent.authority_code``) leads: it schedules,
    reschedules and closes the event and writes its result. Each participant confirms its
    participation and records its own findings here. The company sees one event.
    """

    event = models.ForeignKey(
        SupervisionEvent,
        verbose_name=_("supervision event"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    authority_code = models.CharField(_("authority code"), max_length=40, db_index=True)
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("participation confirmed at"), null=True, blank=True)
    confirmed_by_ref = models.CharField(_("confirmed by"), max_length=128, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    findings_recorded_at = models.DateTimeField(_("findings recorded at"), null=True, blank=True)
    findings_by_ref = models.CharField(_("findings recorded by"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("participant of a joint inspection")
        verbose_name_plural = _("participants of joint inspections")
        ordering = ["event_id", "authority_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "authority_code"], name="supervision_joint_participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_code} in {self.event_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class CalendarFeed(models.Model):
    """A company's secret iCalendar address. Rotating replaces the token; the old one stops."""

    business_id = models.CharField(_("business ID"), max_length=9, unique=True)
    token = models.CharField(_("secret token"), max_length=64, unique=True)
    rotated_at = models.DateTimeField(_("created or rotated at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar of {self.business_id}"
