"""The inforequest flow over /api/v1/inforequests/: ask, read the answers, make one an
application; another company gets 404 and nothing of it in its list."""

from __future__ import annotations

import pytest
from django.test import Client

from luvat.inforequests.services import inforequest_answer
from luvat.projects.models import Application
from tests.backoffice.factories import POLICE, RESCUE
from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.inforequests.factories import planned_festival

pytestmark = pytest.mark.django_db
API = "/api/v1/inforequests"


@pytest.fixture
def planned(client):
    planned = planned_festival()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    return planned


def ask(client, planned, **changes):
    body = {
        "project_id": str(planned.project.public_id),
        "subject": "Lava puistossa",
        "question": "Tarvitaanko pelastussuunnitelma?",
        "authority_codes": [RESCUE, POLICE],
        "shared_data": {"activity_name": "Puistofestivaali 2027"},
        **changes,
    }
    return client.post(f"{API}/", body, content_type="application/json")


def test_ask_answer_and_make_an_application_over_the_api(client, planned):
    created = ask(client, planned)
    assert created.status_code == 201, created.content
    document = created.json()
    assert [a["authority_code"] for a in document["answers"]] == [POLICE, RESCUE]
    assert document["shared_data"] == {"activity_name": "Puistofestivaali 2027"}
    rescue = next(a for a in document["answers"] if a["authority_code"] == RESCUE)
    url = f"{API}/{document['id']}/answers/{rescue['id']}/application"
    early = client.post(url, {"service_code": "event-rescue-plan"}, content_type="application/json")
    assert early.status_code == 409 and early.json()["type"] == "/problems/not-answered"
    from luvat.inforequests.models import Addressee

    inforequest_answer(
        addressee=Addressee.objects.get(public_id=rescue["id"]),
        answer="Tarvitaan.",
        actor=planned.rescue,
    )
    assert client.get(f"{API}/{document['id']}").json()["answers"][1]["answer"] == "Tarvitaan."
    made = client.post(url, {"service_code": "event-rescue-plan"}, content_type="application/json")
    assert made.status_code == 201, made.content
    application = Application.objects.get(public_id=made.json()["application_id"])
    assert application.prior_exchange["answer"] == "Tarvitaan."
    listed = client.get(f"{API}/", {"project_id": str(planned.project.public_id)}).json()
    assert listed[0]["answers"][1]["application_id"] == str(application.public_id)


def test_unknown_authorities_and_empty_questions_are_named(client, planned):
    refused = ask(client, planned, authority_codes=["NOBODY"])
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "authority_codes"
    empty = ask(client, planned, question=" ")
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "question"


def test_another_company_gets_404_and_an_empty_list(client, planned):
    document = ask(client, planned).json()
    other = Client()
    act_for_company(other, LocalMandateFactory.create(business_id=TERAS).person, TERAS)
    assert other.get(f"{API}/{document['id']}").status_code == 404
    answer = document["answers"][0]["id"]
    url = f"{API}/{document['id']}/answers/{answer}/application"
    assert (
        other.post(url, {"service_code": "x"}, content_type="application/json").status_code == 404
    )
    assert other.get(f"{API}/").json() == []
    foreign = ask(other, planned)
    assert foreign.status_code == 404
    assert Client().get(f"{API}/").status_code == 401
