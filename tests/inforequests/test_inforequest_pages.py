"""The pages without JavaScript: asking from an assessment result keeps the question with the
company's project of that assessment; a form posted incomplete names each field; the pages
speak Swedish and English too."""

from __future__ import annotations

import pytest

from luvat.audit.actors import Actor, ActorKind
from luvat.inforequests.models import Inforequest
from luvat.inforequests.selectors import assessment_ask_options
from luvat.inforequests.services import inforequest_ask_from_assessment
from luvat.projects.models import Project
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.inforequests.factories import planned_festival

pytestmark = pytest.mark.django_db


def test_asking_from_an_assessment_keeps_the_question_with_a_project_without_applications(
    event_assessment,
):
    options = assessment_ask_options(event_assessment)
    assert options and all(option.services for option in options)
    maija = Actor(kind=ActorKind.CUSTOMER, ref="person:0", label="Maija", on_behalf_of=FESTIVAALI)
    first = options[0]
    inforequest = inforequest_ask_from_assessment(
        assessment=event_assessment,
        business_id=FESTIVAALI,
        company_name="Festivaali Oy",
        subject="Konsertti",
        question="Mitä lupia 300 hengen ulkokonserttiin tarvitaan?",
        asked={first.authority: list(first.services)},
        actor=maija,
    )
    project = inforequest.project
    assert project.assessment_result_id == event_assessment.public_id
    assert not project.applications.exists()
    assert [a.authority for a in inforequest.addressees.all()] == [first.authority]
    # Asking again from the same result uses the same project.
    again = inforequest_ask_from_assessment(
        assessment=event_assessment,
        business_id=FESTIVAALI,
        company_name="Festivaali Oy",
        subject="Toinen",
        question="Entä ilotulitus?",
        asked={first.authority: list(first.services)},
        actor=maija,
    )
    assert again.project == project and Project.objects.count() == 1


def test_the_result_page_offers_asking_and_the_form_names_what_is_missing(client, event_assessment):
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    url = f"/fi/inforequests/from-assessment/{event_assessment.public_id}/"
    result = client.get(f"/fi/assessment/results/{event_assessment.public_id}/")
    assert url in result.content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Keneltä kysyt?" in page.content.decode()
    refused = client.post(url, {"subject": "", "question": ""})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "Anna kysymykselle aihe." in body and "Valitse vähintään yksi viranomainen" in body
    assert not Inforequest.objects.exists() and not Project.objects.exists()


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fi", "Neuvontapyyntö"), ("sv", "Rådgivningsbegäran"), ("en", "Inforequest")],
)
def test_the_inforequest_page_speaks_the_viewers_language(client, language, heading):
    planned = planned_festival()
    inforequest = planned.ask()
    person = LocalMandateFactory.create(business_id=FESTIVAALI).person
    act_for_company(client, person, FESTIVAALI)
    page = client.get(f"/{language}/inforequests/{inforequest.public_id}/")
    assert page.status_code == 200
    assert f"<h1>{heading}: Lava puistossa</h1>" in page.content.decode()
