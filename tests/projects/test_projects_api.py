"""The same flow over /api/v1/projects/: problems name fields; other companies are refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import AuthorityFactory, ServiceFactory
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF
API = "/api/v1/projects"


@pytest.fixture
def api(client, vocab):
    AuthorityFactory.create(code="HKI-POLICE")
    ServiceFactory.create(code="public-event-notification")
    ServiceFactory.create(code="rescue-plan")
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    return client


def test_api_flow_with_shared_data_typed_once(api):
    created = api.post(
        f"{API}/",
        {
            "name": "Kesäfestivaali",
            "service_codes": ["public-event-notification", "rescue-plan"],
            "shared_data": {"contact_email": "maija@example.fi"},
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    project = created.json()
    assert project["company_name"] == "Festivaali Oy"  # from the company register
    assert len(project["applications"]) == 2
    pid = project["id"]
    for application in project["applications"]:
        form = api.get(f"{API}/{pid}/applications/{application['id']}").json()
        assert form["data"]["organiser_email"] == "maija@example.fi"
        assert form["shared_fields"]["organiser_email"] == "contact_email"

    aid = project["applications"][0]["id"]
    incomplete = api.post(
        f"{API}/{pid}/applications/{aid}/submit", {}, content_type="application/json"
    )
    assert incomplete.status_code == 422
    body = incomplete.json()
    assert body["type"] == "/problems/incomplete-application"
    assert {e["field"] for e in body["errors"]} == {
        "event_name",
        "attendance",
        "venue_kind",
        "attachment:site_map",
    }
    form = api.get(f"{API}/{pid}/applications/{aid}").json()
    saved = api.put(
        f"{API}/{pid}/applications/{aid}/form",
        {
            "data": {
                **form["data"],
                "event_name": "Festari",
                "attendance": 900,
                "venue_kind": "outdoor",
            },
            "version": form["version"],
            "project_version": form["project_version"],
        },
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    stale = api.put(
        f"{API}/{pid}/applications/{aid}/form",
        {"data": {}, "version": form["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["type"] == "/problems/stale-version"
    bad_file = api.post(
        f"{API}/{pid}/applications/{aid}/attachments",
        {"code": "site_map", "file": SimpleUploadedFile("map.pdf", b"MZ" + b"\x00" * 50)},
    )
    assert bad_file.status_code == 422 and bad_file.json()["reason"] == "executable"
    good_file = api.post(
        f"{API}/{pid}/applications/{aid}/attachments",
        {"code": "site_map", "file": SimpleUploadedFile("map.pdf", PDF)},
    )
    assert good_file.status_code == 201
    first = api.post(f"{API}/{pid}/applications/{aid}/submit", {}, content_type="application/json")
    again = api.post(f"{API}/{pid}/applications/{aid}/submit", {}, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["sha256"] == again.json()["sha256"]
    summary = api.get(f"{API}/{pid}").json()
    statuses = {a["id"]: a["status"] for a in summary["applications"]}
    assert statuses[aid] == "submitted"
    export = api.get(f"{API}/{pid}/export").json()
    assert export["applications"][0]["receipts"][0]["sha256"] == first.json()["sha256"]
    listing = api.get(f"{API}/").json()
    assert [p["id"] for p in listing] == [pid]


def test_api_refuses_other_companies_and_anonymous(api, vocab):
    pid = api.post(
        f"{API}/",
        {"name": "Oma", "service_codes": ["rescue-plan"]},
        content_type="application/json",
    ).json()["id"]
    other = Client()
    act_for_company(other, LocalMandateFactory.create(business_id=TERAS).person, TERAS)
    assert other.get(f"{API}/{pid}").status_code == 404  # as a missing one: ids cannot be probed
    refused = other.put(
        f"{API}/{pid}/shared-data",
        {"values": {"contact_email": "x@example.fi"}},
        content_type="application/json",
    )
    assert refused.status_code == 404
    assert refused["Content-Type"] == "application/problem+json"
    assert other.get(f"{API}/").json() == []
    anonymous = Client().get(f"{API}/")
    assert anonymous.status_code == 401
    assert anonymous.json()["type"] == "/problems/unauthenticated"


def test_invalid_shared_data_over_the_api_names_each_field(api):
    pid = api.post(f"{API}/", {"name": "Oma"}, content_type="application/json").json()["id"]
    response = api.put(
        f"{API}/{pid}/shared-data",
        {"values": {"contact_email": "nope", "expected_attendance": "many"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "contact_email",
        "expected_attendance",
    }
