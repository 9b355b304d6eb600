"""Status events from authority systems: idempotent, ordered by occurrence, through the table.

This is the authority system's door to the back office's acts (:mod:`luvat.backoffice.acts`):
it keeps what only events have (each kept once per id, placed in order), and hands the events
that are news to :func:`~luvat.backoffice.acts.acts_record` as acts, like an official's page.

An event is kept once per (authority, event id): sending it again returns the first
answer. An event that happened before the last one applied is placed in the history
without moving the application (it never moves backwards); one the status table
forbids is refused with the current state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Q
from pydantic import BaseModel, ConfigDict, Field, model_validator

from luvat.audit.actors import Actor
from luvat.audit.services import Audited, audit_record_many
from luvat.backoffice.acts import (
    Act,
    ActOn,
    ChangeAcknowledged,
    Closed,
    DecisionMade,
    DocumentLink,
    ProcessingStarted,
    Received,
    SupplementAsked,
    acts_record,
    authority_statuses_tell,
    can_apply,
    changes_acknowledge,
    target_of,
)
from luvat.catalogue.models import AuthorityStatus
from luvat.integrations.models import InboundEvent, InboundOutcome
from luvat.projects.models import Application, Submission, SubmissionKind
from luvat.projects.services.applications import lock_applications
from luvat.projects.status import Status

STATUS_FOR_EVENT = {
    "received": Status.RECEIVED,
    "in_processing": Status.IN_PROCESSING,
    "supplement_requested": Status.SUPPLEMENT_REQUESTED,
    "decision": Status.DECISION_MADE,
    "closed": Status.CLOSED,
}
EventType = Literal[
    "received",
    "in_processing",
    "supplement_requested",
    "decision",
    "closed",
    "shared_data_acknowledged",
]
# Not a status: the authority took a change of shared data (a ``shared_data_changed``
# message) into account; the application stays where it is.
ACKNOWLEDGED = "shared_data_acknowledged"


class SupplementRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=10_000)
    due_date: date


class DecisionDocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=1000, pattern=r"^https?://")
    file_name: str = Field(default="", max_length=255)
    content_type: str = Field(default="", max_length=100)
    sha256: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Literal["granted", "partly_granted", "refused", "other"]
    date: date
    summary: str = Field(default="", max_length=4000)
    document: DecisionDocumentIn | None = None


class StatusEventIn(BaseModel):
    """A status event (docs/schemas/status-event.schema.json)."""

    model_config = ConfigDict(extra="forbid")
    event_id: str = Field(min_length=1, max_length=100)
    type: EventType
    occurred_at: datetime
    application_id: str | None = Field(default=None, max_length=36)
    case_reference: str = Field(default="", max_length=100)
    note: str = Field(default="", max_length=4000)
    supplement_request: SupplementRequestIn | None = None
    decision: DecisionIn | None = None
    change_id: str | None = Field(
        default=None,
        max_length=36,
        description="For shared_data_acknowledged: the `submission` of the acknowledged "
        "shared_data_changed message.",
    )
    authority_status: str = Field(
        default="",
        max_length=60,
        description=(
            "the authority's own status code, declared in its status vocabulary with labels "
            "and the public status it stands for (which must be this event's type); the "
            "customer sees its label beside the public status"
        ),
    )

    @model_validator(mode="after")
    def details_of_the_type(self) -> StatusEventIn:
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at needs a time zone (e.g. Z or +02:00)")
        if self.type == "supplement_requested" and self.supplement_request is None:
            raise ValueError("a supplement_requested event needs supplement_request")
        if self.type == "decision" and self.decision is None:
            raise ValueError("a decision event needs decision")
        if self.type == ACKNOWLEDGED and not self.change_id:
            raise ValueError("a shared_data_acknowledged event needs change_id")
        return self


@dataclass(frozen=True)
class EventReceipt:
    event: InboundEvent
    duplicate: bool


@dataclass(frozen=True)
class EventRefusal:
    """Why one event was refused: ``status-conflict`` (with the current and requested status),
    ``event-id-reused``, ``unknown-change`` (an acknowledgement of no change of this
    application) or one of :data:`AUTHORITY_STATUS_REFUSALS`."""

    slug: str
    detail: str
    current_status: str = ""
    requested_status: str = ""


class StatusConflict(Exception):
    """The status table forbids this event's change; ``current`` is where the application is."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"the application is {current!r}; it cannot move to {target!r}")
        self.current = current
        self.target = target


