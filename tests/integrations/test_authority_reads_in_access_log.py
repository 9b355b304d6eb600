"""An authority system's reads of an application document (names, e-mail addresses) and of its
attachments are in the company's access log, in words the company's people understand, and so
are its refused tries (a tampered link, another authority's key)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from luvat.audit.models import AccessEvent
from luvat.audit.selectors import access_events_for_company
from luvat.web.access_log import readable_access_events
from tests.identity.factories import LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.integrations.conftest import AUTHORITY, issue_api_key

pytestmark = pytest.mark.django_db


def test_document_and_attachment_reads_are_in_the_companys_access_log(submitted) -> None:
    company = submitted.project.business_id
    key = issue_api_key(AUTHORITY)
    system = Client(headers={"Authorization": f"Bearer {key}"})
    document = system.get(f"/api/v1/applications/{submitted.public_id}/document")
    assert document.status_code == 200
    link = urlsplit(document.json()["attachments"][0]["download_url"])
    download = system.get(f"{link.path}?{link.query}")
    assert download.status_code == 200
    tampered = system.get(f"{link.path}?{link.query.replace('expires=', 'expires=9')}")
    assert tampered.status_code == 403
    other = Client(headers={"Authorization": f"Bearer {issue_api_key('TUKES', 'other')}"})
    assert other.get(f"/api/v1/applications/{submitted.public_id}/document").status_code == 404

    events = access_events_for_company(company)
    systems = [e for e in events if e.actor_kind == "authority_system"]
    read = {(e.object_type, e.outcome) for e in systems}
    assert ("projects.application.document", "allowed") in read
    assert ("projects.attachment", "allowed") in read
    assert sum(1 for e in systems if e.outcome == "denied") == 2  # the tampered link, TUKES
    assert all(e.actor_organisation in (AUTHORITY, "TUKES") for e in systems)

    # The company's people read it in words, not as internal object types.
    sentences = [r.sentence for r in readable_access_events(systems)]
    assert not any("projects." in s for s in sentences), sentences
    owner = Client()
    act_for_company(owner, LocalMandateFactory.create(business_id=company).person, company)
    page = owner.get("/en/account/access-log/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "projects.application.document" not in text and "projects.attachment" not in text
    assert (
        AccessEvent.objects.filter(
            subject_business_id=company, object_type="projects.application.document"
        ).count()
        == 1
    )
