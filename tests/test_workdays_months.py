"""Month and year periods of law 150/1930 §3 and §5, against an independent calendar.

The oracle below does not use ``calendar`` nor the ``holidays`` package: it walks the
days one by one to find the corresponding day, and computes the Finnish holidays from
their definitions (Easter by the anonymous Gregorian algorithm).
"""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luvat.workdays import (
    add_months,
    add_years,
    latest_submission_date_months,
    statutory_deadline_months,
    statutory_deadline_years,
)

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
month_counts = st.integers(min_value=-240, max_value=240)


def _easter(year: int) -> date:
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_weekday_between(start: date, weekday: int) -> date:
    return next(
        start + timedelta(days=n)
        for n in range(7)
        if (start + timedelta(days=n)).weekday() == weekday
    )


def _finnish_holidays(year: int) -> set[date]:
    easter = _easter(year)
    midsummer_eve = _first_weekday_between(date(year, 6, 19), 4)  # Friday 19.-25.6.
    return {
        date(year, 1, 1),
        date(year, 1, 6),
        easter - timedelta(days=2),
        easter,
        easter + timedelta(days=1),
        date(year, 5, 1),
        easter + timedelta(days=39),  # Ascension Day
        easter + timedelta(days=49),  # Pentecost
        midsummer_eve,
        midsummer_eve + timedelta(days=1),
        _first_weekday_between(date(year, 10, 31), 5),  # All Saints' Day, Sat 31.10.-6.11.
        date(year, 12, 6),
        date(year, 12, 24),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def _working(day: date) -> bool:
    return day.weekday() < 5 and day not in _finnish_holidays(day.year)


def _oracle_corresponding_day(start: date, months: int) -> date:
    """Walk month by month through first days, then take the last day ≤ start.day."""
    first = start.replace(day=1)
    step = 1 if months >= 0 else -1
    for _ in range(abs(months)):
        first = (
            (first + timedelta(days=32)).replace(day=1)
            if step > 0
            else (first - timedelta(days=1)).replace(day=1)
        )
    day = first
    candidate = first
    while day.month == first.month:
        if day.day <= start.day:
            candidate = day
        day += timedelta(days=1)
    return candidate


@given(starts, month_counts)
def test_add_months_is_the_corresponding_day_or_the_months_last_day(start, months):
    assert add_months(start, months) == _oracle_corresponding_day(start, months)


@given(starts, st.integers(min_value=-20, max_value=20))
def test_add_years_is_twelve_months(start, years):
    assert add_years(start, years) == _oracle_corresponding_day(start, 12 * years)


@given(starts, st.integers(min_value=0, max_value=120))
def test_month_deadline_is_the_first_working_day_from_the_corresponding_day(start, months):
    deadline = statutory_deadline_months(start, months)
    corresponding = _oracle_corresponding_day(start, months)
    assert deadline >= corresponding
    assert _working(deadline)
    day = corresponding
    while day < deadline:
        assert not _working(day)
        day += timedelta(days=1)


@given(starts, st.integers(min_value=0, max_value=10))
def test_year_deadline_is_the_first_working_day_from_the_corresponding_day(start, years):
    deadline = statutory_deadline_years(start, years)
    corresponding = _oracle_corresponding_day(start, 12 * years)
    assert _working(deadline)
    assert all(
        not _working(corresponding + timedelta(days=n))
        for n in range((deadline - corresponding).days)
    )


@given(starts, st.integers(min_value=0, max_value=24))
def test_latest_submission_in_months_moves_earlier_to_a_working_day(start, months):
    latest = latest_submission_date_months(start, months)
    corresponding = _oracle_corresponding_day(start, -months)
    assert latest <= corresponding
    assert _working(latest)
    assert all(
        not _working(latest + timedelta(days=n))
        for n in range(1, (corresponding - latest).days + 1)
    )


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 3, 1)),  # 28.2.2027 is a Sunday -> Monday 1.3.
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year: Tuesday 29.2.
        (date(2026, 11, 24), 1, date(2026, 12, 28)),  # 24.12. Christmas Eve ... -> Mon 28.12.
        (date(2026, 5, 6), 1, date(2026, 6, 8)),  # 6.6.2026 is a Saturday -> Monday 8.6.
        (date(2026, 3, 31), 3, date(2026, 6, 30)),
    ],
)
def test_known_month_deadlines(start, months, expected):
    assert statutory_deadline_months(start, months) == expected


def test_leap_day_plus_one_year_is_28_february():
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert statutory_deadline_years(date(2028, 2, 29), 1) == date(2029, 2, 28)  # Wednesday


def test_outside_the_calendar_is_an_overflow_error():
    with pytest.raises(OverflowError):
        add_months(date(9999, 12, 1), 1)