class EventIdReused(Exception):
    """The sender used one event id for two different applications."""


class UnknownChange(Exception):
    """An acknowledgement names no change of shared data sent for this application."""


# Refusals of an event's own status code: the event is malformed for this authority (HTTP 422,
# dead-lettered on AMQP), whatever the application's state.
UNKNOWN_AUTHORITY_STATUS = "unknown-authority-status"
AUTHORITY_STATUS_MISMATCH = "authority-status-mismatch"
AUTHORITY_STATUS_REFUSALS = frozenset({UNKNOWN_AUTHORITY_STATUS, AUTHORITY_STATUS_MISMATCH})


class AuthorityStatusRefused(Exception):
    """The event's ``authority_status`` is not in the authority's vocabulary, or stands for
    another public status than the event's type."""

    def __init__(self, slug: str, detail: str) -> None:
        super().__init__(detail)
        self.slug = slug
        self.detail = detail


def act_of(event: StatusEventIn) -> Act:
    """The back office's act an event reports."""
    if event.type == "received":
        return Received(case_reference=event.case_reference)
    if event.type == "in_processing":
        return ProcessingStarted()
    if event.type == "supplement_requested" and event.supplement_request is not None:
        request = event.supplement_request
        return SupplementAsked(text=request.text, due_on=request.due_date)
    if event.type == "decision" and event.decision is not None:
        decision = event.decision
        document = decision.document
        link = (
            DocumentLink(
                url=document.url,
                file_name=document.file_name,
                content_type=document.content_type,
                sha256=document.sha256,
            )
            if document is not None
            else None
        )
        return DecisionMade(
            outcome=decision.outcome,
            decided_on=decision.date,
            summary=decision.summary,
            link=link,
        )
    return Closed()


def status_event_receive(
    *, application: Application, event: StatusEventIn, actor: Actor, transport: str = "http"
) -> EventReceipt:
    """Record one status event from ``actor``'s authority system and apply it if it is news;
    raises :class:`StatusConflict` or :class:`EventIdReused` for a refused event."""
    (result,) = status_events_receive(
        events=[(application, event)], actor=actor, transport=transport
    )
    if isinstance(result, EventRefusal):
        if result.slug == "event-id-reused":
            raise EventIdReused(event.event_id)
        if result.slug == "unknown-change":
            raise UnknownChange(event.change_id)
        if result.slug in AUTHORITY_STATUS_REFUSALS:
            raise AuthorityStatusRefused(result.slug, result.detail)
        raise StatusConflict(result.current_status, result.requested_status)
    return result


