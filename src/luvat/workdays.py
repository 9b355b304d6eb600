"""Finnish working days and statutory deadline arithmetic.

Working days skip Saturdays, Sundays and the days of the ``holidays`` package's
Finland calendar, which includes Midsummer Eve and Christmas Eve (the days the
deadline law 150/1930 §5 lets an act move past). Used by the assessment
("submit at least N working days before") and by project deadlines.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FI", years=year).keys())


def is_holiday(day: date) -> bool:
    """A public holiday, Midsummer Eve or Christmas Eve (not counting weekends)."""
    return day in _holidays_of(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The day ``days`` working days after ``start`` (``start`` itself is not counted).

    Negative ``days`` counts backwards; zero returns ``start`` unchanged.
    """
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def statutory_deadline(start: date, days: int) -> date:
    """A period of ``days`` calendar days from ``start`` under law 150/1930.

    The starting day is not counted (§2); a deadline that falls on a Saturday,
    Sunday or holiday moves to the next working day (§5).
    """
    return next_working_day(start + timedelta(days=days))


def latest_submission_date(activity_starts: date, lead_days: int, *, working_days: bool) -> date:
    """The last day to submit when it must be done ``lead_days`` before the activity starts.

    Calendar-day lead times that end on a non-working day are moved earlier, so that
    the submission can actually be made on a working day.
    """
    if working_days:
        return add_working_days(activity_starts, -lead_days)
    return previous_working_day(activity_starts - timedelta(days=lead_days))
