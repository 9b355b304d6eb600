"""Occurrences of a recurring supervision series, computed in Helsinki wall-clock time.

A yearly 9:00 inspection stays at 9:00 across daylight-saving changes, and a monthly one on
the 31st falls on the last day of shorter months (as periods end in Finnish law, 150/1930 §3),
always counted from the first occurrence so that the day does not drift.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
MAX_OCCURRENCES = 50


def _add_months(start: datetime, months: int) -> datetime:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def occurrence_starts(
    first: datetime, *, frequency: str, interval: int, count: int
) -> list[datetime]:
    """The aware start times of ``count`` occurrences, the first one included."""
    if first.tzinfo is None:
        raise ValueError("first occurrence must be an aware datetime")
    if not 1 <= count <= MAX_OCCURRENCES:
        raise ValueError(f"count must be between 1 and {MAX_OCCURRENCES}")
    if interval < 1:
        raise ValueError("interval must be at least 1")
    local = first.astimezone(HELSINKI).replace(tzinfo=None)
    starts = []
    for index in range(count):
        steps = index * interval
        if frequency == "weekly":
            wall = local + timedelta(weeks=steps)
        elif frequency == "monthly":
            wall = _add_months(local, steps)
        elif frequency == "yearly":
            wall = _add_months(local, 12 * steps)
        else:
            raise ValueError(f"unknown frequency {frequency!r}")
        starts.append(wall.replace(tzinfo=HELSINKI))
    return starts
