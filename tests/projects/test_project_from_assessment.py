"""A project from a stored permit-need assessment: suggested services become drafts the customer
keeps or drops, mapped answers become shared data from the assessment, once per company."""

from __future__ import annotations

import pytest

from luvat.projects.errors import InvalidServiceChoice
from luvat.projects.models import Project, Provenance
from luvat.projects.services import project_create_from_assessment
from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import CUSTOMER_A

SUGGESTED = {
    "public-event-notification",
    "event-rescue-plan",
    "noise-notification",
    "consumer-safety-document",
}
API = "/api/v1/projects/"


@pytest.fixture
def customer(client, catalogue):
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    return client


def test_every_suggested_service_becomes_a_draft_and_answers_become_shared_data(
    event_assessment,
):
    project = project_create_from_assessment(
        actor=CUSTOMER_A, business_id=CUSTOMER_A.on_behalf_of, assessment=event_assessment
    )
    applications = {a.service.code: a for a in project.applications.select_related("service")}
    assert set(applications) == SUGGESTED
    assert {a.status for a in applications.values()} == {"draft"}
    rescue = applications["event-rescue-plan"].authority
    assert rescue is not None and rescue.code == "HKI-RESCUE"
    assert project.package is not None and project.package.code == "event"
    assert project.name == "Tapahtuman järjestäminen"
    assert project.assessment_result_id == event_assessment.public_id
    assert project.assessment_answers == event_assessment.answers
    carried = {
        v.field.code: (v.value, v.provenance)
        for v in project.shared_values.select_related("field")
        if v.provenance == Provenance.ASSESSMENT
    }
    start = event_assessment.answers["start_date"]
    assert carried == {
        "site_municipality": ("091", "assessment"),
        "start_date": (start, "assessment"),
        "expected_attendance": (300, "assessment"),
    }
    assert project.starts_on is not None and project.starts_on.isoformat() == start
    assert project.municipality_code == "091"


def test_the_customer_keeps_some_and_cannot_add_what_was_not_suggested(event_assessment):
    with pytest.raises(InvalidServiceChoice) as refused:
        project_create_from_assessment(
            actor=CUSTOMER_A,
            business_id=CUSTOMER_A.on_behalf_of,
            assessment=event_assessment,
            keep=["event-rescue-plan", "alcohol-serving-permit"],
        )
    assert "alcohol-serving-permit" in refused.value.errors["service_codes"][0]
    assert not Project.objects.exists()
    project = project_create_from_assessment(
        actor=CUSTOMER_A,
        business_id=CUSTOMER_A.on_behalf_of,
        assessment=event_assessment,
        keep=["event-rescue-plan", "noise-notification"],
        name="Kesäkonsertti",
    )
    assert project.name == "Kesäkonsertti"
    assert sorted(project.applications.values_list("service__code", flat=True)) == [
        "event-rescue-plan",
        "noise-notification",
    ]


def test_creating_twice_from_one_assessment_gives_one_project(event_assessment):
    first = project_create_from_assessment(
        actor=CUSTOMER_A, business_id=CUSTOMER_A.on_behalf_of, assessment=event_assessment
    )
    again = project_create_from_assessment(
        actor=CUSTOMER_A, business_id=CUSTOMER_A.on_behalf_of, assessment=event_assessment
    )
    assert again.pk == first.pk
    assert Project.objects.count() == 1


def test_anonymous_visitors_log_in_first_and_come_back(client, event_assessment):
    url = f"/fi/projects/from-assessment/{event_assessment.public_id}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/login/")
    assert "next=" in response["Location"]
    assert client.post(url, {"service": sorted(SUGGESTED)}).status_code == 302
    assert not Project.objects.exists()


def test_the_result_page_links_to_the_confirmation_page(client, event_assessment):
    page = client.get(f"/fi/assessment/results/{event_assessment.public_id}/")
    assert f"/fi/projects/from-assessment/{event_assessment.public_id}/" in page.text


def test_confirmation_page_lists_suggestions_ticked_and_creates_the_project(
    customer, event_assessment
):
    url = f"/fi/projects/from-assessment/{event_assessment.public_id}/"
    page = customer.get(url)
    assert page.status_code == 200
    html = page.text
    for code in SUGGESTED:
        assert f'value="{code}" id="service-{code}" checked' in html
    assert "Helsinki" in html
    response = customer.post(
        url,
        {"name": "Kesäfestari", "service": ["event-rescue-plan", "noise-notification", "x"]},
    )
    assert response.status_code == 422
    assert "x" in response.text and 'id="services-error"' in response.text
    assert not Project.objects.exists()

    response = customer.post(url, {"name": "Kesäfestari", "service": sorted(SUGGESTED)})
    project = Project.objects.get()
    assert response["Location"] == f"/fi/projects/{project.public_id}/"
    assert project.company_name == "Festivaali Oy"
    assert project.applications.count() == 4
    again = customer.get(url)
    assert again["Location"] == f"/fi/projects/{project.public_id}/"


def test_api_creates_from_an_assessment_once(customer, event_assessment):
    body = {"assessment_id": str(event_assessment.public_id)}
    created = customer.post(API, body, content_type="application/json")
    assert created.status_code == 201, created.content
    document = created.json()
    assert {a["service_code"] for a in document["applications"]} == SUGGESTED
    shared = {v["code"]: v["provenance"] for v in document["shared_data"]}
    assert shared["expected_attendance"] == "assessment"
    assert shared["company_name"] == "company_register"
    again = customer.post(API, body, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["id"] == document["id"]


def test_api_names_the_field_of_a_bad_assessment_request(customer, event_assessment):
    unknown = customer.post(
        API,
        {"assessment_id": "00000000-0000-4000-8000-000000000000"},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "assessment_id"
    wrong = customer.post(
        API,
        {"assessment_id": str(event_assessment.public_id), "service_codes": ["nope"]},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "service_codes"
    nameless = customer.post(API, {"service_codes": []}, content_type="application/json")
    assert nameless.status_code == 422
    assert nameless.json()["errors"][0]["field"] == "name"


def test_another_company_sees_its_own_project_from_the_same_assessment(
    client, catalogue, event_assessment
):
    first = project_create_from_assessment(
        actor=CUSTOMER_A, business_id=FESTIVAALI, assessment=event_assessment
    )
    act_for_company(client, LocalMandateFactory.create(business_id=TERAS).person, TERAS)
    response = client.post(
        API, {"assessment_id": str(event_assessment.public_id)}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["id"] != str(first.public_id)
    assert response.json()["business_id"] == TERAS
