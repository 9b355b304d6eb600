"""The project timeline: submission windows, expected decisions and dependencies as bars on a
shared date axis. Templates draw the bars for sighted users and read the same rows as a list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from luvat.projects.status import Status

if TYPE_CHECKING:
    from luvat.projects.models import Project
    from luvat.projects.selectors import ApplicationRow


@dataclass
class Segment:
    kind: str  # "window", "processing", "decided"
    start: date
    end: date
    left: float = 0.0
    width: float = 0.0


@dataclass
class TimelineRow:
    row: ApplicationRow
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Timeline:
    start: date
    end: date
    rows: list[TimelineRow]
    today: date
    today_left: float
    activity_start: date | None
    activity_left: float | None


def _segments(row: ApplicationRow, opened: date) -> list[Segment]:
    application = row.application
    deadlines = row.deadlines
    segments: list[Segment] = []
    submitted = timezone.localdate(application.submitted_at) if application.submitted_at else None
    if application.status == Status.DRAFT and deadlines.latest_submission is not None:
        segments.append(
            Segment("window", min(opened, deadlines.latest_submission), deadlines.latest_submission)
        )
    if submitted is not None:
        if deadlines.expected_decision is not None:
            segments.append(Segment("processing", submitted, deadlines.expected_decision))
        elif application.decided_at is not None:
            decided = timezone.localdate(application.decided_at)
            segments.append(Segment("processing", submitted, decided))
            segments.append(Segment("decided", decided, decided))
    return segments


def build_timeline(*, project: Project, rows: Sequence[ApplicationRow], today: date) -> Timeline:
    opened = timezone.localdate(project.created_at)
    timeline_rows = [TimelineRow(row=row, segments=_segments(row, opened)) for row in rows]
    dates = [opened, today]
    for timeline_row in timeline_rows:
        for segment in timeline_row.segments:
            dates += [segment.start, segment.end]
    for day in (project.starts_on, project.ends_on):
        if day is not None:
            dates.append(day)
    start, end = min(dates), max(dates)
    if end <= start:
        end = start + timedelta(days=1)
    span = (end - start).days + 1

    def position(day: date) -> float:
        return round(100 * (day - start).days / span, 2)

    for timeline_row in timeline_rows:
        for segment in timeline_row.segments:
            segment.left = position(segment.start)
            segment.width = max(
                1.0, round(100 * ((segment.end - segment.start).days + 1) / span, 2)
            )
    return Timeline(
        start=start,
        end=end,
        rows=timeline_rows,
        today=today,
        today_left=position(today),
        activity_start=project.starts_on,
        activity_left=position(project.starts_on) if project.starts_on else None,
    )
