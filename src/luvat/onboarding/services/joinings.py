"""Joining records: create, move through the phases (the gate), modes, pilot list, roles."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.fi import ytunnus

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.catalogue.joining import meaning
from luvat.catalogue.models import Authority, JoiningMode, Service
from luvat.onboarding import gate
from luvat.onboarding.errors import GoLiveRefused, OnboardingError
from luvat.onboarding.models import (
    ChecklistItem,
    Joining,
    JoiningRole,
    ModeChange,
    PhaseChange,
    PilotCompany,
    ServiceJoining,
    StandardItem,
    mode_at,
)
from luvat.onboarding.models.checklist import AUTHORITY_ITEMS, PER_SERVICE_ITEMS
from luvat.onboarding.phases import InvalidPhaseChange, Phase, check_phase_change

# A planned mode change may not start in the past: applications already started keep theirs.
BACKDATING_TOLERANCE = timedelta(minutes=5)


def _position(item: StandardItem) -> int:
    return list(StandardItem).index(item) + 1


@transaction.atomic
def joining_create(*, authority: Authority, actor: Actor, phase: str = Phase.SOUNDING) -> Joining:
    """Start an authority's joining record with the guide's authority-wide checklist items."""
    if Joining.objects.filter(authority=authority).exists():
        raise OnboardingError("authority", _("This authority already has a joining record."))
    joining = Joining.objects.create(authority=authority, phase=phase)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(joining=joining, standard=item, position=_position(item))
        for item in AUTHORITY_ITEMS
    )
    PhaseChange.objects.create(
        joining=joining, phase=phase, actor_ref=actor.ref, actor_label=actor.label
    )
    audit_record(
        actor=actor, action="joining.create", target=joining, details={"authority": authority.code}
    )
    return joining


@transaction.atomic
def joining_update(
    *,
    joining: Joining,
    actor: Actor,
    decided_on: date | None,
    planned_go_live_on: date | None,
    notes: str,
) -> Joining:
    """Change the joining's dates and notes."""
    joining = Joining.objects.select_for_update().get(pk=joining.pk)
    joining.decided_on = decided_on
    joining.planned_go_live_on = planned_go_live_on
    joining.notes = notes
    joining.updated_at = timezone.now()
    joining.save(update_fields=["decided_on", "planned_go_live_on", "notes", "updated_at"])
    audit_record(actor=actor, action="joining.update", target=joining)
    return joining


def _refuse_invalid(current: str, target: str) -> None:
    try:
        check_phase_change(current, target)
    except InvalidPhaseChange:
        raise OnboardingError(
            "phase",
            _("A joining cannot move from “%(current)s” to “%(target)s”.")
            % {"current": Phase(current).label, "target": Phase(target).label},
        ) from None


@transaction.atomic
def joining_move(*, joining: Joining, phase: str, actor: Actor, note: str = "") -> Joining:
    """Move the authority's joining to another phase (the phase table decides)."""
    joining = Joining.objects.select_for_update().get(pk=joining.pk)
    _refuse_invalid(joining.phase, phase)
    previous = joining.phase
    joining.phase = phase
    joining.updated_at = timezone.now()
    if phase == Phase.DECIDED and joining.decided_on is None:
        joining.decided_on = timezone.localdate()
    joining.save(update_fields=["phase", "updated_at", "decided_on"])
    PhaseChange.objects.create(
        joining=joining,
        previous_phase=previous,
        phase=phase,
        actor_ref=actor.ref,
        actor_label=actor.label,
        note=note,
    )
    audit_record(
        actor=actor,
        action="joining.move",
        target=joining,
        details={"from": previous, "to": phase},
    )
    return joining


@transaction.atomic
def service_joining_add(
    *,
    joining: Joining,
    service: Service,
    mode: str,
    actor: Actor,
    phase: str = Phase.DECIDED,
) -> ServiceJoining:
    """Add a service to the joining in a mode, with its own checklist items."""
    if mode not in JoiningMode.values:
        raise OnboardingError("mode", _("Choose a joining mode."))
    if service.authority_kind != joining.authority.kind:
        raise OnboardingError(
            "service", _("This service is not handled by this kind of authority.")
        )
    if ServiceJoining.objects.filter(joining=joining, service=service).exists():
        raise OnboardingError("service", _("This service is already in the joining."))
    if not meaning(mode).submitted_here and not service.redirect_url:
        raise OnboardingError(
            "mode", _("A redirect needs the address of the authority's e-service in the catalogue.")
        )
    now = timezone.now()
    service_joining = ServiceJoining.objects.create(joining=joining, service=service, phase=phase)
    ModeChange.objects.create(
        service_joining=service_joining, mode=mode, effective_at=now, actor_ref=actor.ref
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            joining=joining,
            service_joining=service_joining,
            standard=item,
            position=_position(item),
        )
        for item in PER_SERVICE_ITEMS
    )
    PhaseChange.objects.create(
        joining=joining,
        service_joining=service_joining,
        phase=phase,
        actor_ref=actor.ref,
        actor_label=actor.label,
    )
    audit_record(
        actor=actor,
        action="service_joining.add",
        target=service_joining,
        details={"service": service.code, "mode": mode, "phase": phase},
    )
    return service_joining


