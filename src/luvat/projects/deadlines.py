"""Deadline arithmetic (määräaikalaskenta) for one application; pure functions, property-tested.

- latest submission date: the project's start minus the service's lead time, moved *earlier*
  to a working day (it must be possible to submit on that day);
- latest receipt date: the same arithmetic counted backwards from the day a decision is
  needed (the critical path's backward pass);
- expected decision date: the day the authority received the application plus the service's
  processing-time target in calendar days, the clock stopped while a supplement is requested,
  and a date that falls on a Saturday, Sunday or Finnish public holiday (Midsummer Eve and
  Christmas Eve included) moved to the next working day (law 150/1930 §5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from luvat import workdays
from luvat.projects.status import Status

# A submission window "closes soon" this many days before its last day.
CLOSING_SOON_DAYS = 7


def latest_submission_date(
    *, starts_on: date | None, lead_days: int | None, working_days: bool
) -> date | None:
    """The last day to submit so that the lead time before the activity is met."""
    if starts_on is None or lead_days is None:
        return None
    latest = workdays.latest_submission_date(starts_on, lead_days, working_days=working_days)
    # A zero working-day lead before a holiday still has to be submitted on a working day.
    return workdays.previous_working_day(latest)


def paused_days(history: Sequence[tuple[str, date]], *, today: date) -> tuple[int, bool]:
    """Calendar days the processing clock stood still, and whether it stands still now.

    ``history`` is (status, day) oldest first. The clock stops on the day a supplement is
    requested and runs again on the day the application leaves that state.
    """
    total = 0
    stopped_on: date | None = None
    for status, day in history:
        if status == Status.SUPPLEMENT_REQUESTED:
            if stopped_on is None:
                stopped_on = day
        elif stopped_on is not None:
            total += max(0, (day - stopped_on).days)
            stopped_on = None
    if stopped_on is not None:
        return total + max(0, (today - stopped_on).days), True
    return total, False


def expected_decision_date(*, received_on: date, processing_days: int, paused: int = 0) -> date:
    """Received + processing target + stopped days, moved off weekends and holidays."""
    return workdays.statutory_deadline(received_on, processing_days + paused)


def latest_receipt_date(*, decided_by: date, processing_days: int) -> date:
    """The last day the authority can receive an application and still be expected to decide
    by ``decided_by``: :func:`expected_decision_date` counted backwards (one rule, so
    ``expected_decision_date(received_on=d, ...) <= decided_by`` exactly when ``d`` is not
    after this day)."""
    return workdays.latest_start_for_deadline(decided_by, processing_days)


def clock_start(history: Sequence[tuple[str, date]], *, submission_counts: bool) -> date | None:
    """The day the authority's processing clock started: the first "received" event, or the
    submission itself for light e-services (the service layer is then the authority's inbox)."""
    for status, day in history:
        if status == Status.RECEIVED:
            return day
    for status, day in history:
        if status == Status.IN_PROCESSING:
            return day
    if submission_counts:
        for status, day in history:
            if status == Status.SUBMITTED:
                return day
    return None


class DeadlineWarning(StrEnum):
    NONE = ""
    CLOSES_SOON = "closes_soon"
    CLOSED = "closed"


@dataclass(frozen=True)
class ApplicationDeadlines:
    latest_submission: date | None
    expected_decision: date | None
    clock_stopped: bool
    paused_days: int
    warning: DeadlineWarning
    # The open supplement request's due date (from the authority's context, see
    # ``hooks.supplement_due_dates``); None when nothing is asked.
    supplement_due: date | None = None

    @property
    def next_deadline(self) -> date | None:
        return self.latest_submission if self.expected_decision is None else self.expected_decision

    @property
    def nearest(self) -> tuple[date, DeadlineKind] | None:
        """The nearest date of any kind, with its kind (for a labelled "next deadline")."""
        candidates = [
            (day, kind)
            for day, kind in (
                (self.supplement_due, DeadlineKind.SUPPLEMENT),
                (self.latest_submission, DeadlineKind.SUBMISSION),
                (self.expected_decision, DeadlineKind.DECISION),
            )
            if day is not None
        ]
        return min(candidates, key=lambda item: item[0]) if candidates else None

    @property
    def customer_deadline(self) -> tuple[date, DeadlineKind] | None:
        """The nearest date by which the customer must act (a supplement due, the last day
        to submit), with its kind; an expected decision is the authority's, not theirs."""
        candidates = [
            (day, kind)
            for day, kind in (
                (self.supplement_due, DeadlineKind.SUPPLEMENT),
                (self.latest_submission, DeadlineKind.SUBMISSION),
            )
            if day is not None
        ]
        return min(candidates, key=lambda item: item[0]) if candidates else None


class DeadlineKind(StrEnum):
    SUPPLEMENT = "supplement"  # the customer's answer to a supplement request is due
    SUBMISSION = "submission"  # the last day to submit so that a decision comes in time
    DECISION = "decision"  # the decision is expected


@dataclass(frozen=True)
class DeadlineInputs:
    """What an application's dates are computed from besides its history: built once by
    :func:`deadline_inputs` for the project summary, the case file and the change metrics."""

    lead_days: int | None
    lead_in_working_days: bool
    processing_days: int | None
    submission_counts_as_receipt: bool

    def as_kwargs(self) -> dict[str, object]:
        return {
            "lead_days": self.lead_days,
            "lead_in_working_days": self.lead_in_working_days,
            "processing_days": self.processing_days,
            "submission_counts_as_receipt": self.submission_counts_as_receipt,
        }


def deadline_inputs(
    *, mode: str, processing_days: int | None, lead_days: int | None = None, lead_unit: str = ""
) -> DeadlineInputs:
    """The deadline inputs of an application going by ``mode`` (its stored joining mode) for a
    service with these times; the mode's meaning says whether submission counts as receipt."""
    from luvat.catalogue.joining import meaning
    from luvat.catalogue.models import LeadTimeUnit

    return DeadlineInputs(
        lead_days=lead_days,
        lead_in_working_days=lead_unit == LeadTimeUnit.WORKING_DAYS,
        processing_days=processing_days,
        submission_counts_as_receipt=meaning(mode).submission_counts_as_receipt,
    )


def deadline_inputs_of(application: Any) -> DeadlineInputs:
    """:func:`deadline_inputs` of a ``projects.Application`` (with its service loaded)."""
    service = application.service
    return deadline_inputs(
        mode=application.route,
        processing_days=service.processing_time_days,
        lead_days=service.lead_time_days,
        lead_unit=service.lead_time_unit,
    )


def application_deadlines(
    *,
    status: str,
    history: Sequence[tuple[str, date]],
    starts_on: date | None,
    lead_days: int | None,
    lead_in_working_days: bool,
    processing_days: int | None,
    submission_counts_as_receipt: bool,
    today: date,
) -> ApplicationDeadlines:
    """Everything the summary shows about one application's dates."""
    latest = latest_submission_date(
        starts_on=starts_on, lead_days=lead_days, working_days=lead_in_working_days
    )
    warning = DeadlineWarning.NONE
    if status == Status.DRAFT and latest is not None:
        if today > latest:
            warning = DeadlineWarning.CLOSED
        elif (latest - today).days <= CLOSING_SOON_DAYS:
            warning = DeadlineWarning.CLOSES_SOON
    paused, stopped = paused_days(history, today=today)
    expected = None
    pending = status in {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.IN_PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
    }
    if pending and processing_days is not None:
        started = clock_start(history, submission_counts=submission_counts_as_receipt)
        if started is not None:
            expected = expected_decision_date(
                received_on=started, processing_days=processing_days, paused=paused
            )
    return ApplicationDeadlines(
        latest_submission=latest if status == Status.DRAFT else None,
        expected_decision=expected,
        clock_stopped=stopped,
        paused_days=paused,
        warning=warning,
    )


def window_start(latest: date | None, *, days: int = 60) -> date | None:
    """Where the timeline draws a submission window's bar (the window has no legal start)."""
    return None if latest is None else latest - timedelta(days=days)
