"""The application form's schema dates are GOV.UK date inputs: typed in three boxes, read by
the one parser, shown again as typed when wrong, and kept over a session time-out."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.projects.views.kept_input import COOKIE
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import EVENT_MAPPING, EVENT_SCHEMA, AuthorityFactory, ServiceFactory
from tests.projects.test_project_pages import create_project

SCHEMA = {
    **EVENT_SCHEMA,
    "properties": {
        **EVENT_SCHEMA["properties"],
        "starts": {"type": "string", "format": "date", "title": "Alkaa"},
        "ends": {"type": "string", "format": "date", "title": "Päättyy"},
    },
}


@pytest.fixture
def person(vocab):
    AuthorityFactory.create(code="HKI-POLICE")
    ServiceFactory.create(code="public-event-notification", name_fi="Yleisötilaisuusilmoitus")
    ServiceFactory.create(
        code="rescue-plan",
        name_fi="Pelastussuunnitelma",
        form_schema=SCHEMA,
        shared_data_mapping={**EVENT_MAPPING, "starts": "start_date"},
    )
    return LocalMandateFactory.create(business_id=FESTIVAALI).person


@pytest.fixture
def form(client, person):
    act_for_company(client, person, FESTIVAALI)
    project = create_project(client)
    application = project.applications.get(service__code="rescue-plan")
    url = f"/fi/projects/{project.public_id}/applications/{application.public_id}/"
    assert client.get(url).status_code == 200
    return project, application, url


def posted(project, application, **fields):
    project.refresh_from_db()
    application.refresh_from_db()
    return {"version": application.version, "project_version": project.version, **fields}


def box(name: str, part: str, value: str) -> str:
    return f'name="{name}-{part}" type="text" inputmode="numeric" value="{value}"'


def test_the_date_is_one_fieldset_of_three_boxes_with_the_hint(client, form):
    _project, _application, url = form
    page = client.get(url).content.decode()
    assert page.count('<fieldset class="govuk-fieldset" role="group"') == 2
    assert "esim. 27 3 2026" in page
    assert 'for="field-starts-day">Päivä</label>' in page
    assert 'type="date"' not in page


def test_dates_typed_in_boxes_are_saved_as_dates_and_shown_again(client, form):
    project, application, url = form
    data = posted(
        project,
        application,
        then="save",
        **{"starts-day": "27", "starts-month": "03", "starts-year": "2027"},
        **{"ends-day": "28", "ends-month": "3", "ends-year": "2027"},
    )
    assert client.post(url, data).status_code == 302
    application.refresh_from_db()
    assert application.form_data["ends"] == "2027-03-28"
    assert project.shared_values.get(field__code="start_date").value == "2027-03-27"
    page = client.get(url).content.decode()
    assert box("starts", "day", "27") in page and box("starts", "month", "3") in page
    assert box("ends", "year", "2027") in page


def test_a_wrong_date_is_named_at_its_first_wrong_box_and_kept_as_typed(client, form):
    project, application, url = form
    data = posted(
        project,
        application,
        then="save",
        attendance="1500",
        **{"ends-day": "12", "ends-month": "13", "ends-year": "2027"},
    )
    response = client.post(url, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'href="#field-ends-month">Päättyy: Anna oikea päivämäärä' in page
    assert box("ends", "day", "12") in page and box("ends", "month", "13") in page
    assert 'value="1500"' in page
    assert page.count("govuk-input--error") == 1
    application.refresh_from_db()
    assert "ends" not in (application.form_data or {})


def test_boxes_posted_after_the_time_out_come_back_after_log_in(client, form, person):
    _project, _application, url = form
    cookie = client.cookies[COOKIE].value
    client.session.flush()
    stranger = Client()
    stranger.cookies[COOKIE] = cookie
    fields = {"ends-day": "1", "ends-month": "7", "ends-year": "2027", "csrfmiddlewaretoken": "x"}
    assert stranger.post(url, fields).status_code == 302
    again = Client()
    act_for_company(again, person, FESTIVAALI)
    page = again.get(url).content.decode()
    assert box("ends", "day", "1") in page and box("ends", "month", "7") in page
