"""Joining records: an authority's joining, each of its services' joinings, phase and mode
history, named roles and the pilot list."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luvat.audit.appendonly import AppendOnlyModel
from luvat.catalogue.models import JoiningMode
from luvat.onboarding.phases import Phase

if TYPE_CHECKING:
    from luvat.catalogue.models import Authority, Service  # noqa: F401


class AppendOnly(AppendOnlyModel):
    append_only_label = "joining history"

    class Meta:
        abstract = True


class Joining(models.Model):
    """One authority's joining of the service layer (käyttöönotto)."""

    authority = models.OneToOneField(
        "catalogue.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="joining",
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.SOUNDING
    )
    decided_on = models.DateField(_("joining decided on"), null=True, blank=True)
    planned_go_live_on = models.DateField(_("planned go-live"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("joining")
        verbose_name_plural = _("joinings")
        ordering = ["authority__code"]

    def __str__(self) -> str:
        return str(self.authority_id)


class ServiceJoining(models.Model):
    """How and how far one authority has joined with one service."""

    joining = models.ForeignKey(
        Joining, verbose_name=_("joining"), on_delete=models.CASCADE, related_name="services"
    )
    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.DECIDED
    )
    # The joining mode is not stored here: ModeChange rows hold the first mode, the history
    # and any planned change (see luvat.onboarding.routes).
    pilot_started_on = models.DateField(_("pilot started on"), null=True, blank=True)
    production_since = models.DateTimeField(_("in production since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("service joining")
        verbose_name_plural = _("service joinings")
        ordering = ["joining", "service__code"]
        constraints = [
            models.UniqueConstraint(fields=["joining", "service"], name="one_joining_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.joining_id}:{self.service_id}"


class PhaseChange(AppendOnly):
    """A move of a joining (``service_joining`` empty) or of one service's joining."""

    joining = models.ForeignKey(
        Joining, verbose_name=_("joining"), on_delete=models.CASCADE, related_name="phase_changes"
    )
    service_joining = models.ForeignKey(
        ServiceJoining,
        verbose_name=_("service joining"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phase_changes",
    )
    previous_phase = models.CharField(
        _("previous phase"), max_length=20, choices=Phase.choices, blank=True
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    actor_ref = models.CharField(_("actor"), max_length=128, blank=True)
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.previous_phase} → {self.phase}"


class ModeChange(AppendOnly):
    """From ``effective_at`` on, new applications of the service go by ``mode``.

    Applications created before keep the mode in force when they were created until they are
    closed (see :func:`luvat.onboarding.routes.route_for_application`).
    """

    service_joining = models.ForeignKey(
        ServiceJoining,
        verbose_name=_("service joining"),
        on_delete=models.CASCADE,
        related_name="mode_changes",
    )
    mode = models.CharField(_("joining mode"), max_length=20, choices=JoiningMode.choices)
    effective_at = models.DateTimeField(_("effective from"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    actor_ref = models.CharField(_("actor"), max_length=128, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("joining mode change")
        verbose_name_plural = _("joining mode changes")
        ordering = ["effective_at", "id"]

    def __str__(self) -> str:
        return f"{self.mode} from {self.effective_at:%Y-%m-%d}"


def mode_at(changes: list[ModeChange], moment: datetime, default: str) -> str:
    """The mode in force at ``moment`` given the changes (oldest first)."""
    mode = default
    for change in changes:
        if change.effective_at <= moment:
            mode = change.mode
    return mode


class RoleKind(models.TextChoices):
    CHANGE_AGENT = "change_agent", _("change agent")
    TECHNICAL_CONTACT = "technical_contact", _("technical contact")
    LOCAL_SUPPORT = "local_support", _("local support")
    PROJECT_MANAGER = "project_manager", _("project manager")


class JoiningRole(models.Model):
    """A named person in the joining (the guide: at least one change agent)."""

    joining = models.ForeignKey(
        Joining, verbose_name=_("joining"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=30, choices=RoleKind.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    reserved_from = models.DateField(_("reserved from"), null=True, blank=True)
    reserved_until = models.DateField(_("reserved until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("joining role")
        verbose_name_plural = _("joining roles")
        ordering = ["joining", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class PilotCompany(models.Model):
    """A company that may apply through the service layer while the service is piloted."""

    service_joining = models.ForeignKey(
        ServiceJoining,
        verbose_name=_("service joining"),
        on_delete=models.CASCADE,
        related_name="pilot_companies",
    )
    business_id = models.CharField(_("business ID"), max_length=9)
    company_name = models.CharField(_("company name"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("pilot company")
        verbose_name_plural = _("pilot companies")
        ordering = ["service_joining", "business_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_joining", "business_id"], name="pilot_company_once"
            )
        ]

    def __str__(self) -> str:
        return self.business_id
