"""Dates and intervals of supervision are bounded (year 9999 is refused), and the company's
calendar feed stays readable whatever event is stored, even one at the end of the calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from luvat.supervision.models import SupervisionEvent
from luvat.supervision.services import (
    calendar_feed_rotate,
    supervision_event_schedule,
    supervision_series_schedule,
)
from tests.identity.factories import FESTIVAALI, OfficialRoleFactory
from tests.identity.helpers import act_as_official
from tests.projects.factories import AuthorityFactory
from tests.supervision.factories import (
    COMPANY,
    SupervisionEventFactory,
    customer,
    details,
    official,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"days_ahead": 366 * 11}, "starts_at"),
        (
            {
                "starts_at": datetime(9999, 12, 31, 9, tzinfo=UTC),
                "ends_at": datetime(9999, 12, 31, 10, tzinfo=UTC),
            },
            "starts_at",
        ),
        ({"ends_at": timezone.now() + timedelta(days=400)}, "ends_at"),
    ],
)
def test_far_dates_and_long_events_are_refused(overrides, field) -> None:
    with pytest.raises(ValidationError) as refused:
        supervision_event_schedule(
            actor=official(), business_id=COMPANY, details=details(**overrides)
        )
    assert field in refused.value.message_dict
    assert not SupervisionEvent.objects.exists()


@pytest.mark.parametrize(
    ("frequency", "interval", "count", "field"),
    [
        ("weekly", 10**9, 2, "interval"),
        ("yearly", 100, 2, "count"),
        ("yearly", 1, 50, "count"),
        ("monthly", 101, 2, "interval"),
    ],
)
def test_series_reaching_past_the_horizon_are_refused(frequency, interval, count, field) -> None:
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


@pytest.mark.parametrize(
    ("day", "extra"),
    [
        ("9999-12-31", {}),
        ("0001-01-01", {}),
        ("2026-01-01", {"repeat": "weekly", "interval": "99999999999999999999", "count": "2"}),
        ("+2027-01-01", {}),
    ],
)
def test_the_official_form_refuses_far_dates_with_a_form_error(day, extra) -> None:
    AuthorityFactory.create(code="HKI-RESCUE")
    client = Client()
    act_as_official(
        client, OfficialRoleFactory.create(authority_code="HKI-RESCUE").person, "HKI-RESCUE"
    )
    form = {
        "business_id": FESTIVAALI,
        "kind": "inspection",
        "title": "Palotarkastus",
        "day": day,
        "starts": "23:30",
        "ends": "23:59",
        **extra,
    }

    response = client.post("/fi/backoffice/supervision/", form)

    assert response.status_code == 422
    assert "-error" in response.content.decode()
    assert not SupervisionEvent.objects.exists()


@pytest.mark.parametrize(
    "starts_at",
    [
        datetime(9999, 12, 31, 9, 0, tzinfo=UTC),
        datetime(9999, 12, 31, 22, 0, tzinfo=UTC),  # past midnight in Helsinki: year 10000
        datetime(1, 1, 1, 0, 30, tzinfo=UTC),
    ],
)
def test_the_calendar_feed_reads_any_stored_event(client, starts_at) -> None:
    ends_at = min(starts_at + timedelta(hours=1), datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    SupervisionEventFactory.create(business_id=COMPANY, starts_at=starts_at, ends_at=ends_at)
    SupervisionEventFactory.create(business_id=COMPANY)
    feed = calendar_feed_rotate(actor=customer(), business_id=COMPANY)

    response = client.get(f"/calendar/{feed.token}.ics")

    assert response.status_code == 200
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    starts = {event.decoded("DTSTART") for event in events}
    if starts_at.year > 1:  # the feed leaves out events long past
        assert starts_at in starts and len(events) == 2
