"""The application form's own attach and remove buttons save the typed text first (or show it
again when it cannot be saved); a post after the session ended keeps the fields for the person
named by the signed cookie, and only for them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from luvat.audit.models import AuditEvent
from luvat.projects.models import KeptFormInput
from luvat.projects.views.kept_input import COOKIE
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import AuthorityFactory, ServiceFactory
from tests.projects.test_project_pages import create_project
from tests.samples import MINIMAL_PDF


@pytest.fixture
def person(vocab):
    AuthorityFactory.create(code="HKI-POLICE")
    ServiceFactory.create(code="public-event-notification", name_fi="Yleisötilaisuusilmoitus")
    ServiceFactory.create(code="rescue-plan", name_fi="Pelastussuunnitelma")
    return LocalMandateFactory.create(business_id=FESTIVAALI).person


@pytest.fixture
def form(client, person):
    act_for_company(client, person, FESTIVAALI)
    project = create_project(client)
    application = project.applications.get(service__code="rescue-plan")
    url = f"/fi/projects/{project.public_id}/applications/{application.public_id}/"
    assert client.get(url).status_code == 200  # sets the form-owner cookie
    return project, application, url


def posted(project, application, **fields):
    project.refresh_from_db()
    application.refresh_from_db()
    return {"version": application.version, "project_version": project.version, **fields}


def test_attach_saves_the_typed_text_first(client, form):
    project, application, url = form
    data = posted(project, application, attendance="1200", then="attach:site_map")
    data["file-site_map"] = SimpleUploadedFile("kartta.pdf", MINIMAL_PDF)
    response = client.post(url, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.form_data["attendance"] == 1200
    assert application.attachments.get().original_name == "kartta.pdf"


def test_attach_with_unparseable_text_attaches_and_shows_the_text_again(client, form):
    project, application, url = form
    data = posted(project, application, attendance="lots", then="attach:site_map")
    data["file-site_map"] = SimpleUploadedFile("kartta.pdf", MINIMAL_PDF)
    response = client.post(url, data)
    assert response.status_code == 422
    assert 'value="lots"' in response.content.decode()
    assert application.attachments.count() == 1


def test_a_refused_file_keeps_the_text_in_the_page(client, form):
    project, application, url = form
    data = posted(project, application, attendance="900", then="attach:site_map")
    data["file-site_map"] = SimpleUploadedFile("kartta.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(url, data)
    assert response.status_code == 422
    assert 'value="900"' in response.content.decode()
    assert application.attachments.count() == 0


def test_remove_from_the_form_saves_the_text(client, form):
    project, application, url = form
    data = posted(project, application, then="attach:site_map")
    data["file-site_map"] = SimpleUploadedFile("kartta.pdf", MINIMAL_PDF)
    client.post(url, data)
    attachment = application.attachments.get()
    response = client.post(
        url, posted(project, application, attendance="77", then=f"remove:{attachment.public_id}")
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.form_data["attendance"] == 77
    assert application.attachments.count() == 0


def test_a_post_after_the_time_out_is_kept_for_the_same_person_only(client, form, person):
    project, application, url = form
    cookie = client.cookies[COOKIE].value
    client.session.flush()
    stranger = Client()
    stranger.cookies[COOKIE] = cookie
    response = stranger.post(url, {"attendance": "1500", "csrfmiddlewaretoken": "x"})
    assert response.status_code == 302 and "/login/?next=" in response["Location"]
    kept = KeptFormInput.objects.get()
    assert kept.person == person and kept.fields == {"attendance": ["1500"]}
    assert AuditEvent.objects.filter(action="application.form_input_kept").count() == 1

    other = LocalMandateFactory.create(business_id=FESTIVAALI).person
    other_client = Client()
    act_for_company(other_client, other, FESTIVAALI)
    assert 'value="1500"' not in other_client.get(url).content.decode()

    again = Client()
    act_for_company(again, person, FESTIVAALI)
    page = again.get(url).content.decode()
    assert 'value="1500"' in page and "Kirjoittamasi tiedot palautettiin" in page
    again.post(url, posted(project, application, attendance="1500", then="save"))
    assert KeptFormInput.objects.count() == 0


def test_no_cookie_or_a_forged_one_keeps_nothing(form):
    _project, _application, url = form
    anonymous = Client()
    assert anonymous.post(url, {"attendance": "1"}).status_code == 302
    anonymous.cookies[COOKIE] = "1:forged:signature"
    assert anonymous.post(url, {"attendance": "1"}).status_code == 302
    assert KeptFormInput.objects.count() == 0


def test_kept_input_is_not_shown_after_a_day(client, form, person):
    _project, application, url = form
    KeptFormInput.objects.create(
        person=person,
        application=application,
        fields={"attendance": ["4321"]},
        kept_at=timezone.now() - timedelta(hours=25),
    )
    assert 'value="4321"' not in client.get(url).content.decode()