@transaction.atomic
def service_joining_move(
    *, service_joining: ServiceJoining, phase: str, actor: Actor, note: str = ""
) -> ServiceJoining:
    """Move a service's joining to another phase; production goes through the go-live gate.

    Raises :class:`GoLiveRefused` listing everything missing.
    """
    locked = (
        ServiceJoining.objects.select_for_update()
        .select_related("joining__authority", "service")
        .get(pk=service_joining.pk)
    )
    _refuse_invalid(locked.phase, phase)
    if phase == Phase.PRODUCTION:
        missing = gate.go_live_missing(locked)
        if missing:
            audit_record(
                actor=actor,
                action="service_joining.go_live_refused",
                target=locked,
                details={"missing": [m.code for m in missing]},
            )
            raise GoLiveRefused(missing, gate.explain(missing))
    previous = locked.phase
    locked.phase = phase
    now = timezone.now()
    locked.updated_at = now
    if phase == Phase.PILOT and locked.pilot_started_on is None:
        locked.pilot_started_on = timezone.localdate()
    if phase == Phase.PRODUCTION:
        locked.production_since = now
    locked.save(update_fields=["phase", "updated_at", "pilot_started_on", "production_since"])
    PhaseChange.objects.create(
        joining_id=locked.joining_id,
        service_joining=locked,
        previous_phase=previous,
        phase=phase,
        actor_ref=actor.ref,
        actor_label=actor.label,
        note=note,
    )
    audit_record(
        actor=actor,
        action="service_joining.move",
        target=locked,
        details={"from": previous, "to": phase, "service": locked.service.code},
    )
    return locked


@transaction.atomic
def service_joining_schedule_mode(
    *,
    service_joining: ServiceJoining,
    mode: str,
    effective_at: datetime,
    actor: Actor,
    note: str = "",
) -> ModeChange:
    """Plan a change of joining mode from ``effective_at`` (phased adoption).

    Applications started before keep their mode until closed. A live service may move to an
    API integration only with a passing conformance run.
    """
    locked = (
        ServiceJoining.objects.select_for_update()
        .select_related("joining__authority", "service")
        .get(pk=service_joining.pk)
    )
    if mode not in JoiningMode.values:
        raise OnboardingError("mode", _("Choose a joining mode."))
    if effective_at < timezone.now() - BACKDATING_TOLERANCE:
        raise OnboardingError(
            "effective_at", _("A mode change cannot start in the past; choose now or later.")
        )
    changes = list(locked.mode_changes.order_by("effective_at", "id"))
    if mode_at(changes, effective_at, locked.service.joining_mode) == mode:
        raise OnboardingError("mode", _("The service already goes by this mode then."))
    if not meaning(mode).submitted_here and not locked.service.redirect_url:
        raise OnboardingError(
            "mode", _("A redirect needs the address of the authority's e-service in the catalogue.")
        )
    if meaning(mode).tells_authority_system and locked.phase in (Phase.PILOT, Phase.PRODUCTION):
        missing = gate.technical_missing(locked, mode)
        if missing:
            raise GoLiveRefused(missing, gate.explain(missing))
    change = ModeChange.objects.create(
        service_joining=locked,
        mode=mode,
        effective_at=effective_at,
        actor_ref=actor.ref,
        note=note,
    )
    audit_record(
        actor=actor,
        action="service_joining.schedule_mode",
        target=locked,
        details={"mode": mode, "effective_at": effective_at.isoformat()},
    )
    return change


@transaction.atomic
def pilot_company_add(
    *, service_joining: ServiceJoining, business_id: str, company_name: str, actor: Actor
) -> PilotCompany:
    """Put a company on the service's pilot list."""
    try:
        business_id = ytunnus.format(ytunnus.validate(business_id.strip()))
    except Exception:
        raise OnboardingError(
            "business_id", _("Enter a valid business ID, for example 1234567-1.")
        ) from None
    if PilotCompany.objects.filter(
        service_joining=service_joining, business_id=business_id
    ).exists():
        raise OnboardingError("business_id", _("This company is already on the pilot list."))
    company = PilotCompany.objects.create(
        service_joining=service_joining, business_id=business_id, company_name=company_name
    )
    audit_record(
        actor=actor,
        action="pilot_company.add",
        target=service_joining,
        details={"business_id": business_id},
    )
    return company


@transaction.atomic
def pilot_company_remove(*, company: PilotCompany, actor: Actor) -> None:
    """Take a company off the pilot list."""
    audit_record(
        actor=actor,
        action="pilot_company.remove",
        target=company.service_joining,
        details={"business_id": company.business_id},
    )
    company.delete()


@transaction.atomic
def role_add(
    *,
    joining: Joining,
    kind: str,
    name: str,
    email: str,
    phone: str,
    actor: Actor,
    reserved_from: date | None = None,
    reserved_until: date | None = None,
) -> JoiningRole:
    """Name a person in a joining role (change agent, technical contact, local support…)."""
    if not name.strip():
        raise OnboardingError("name", _("Enter the person's name."))
    if not email.strip() and not phone.strip():
        raise OnboardingError("email", _("Enter an e-mail address or a phone number."))
    if reserved_from and reserved_until and reserved_until < reserved_from:
        raise OnboardingError("reserved_until", _("The end cannot be before the start."))
    role = JoiningRole.objects.create(
        joining=joining,
        kind=kind,
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        reserved_from=reserved_from,
        reserved_until=reserved_until,
    )
    audit_record(actor=actor, action="joining_role.add", target=role, details={"kind": kind})
    return role


@transaction.atomic
def role_remove(*, role: JoiningRole, actor: Actor) -> None:
    """Remove a named role."""
    audit_record(
        actor=actor, action="joining_role.remove", target=role, details={"kind": role.kind}
    )
    role.delete()
