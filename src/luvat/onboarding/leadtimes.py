"""Public lead times: days from submission to decision per authority, service and quarter.

The same definitions as the change metrics (``luvat.onboarding.metrics``): an application's
lead time is from its first ``submitted`` event to its first ``decision_made`` event, in days
(hours / 24); the median is the middle value (the mean of the two middle ones), the 90th
percentile the nearest-rank value. An application counts in the quarter (local dates) of its
decision. A cell of fewer than ``SUPPRESS_BELOW`` decided applications is published as
suppressed, without its count or figures: too few cases to be reliable, and small enough to
point at one company.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from luvat.catalogue.models import Authority, Service
from luvat.onboarding.metrics import days_between, first_event_times, median, percentile
from luvat.projects.models import Application

SUPPRESS_BELOW = 5
MAX_QUARTERS = 8
DEFAULT_QUARTERS = 4


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1-4

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The first day after the quarter."""
        if self.number == 4:
            return date(self.year + 1, 1, 1)
        return date(self.year, 3 * self.number + 1, 1)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


def recent_quarters(count: int, *, today: date | None = None) -> list[Quarter]:
    """The ``count`` quarters up to and including today's, newest first."""
    quarter = Quarter.of(today or timezone.localdate())
    quarters = [quarter]
    while len(quarters) < count:
        quarter = quarter.previous()
        quarters.append(quarter)
    return quarters


@dataclass(frozen=True)
class LeadTimeCell:
    authority_code: str
    authority_name: str
    service_code: str
    service_name: str
    quarter: str
    suppressed: bool
    decided: int | None  # None when suppressed
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class LeadTimeTable:
    quarters: list[Quarter]  # newest first
    cells: list[LeadTimeCell]
    threshold: int


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def lead_times(
    *, quarters: int = DEFAULT_QUARTERS, today: date | None = None, threshold: int = SUPPRESS_BELOW
) -> LeadTimeTable:
    """Lead times of the recent quarters per authority and service, small cells suppressed.

    Three queries: the decided applications' first events, the authorities, the services.
    """
    chosen = recent_quarters(max(1, min(quarters, MAX_QUARTERS)), today=today)
    low, high = _midnight(chosen[-1].start), _midnight(chosen[0].end)
    first_submitted, _received, first_decided = first_event_times()
    rows = (
        Application.objects.annotate(submitted=first_submitted, decided=first_decided)
        .filter(submitted__isnull=False, decided__gte=low, decided__lt=high)
        .values_list("authority_id", "service_id", "submitted", "decided")
    )
    days: dict[tuple[int, int, str], list[float]] = defaultdict(list)
    for authority_id, service_id, submitted, decided in rows:
        quarter = Quarter.of(timezone.localdate(decided)).label
        value = days_between(decided, submitted)
        if value is not None:
            days[(authority_id, service_id, quarter)].append(value)
    authorities = Authority.objects.in_bulk({key[0] for key in days})
    services = Service.objects.in_bulk({key[1] for key in days})
    cells: list[LeadTimeCell] = []
    for (authority_id, service_id, quarter), values in days.items():
        authority, service = authorities[authority_id], services[service_id]
        small = len(values) < threshold
        cells.append(
            LeadTimeCell(
                authority_code=authority.code,
                authority_name=authority.name,
                service_code=service.code,
                service_name=service.name,
                quarter=quarter,
                suppressed=small,
                decided=None if small else len(values),
                median_days=None if small else median(values),
                p90_days=None if small else percentile(values, 0.9),
            )
        )
    cells.sort(key=lambda c: (c.authority_name, c.service_name, c.service_code, c.quarter))
    return LeadTimeTable(quarters=chosen, cells=cells, threshold=threshold)
