"""Change metrics: definitions on hand-made histories, percentiles, no data is not zero."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from luvat.onboarding.metrics import measure, median, months_between, percentile
from luvat.onboarding.models import Metric
from luvat.projects.models import Application, EventSource, StatusEvent
from tests.onboarding.factories import environment_service, joining_with_service
from tests.projects.factories import ProjectFactory


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=200))
def test_percentiles_are_values_of_the_list_with_the_right_rank(values):
    p90 = percentile(values, 0.9)
    assert p90 in values
    below = sum(1 for v in values if v <= p90)
    assert below >= math.ceil(0.9 * len(values))
    assert min(values) <= median(values) <= max(values)


def test_no_values_means_no_figure():
    assert percentile([], 0.9) is None
    assert median([]) is None


def test_months_between_counts_touched_calendar_months():
    assert months_between(date(2025, 11, 30), date(2026, 2, 1)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


def _history(service, authority, number, steps):
    """``steps``: (status, local datetime) oldest first; the first is the draft."""
    application = Application.objects.create(
        project=ProjectFactory.create(),
        service=service,
        authority=authority,
        reference=f"M-{number}",
        status=steps[-1][0],
        created_at=timezone.make_aware(steps[0][1]),
    )
    previous = ""
    for status, at in steps:
        StatusEvent.objects.create(
            application=application,
            status=status,
            previous_status=previous,
            occurred_at=timezone.make_aware(at),
            source=EventSource.OFFICIAL,
        )
        previous = status
    return application


@pytest.mark.django_db
def test_figures_on_a_hand_made_history(django_assert_num_queries):
    service = environment_service("m", processing_time_days=10)
    authority = joining_with_service(service=service).joining.authority
    day = datetime(2026, 3, 2, 12)  # noqa: DTZ001  (local time, made aware per event)
    draft = day - timedelta(days=1)
    # 1: received after 1 day, decided after 5 days: within the target and the deadline.
    _history(
        service,
        authority,
        1,
        [
            ("draft", draft),
            ("submitted", day),
            ("received", day + timedelta(days=1)),
            ("decision_made", day + timedelta(days=5)),
        ],
    )
    # 2: supplement requested, decided after 20 days: outside the target; the deadline
    # (received + 10 days + 6 paused days, a working day) is missed too.
    _history(
        service,
        authority,
        2,
        [
            ("draft", draft),
            ("submitted", day),
            ("received", day + timedelta(days=2)),
            ("supplement_requested", day + timedelta(days=4)),
            ("in_processing", day + timedelta(days=10)),
            ("decision_made", day + timedelta(days=20)),
        ],
    )
    # 3: submitted, never received: counts only in the volume.
    _history(service, authority, 3, [("draft", draft), ("submitted", day)])
    with django_assert_num_queries(2):
        report = measure(
            authority_code=authority.code,
            start=date(2026, 3, 1),
            end=date(2026, 4, 30),
            today=date(2026, 3, 10),
        )
    values = {key: value.value for key, value in report.values.items()}
    assert values[Metric.APPLICATIONS_PER_MONTH] == 1.5
    assert values[Metric.MEDIAN_DAYS_TO_RECEIVED] == 1.5
    assert values[Metric.P90_DAYS_TO_RECEIVED] == 2
    assert values[Metric.MEDIAN_DAYS_TO_DECISION] == 12.5
    assert values[Metric.SHARE_WITHIN_TARGET] == 50
    assert values[Metric.SUPPLEMENT_RATE] == pytest.approx(100 / 3)
    # 3 has no clock start (light route counts the submission: it is light, due 2026-03-12,
    # not yet past on 2026-03-10), so two deadlines have come: one missed.
    assert values[Metric.DEADLINES_MISSED] == 50
    assert report.values[Metric.DEADLINES_MISSED].basis == 2
    assert [(m.month, m.applications) for m in report.months] == [("2026-03", 3), ("2026-04", 0)]


@pytest.mark.django_db
def test_a_period_without_applications_has_no_figures():
    service_joining = joining_with_service()
    report = measure(
        authority_code=service_joining.joining.authority.code,
        start=date(2020, 1, 1),
        end=date(2020, 12, 31),
    )
    assert not report.has_data
    assert all(value.value is None for value in report.values.values())
