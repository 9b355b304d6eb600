import itertools
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from luvat.supervision.models import SupervisionEvent
from luvat.supervision.recurrence import HELSINKI, occurrence_starts
from luvat.supervision.services import supervision_series_schedule
from tests.supervision.factories import COMPANY, details, official


def test_a_yearly_inspection_stays_at_the_same_wall_clock_time_across_dst():
    first = datetime(2027, 1, 15, 9, 0, tzinfo=HELSINKI)
    starts = occurrence_starts(first, frequency="weekly", interval=13, count=4)
    assert [s.hour for s in starts] == [9, 9, 9, 9]
    assert {s.utcoffset() for s in starts} == {timedelta(hours=2), timedelta(hours=3)}


def test_monthly_on_the_31st_falls_on_the_last_day_of_short_months_without_drifting():
    first = datetime(2027, 1, 31, 10, 0, tzinfo=HELSINKI)
    days = [
        s.date().isoformat()
        for s in occurrence_starts(first, frequency="monthly", interval=1, count=4)
    ]
    assert days == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]


def test_yearly_on_the_29th_of_february():
    first = datetime(2028, 2, 29, 10, 0, tzinfo=HELSINKI)
    days = [
        s.date().isoformat()
        for s in occurrence_starts(first, frequency="yearly", interval=1, count=2)
    ]
    assert days == ["2028-02-29", "2029-02-28"]


@given(
    first=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)),  # noqa: DTZ001
    frequency=st.sampled_from(["weekly", "monthly", "yearly"]),
    interval=st.integers(1, 12),
    count=st.integers(1, 50),
)
def test_occurrences_are_increasing_and_keep_the_time_of_day(first, frequency, interval, count):
    first = first.replace(tzinfo=HELSINKI, second=0, microsecond=0)
    starts = occurrence_starts(first, frequency=frequency, interval=interval, count=count)
    assert len(starts) == count
    assert all(a < b for a, b in itertools.pairwise(starts))
    # No drift: every occurrence has the first one's wall-clock time in Helsinki.
    assert all(
        start.replace(tzinfo=None).time() == first.replace(tzinfo=None).time() for start in starts
    )
    assert all(start.tzinfo == HELSINKI for start in starts)


def test_naive_or_too_long_series_are_refused():
    with pytest.raises(ValueError):
        occurrence_starts(datetime(2027, 1, 1), frequency="yearly", interval=1, count=2)  # noqa: DTZ001
    with pytest.raises(ValueError):
        occurrence_starts(
            datetime(2027, 1, 1, tzinfo=HELSINKI), frequency="yearly", interval=1, count=51
        )


@pytest.mark.django_db
def test_an_official_schedules_a_yearly_inspection_as_a_series():
    series = supervision_series_schedule(
        actor=official(),
        business_id=COMPANY,
        details=details(),
        frequency="yearly",
        interval=1,
        count=3,
    )
    events = list(SupervisionEvent.objects.filter(series=series).order_by("starts_at"))
    assert len(events) == 3
    assert len({e.uid for e in events}) == 3
    assert all(e.ends_at - e.starts_at == timedelta(hours=2) for e in events)
    assert (
        events[1].starts_at.astimezone(HELSINKI).year
        == events[0].starts_at.astimezone(HELSINKI).year + 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("frequency", "interval", "count", "field"),
    [
        ("daily", 1, 3, "frequency"),
        ("yearly", 0, 3, "interval"),
        ("yearly", 1, 1, "count"),
        ("yearly", 1, 51, "count"),
    ],
)
def test_bad_series_are_refused_and_nothing_is_saved(frequency, interval, count, field):
    with pytest.raises(ValidationError) as refused:
        supervision_series_schedule(
            actor=official(),
            business_id=COMPANY,
            details=details(),
            frequency=frequency,
            interval=interval,
            count=count,
        )
    assert field in refused.value.message_dict
    assert not SupervisionEvent.objects.exists()
