"""Change metrics (muutosmittarit) measured from the applications' status events.

Definitions (docs/onboarding.md explains them to authorities):

- the population: the authority's applications (optionally one service's) whose first
  ``submitted`` event falls in the period (local dates, both ends included);
- applications per month: that count divided by the calendar months the period touches;
- days to receipt / to decision: from the first ``submitted`` event to the first ``received``
  / ``decision_made`` event, in days (hours / 24); the median is the middle value (the mean of
  the two middle ones), the 90th percentile the nearest-rank value (ceil(0.9 n)-th smallest);
- share decided within the target: of the decided applications whose service has a
  processing-time target, those decided at most that many days after submission;
- supplement-request rate: the share with at least one ``supplement_requested`` event;
- decision deadlines missed: of the applications whose statutory decision deadline (the
  projects app's deadline arithmetic: clock start, pauses for supplements, working days) has
  come, those decided after it or still undecided past it.

A metric without any application to measure is None, never zero.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from luvat.onboarding.models import Metric
from luvat.projects import deadlines
from luvat.projects.models import Application, StatusEvent
from luvat.projects.status import Status

DAY_SECONDS = 86400.0
DECIMALS = 1  # figures are shown and exported with one decimal


def figure(value: float | None) -> str:
    """A measured figure as exported (one decimal, a dot); empty when there is no data."""
    return "" if value is None else f"{value:.{DECIMALS}f}"


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the ceil(share * n)-th smallest value."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def months_between(start: date, end: date) -> list[str]:
    """The calendar months (YYYY-MM) the period touches, oldest first."""
    months: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass
class MetricValue:
    metric: Metric
    value: float | None
    basis: int  # how many applications the figure is computed from
    baseline: Decimal | None = None
    target: Decimal | None = None

    @property
    def has_data(self) -> bool:
        return self.value is not None


@dataclass
class MonthRow:
    month: str
    applications: int
    median_days_to_decision: float | None


@dataclass
class MetricsReport:
    authority_code: str
    service_code: str
    start: date
    end: date
    values: dict[str, MetricValue] = field(default_factory=dict)
    months: list[MonthRow] = field(default_factory=list)

    @property
    def applications(self) -> int:
        return self.values[Metric.APPLICATIONS_PER_MONTH].basis

    @property
    def has_data(self) -> bool:
        return self.applications > 0


@dataclass
class _Row:
    pk: int
    service_code: str
    mode: str  # the joining mode stored on the application when it was started
    created_at: datetime
    status: str
    target: int | None
    submitted: datetime
    received: datetime | None
    decided: datetime | None
    supplements: int


def _aware(day: date, end: bool = False) -> datetime:
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return timezone.make_aware(moment)


def first_event_times() -> tuple[Min, Min, Min]:
    """The annotations (``submitted``, ``received``, ``decided``): an application's first event
    of each status (the definitions above; the public lead times use them too)."""
    events = "status_events__occurred_at"
    return (
        Min(events, filter=Q(status_events__status=Status.SUBMITTED)),
        Min(events, filter=Q(status_events__status=Status.RECEIVED)),
        Min(events, filter=Q(status_events__status=Status.DECISION_MADE)),
    )


def days_between(later: datetime | None, earlier: datetime) -> float | None:
    """Days (hours / 24) from ``earlier`` to ``later``; None when ``later`` has not come."""
    return None if later is None else (later - earlier).total_seconds() / DAY_SECONDS


def _rows(authority_code: str, service_code: str, start: date, end: date) -> list[_Row]:
    applications = Application.objects.filter(authority__code=authority_code)
    if service_code:
        applications = applications.filter(service__code=service_code)
    submitted, received, decided = first_event_times()
    annotated = (
        applications.annotate(
            submitted=submitted,
            received=received,
            decided=decided,
            supplements=Count(
                "status_events", filter=Q(status_events__status=Status.SUPPLEMENT_REQUESTED)
            ),
        )
        .filter(submitted__gte=_aware(start), submitted__lt=_aware(end, end=True))
        .values_list(
            "pk",
            "service__code",
            Coalesce(NullIf("joining_mode", Value("")), "service__joining_mode"),
            "created_at",
            "status",
            "service__processing_time_days",
            "submitted",
            "received",
            "decided",
            "supplements",
        )
        .order_by("pk")
    )
    return [_Row(*values) for values in annotated]


def _deadline_outcome(
    row: _Row, history: list[tuple[str, date]], submission_counts: bool, today: date
) -> bool | None:
    """True: deadline missed, False: met, None: not due yet or nothing to measure."""
    if row.target is None:
        return None
    decided_on = timezone.localdate(row.decided) if row.decided else None
    upto = decided_on or today
    history = [(status, day) for status, day in history if day <= upto]
    started = deadlines.clock_start(history, submission_counts=submission_counts)
    if started is None:
        return None
    paused, _stopped = deadlines.paused_days(history, today=upto)
    due = deadlines.expected_decision_date(
        received_on=started, processing_days=row.target, paused=paused
    )
    if decided_on is not None:
        return decided_on > due
    pending = row.status in {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.IN_PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
    }
    if not pending or today <= due:
        return None
    return True


def measure(
    *,
    authority_code: str,
    start: date,
    end: date,
    service_code: str = "",
    today: date | None = None,
) -> MetricsReport:
    """The change metrics of an authority (or one of its services) over a period; 2 queries."""
    today = today or timezone.localdate()
    rows = _rows(authority_code, service_code, start, end)
    histories: dict[int, list[tuple[str, date]]] = defaultdict(list)
    if rows:
        for application_id, status, occurred in (
            StatusEvent.objects.filter(application_id__in=[r.pk for r in rows])
            .order_by("application_id", "occurred_at", "id")
            .values_list("application_id", "status", "occurred_at")
        ):
            histories[application_id].append((status, timezone.localdate(occurred)))

    to_received: list[float] = []
    to_decision: list[float] = []
    within = decided_with_target = supplemented = missed = due = 0
    per_month: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        per_month[timezone.localtime(row.submitted).strftime("%Y-%m")].append(row)
        received = days_between(row.received, row.submitted)
        decided = days_between(row.decided, row.submitted)
        if received is not None:
            to_received.append(received)
        if decided is not None:
            to_decision.append(decided)
            if row.target is not None:
                decided_with_target += 1
                within += decided <= row.target
        supplemented += row.supplements > 0
        inputs = deadlines.deadline_inputs(mode=row.mode, processing_days=row.target)
        outcome = _deadline_outcome(
            row, histories[row.pk], inputs.submission_counts_as_receipt, today
        )
        if outcome is not None:
            due += 1
            missed += outcome

    months = months_between(start, end)
    count = len(rows)
    report = MetricsReport(
        authority_code=authority_code, service_code=service_code, start=start, end=end
    )
    figures: list[tuple[Metric, float | None, int]] = [
        (Metric.APPLICATIONS_PER_MONTH, count / len(months) if count else None, count),
        (Metric.MEDIAN_DAYS_TO_RECEIVED, median(to_received), len(to_received)),
        (Metric.P90_DAYS_TO_RECEIVED, percentile(to_received, 0.9), len(to_received)),
        (Metric.MEDIAN_DAYS_TO_DECISION, median(to_decision), len(to_decision)),
        (Metric.P90_DAYS_TO_DECISION, percentile(to_decision, 0.9), len(to_decision)),
        (Metric.SHARE_WITHIN_TARGET, ratio(within, decided_with_target), decided_with_target),
        (Metric.SUPPLEMENT_RATE, ratio(supplemented, count), count),
        (Metric.DEADLINES_MISSED, ratio(missed, due), due),
    ]
    for metric, value, basis in figures:
        report.values[metric] = MetricValue(metric=metric, value=value, basis=basis)
    for month in months:
        in_month = per_month.get(month, [])
        decided_days = [
            d for d in (days_between(r.decided, r.submitted) for r in in_month) if d is not None
        ]
        report.months.append(
            MonthRow(
                month=month,
                applications=len(in_month),
                median_days_to_decision=median(decided_days),
            )
        )
    return report


def attach_baselines(report: MetricsReport, baselines: dict[str, Any]) -> MetricsReport:
    """Put the authority's before-state and targets beside the measured figures."""
    for metric, value in report.values.items():
        baseline = baselines.get(metric)
        if baseline is not None:
            value.baseline = baseline.value
            value.target = baseline.target
    return report
