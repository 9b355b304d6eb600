"""The pilot rule: a piloted service is offered through the service layer only to the companies
on its pilot list; the assessment still lists it, with the ordinary way to apply for others."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.assessment.models import Assessment
from luvat.assessment.offerings import annotate_offerings
from luvat.catalogue.models import ServicePackage
from luvat.onboarding import services
from luvat.onboarding.errors import OnboardingError
from luvat.onboarding.phases import Phase
from luvat.onboarding.routes import offerings_for, service_offered_to
from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.onboarding.factories import (
    SYSTEM,
    complete_checklist,
    environment_service,
    joining_with_service,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def piloted():
    service_joining = joining_with_service(phase=Phase.PILOT)
    services.pilot_company_add(
        service_joining=service_joining, business_id=TERAS, company_name="Teräs", actor=SYSTEM
    )
    return service_joining


def test_only_listed_companies_are_offered_a_piloted_service(piloted):
    pair = ("HKI-ENV", piloted.service.code)
    assert service_offered_to(
        authority_code=pair[0], service_code=pair[1], business_id=TERAS
    ).offered
    listed = offerings_for([pair], business_id=TERAS)[pair]
    assert (listed.offered, listed.pilot) == (True, True)
    other = offerings_for([pair], business_id=FESTIVAALI)[pair]
    assert (other.offered, other.pilot) == (False, True)
    assert offerings_for([pair], business_id="")[pair].offered is False


def test_production_offers_everyone_and_earlier_phases_no_one(piloted):
    pair = ("HKI-ENV", piloted.service.code)
    complete_checklist(piloted)
    services.service_joining_move(service_joining=piloted, phase=Phase.PRODUCTION, actor=SYSTEM)
    assert offerings_for([pair], business_id=FESTIVAALI)[pair].offered is True
    preparing = joining_with_service(
        authority=piloted.joining.authority,
        service=environment_service("b"),
        phase=Phase.PREPARING,
    )
    other_pair = ("HKI-ENV", preparing.service.code)
    assert offerings_for([other_pair], business_id=FESTIVAALI)[other_pair].offered is False
    unknown = ("HKI-ENV", "not-joined")
    assert offerings_for([unknown], business_id=FESTIVAALI)[unknown].offered is True


def test_offerings_take_a_fixed_number_of_queries(piloted, django_assert_num_queries):
    pairs = [("HKI-ENV", piloted.service.code), ("HKI-ENV", "x"), ("OTHER", "y")]
    with django_assert_num_queries(3):
        offerings_for(pairs, business_id=TERAS)


def test_a_bad_business_id_is_refused_by_field(piloted):
    with pytest.raises(OnboardingError) as refused:
        services.pilot_company_add(
            service_joining=piloted, business_id="1234567-0", company_name="", actor=SYSTEM
        )
    assert refused.value.field == "business_id"


def _result(service_code):
    item = {
        "service": {"code": service_code, "name": "Melu", "authority_resolution": "site"},
        "authority": {"code": "HKI-ENV", "name": "Ympäristö"},
        "reasons": [],
        "position": 1,
    }
    return {"definitely": [item], "possibly": []}


def test_annotated_result_marks_the_pilot(piloted):
    result = _result(piloted.service.code)
    annotated = annotate_offerings(result, business_id=FESTIVAALI)
    assert annotated["definitely"][0]["offering"] == {
        "offered": False,
        "pilot": True,
        "phase": "pilot",
    }
    assert "offering" not in result["definitely"][0]  # the stored result is not changed


def test_assessment_result_page_shows_the_ordinary_way_to_others(piloted):
    package = ServicePackage.objects.create(code="event", name_fi="Tapahtuma")
    assessment = Assessment.objects.create(
        package=package,
        answers={},
        # Made in the language it is viewed in: another language re-evaluates the answers.
        language="en",
        result={
            **_result(piloted.service.code),
            "package": {"code": "event", "name": "Tapahtuma"},
            "evaluated_on": "2026-01-01",
        },
    )
    url = f"/en/assessment/results/{assessment.public_id}/"
    anonymous = Client().get(url)
    assert b"selected companies only. Apply the ordinary way" in anonymous.content

    teras = Client()
    act_for_company(teras, LocalMandateFactory.create(business_id=TERAS).person, TERAS)
    listed = teras.get(url)
    assert b"your company takes part in the pilot" in listed.content

    festivaali = Client()
    act_for_company(festivaali, LocalMandateFactory.create().person, FESTIVAALI)
    assert b"Apply the ordinary way" in festivaali.get(url).content


def test_a_company_off_the_pilot_list_cannot_add_the_service_by_any_way(piloted):
    from luvat.projects.errors import NotOffered
    from luvat.projects.services import application_add
    from tests.projects.factories import CUSTOMER_A

    project = helsinki_project(FESTIVAALI)
    with pytest.raises(NotOffered):
        application_add(project=project, service=piloted.service, actor=CUSTOMER_A)
    assert not project.applications.exists()

    listed = helsinki_project(TERAS)
    application = application_add(project=listed, service=piloted.service, actor=CUSTOMER_A)
    assert application.authority is not None and application.authority.code == "HKI-ENV"


def test_the_api_refuses_a_piloted_service_with_a_problem(piloted, client):
    from tests.projects.factories import MunicipalityFactory, vocabulary

    MunicipalityFactory(code="091")
    vocabulary()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    created = client.post(
        "/api/v1/projects/",
        {"name": "Ei pilotissa", "shared_data": {"site_municipality": "091"}},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    project_id = created.json()["id"]
    refused = client.post(
        f"/api/v1/projects/{project_id}/applications",
        {"service_code": piloted.service.code},
        content_type="application/json",
    )
    assert refused.status_code == 409, refused.content
    assert refused.json()["type"].endswith("/not-offered")
    assert created.json()["applications"] == []


def test_a_project_from_the_assessment_leaves_a_piloted_service_out_for_others(piloted):
    from luvat.projects.errors import InvalidServiceChoice
    from luvat.projects.services import project_create_from_assessment
    from tests.projects.factories import CUSTOMER_A

    package = ServicePackage.objects.create(code="event", name_fi="Tapahtuma")
    assessment = Assessment.objects.create(
        package=package,
        answers={},
        language="fi",
        result={**_result(piloted.service.code), "package": {"code": "event", "name": "T"}},
    )
    with pytest.raises(InvalidServiceChoice) as refused:
        project_create_from_assessment(
            actor=CUSTOMER_A,
            business_id=FESTIVAALI,
            assessment=assessment,
            keep=[piloted.service.code],
        )
    assert piloted.service.code in refused.value.errors["service_codes"][0]
    project = project_create_from_assessment(
        actor=CUSTOMER_A, business_id=FESTIVAALI, assessment=assessment
    )
    assert not project.applications.exists()


def test_the_project_page_tells_a_company_off_the_list_to_apply_the_ordinary_way(piloted):

    project = helsinki_project(FESTIVAALI)
    festivaali = Client()
    act_for_company(festivaali, LocalMandateFactory.create().person, FESTIVAALI)
    response = festivaali.post(
        f"/en/projects/{project.public_id}/services/",
        {"service": [piloted.service.code]},
        follow=True,
    )
    assert response.status_code == 200
    assert b"with selected companies; apply through the authority&#x27;s own channels" in (
        response.content
    )
    assert not project.applications.exists()


def helsinki_project(business_id: str):
    """A company's project on a Helsinki site (where HKI-ENV handles the piloted service)."""
    from luvat.projects.services import project_create
    from tests.projects.factories import CUSTOMER_A

    project = project_create(actor=CUSTOMER_A, business_id=business_id, name="Hanke")
    project.municipality_code = "091"
    project.save(update_fields=["municipality_code"])
    return project


def test_the_project_from_assessment_page_shows_a_piloted_service_as_not_to_keep(piloted):
    package = ServicePackage.objects.create(code="event", name_fi="Tapahtuma")
    assessment = Assessment.objects.create(
        package=package,
        answers={},
        language="fi",
        result={**_result(piloted.service.code), "package": {"code": "event", "name": "T"}},
    )
    url = f"/en/projects/from-assessment/{assessment.public_id}/"
    festivaali = Client()
    act_for_company(festivaali, LocalMandateFactory.create().person, FESTIVAALI)
    page = festivaali.get(url).content.decode()
    code = piloted.service.code
    assert f'id="service-{code}" disabled aria-describedby="pilot-{code}"' in page
    assert "piloting this service with selected companies" in page
    teras = Client()
    act_for_company(teras, LocalMandateFactory.create(business_id=TERAS).person, TERAS)
    listed = teras.get(url).content.decode()
    assert f'id="service-{code}" checked>' in listed