@transaction.atomic
def status_events_receive(
    *,
    events: Sequence[tuple[Application, StatusEventIn]],
    actor: Actor,
    transport: str = "http",
) -> list[EventReceipt | EventRefusal]:
    """Record status events from ``actor``'s authority system in the order given, applying
    each that is news, with a fixed number of statements however many there are. The answer
    for each is what sending them one at a time would give; a refused event changes nothing."""
    authority_code = actor.on_behalf_of
    # The applications are locked first: copies of one event, and events of one application,
    # queue here; a copy racing in waits and then finds the first.
    locked = lock_applications(application.pk for application, _event in events)
    event_ids = {event.event_id for _application, event in events}
    lock_event_ids(authority_code, event_ids)
    known: dict[str, InboundEvent] = {}
    latest: dict[int, datetime] = {}
    earlier = InboundEvent.objects.defer("body").filter(
        Q(authority_code=authority_code, event_id__in=event_ids)
        | (
            Q(application_id__in=locked.keys(), outcome=InboundOutcome.APPLIED)
            & ~Q(type=ACKNOWLEDGED)  # not a status: it does not order the status events
        )
    )
    for row in earlier:
        if row.authority_code == authority_code and row.event_id in event_ids:
            known[row.event_id] = row
        if (
            row.outcome == InboundOutcome.APPLIED
            and row.type != ACKNOWLEDGED
            and row.application_id in locked
        ):
            seen = latest.get(row.application_id)
            latest[row.application_id] = (
                row.occurred_at if seen is None else max(seen, row.occurred_at)
            )
    vocabulary = _vocabulary(authority_code, {event.authority_status for _a, event in events})
    changes = _changes_named(events, locked.keys())
    status = {pk: application.status for pk, application in locked.items()}
    results: list[EventReceipt | EventRefusal] = []
    applied: list[ActOn] = []
    acknowledged: list[ChangeAcknowledged] = []
    # The newest own status told within an unchanged public status, per application; an
    # applied change after it supersedes it (the change carries its own, or clears it).
    told: dict[int, tuple[Application, AuthorityStatus]] = {}
    records: list[InboundEvent] = []
    audited: list[Audited] = []
    for given, event in events:
        application = locked[given.pk]
        existing = known.get(event.event_id)
        if existing is not None:
            if existing.application_id != application.pk:
                results.append(
                    EventRefusal(
                        "event-id-reused",
                        "This event_id was already used for another application.",
                    )
                )
            else:
                results.append(EventReceipt(existing, duplicate=True))
            continue
        if event.type == ACKNOWLEDGED:
            before = status[application.pk]
            change = changes.get((application.pk, _normal(event.change_id)))
            if change is None:
                results.append(
                    EventRefusal(
                        "unknown-change",
                        "No change of shared data with this change_id was sent for this "
                        "application.",
                    )
                )
                continue
            if change.acknowledged_at is None and change.pk not in {
                item.change.pk for item in acknowledged
            }:
                outcome = InboundOutcome.APPLIED
                acknowledged.append(ChangeAcknowledged(change, occurred_at=event.occurred_at))
            else:
                outcome = InboundOutcome.UNCHANGED
            record = _record(authority_code, application, event, outcome, before, before, transport)
            records.append(record)
            known[event.event_id] = record
            results.append(EventReceipt(record, duplicate=False))
            audited.append(_audited(application, event, outcome))
            continue
        act = act_of(event)
        target = target_of(act)
        own = vocabulary.get(event.authority_status) if event.authority_status else None
        if event.authority_status and own is None:
            results.append(
                EventRefusal(
                    UNKNOWN_AUTHORITY_STATUS,
                    f"The authority has declared no status {event.authority_status!r}.",
                )
            )
            continue
        if own is not None and own.public_status != target:
            results.append(
                EventRefusal(
                    AUTHORITY_STATUS_MISMATCH,
                    f"The authority's status {own.code!r} stands for {own.public_status!r}, "
                    f"not for this event's {str(target)!r}.",
                )
            )
            continue
        before = status[application.pk]
        last = latest.get(application.pk)
        if last is not None and event.occurred_at < last:
            outcome = InboundOutcome.PLACED
        elif before == target:
            outcome = InboundOutcome.UNCHANGED
            if own is not None:
                told[application.pk] = (application, own)
        elif not can_apply(application, before, act):
            conflict = StatusConflict(before, target)
            results.append(EventRefusal("status-conflict", str(conflict), str(before), str(target)))
            continue
        else:
            outcome = InboundOutcome.APPLIED
            told.pop(application.pk, None)
            applied.append(
                ActOn(
                    application,
                    act,
                    case_reference=event.case_reference,
                    note=event.note,
                    occurred_at=event.occurred_at,
                    authority_status=own,
                )
            )
            status[application.pk] = target
            latest[application.pk] = event.occurred_at
        record = InboundEvent(
            authority_code=authority_code,
            event_id=event.event_id,
            application=application,
            type=event.type,
            occurred_at=event.occurred_at,
            outcome=outcome,
            status_before=before,
            status_after=status[application.pk],
            case_reference=event.case_reference,
            transport=transport,
            body=event.model_dump(mode="json", exclude_none=True),
        )
        records.append(record)
        known[event.event_id] = record
        results.append(EventReceipt(record, duplicate=False))
        audited.append(
            Audited(
                "application.status_event",
                application,
                {"event_id": event.event_id, "type": event.type, "outcome": str(outcome)},
            )
        )
    if applied:
        acts_record(acts=applied, actor=actor, locked=locked)
    if acknowledged:
        changes_acknowledge(acknowledgements=acknowledged, actor=actor, locked=locked)
    if told:
        authority_statuses_tell(told=list(told.values()), actor=actor, locked=locked)
    if len(records) == 1:
        records[0].save(force_insert=True)
    elif records:
        InboundEvent.objects.bulk_create(records)
    if audited:
        audit_record_many(actor=actor, entries=audited)
    return results


