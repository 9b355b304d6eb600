"""The one status machine of an application, for every joining mode.

draft → submitted → received → in processing ⇄ supplement requested → decision made → closed;
cancelled or withdrawn from any open state. Every change goes through :func:`check_transition`;
the back office, the inbound status API and the customer's actions all use this table.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RECEIVED = "received", _("received by the authority")
    IN_PROCESSING = "in_processing", _("in processing")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("supplement requested")
    DECISION_MADE = "decision_made", _("decision made")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("granted")
    PARTLY_GRANTED = "partly_granted", _("partly granted")
    REFUSED = "refused", _("refused")
    OTHER = "other", _("other decision")


INITIAL = Status.DRAFT
OPEN = frozenset(
    {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.IN_PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
    }
)
# Submitted to the authority and not finished: the states whose deadlines run.
PENDING_AT_AUTHORITY = frozenset(OPEN - {Status.DRAFT})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.CANCELLED}),
    Status.SUBMITTED: frozenset(
        {Status.RECEIVED, Status.IN_PROCESSING, Status.CANCELLED, Status.WITHDRAWN}
    ),
    Status.RECEIVED: frozenset(
        {
            Status.IN_PROCESSING,
            Status.SUPPLEMENT_REQUESTED,
            Status.DECISION_MADE,
            Status.CANCELLED,
            Status.WITHDRAWN,
        }
    ),
    Status.IN_PROCESSING: frozenset(
        {Status.SUPPLEMENT_REQUESTED, Status.DECISION_MADE, Status.CANCELLED, Status.WITHDRAWN}
    ),
    Status.SUPPLEMENT_REQUESTED: frozenset(
        {Status.IN_PROCESSING, Status.DECISION_MADE, Status.CANCELLED, Status.WITHDRAWN}
    ),
    Status.DECISION_MADE: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


class InvalidTransition(Exception):
    """A status change the table does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"cannot move an application from {current!r} to {target!r}")
        self.current = current
        self.target = target


def allowed_targets(current: str) -> frozenset[Status]:
    return TRANSITIONS[Status(current)]


def can_transition(current: str, target: str) -> bool:
    return Status(target) in TRANSITIONS[Status(current)]


def check_transition(current: str, target: str) -> None:
    """Raise :class:`InvalidTransition` unless the table allows ``current → target``."""
    if not can_transition(current, target):
        raise InvalidTransition(current, target)


def status_from_history(statuses: Iterable[str]) -> Status:
    """The current status derived from the event history (oldest first), checking each step.

    The cached ``Application.status`` column must always equal this.
    """
    current = INITIAL
    for index, status in enumerate(statuses):
        if index == 0 and status == INITIAL:
            continue
        check_transition(current, status)
        current = Status(status)
    return current


def is_open(status: str) -> bool:
    return Status(status) in OPEN


# How each status is shown as a GOV.UK tag (colour only; the text is the status's label).
TAG_COLOURS: dict[str, str] = {
    Status.DRAFT: "grey",
    Status.SUBMITTED: "blue",
    Status.RECEIVED: "blue",
    Status.IN_PROCESSING: "light-blue",
    Status.SUPPLEMENT_REQUESTED: "yellow",
    Status.DECISION_MADE: "green",
    Status.CLOSED: "grey",
    Status.CANCELLED: "grey",
    Status.WITHDRAWN: "grey",
}
