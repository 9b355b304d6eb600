"""Joint inspections: one supervision event of several authorities at one site.

Done when: a joint inspection of two authorities appears once in the company's calendar feed.
"""

from __future__ import annotations

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from luvat.audit.selectors import audit_events_for
from luvat.notifications.models import NotificationEvent
from luvat.supervision.models import EventStatus, JointParticipant
from luvat.supervision.selectors import authority_events, upcoming_events
from luvat.supervision.services import (
    calendar_feed_rotate,
    joint_findings_record,
    joint_participation_confirm,
    supervision_event_schedule,
    supervision_event_set_status,
)
from tests.identity.helpers import act_as_official
from tests.projects.factories import AuthorityFactory
from tests.supervision.factories import COMPANY, POLICE, RESCUE, customer, details, official

pytestmark = pytest.mark.django_db

BUILDING = "hki-building"


@pytest.fixture(autouse=True)
def authorities() -> None:
    AuthorityFactory.create(code=RESCUE, name_fi="Pelastuslaitos", name_en="Rescue Department")
    AuthorityFactory.create(code=POLICE, name_fi="Poliisi", name_en="Police")
    AuthorityFactory.create(code=BUILDING, name_fi="Rakennusvalvonta", name_en="Building Control")


def _joint():
    return supervision_event_schedule(
        actor=official(RESCUE),
        business_id=COMPANY,
        details=details(title="Yhteistarkastus", site="Messukeskus, halli 3"),
        partners=[POLICE],
    )


def test_a_joint_inspection_of_two_authorities_appears_once_in_the_company_calendar_feed():
    event = _joint()
    joint_participation_confirm(actor=official(POLICE), event=event)
    feed = calendar_feed_rotate(actor=customer(), business_id=COMPANY)

    response = Client().get(f"/calendar/{feed.token}.ics?lang=en")

    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"{event.uid}@luvat"
    description = str(vevent["DESCRIPTION"])
    assert "Joint inspection of the authorities: Rescue Department, Police" in description
    # The company's own page lists it once too, naming both authorities.
    assert [e.pk for e in upcoming_events(customer(), business_id=COMPANY)] == [event.pk]


def test_each_participating_authority_sees_it_others_do_not():
    event = _joint()
    assert [e.pk for e in authority_events(official(RESCUE))] == [event.pk]
    assert [e.pk for e in authority_events(official(POLICE))] == [event.pk]
    assert authority_events(official(BUILDING)) == []
    assert [e.pk for e in upcoming_events(official(POLICE), business_id=COMPANY)] == [event.pk]
    assert upcoming_events(official(BUILDING), business_id=COMPANY) == []
    # The partner was told, the company was told; each once.
    audiences = [n.audience for n in NotificationEvent.objects.order_by("id")]
    assert audiences[0]["business_ids"] == [COMPANY]
    assert audiences[1]["authority_codes"] == [POLICE]


def test_each_authority_confirms_and_records_its_own_findings():
    event = _joint()
    joint_participation_confirm(actor=official(POLICE), event=event)
    joint_findings_record(actor=official(POLICE), event=event, findings="Poistumistiet kunnossa.")
    participant = JointParticipant.objects.get(event=event)
    assert participant.is_confirmed and participant.findings == "Poistumistiet kunnossa."
    supervision_event_set_status(
        actor=official(RESCUE), event=event, status=EventStatus.DONE, result_note="Hyväksytty."
    )
    actions = {a.action for a in audit_events_for(event)}
    assert {"supervision.joint_participation_confirm", "supervision.joint_findings_record"} <= (
        actions
    )
    feed = calendar_feed_rotate(actor=customer(), business_id=COMPANY)
    [vevent] = icalendar.Calendar.from_ical(
        Client().get(f"/calendar/{feed.token}.ics?lang=en").content
    ).walk("VEVENT")
    assert "Findings of Police: Poistumistiet kunnossa." in str(vevent["DESCRIPTION"])


def test_an_authority_not_taking_part_is_refused():
    event = _joint()
    with pytest.raises(PermissionDenied):
        joint_participation_confirm(actor=official(BUILDING), event=event)
    with pytest.raises(PermissionDenied):
        joint_findings_record(actor=official(BUILDING), event=event, findings="x")
    with pytest.raises(PermissionDenied):  # only the leading authority closes the event
        supervision_event_set_status(actor=official(POLICE), event=event, status="cancelled")
    assert not JointParticipant.objects.filter(authority_code=BUILDING).exists()


def test_unknown_partners_are_refused():
    with pytest.raises(ValidationError) as refused:
        supervision_event_schedule(
            actor=official(RESCUE), business_id=COMPANY, details=details(), partners=["nope"]
        )
    assert "partners" in refused.value.message_dict


def test_the_pages_let_the_partner_confirm_and_refuse_another_authority():
    event = _joint()
    police, building = Client(), Client()
    act_as_official(police, _person_of(POLICE), POLICE)
    act_as_official(building, _person_of(BUILDING), BUILDING)

    page = police.get("/en/backoffice/supervision/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Yhteistarkastus" in html and "Confirm that we take part" in html
    assert f"/backoffice/supervision/{event.pk}/status/" not in html  # the lead's form only

    response = police.post(f"/en/backoffice/supervision/{event.pk}/joint/confirm/")
    assert response.status_code == 302
    assert JointParticipant.objects.get(event=event).is_confirmed

    assert "Yhteistarkastus" not in building.get("/en/backoffice/supervision/").content.decode()
    refused = building.post(
        f"/en/backoffice/supervision/{event.pk}/joint/findings/", {"findings": "x"}
    )
    assert refused.status_code in (403, 404)
    assert JointParticipant.objects.get(event=event).findings == ""


def _person_of(code: str):
    from luvat.identity.models import OfficialRole

    official(code)
    return OfficialRole.objects.filter(authority_code=code).get().person