def _record(
    authority_code: str,
    application: Application,
    event: StatusEventIn,
    outcome: InboundOutcome,
    before: str,
    after: str,
    transport: str,
) -> InboundEvent:
    return InboundEvent(
        authority_code=authority_code,
        event_id=event.event_id,
        application=application,
        type=event.type,
        occurred_at=event.occurred_at,
        outcome=outcome,
        status_before=before,
        status_after=after,
        case_reference=event.case_reference,
        transport=transport,
        body=event.model_dump(mode="json", exclude_none=True),
    )


def _audited(application: Application, event: StatusEventIn, outcome: InboundOutcome) -> Audited:
    return Audited(
        "application.status_event",
        application,
        {"event_id": event.event_id, "type": event.type, "outcome": str(outcome)},
    )


def _normal(change_id: str | None) -> str:
    try:
        return str(UUID(change_id or ""))
    except ValueError:
        return ""


def _changes_named(
    events: Sequence[tuple[Application, StatusEventIn]], application_ids: object
) -> dict[tuple[int, str], Submission]:
    """The changes of shared data the acknowledgements among ``events`` name, by application
    and change id (one query, none without an acknowledgement)."""
    named = {
        _normal(event.change_id)
        for _application, event in events
        if event.type == ACKNOWLEDGED and _normal(event.change_id)
    }
    if not named:
        return {}
    return {
        (change.application_id, str(change.public_id)): change
        for change in Submission.objects.filter(
            application_id__in=list(application_ids),  # type: ignore[call-overload]
            kind=SubmissionKind.SHARED_DATA_CHANGE,
            public_id__in=sorted(named),
        )
    }


def _vocabulary(authority_code: str, codes: set[str]) -> dict[str, AuthorityStatus]:
    """The authority's own statuses the events name (one query, none when they name none)."""
    codes = {code for code in codes if code}
    if not codes:
        return {}
    return {
        status.code: status
        for status in AuthorityStatus.objects.filter(authority__code=authority_code, code__in=codes)
    }


def lock_event_ids(authority_code: str, event_ids: set[str]) -> None:
    """Queue copies of an event id sent at once for *different* applications (whose row locks
    do not meet): the second waits here, then finds the first and is refused as a reuse.

    PostgreSQL takes a transaction-level advisory lock per id, in one statement and in a fixed
    order, always after the application locks (so no two callers wait for each other). SQLite
    needs nothing: its IMMEDIATE transactions already run writers one at a time.
    """
    if connection.vendor != "postgresql" or not event_ids:
        return
    keys = sorted(f"{authority_code}\x1f{event_id}" for event_id in event_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(key) FROM ("
            " SELECT DISTINCT hashtextextended(name, 7319) AS key FROM unnest(%s::text[]) AS name"
            " ORDER BY key) AS ordered",
            [keys],
        )
