"""Deadline rules: weekends and holidays (Midsummer Eve, Christmas Eve), the clock stopping
while a supplement is requested, and latest submission dates."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from luvat.projects.deadlines import (
    DeadlineWarning,
    application_deadlines,
    expected_decision_date,
    latest_submission_date,
    paused_days,
)
from luvat.projects.status import Status
from luvat.workdays import is_working_day

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31))
periods = st.integers(min_value=0, max_value=400)


def test_decision_due_on_midsummer_eve_moves_to_monday():
    # 2026: Midsummer Eve is Friday 19 June; 30 days from 20 May ends on it.
    assert expected_decision_date(received_on=date(2026, 5, 20), processing_days=30) == date(
        2026, 6, 22
    )


def test_decision_due_on_christmas_eve_moves_past_the_holidays():
    # 24.12.2025 is a Wednesday: Christmas Eve, Christmas Day, Boxing Day, then the weekend.
    assert expected_decision_date(received_on=date(2025, 12, 10), processing_days=14) == date(
        2025, 12, 29
    )


def test_supplement_request_stops_the_clock():
    history = [
        (Status.SUBMITTED, date(2026, 3, 2)),
        (Status.RECEIVED, date(2026, 3, 2)),
        (Status.SUPPLEMENT_REQUESTED, date(2026, 3, 10)),
        (Status.IN_PROCESSING, date(2026, 3, 20)),
    ]
    assert paused_days(history, today=date(2026, 4, 1)) == (10, False)
    result = application_deadlines(
        status=Status.IN_PROCESSING,
        history=history,
        starts_on=None,
        lead_days=None,
        lead_in_working_days=False,
        processing_days=30,
        submission_counts_as_receipt=False,
        today=date(2026, 4, 1),
    )
    # 2.3. + 30 + 10 = 11.4.2026, a Saturday -> Monday 13.4.
    assert result.expected_decision == date(2026, 4, 13)
    assert result.paused_days == 10 and not result.clock_stopped


def test_clock_stands_still_while_the_supplement_is_awaited():
    history = [
        (Status.RECEIVED, date(2026, 3, 2)),
        (Status.SUPPLEMENT_REQUESTED, date(2026, 3, 10)),
    ]
    assert paused_days(history, today=date(2026, 3, 15)) == (5, True)


@given(received=days, processing=periods, paused=periods)
def test_expected_decision_is_a_working_day_on_or_just_after_the_plain_sum(
    received, processing, paused
):
    due = expected_decision_date(received_on=received, processing_days=processing, paused=paused)
    plain = received + timedelta(days=processing + paused)
    assert is_working_day(due)
    assert plain <= due <= plain + timedelta(days=5)
    # no working day is skipped: every day between the plain sum and the result is a day off
    assert all(not is_working_day(plain + timedelta(days=d)) for d in range((due - plain).days))


@given(received=days, processing=periods, paused=periods, more=st.integers(1, 60))
def test_a_longer_stop_never_brings_the_decision_earlier(received, processing, paused, more):
    early = expected_decision_date(received_on=received, processing_days=processing, paused=paused)
    late = expected_decision_date(
        received_on=received, processing_days=processing, paused=paused + more
    )
    assert late >= early


@given(
    start=days,
    gaps=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=5),
)
def test_paused_days_is_the_sum_of_the_supplement_intervals(start, gaps):
    history = [(Status.RECEIVED, start)]
    day = start
    expected = 0
    for before, length in gaps:
        day += timedelta(days=before)
        history.append((Status.SUPPLEMENT_REQUESTED, day))
        day += timedelta(days=length)
        history.append((Status.IN_PROCESSING, day))
        expected += length
    assert paused_days(history, today=day + timedelta(days=100)) == (expected, False)


@given(start=days, lead=st.integers(0, 200), working=st.booleans())
def test_latest_submission_is_a_working_day_meeting_the_lead_time(start, lead, working):
    latest = latest_submission_date(starts_on=start, lead_days=lead, working_days=working)
    assert latest is not None
    assert is_working_day(latest)
    assert latest <= start - timedelta(days=lead)
    assert (start - timedelta(days=lead)) - latest <= timedelta(days=5) or working


def test_latest_submission_never_lands_on_midsummer_or_christmas_eve():
    # Event on Sun 5.7.2026 with a 16-day lead: 19.6. is Midsummer Eve -> Thursday 18.6.
    assert latest_submission_date(
        starts_on=date(2026, 7, 5), lead_days=16, working_days=False
    ) == date(2026, 6, 18)
    # Event on 7.1.2027 with a 14-day lead: 24.12.2026 is Christmas Eve -> Wednesday 23.12.
    assert latest_submission_date(
        starts_on=date(2027, 1, 7), lead_days=14, working_days=False
    ) == date(2026, 12, 23)


@given(today=days, offset=st.integers(-30, 60))
def test_warnings_follow_the_submission_window(today, offset):
    start = today + timedelta(days=offset + 14)
    result = application_deadlines(
        status=Status.DRAFT,
        history=[],
        starts_on=start,
        lead_days=14,
        lead_in_working_days=False,
        processing_days=30,
        submission_counts_as_receipt=True,
        today=today,
    )
    latest = result.latest_submission
    assert latest is not None
    if today > latest:
        assert result.warning == DeadlineWarning.CLOSED
    elif (latest - today).days <= 7:
        assert result.warning == DeadlineWarning.CLOSES_SOON
    else:
        assert result.warning == DeadlineWarning.NONE
    assert result.expected_decision is None
