"""The critical path drawn as a Gantt chart that is also a list: one row per application in
path order (prerequisites first), each with its dates as text and bars placed on a shared
date axis. The bars are SVG geometry in per cent of the axis (the Content-Security-Policy
allows no inline styles) and hidden from assistive technology: the row's text says it all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luvat.projects.critical_path import CriticalPath, LatestDates, PathDates
    from luvat.projects.selectors import ApplicationRow


@dataclass
class Bar:
    # "planned": earliest submission to expected decision; "slack": on to the latest decision;
    # "late": the part of the expected processing after the latest decision.
    kind: str
    start: date
    end: date
    left: float = 0.0
    width: float = 0.0


@dataclass
class GanttRow:
    row: ApplicationRow
    dates: PathDates
    latest: LatestDates | None
    critical: bool
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Gantt:
    start: date
    end: date
    rows: list[GanttRow]
    today_left: float
    opening: date | None
    opening_left: float | None


def _bars(dates: PathDates, latest: LatestDates | None) -> list[Bar]:
    begin, decision = dates.earliest_submission, dates.expected_decision
    if begin is None or decision is None:
        return []
    bars = [Bar("planned", begin, decision)]
    due = latest.latest_decision if latest else None
    if due is not None and due > decision:
        bars.append(Bar("slack", decision, due))
    elif due is not None and due < decision:
        bars.append(Bar("late", max(begin, due), decision))
    return bars


def build_gantt(*, path: CriticalPath, rows: Sequence[ApplicationRow], today: date) -> Gantt:
    """The rows of ``path.order`` with their bars on an axis from the earliest date shown
    (today at the latest) to the latest one (the opening included)."""
    by_key = {row.application.pk: row for row in rows}
    critical = set(path.longest)
    gantt_rows = [
        GanttRow(
            row=by_key[key],
            dates=path.dates[key],
            latest=path.latest.get(key),
            critical=key in critical,
            bars=_bars(path.dates[key], path.latest.get(key)),
        )
        for key in path.order
        if key in by_key
    ]
    days = [today] + [d for r in gantt_rows for bar in r.bars for d in (bar.start, bar.end)]
    if path.opening is not None:
        days.append(path.opening)
    start, end = min(days), max(days)
    span = max(1, (end - start).days) + 1

    def position(day: date) -> float:
        return round(100 * (day - start).days / span, 2)

    for gantt_row in gantt_rows:
        for bar in gantt_row.bars:
            bar.left = position(bar.start)
            bar.width = max(0.5, round(100 * (bar.end - bar.start).days / span, 2))
    return Gantt(
        start=start,
        end=max(end, start + timedelta(days=1)),
        rows=gantt_rows,
        today_left=position(today),
        opening=path.opening,
        opening_left=position(path.opening) if path.opening is not None else None,
    )
