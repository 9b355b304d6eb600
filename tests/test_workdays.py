"""Finnish working days and deadline arithmetic (law 150/1930)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from luvat.workdays import (
    add_working_days,
    is_working_day,
    latest_start_for_deadline,
    latest_submission_date,
    next_working_day,
    statutory_deadline,
)

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


def test_weekends_midsummer_eve_and_christmas_eve_are_not_working_days():
    assert not is_working_day(date(2026, 6, 19))  # Midsummer Eve, Friday
    assert not is_working_day(date(2026, 12, 24))  # Christmas Eve, Thursday
    assert not is_working_day(date(2026, 12, 6))  # Independence Day
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert is_working_day(date(2026, 6, 18))


def test_add_working_days_skips_midsummer():
    # Thursday 18.6.2026 + 1 working day: Fri is Midsummer Eve, Sat/Sun -> Mon 22.6.
    assert add_working_days(date(2026, 6, 18), 1) == date(2026, 6, 22)
    assert add_working_days(date(2026, 6, 22), -1) == date(2026, 6, 18)


def test_statutory_deadline_moves_off_christmas():
    # 14 days from 10.12.2026 ends on Thursday 24.12. (Christmas Eve) -> Monday 28.12.
    assert statutory_deadline(date(2026, 12, 10), 14) == date(2026, 12, 28)


def test_latest_submission_date_for_working_and_calendar_days():
    start = date(2026, 6, 26)  # Friday
    assert latest_submission_date(start, 4, working_days=True) == date(2026, 6, 22)
    assert latest_submission_date(date(2026, 6, 22), 1, working_days=True) == date(2026, 6, 18)
    # 5 calendar days before Friday 26.6. is Sunday 21.6. -> the Friday before is Midsummer Eve,
    # so the last working day is Thursday 18.6.
    assert latest_submission_date(start, 5, working_days=False) == date(2026, 6, 18)


@given(days, st.integers(min_value=0, max_value=60))
def test_adding_working_days_lands_on_a_working_day_and_counts_exactly(start, n):
    end = add_working_days(start, n)
    assert end >= start
    counted = sum(
        1 for i in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=i))
    )
    assert counted == n
    if n:
        assert is_working_day(end)


@given(days, st.integers(min_value=1, max_value=60))
def test_working_days_forward_and_back_round_trip_from_a_working_day(start, n):
    start = next_working_day(start)
    assert add_working_days(add_working_days(start, n), -n) == start


@given(days, st.integers(min_value=0, max_value=120))
def test_statutory_deadline_is_the_first_working_day_not_before_the_period_end(start, n):
    end = statutory_deadline(start, n)
    assert is_working_day(end)
    assert end >= start + timedelta(days=n)
    for i in range(n, (end - start).days):
        assert not is_working_day(start + timedelta(days=i))


@given(days, st.integers(min_value=1, max_value=120), st.booleans())
def test_latest_submission_is_a_working_day_at_least_the_lead_time_before(start, n, working):
    latest = latest_submission_date(start, n, working_days=working)
    assert is_working_day(latest)
    assert latest <= start - timedelta(days=n if not working else 0)
    if working:
        # exactly n working days from the submission day up to the day before the start
        span = range((start - latest).days)
        assert sum(1 for i in span if is_working_day(latest + timedelta(days=i))) == n


@given(days, days, st.integers(min_value=0, max_value=400))
def test_latest_start_is_the_statutory_deadline_counted_backwards(deadline, start, n):
    """The backward rule is the exact inverse of the forward one: a period started on ``start``
    ends by ``deadline`` exactly when ``start`` is not after the latest start."""
    latest = latest_start_for_deadline(deadline, n)
    assert (statutory_deadline(start, n) <= deadline) == (start <= latest)
    assert statutory_deadline(latest, n) <= deadline
    assert statutory_deadline(latest + timedelta(days=1), n) > deadline


def test_latest_start_before_a_deadline_on_christmas_eve():
    # Decided by Thursday 24.12.2026 (not a working day): the last working day by it is
    # Wednesday 23.12., so a 14-day period must start by 9.12.
    assert latest_start_for_deadline(date(2026, 12, 24), 14) == date(2026, 12, 9)
    assert statutory_deadline(date(2026, 12, 9), 14) == date(2026, 12, 23)
    assert statutory_deadline(date(2026, 12, 10), 14) == date(2026, 12, 28)
