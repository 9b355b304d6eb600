"""Done when, over the API: an event-package assessment → a project with four applications →
shared data typed once and returned pre-filled in every application → two applications
submitted with receipts (JSON and PDF) → the summary with statuses and deadlines."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from luvat.identity.demo import load_demo_accounts
from luvat.identity.models import Person
from tests.assessment.answers import ANSWERS
from tests.identity.factories import FESTIVAALI
from tests.identity.helpers import act_for_company
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF
API = "/api/v1/projects"
SHARED = {
    "site_address": "Kaisaniemen puisto, Helsinki",
    "activity_name": "Kesäfestari",
    "activity_description": "Kolmipäiväinen ulkoilmafestivaali",
    "contact_name": "Maija Meikäläinen",
}
SUBMIT = {
    "event-rescue-plan": ({}, ("rescue_plan", "site_map")),
    "noise-notification": ({"noise_source": "Ulkolava ja äänentoisto"}, ("site_map",)),
}


def json_post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_whole_flow_over_the_api(client, catalogue):
    start = timezone.localdate() + timedelta(days=90)
    assessed = json_post(
        client,
        "/api/v1/assessments",
        {
            "package": "event",
            "answers": {**ANSWERS["event"], "start_date": start.isoformat()},
            "language": "fi",
        },
    )
    assert assessed.status_code == 201, assessed.content
    assessment_id = assessed.json()["id"]
    assert json_post(client, f"{API}/", {"assessment_id": assessment_id}).status_code == 401

    load_demo_accounts()
    act_for_company(client, Person.objects.get(demo_key="maija"), FESTIVAALI)
    created = json_post(client, f"{API}/", {"assessment_id": assessment_id})
    assert created.status_code == 201, created.content
    project = created.json()
    assert len(project["applications"]) == 4
    pid = project["id"]

    shared = client.put(
        f"{API}/{pid}/shared-data",
        {"values": SHARED, "version": project["version"]},
        content_type="application/json",
    )
    assert shared.status_code == 200, shared.content
    typed = {**SHARED, "company_name": "Festivaali Oy"}
    for application in project["applications"]:
        form = client.get(f"{API}/{pid}/applications/{application['id']}").json()
        prefilled = {p: form["data"].get(p) for p, c in form["shared_fields"].items() if c in typed}
        assert prefilled, application["service_code"]
        for prop, value in prefilled.items():
            assert value == typed[form["shared_fields"][prop]], (application["service_code"], prop)

    by_code = {a["service_code"]: a for a in project["applications"]}
    receipts = []
    for code, (answers, attachments) in SUBMIT.items():
        aid = by_code[code]["id"]
        form = client.get(f"{API}/{pid}/applications/{aid}").json()
        saved = client.put(
            f"{API}/{pid}/applications/{aid}/form",
            {"data": {**form["data"], **answers}, "version": form["version"]},
            content_type="application/json",
        )
        assert saved.status_code == 200, saved.content
        for attachment in attachments:
            upload = SimpleUploadedFile("liite.pdf", PDF, content_type="application/pdf")
            added = client.post(
                f"{API}/{pid}/applications/{aid}/attachments", {"code": attachment, "file": upload}
            )
            assert added.status_code == 201, added.content
        submitted = json_post(client, f"{API}/{pid}/applications/{aid}/submit", {})
        assert submitted.status_code == 201, submitted.content
        receipt = submitted.json()
        assert len(receipt["sha256"]) == 64
        assert receipt["snapshot"]["shared_data"]["site_address"] == SHARED["site_address"]
        again = json_post(client, f"{API}/{pid}/applications/{aid}/submit", {})
        assert again.status_code == 200 and again.json()["id"] == receipt["id"]
        receipts.append(receipt)

    for receipt in receipts:
        pdf = client.get(f"{API}/{pid}/receipts/{receipt['id']}/pdf")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert receipt["sha256"] in text.replace("\n", "")

    summary = client.get(f"{API}/{pid}").json()
    rows = {a["service_code"]: a for a in summary["applications"]}
    assert [rows[c]["status"] for c in SUBMIT] == ["submitted", "submitted"]
    assert rows["public-event-notification"]["status"] == "draft"
    assert rows["public-event-notification"]["latest_submission_date"] is not None
    assert rows["public-event-notification"]["next_action"]["code"] == "continue_elsewhere"
    assert rows["public-event-notification"]["depends_on"] == [
        rows["event-rescue-plan"]["reference"]
    ]
    assert rows["consumer-safety-document"]["next_action"]["code"] == "keep_yourself"
    listed = client.get(f"{API}/").json()
    assert listed[0]["id"] == pid and listed[0]["at_authorities"] == 2
