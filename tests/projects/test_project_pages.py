"""The customer's pages: create, type shared data once, fill in, attach, submit, see the
summary; and another company is refused everywhere."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luvat.catalogue.models import JoiningMode
from luvat.integrations.models import OutboxMessage
from luvat.projects.models import Application, Project
from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import AuthorityFactory, ServiceFactory
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF
EXE = b"MZ\x90\x00" + b"\x00" * 100


@pytest.fixture
def customer(client, vocab):
    AuthorityFactory.create(code="HKI-POLICE")
    ServiceFactory.create(
        code="public-event-notification",
        name_fi="Yleisötilaisuusilmoitus",
        joining_mode=JoiningMode.API,
    )
    ServiceFactory.create(code="rescue-plan", name_fi="Pelastussuunnitelma")
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    return client


@pytest.fixture
def other_company(vocab):
    from django.test import Client

    other = Client()
    act_for_company(other, LocalMandateFactory.create(business_id=TERAS).person, TERAS)
    return other


def create_project(client) -> Project:
    response = client.post("/fi/projects/new/", {"name": "Kesäfestivaali"})
    assert response.status_code == 302
    project = Project.objects.get(name="Kesäfestivaali")
    response = client.post(
        f"/fi/projects/{project.public_id}/services/",
        {"service": ["public-event-notification", "rescue-plan"]},
    )
    assert response.status_code == 302
    return project


def test_shared_data_typed_once_appears_in_every_form_and_submits(customer):
    project = create_project(customer)
    assert project.business_id == FESTIVAALI
    response = customer.post(
        f"/fi/projects/{project.public_id}/shared-data/",
        {
            "version": project.version,
            "contact_email": "maija@example.fi",
            "activity_name": "Kesäfestari",
        },
    )
    assert response.status_code == 302
    for application in project.applications.all():
        page = customer.get(
            f"/fi/projects/{project.public_id}/applications/{application.public_id}/"
        )
        assert page.status_code == 200
        assert 'value="maija@example.fi"' in page.content.decode()
        assert "yhteinen" in page.content.decode()

    application = project.applications.get(service__code="public-event-notification")
    url = f"/fi/projects/{project.public_id}/applications/{application.public_id}/"
    project.refresh_from_db()
    response = customer.post(
        url,
        {
            "version": application.version,
            "project_version": project.version,
            "organiser_email": "maija@example.fi",
            "event_name": "Kesäfestari",
            "attendance": "1200",
            "venue_kind": "outdoor",
            "then": "submit",
        },
    )
    assert response.status_code == 422  # the site map is missing, and named
    assert "Asemapiirros" in response.content.decode()
    assert "Liitä tämä asiakirja" in response.content.decode()

    refused = customer.post(
        f"{url}attachments/", {"code": "site_map", "file": SimpleUploadedFile("map.pdf", EXE)}
    )
    assert refused.status_code == 422
    assert "ohjelma" in refused.content.decode()
    application.refresh_from_db()
    assert application.form_data["attendance"] == 1200  # nothing saved was lost

    ok = customer.post(
        f"{url}attachments/", {"code": "site_map", "file": SimpleUploadedFile("map.pdf", PDF)}
    )
    assert ok.status_code == 302
    submitted = customer.post(f"{url}submit/")
    assert submitted.status_code == 302
    receipt_page = customer.get(submitted["Location"])
    content = receipt_page.content.decode()
    application.refresh_from_db()
    receipt = application.submissions.get()
    assert application.reference in content and receipt.sha256 in content
    again = customer.post(f"{url}submit/")
    assert again["Location"] == submitted["Location"]
    assert OutboxMessage.objects.count() == 1

    summary = customer.get(f"/fi/projects/{project.public_id}/").content.decode()
    assert "lähetetty" in summary and "Aikajana" in summary
    listing = customer.get("/fi/projects/").content.decode()
    assert "Kesäfestivaali" in listing


def test_stale_shared_data_form_is_explained_not_overwritten(customer):
    project = create_project(customer)
    url = f"/fi/projects/{project.public_id}/shared-data/"
    customer.post(url, {"version": project.version, "contact_email": "first@example.fi"})
    response = customer.post(
        url, {"version": project.version, "contact_email": "second@example.fi"}
    )
    assert response.status_code == 409
    assert "Joku muutti" in response.content.decode()
    assert project.shared_values.get(field__code="contact_email").value == "first@example.fi"


def test_invalid_shared_data_is_named_next_to_the_field(customer):
    project = create_project(customer)
    response = customer.post(
        f"/fi/projects/{project.public_id}/shared-data/",
        {"version": project.version, "contact_email": "nope", "start_date": "huomenna"},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert 'href="#shared-contact_email"' in content
    assert "Kirjoita päivämäärä numeroina" in content


def test_shared_dates_are_typed_in_three_boxes_and_kept_when_wrong(customer):
    project = create_project(customer)
    url = f"/fi/projects/{project.public_id}/shared-data/"
    boxes = {"start_date-day": "31", "start_date-month": "6", "start_date-year": "2027"}
    response = customer.post(url, {"version": project.version, **boxes})
    assert response.status_code == 422
    content = response.content.decode()
    assert 'href="#shared-start_date-day"' in content
    assert "kuukaudessa ei ole sitä päivää" in content
    assert 'name="start_date-day" type="text" inputmode="numeric" value="31"' in content
    assert 'name="start_date-month" type="text" inputmode="numeric" value="6"' in content
    assert not project.shared_values.filter(field__code="start_date").exists()
    boxes["start_date-day"] = "30"
    response = customer.post(url, {"version": project.version, **boxes})
    assert response.status_code == 302
    assert project.shared_values.get(field__code="start_date").value == "2027-06-30"
    page = customer.get(url).content.decode()
    assert 'name="start_date-day" type="text" inputmode="numeric" value="30"' in page
    assert "esim. 27 3 2026" in page


def test_another_company_cannot_see_or_touch_the_project(customer, other_company):
    project = create_project(customer)
    application = project.applications.first()
    assert isinstance(application, Application)
    base = f"/fi/projects/{project.public_id}/"
    app_url = f"{base}applications/{application.public_id}/"
    for url in (base, f"{base}shared-data/", app_url, f"{base}export.json"):
        assert other_company.get(url).status_code == 404, url
    for url, data in (
        (f"{base}shared-data/", {"contact_email": "x@example.fi"}),
        (app_url, {"event_name": "hijack"}),
        (f"{app_url}submit/", {}),
        (f"{app_url}drop/", {}),
        (f"{base}services/", {"service": ["rescue-plan"]}),
    ):
        assert other_company.post(url, data).status_code == 404, url
    assert "Kesäfestivaali" not in other_company.get("/fi/projects/").content.decode()
    assert not project.shared_values.filter(field__code="contact_email").exists()
    application.refresh_from_db()
    assert application.status == "draft"


def test_attachments_are_served_only_to_the_company(customer, other_company):
    project = create_project(customer)
    application = project.applications.first()
    assert isinstance(application, Application)
    url = f"/fi/projects/{project.public_id}/applications/{application.public_id}/"
    customer.post(
        f"{url}attachments/", {"code": "site_map", "file": SimpleUploadedFile("m.pdf", PDF)}
    )
    attachment = application.attachments.get()
    download = f"{url}attachments/{attachment.public_id}/"
    response = customer.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert other_company.get(download).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, vocab):
    response = client.get("/fi/projects/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
