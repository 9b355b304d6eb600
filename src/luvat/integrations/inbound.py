"""Status events from authority systems: idempotent, ordered by occurrence, through the table.

An event is kept once per (authority, event id): sending it again returns the first
answer. An event that happened before the last one applied is placed in the history
without moving the application (it never moves backwards); one the status table
forbids is refused with the current state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, model_validator

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.backoffice import notify
from luvat.backoffice.models import SupplementRequest
from luvat.integrations.models import InboundEvent, InboundOutcome
from luvat.projects.models import Application
from luvat.projects.services.applications import application_status_change
from luvat.projects.status import InvalidTransition, Status

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
) -> None:
    """The authority system's supplement request, as the customer answers it in Luvat (the
    back office's request); an open one is replaced by the newer text and due date."""
    SupplementRequest.objects.update_or_create(
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


def tell_the_company(application: Application, event: StatusEventIn) -> None:
    """Notify the customer of an applied change, as the back office does for its own."""
    if event.type == "decision":
        notify.notify_decision(application)
    elif event.type == "supplement_requested" and event.supplement_request is not None:
        request = SupplementRequest.objects.only("public_id").get(
            application_id=application.pk, answered_at__isnull=True
        )
        notify.notify_supplement_requested(
            application,
            text=event.supplement_request.text,
            due_on=event.supplement_request.due_date,
            url=notify.supplement_url(request),
        )
    else:
        notify.notify_company_status(application)


@transaction.atomic
def status_event_receive(
    *, application: Application, event: StatusEventIn, actor: Actor, transport: str = "http"
) -> EventReceipt:
    """Record one status event from ``actor``'s authority system and apply it if it is news."""
    authority_code = actor.on_behalf_of
    # A light lock first: copies of one event, and events of one application, queue here.
    application = (
        Application.objects.select_for_update().only("id", "status").get(pk=application.pk)
    )
    existing = InboundEvent.objects.filter(
        authority_code=authority_code, event_id=event.event_id
    ).first()
    if existing is not None:
        if existing.application_id != application.pk:
            raise EventIdReused(event.event_id)
        return EventReceipt(existing, duplicate=True)
    target = STATUS_FOR_EVENT[event.type]
    before = application.status
    latest = (
        InboundEvent.objects.filter(application=application, outcome=InboundOutcome.APPLIED)
        .order_by("-occurred_at", "-id")
        .values_list("occurred_at", flat=True)
        .first()
    )
    if latest is not None and event.occurred_at < latest:
        outcome = InboundOutcome.PLACED
    elif before == target:
        outcome = InboundOutcome.UNCHANGED
    else:
        if event.supplement_request is not None and target == Status.SUPPLEMENT_REQUESTED:
            # Before the change, so the case file's listener sees the customer's due date.
            supplement_request_open(
                application=application,
                request=event.supplement_request,
                actor=actor,
                occurred_at=event.occurred_at,
            )
        try:
            application = application_status_change(
                application=application,
                status=target,
                actor=actor,
                note=_note(event),
                outcome=event.decision.outcome if event.decision is not None else "",
            )
        except InvalidTransition:
            raise StatusConflict(before, target) from None
        outcome = InboundOutcome.APPLIED
        tell_the_company(application, event)
    body: dict[str, Any] = event.model_dump(mode="json", exclude_none=True)
    # The application row is locked, so a copy of this event racing in waits and then finds it.
    recorded = InboundEvent.objects.create(
        authority_code=authority_code,
        event_id=event.event_id,
        application=application,
        type=event.type,
        occurred_at=event.occurred_at,
        outcome=outcome,
        status_before=before,
        status_after=application.status,
        case_reference=event.case_reference,
        transport=transport,
        body=body,
    )
    audit_record(
        actor=actor,
        action="application.status_event",
        target=application,
        details={"event_id": event.event_id, "type": event.type, "outcome": str(outcome)},
    )
    return EventReceipt(recorded, duplicate=False)
