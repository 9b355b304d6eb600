"""The go-live checklist (käyttöönoton muistilista): the guide's items plus the authority's own."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luvat.onboarding.models.joinings import Joining, ServiceJoining


class StandardItem(models.TextChoices):
    """The eight items of the guide's checklist (4.2.2)."""

    ROLES = "roles", _("Roles and responsibilities in the organisation are clear")
    RISKS = "risks", _("The production-phase risks of the risk analysis are prepared for")
    TECHNICAL = "technical", _("Technical readiness for going live")
    TESTING = "testing", _("Testing and/or the pilot has been passed")
    PROCESSES = "processes", _("New processes and instructions are written")
    TRAINING = "training", _("Staff are trained")
    LOCAL_SUPPORT = (
        "local_support",
        _("Local support is trained and has reserved time for go-live and production"),
    )
    COMMUNICATION = "communication", _("The communication plan's tasks are done")


# Items that concern each service on its own; the others concern the whole authority.
PER_SERVICE_ITEMS = (StandardItem.TECHNICAL, StandardItem.TESTING)
AUTHORITY_ITEMS = tuple(item for item in StandardItem if item not in PER_SERVICE_ITEMS)


class ItemState(models.TextChoices):
    OPEN = "open", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


def evidence_path(instance: ChecklistItem, filename: str) -> str:
    # The stored name carries no user input.
    return f"onboarding/evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ChecklistItem(models.Model):
    """One item; ``service_joining`` empty means it concerns every service of the authority."""

    joining = models.ForeignKey(
        Joining, verbose_name=_("joining"), on_delete=models.CASCADE, related_name="checklist"
    )
    service_joining = models.ForeignKey(
        ServiceJoining,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checklist",
    )
    standard = models.CharField(
        _("item of the guide"), max_length=30, choices=StandardItem.choices, blank=True
    )
    title = models.CharField(_("item"), max_length=300, blank=True)
    mandatory = models.BooleanField(_("mandatory for go-live"), default=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ItemState.choices, default=ItemState.OPEN
    )
    evidence_note = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to=evidence_path, max_length=200, blank=True
    )
    evidence_file_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_content_type = models.CharField(_("content type"), max_length=100, blank=True)
    done_on = models.DateField(_("date"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.CharField(_("updated by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["joining", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["joining", "service_joining", "standard"],
                condition=~models.Q(standard=""),
                name="standard_item_once",
            ),
            models.UniqueConstraint(
                fields=["joining", "standard"],
                condition=~models.Q(standard="") & models.Q(service_joining__isnull=True),
                name="authority_standard_item_once",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.standard:
            return str(StandardItem(self.standard).label)
        return self.title

    @property
    def is_done(self) -> bool:
        return self.state == ItemState.DONE
