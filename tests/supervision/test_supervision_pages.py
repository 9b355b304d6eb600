"""Done-when: a supervision event an official schedules on the page appears on the customer's
company page and in the iCalendar feed, which a standard parser reads."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from luvat.supervision.models import CalendarFeed, SupervisionEvent
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_as_official, act_for_company
from tests.projects.factories import AuthorityFactory

pytestmark = pytest.mark.django_db


def test_an_event_scheduled_on_the_page_reaches_the_company_page_and_its_calendar():
    AuthorityFactory.create(code="HKI-RESCUE", name_fi="Helsingin pelastuslaitos")
    riikka = Client()
    act_as_official(
        riikka, OfficialRoleFactory.create(authority_code="HKI-RESCUE").person, "HKI-RESCUE"
    )
    day = timezone.localdate() + timedelta(days=20)
    form = {
        "business_id": FESTIVAALI,
        "kind": "inspection",
        "title": "Palotarkastus",
        "day": day.isoformat(),
        "starts": "09:00",
        "ends": "11:00",
        "place": "Kaisaniemen puisto",
        "preparation": "Pelastussuunnitelma <esille>",
    }
    bad = riikka.post("/fi/backoffice/supervision/", {**form, "business_id": "1234567-2"})
    assert bad.status_code == 422 and 'id="event-business_id-error"' in bad.content.decode()
    assert riikka.post("/fi/backoffice/supervision/", form).status_code == 302
    event = SupervisionEvent.objects.get()
    assert timezone.localtime(event.starts_at).hour == 9

    maija = Client()
    act_for_company(maija, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    page = maija.get("/fi/supervision/").content.decode()
    assert "Palotarkastus" in page and "Helsingin pelastuslaitos" in page
    assert "Pelastussuunnitelma &lt;esille&gt;" in page
    assert maija.post("/fi/supervision/calendar/").status_code == 302
    token = CalendarFeed.objects.get(business_id=FESTIVAALI).token
    assert f"/calendar/{token}.ics" in maija.get("/fi/supervision/").content.decode()

    feed = Client().get(f"/calendar/{token}.ics")
    calendar = icalendar.Calendar.from_ical(feed.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == ["Palotarkastus"]
    assert events[0].decoded("dtstart").hour == 9
    assert "Helsingin pelastuslaitos" in str(events[0]["description"])

    maija.post("/fi/supervision/calendar/")
    assert Client().get(f"/calendar/{token}.ics").status_code == 404


def test_another_company_does_not_see_the_events():
    OfficialRoleFactory.create(authority_code="HKI-RESCUE")
    teemu = Client()
    act_for_company(teemu, LocalMandateFactory.create(business_id="2718282-8").person, "2718282-8")
    from tests.supervision.factories import SupervisionEventFactory

    SupervisionEventFactory.create(business_id=FESTIVAALI, title="Salainen tarkastus")
    assert "Salainen tarkastus" not in teemu.get("/fi/supervision/").content.decode()
