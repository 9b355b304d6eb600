"""Writes of the supervision context: scheduling, status, calendar feeds."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.fi import ytunnus

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.catalogue.models import Authority
from luvat.supervision import policy
from luvat.supervision.models import (
    CalendarFeed,
    EventKind,
    EventStatus,
    Frequency,
    JointParticipant,
    SupervisionEvent,
    SupervisionSeries,
)
from luvat.supervision.notify import notify_company, notify_participants
from luvat.supervision.recurrence import MAX_OCCURRENCES, occurrence_starts

BUSINESS_ID = re.compile(r"^\d{7}-\d$")
# Supervision is planned for the years ahead, not for the end of the calendar: a far date is
# a typing error (and year 9999 cannot be written into every calendar program's range).
YEARS_AHEAD = 10
SCHEDULE_HORIZON = timedelta(days=366 * YEARS_AHEAD)
MAX_DURATION = timedelta(days=31)
MAX_INTERVAL = 100
MAX_PARTNERS = 10  # other authorities in one joint inspection

TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.PLANNED: frozenset(
        {EventStatus.CONFIRMED, EventStatus.DONE, EventStatus.CANCELLED}
    ),
    EventStatus.CONFIRMED: frozenset({EventStatus.DONE, EventStatus.CANCELLED}),
    EventStatus.DONE: frozenset(),
    EventStatus.CANCELLED: frozenset(),
}


def business_id_is_valid(value: str) -> bool:
    """Finnish business ID (Y-tunnus): seven digits, hyphen, check digit."""
    return bool(BUSINESS_ID.match(value)) and ytunnus.is_valid(value)


@dataclass(frozen=True)
class EventDetails:
    """What an official fills in when scheduling or rescheduling."""

    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    preparation: str = ""
    site: str = ""
    permit_reference: str = ""
    project_id: int | None = None


def _validate(details: EventDetails, *, now: datetime | None = None) -> None:
    errors: dict[str, str] = {}
    if details.kind not in EventKind.values:
        errors["kind"] = _("Choose the type of the event.")
    if not details.title.strip():
        errors["title"] = _("Give the event a title.")
    if details.starts_at.tzinfo is None:
        errors["starts_at"] = _("Give the start time with a time zone.")
    elif details.ends_at.tzinfo is None:
        errors["ends_at"] = _("Give the end time with a time zone.")
    elif details.ends_at <= details.starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    elif details.ends_at - details.starts_at > MAX_DURATION:
        errors["ends_at"] = _("An event lasts at most %(days)d days.") % {"days": MAX_DURATION.days}
    elif now is not None and details.starts_at < now:
        errors["starts_at"] = _("The event cannot start in the past.")
    elif now is not None and details.starts_at > now + SCHEDULE_HORIZON:
        errors["starts_at"] = _("Events are planned at most %(years)d years ahead.") % {
            "years": YEARS_AHEAD
        }
    if errors:
        raise ValidationError(errors)


def _event_from(
    details: EventDetails,
    *,
    business_id: str,
    authority_code: str,
    actor: Actor,
    series: SupervisionSeries | None = None,
) -> SupervisionEvent:
    return SupervisionEvent(
        business_id=business_id,
        authority_code=authority_code,
        project_id=details.project_id,
        site=details.site.strip(),
        permit_reference=details.permit_reference.strip(),
        kind=details.kind,
        title=details.title.strip(),
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        place=details.place.strip(),
        preparation=details.preparation.strip(),
        series=series,
        scheduled_by_ref=actor.ref,
        scheduled_by_label=actor.label,
    )


def _check_business_id(business_id: str) -> None:
    if not business_id_is_valid(business_id):
        raise ValidationError({"business_id": _("Give a valid business ID, e.g. 1234567-1.")})


def _partner_codes(partners: Sequence[str], *, own: str) -> list[str]:
    """The other authorities of a joint inspection: known to the catalogue, each once."""
    codes = sorted({code.strip() for code in partners if code.strip()} - {own})
    if len(codes) > MAX_PARTNERS:
        raise ValidationError(
            {"partners": _("At most %(max)d other authorities.") % {"max": MAX_PARTNERS}}
        )
    known = set(Authority.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown := [code for code in codes if code not in known]:
        raise ValidationError(
            {"partners": _("Unknown authority: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return codes


@transaction.atomic
def supervision_event_schedule(
    *, actor: Actor, business_id: str, details: EventDetails, partners: Sequence[str] = ()
) -> SupervisionEvent:
    """An official schedules one supervision event for a company; the company is notified.

    With ``partners`` (other authorities' codes) it is a joint inspection of one site: each
    partner's officials see it and are asked to confirm; the company sees one event."""
    authority_code = policy.require_official(actor)
    _check_business_id(business_id)
    _validate(details, now=timezone.now())
    codes = _partner_codes(partners, own=authority_code)
    event = _event_from(
        details, business_id=business_id, authority_code=authority_code, actor=actor
    )
    event.save()
    JointParticipant.objects.bulk_create(
        [JointParticipant(event=event, authority_code=code) for code in codes]
    )
    audit_record(
        actor=actor,
        action="supervision.event_schedule",
        target=event,
        details={"business_id": business_id, "starts_at": event.starts_at, "partners": codes},
    )
    notify_company(event, change=gettext_lazy("Supervision event scheduled"))
    notify_participants(event, codes=codes, change=gettext_lazy("Invitation to a joint inspection"))
    return event


@transaction.atomic
def joint_participation_confirm(*, actor: Actor, event: SupervisionEvent) -> JointParticipant:
    """A participating authority's official confirms that the authority takes part."""
    event = _locked(event)
    code = policy.require_participant(actor, event)
    if not event.is_open:
        raise ValidationError({"status": _("A done or cancelled event cannot be changed.")})
    participant = JointParticipant.objects.select_for_update().get(event=event, authority_code=code)
    if participant.is_confirmed:
        return participant
    participant.confirmed_at = timezone.now()
    participant.confirmed_by_ref = actor.ref
    participant.save(update_fields=["confirmed_at", "confirmed_by_ref"])
    audit_record(
        actor=actor,
        action="supervision.joint_participation_confirm",
        target=event,
        details={"authority_code": code},
    )
    return participant


@transaction.atomic
def joint_findings_record(
    *, actor: Actor, event: SupervisionEvent, findings: str
) -> JointParticipant:
    """A participating authority records its own findings of a joint inspection (the leading
    authority writes its result when it marks the event done)."""
    event = _locked(event)
    code = policy.require_participant(actor, event)
    text = findings.strip()
    if not text:
        raise ValidationError({"findings": _("Write down your authority's findings.")})
    if event.status == EventStatus.CANCELLED:
        raise ValidationError({"status": _("A cancelled event has no findings.")})
    participant = JointParticipant.objects.select_for_update().get(event=event, authority_code=code)
    participant.findings = text[:10000]
    participant.findings_recorded_at = timezone.now()
    participant.findings_by_ref = actor.ref
    participant.save(update_fields=["findings", "findings_recorded_at", "findings_by_ref"])
    audit_record(
        actor=actor,
        action="supervision.joint_findings_record",
        target=event,
        details={"authority_code": code},
    )
    return participant


@transaction.atomic
def supervision_series_schedule(
    *,
    actor: Actor,
    business_id: str,
    details: EventDetails,
    frequency: str,
    interval: int,
    count: int,
) -> SupervisionSeries:
    """An official schedules recurring supervision; every occurrence becomes an event."""
    authority_code = policy.require_official(actor)
    _check_business_id(business_id)
    _validate(details, now=timezone.now())
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose how often the event repeats.")})
    if not 1 <= interval <= MAX_INTERVAL:
        raise ValidationError(
            {"interval": _("The interval is from 1 to %(max)d.") % {"max": MAX_INTERVAL}}
        )
    if not 2 <= count <= MAX_OCCURRENCES:
        raise ValidationError(
            {"count": _("A series has from 2 to %(max)d occurrences.") % {"max": MAX_OCCURRENCES}}
        )
    starts = occurrence_starts(
        details.starts_at, frequency=frequency, interval=interval, count=count
    )
    if starts[-1] > timezone.now() + SCHEDULE_HORIZON:
        raise ValidationError(
            {
                "count": _(
                    "The last occurrence would be more than %(years)d years ahead; "
                    "choose fewer occurrences or a shorter interval."
                )
                % {"years": YEARS_AHEAD}
            }
        )
    series = SupervisionSeries.objects.create(
        business_id=business_id,
        authority_code=authority_code,
        frequency=frequency,
        interval=interval,
        count=count,
        created_by_ref=actor.ref,
    )
    duration = details.ends_at - details.starts_at
    events = []
    for start in starts:
        occurrence = EventDetails(
            **{**details.__dict__, "starts_at": start, "ends_at": start + duration}
        )
        events.append(
            _event_from(
                occurrence,
                business_id=business_id,
                authority_code=authority_code,
                actor=actor,
                series=series,
            )
        )
    SupervisionEvent.objects.bulk_create(events)
    audit_record(
        actor=actor,
        action="supervision.series_schedule",
        target=series,
        details={"business_id": business_id, "frequency": frequency, "count": count},
    )
    notify_company(events[0], change=gettext_lazy("Recurring supervision scheduled"))
    return series


def _partners_of(event: SupervisionEvent) -> list[str]:
    return [p.authority_code for p in event.participants.all()]


def _locked(event: SupervisionEvent) -> SupervisionEvent:
    return SupervisionEvent.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def supervision_event_reschedule(
    *, actor: Actor, event: SupervisionEvent, details: EventDetails
) -> SupervisionEvent:
    """The event's official changes its time, place or preparation; the company is notified."""
    event = _locked(event)
    policy.require_event_authority(actor, event)
    if not event.is_open:
        raise ValidationError({"status": _("A done or cancelled event cannot be changed.")})
    _validate(details, now=timezone.now())
    changed = {}
    for name in (
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "preparation",
        "site",
        "permit_reference",
    ):
        value = getattr(details, name)
        value = value.strip() if isinstance(value, str) else value
        if getattr(event, name) != value:
            changed[name] = value
            setattr(event, name, value)
    if not changed:
        return event
    if "starts_at" in changed:
        event.reminder_sent_at = None
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save(update_fields=[*changed, "sequence", "updated_at", "reminder_sent_at"])
    audit_record(
        actor=actor,
        action="supervision.event_reschedule",
        target=event,
        details={"changed": sorted(changed)},
    )
    notify_company(event, change=gettext_lazy("Supervision event changed"))
    notify_participants(
        event, codes=_partners_of(event), change=gettext_lazy("Supervision event changed")
    )
    return event


@transaction.atomic
def supervision_event_set_status(
    *, actor: Actor, event: SupervisionEvent, status: str, result_note: str = ""
) -> SupervisionEvent:
    """Move the event to ``status`` through the transition table; ``done`` needs a result."""
    event = _locked(event)
    policy.require_event_authority(actor, event)
    if status not in TRANSITIONS.get(event.status, frozenset()):
        raise ValidationError(
            {
                "status": _("An event that is %(current)s cannot become %(new)s.")
                % {
                    "current": event.get_status_display(),
                    "new": EventStatus(status).label if status in EventStatus.values else status,
                }
            }
        )
    if status == EventStatus.DONE and not result_note.strip():
        raise ValidationError({"result_note": _("Write down the result of the event.")})
    event.status = status
    event.result_note = result_note.strip() or event.result_note
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "result_note", "sequence", "updated_at"])
    audit_record(
        actor=actor, action="supervision.event_set_status", target=event, details={"status": status}
    )
    if status in (EventStatus.CONFIRMED, EventStatus.CANCELLED):
        change = (
            gettext_lazy("Supervision event confirmed")
            if status == EventStatus.CONFIRMED
            else gettext_lazy("Supervision event cancelled")
        )
        notify_company(event, change=change)
        notify_participants(event, codes=_partners_of(event), change=change)
    return event


@transaction.atomic
def calendar_feed_rotate(*, actor: Actor, business_id: str) -> CalendarFeed:
    """Give the company a new secret calendar address; the old address stops working."""
    policy.require_company(actor, business_id)
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        business_id=business_id, defaults={"token": token}
    )
    if not created:
        feed.token = token
        feed.rotated_at = timezone.now()
        feed.save(update_fields=["token", "rotated_at"])
    audit_record(
        actor=actor,
        action="supervision.calendar_feed_rotate",
        target=feed,
        details={"created": created},
    )
    return feed
