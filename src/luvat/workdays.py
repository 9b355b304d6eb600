"""Finnish working days and statutory deadline arithmetic.

Working days skip Saturdays, Sundays and the days of the ``holidays`` package's
Finland calendar, which includes Midsummer Eve and Christmas Eve (the days the
deadline law 150/1930 §5 lets an act move past). Used by the assessment
("submit at least N working days before") and by project deadlines.
"""

from __future__ import annotations

import calendar
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


def latest_start_for_deadline(deadline: date, days: int) -> date:
    """The last ``start`` whose :func:`statutory_deadline` of ``days`` falls on or before
    ``deadline``: the same rule counted backwards, so for every ``start``
    ``statutory_deadline(start, days) <= deadline`` exactly when ``start <= `` this day.

    A period ends on the first working day not before ``start + days``; that is by
    ``deadline`` exactly when ``start + days`` is not after the last working day by it.
    """
    return previous_working_day(deadline) - timedelta(days=days)


def add_months(start: date, months: int) -> date:
    """The day ``months`` months after (or before, when negative) ``start`` (law 150/1930 §3).

    The period ends on the same-numbered day of the target month, or on that month's last
    day when it has no such day (31 January + 1 month = 28 or 29 February).
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError(f"{months} months from {start} is outside the calendar")
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    """The day ``years`` years after ``start``; 29 February maps to 28 February (§3)."""
    return add_months(start, 12 * years)


def statutory_deadline_months(start: date, months: int) -> date:
    """A period of ``months`` months from ``start`` under law 150/1930.

    The corresponding day (§3), moved to the next working day when it is a Saturday,
    Sunday or holiday (§5).
    """
    return next_working_day(add_months(start, months))


def statutory_deadline_years(start: date, years: int) -> date:
    """A period of ``years`` years from ``start`` under law 150/1930 (§3, §5)."""
    return next_working_day(add_years(start, years))


def latest_submission_date_months(activity_starts: date, lead_months: int) -> date:
    """The last day to submit when it must be done ``lead_months`` months before the start.

    Counted back to the corresponding day (or the month's last day), then moved earlier
    to a working day, as calendar-day lead times are.
    """
    return previous_working_day(add_months(activity_starts, -lead_months))


def latest_submission_date(activity_starts: date, lead_days: int, *, working_days: bool) -> date:
    """The last day to submit when it must be done ``lead_days`` before the activity starts.

    Calendar-day lead times that end on a non-working day are moved earlier, so that
    the submission can actually be made on a working day.
    """
    if working_days:
        return add_working_days(activity_starts, -lead_days)
    return previous_working_day(activity_starts - timedelta(days=lead_days))
