import icalendar
import pytest
from django.core.exceptions import PermissionDenied

from luvat.supervision.models import CalendarFeed
from luvat.supervision.services import (
    calendar_feed_rotate,
    supervision_event_schedule,
    supervision_event_set_status,
)
from tests.supervision.factories import (
    COMPANY,
    OTHER_COMPANY,
    SupervisionEventFactory,
    customer,
    details,
    official,
)

pytestmark = pytest.mark.django_db


def test_a_scheduled_event_appears_in_the_feed_that_a_standard_parser_reads(client):
    event = supervision_event_schedule(
        actor=official(),
        business_id=COMPANY,
        details=details(title="Palotarkastus; sali 3, ääkköset", place="Messuaukio 1, Helsinki"),
    )
    SupervisionEventFactory.create(business_id=OTHER_COMPANY, title="Someone else's")
    feed = calendar_feed_rotate(actor=customer(), business_id=COMPANY)

    response = client.get(f"/calendar/{feed.token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"{event.uid}@luvat"
    assert str(vevent["SUMMARY"]) == "Palotarkastus; sali 3, ääkköset"
    assert str(vevent["LOCATION"]) == "Messuaukio 1, Helsinki"
    assert str(vevent["STATUS"]) == "TENTATIVE"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTSTART").tzinfo.key == "Europe/Helsinki"
    assert vevent.decoded("DTEND") == event.ends_at
    assert "Rescue plan" in str(vevent["DESCRIPTION"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]


def test_a_cancelled_event_stays_in_the_feed_as_cancelled_with_a_higher_sequence(client):
    event = SupervisionEventFactory.create()
    supervision_event_set_status(actor=official(), event=event, status="cancelled")
    feed = calendar_feed_rotate(actor=customer(), business_id=COMPANY)

    [vevent] = icalendar.Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").content).walk(
        "VEVENT"
    )
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent.decoded("SEQUENCE") == 1


def test_rotating_the_address_stops_the_old_one(client):
    old = calendar_feed_rotate(actor=customer(), business_id=COMPANY).token
    new = calendar_feed_rotate(actor=customer(), business_id=COMPANY).token

    assert old != new and len(new) >= 40
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_only_the_companys_own_people_can_create_its_address():
    with pytest.raises(PermissionDenied):
        calendar_feed_rotate(actor=customer(OTHER_COMPANY), business_id=COMPANY)
    with pytest.raises(PermissionDenied):
        calendar_feed_rotate(actor=official(), business_id=COMPANY)


def test_an_unknown_token_is_not_found(client):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_the_feed_speaks_the_requested_language(client):
    SupervisionEventFactory.create()
    feed = calendar_feed_rotate(actor=customer(), business_id=COMPANY)
    swedish = client.get(f"/calendar/{feed.token}.ics?lang=sv").content.decode()
    english = client.get(f"/calendar/{feed.token}.ics?lang=en").content.decode()
    assert "Type: inspection" in english.replace("\r\n ", "")
    assert "Type: inspection" not in swedish.replace("\r\n ", "")
