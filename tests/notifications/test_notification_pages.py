"""Audiences resolve to the company's and the authority's people; the list and preferences."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.notifications.models import Notification, NotificationKind, NotificationPreference
from luvat.notifications.recipients import Audience, resolve
from luvat.notifications.services import notification_publish
from luvat.notifications.tasks import fan_out_batch
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_for_company

pytestmark = pytest.mark.django_db


def test_audiences_are_the_company_mandate_holders_and_the_authority_officials():
    maija = LocalMandateFactory.create(business_id=FESTIVAALI).person
    revoked = LocalMandateFactory.create(business_id=FESTIVAALI)
    revoked.revoked_at = revoked.created_at
    revoked.save()
    LocalMandateFactory.create(business_id="2718282-8")
    riikka = OfficialRoleFactory.create(authority_code="HKI-RESCUE").person
    OfficialRoleFactory.create(authority_code="HKI-POLICE")
    assert resolve(Audience(business_ids=(FESTIVAALI,))) == {maija.user_id}
    assert resolve(Audience(authority_codes=("HKI-RESCUE",))) == {riikka.user_id}


def test_the_person_reads_their_notifications_and_sets_preferences():
    person = LocalMandateFactory.create(business_id=FESTIVAALI).person
    notification_publish(
        kind=NotificationKind.DECISION_MADE,
        audience=Audience(business_ids=(FESTIVAALI,)),
        params={
            "application": "Pelastussuunnitelma",
            "authority": "Pelastuslaitos",
            "outcome": "<i>ok</i>",
        },
        url="/projects/",
    )
    assert fan_out_batch() == 1
    client = Client()
    act_for_company(client, person, FESTIVAALI)
    page = client.get("/fi/notifications/").content.decode()
    assert "Pelastussuunnitelma" in page and "&lt;i&gt;ok&lt;/i&gt;" in page
    notification = Notification.objects.get()
    opened = client.get(f"/fi/notifications/{notification.pk}/")
    assert opened.status_code == 302 and opened["Location"] == "/projects/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    response = client.post(
        "/fi/notifications/preferences/",
        {"language": "sv", "decision_made-in_service": "on"},
    )
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=person.user, kind="decision_made")
    assert (pref.in_service, pref.email) == (True, False)
    assert Client().get("/fi/notifications/").status_code == 302
