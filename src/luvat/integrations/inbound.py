"""Status events from authority systems: idempotent, ordered by occurrence, through the table.

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

from django.db import transaction
from django.db.models import Q
from pydantic import BaseModel, ConfigDict, Field, model_validator

from luvat.audit.actors import Actor
from luvat.audit.services import Audited, audit_record_many
from luvat.backoffice import notify
from luvat.backoffice.models import Decision, SupplementRequest
from luvat.integrations.models import InboundEvent, InboundOutcome
from luvat.notifications.services import Notice, notifications_publish
from luvat.projects.models import Application
from luvat.projects.services.applications import (
    StatusChange,
    applications_status_change,
    lock_applications,
)
from luvat.projects.status import Status, can_transition

STATUS_FOR_EVENT = {
    "received": Status.RECEIVED,
    "in_processing": Status.IN_PROCESSING,
    "supplement_requested": Status.SUPPLEMENT_REQUESTED,
    "decision": Status.DECISION_MADE,
    "closed": Status.CLOSED,
}
EventType = Literal["received", "in_processing", "supplement_requested", "decision", "closed"]


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

    @model_validator(mode="after")
    def details_of_the_type(self) -> StatusEventIn:
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at needs a time zone (e.g. Z or +02:00)")
        if self.type == "supplement_requested" and self.supplement_request is None:
            raise ValueError("a supplement_requested event needs supplement_request")
        if self.type == "decision" and self.decision is None:
            raise ValueError("a decision event needs decision")
        return self


@dataclass(frozen=True)
class EventReceipt:
    event: InboundEvent
    duplicate: bool


@dataclass(frozen=True)
class EventRefusal:
    """Why one event was refused: ``status-conflict`` (with the current and requested status)
    or ``event-id-reused``."""

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


def _note(event: StatusEventIn) -> str:
    parts = []
    if event.case_reference:
        parts.append(f"[{event.case_reference}]")
    if event.supplement_request is not None:
        request = event.supplement_request
        parts.append(f"{request.text} (due {request.due_date.isoformat()})")
    if event.decision is not None and event.decision.summary:
        parts.append(event.decision.summary)
    if event.note:
        parts.append(event.note)
    return " ".join(parts)


def supplement_request_open(
    *, application: Application, request: SupplementRequestIn, actor: Actor, occurred_at: datetime
) -> SupplementRequest:
    """The authority system's supplement request, as the customer answers it in Luvat (the
    back office's request); an open one is replaced by the newer text and due date."""
    supplement, _created = SupplementRequest.objects.update_or_create(
        application_id=application.pk,
        answered_at__isnull=True,
        defaults={
            "text": request.text,
            "due_on": request.due_date,
            "requested_at": occurred_at,
            "requested_by_ref": actor.ref,
            "requested_by_label": actor.label,
        },
    )
    return supplement


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
    known: dict[str, InboundEvent] = {}
    latest: dict[int, datetime] = {}
    earlier = InboundEvent.objects.defer("body").filter(
        Q(authority_code=authority_code, event_id__in=event_ids)
        | Q(application_id__in=locked.keys(), outcome=InboundOutcome.APPLIED)
    )
    for row in earlier:
        if row.authority_code == authority_code and row.event_id in event_ids:
            known[row.event_id] = row
        if row.outcome == InboundOutcome.APPLIED and row.application_id in locked:
            seen = latest.get(row.application_id)
            latest[row.application_id] = (
                row.occurred_at if seen is None else max(seen, row.occurred_at)
            )
    status = {pk: application.status for pk, application in locked.items()}
    results: list[EventReceipt | EventRefusal] = []
    changes: list[StatusChange] = []
    notices: list[Notice] = []
    records: list[InboundEvent] = []
    audited: list[Audited] = []
    decisions: list[Decision] = []
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
        target = STATUS_FOR_EVENT[event.type]
        before = status[application.pk]
        last = latest.get(application.pk)
        if last is not None and event.occurred_at < last:
            outcome = InboundOutcome.PLACED
        elif before == target:
            outcome = InboundOutcome.UNCHANGED
        elif not can_transition(before, target):
            conflict = StatusConflict(before, target)
            results.append(EventRefusal("status-conflict", str(conflict), str(before), str(target)))
            continue
        else:
            outcome = InboundOutcome.APPLIED
            changes.append(
                StatusChange(
                    application,
                    target,
                    note=_note(event),
                    outcome=event.decision.outcome if event.decision is not None else "",
                )
            )
            supplement = None
            if event.supplement_request is not None and event.type == "supplement_requested":
                # Before the change, so the case file's listener sees the customer's due date.
                supplement = supplement_request_open(
                    application=application,
                    request=event.supplement_request,
                    actor=actor,
                    occurred_at=event.occurred_at,
                )
            notices.append(company_notice(application, event, supplement))
            if event.decision is not None:
                decisions.append(reported_decision(application, event.decision, actor))
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
    if changes:
        applications_status_change(changes=changes, actor=actor)
    if notices:
        notifications_publish(notices)
    if decisions:
        # A decision is made once: the table lets no application reach decision made twice.
        Decision.objects.bulk_create(decisions, ignore_conflicts=True)
    if len(records) == 1:
        records[0].save(force_insert=True)
    elif records:
        InboundEvent.objects.bulk_create(records)
    if audited:
        audit_record_many(actor=actor, entries=audited)
    return results


def reported_decision(application: Application, decision: DecisionIn, actor: Actor) -> Decision:
    """The back office's record of a decision made in the authority's system; its document
    is linked where the authority keeps it."""
    document = decision.document
    return Decision(
        application=application,
        outcome=decision.outcome,
        decided_on=decision.date,
        summary=decision.summary.strip(),
        document_url=document.url if document else "",
        document_name=document.file_name if document else "",
        document_sha256=document.sha256 if document else "",
        recorded_by_ref=actor.ref,
        recorded_by_label=actor.label,
    )


def company_notice(
    application: Application, event: StatusEventIn, supplement: SupplementRequest | None
) -> Notice:
    """What the customer hears of an applied event, as for the back office's own changes."""
    if event.decision is not None:
        return notify.decision_notice(application, event.decision.outcome)
    if supplement is not None:
        return notify.supplement_notice(
            application,
            text=supplement.text,
            due_on=supplement.due_on,
            url=notify.supplement_url(supplement),
        )
    return notify.company_status_notice(application, STATUS_FOR_EVENT[event.type])
