"""The customer records that they applied in the authority's own e-service, with its
reference; the official finds the case by that reference and sees it on the case page."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.audit.models import AuditEvent
from tests.backoffice.factories import POLICE, event_project
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_as_official, act_for_company

pytestmark = pytest.mark.django_db


def test_the_customer_gives_the_e_service_reference_and_the_official_finds_the_case():
    case = event_project()
    notice, rescue = case.police_notice, case.rescue_plan
    maija = Client()
    act_for_company(maija, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    base = f"/en/projects/{case.project.public_id}/applications"
    page = maija.get(f"{base}/{notice.public_id}/").content.decode()
    assert 'name="elsewhere_reference"' in page
    maija.post(f"{base}/{notice.public_id}/applied-elsewhere/", {"elsewhere_reference": " "})
    notice.refresh_from_db()
    assert notice.elsewhere_reference == ""
    maija.post(
        f"{base}/{notice.public_id}/applied-elsewhere/", {"elsewhere_reference": "ILM-2027-0042"}
    )
    notice.refresh_from_db()
    assert notice.elsewhere_reference == "ILM-2027-0042" and notice.applied_elsewhere_at
    assert AuditEvent.objects.filter(action="application.applied_elsewhere").count() == 1
    # A service applied for here has no such reference.
    maija.post(f"{base}/{rescue.public_id}/applied-elsewhere/", {"elsewhere_reference": "X-1"})
    rescue.refresh_from_db()
    assert rescue.elsewhere_reference == ""

    pekka = Client()
    act_as_official(pekka, OfficialRoleFactory.create(authority_code=POLICE).person, POLICE)
    found = pekka.get("/en/backoffice/?reference=ilm-2027-0042")
    assert found.status_code == 302
    assert str(notice.public_id) in found["Location"]
    case_page = pekka.get(found["Location"]).content.decode()
    assert "with the reference ILM-2027-0042" in case_page
