"""Authority systems answer inforequests over /api/v1/authority-inforequests/: each sees and
answers only its own authority's part; another authority (or a key limited to other
services) is refused as if the inforequest did not exist, and the refusal is in the
company's access log; an answer is given once and the company sees it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luvat.audit.models import AccessEvent
from luvat.identity.models import ApiClient
from luvat.identity.services import api_key_issue
from luvat.inforequests.models import Addressee, InforequestAttachment
from luvat.uploads.scanning import EICAR
from tests.backoffice.factories import POLICE, RESCUE
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.inforequests.factories import planned_festival
from tests.integrations.conftest import issue_api_key
from tests.integrations.factories import ADMIN
from tests.samples import MINIMAL_PDF

pytestmark = pytest.mark.django_db
API = "/api/v1/authority-inforequests"


def system(authority_code: str, services: list[str] | None = None) -> Client:
    if services is None:
        key = issue_api_key(authority_code)
    else:
        client = ApiClient.objects.create(
            name="limited system", authority_code=authority_code, service_codes=services
        )
        key = api_key_issue(client=client, actor=ADMIN).token
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def asked():
    planned = planned_festival()
    inforequest = planned.ask(
        uploads=[SimpleUploadedFile("kartta.pdf", MINIMAL_PDF, content_type="application/pdf")]
    )
    return planned, inforequest


def answer(client: Client, inforequest, text: str = "Tarvitaan pelastussuunnitelma."):
    return client.post(
        f"{API}/{inforequest.public_id}/answer", {"answer": text}, content_type="application/json"
    )


def test_the_asked_authority_reads_its_part_and_answers_once(asked):
    _planned, inforequest = asked
    rescue = system(RESCUE)
    listed = rescue.get(f"{API}/")
    assert listed.status_code == 200, listed.content
    [row] = listed.json()
    assert row["id"] == str(inforequest.public_id)
    assert row["service_codes"] == ["event-rescue-plan"]
    assert row["business_id"] == FESTIVAALI
    assert [a["file_name"] for a in row["attachments"]] == ["kartta.pdf"]
    assert row["answered_at"] is None

    one = rescue.get(f"{API}/{inforequest.public_id}")
    assert one.status_code == 200
    assert one.json()["question"] == inforequest.question
    file_url = f"{API}/{inforequest.public_id}/attachments/{row['attachments'][0]['id']}"
    download = rescue.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF  # type: ignore[attr-defined]
    missing = rescue.get(f"{API}/{inforequest.public_id}/attachments/{inforequest.public_id}")
    assert missing.status_code == 404

    answered = answer(rescue, inforequest)
    assert answered.status_code == 201, answered.content
    assert answered.json()["answer"] == "Tarvitaan pelastussuunnitelma."
    mine = Addressee.objects.get(inforequest=inforequest, authority__code=RESCUE)
    assert mine.answered_at is not None and mine.answer == "Tarvitaan pelastussuunnitelma."
    # The police's part is its own: still open.
    assert Addressee.objects.get(inforequest=inforequest, authority__code=POLICE).answer == ""
    assert rescue.get(f"{API}/", {"answered": "false"}).json() == []

    again = answer(rescue, inforequest, "Toinen vastaus.")
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/already-answered"
    mine.refresh_from_db()
    assert mine.answer == "Tarvitaan pelastussuunnitelma."


def test_another_authority_is_refused_as_if_the_inforequest_did_not_exist(asked):
    _planned, inforequest = asked
    other = system("TUKES")
    assert other.get(f"{API}/").json() == []
    read = other.get(f"{API}/{inforequest.public_id}")
    assert read.status_code == 404 and read.json()["type"] == "/problems/not-found"
    refused = answer(other, inforequest, "Ei tarvita.")
    assert refused.status_code == 404 and refused.json()["type"] == "/problems/not-found"
    attachment = inforequest.attachments.get()
    file_url = f"{API}/{inforequest.public_id}/attachments/{attachment.public_id}"
    assert other.get(file_url).status_code == 404
    assert not Addressee.objects.filter(inforequest=inforequest, answered_at__isnull=False)
    denied = AccessEvent.objects.filter(
        subject_business_id=FESTIVAALI, object_type="inforequest", outcome="denied"
    )
    assert denied.count() == 3
    assert {e.actor_organisation for e in denied} == {"TUKES"}


def test_a_key_limited_to_other_services_of_the_asked_authority_is_refused(asked):
    _planned, inforequest = asked
    limited = system(RESCUE, services=["some-other-service"])
    assert limited.get(f"{API}/").json() == []
    assert limited.get(f"{API}/{inforequest.public_id}").status_code == 404
    assert answer(limited, inforequest).status_code == 404
    assert not Addressee.objects.filter(inforequest=inforequest, answered_at__isnull=False)


def test_no_key_no_answer_and_an_empty_answer_is_invalid(asked):
    _planned, inforequest = asked
    assert answer(Client(), inforequest).status_code == 401
    blank = answer(system(POLICE), inforequest, "   ")
    assert blank.status_code == 422
    assert blank.json()["type"] == "/problems/validation-error"
    assert not Addressee.objects.filter(inforequest=inforequest, answered_at__isnull=False)


def test_an_answer_with_files_over_the_api_is_checked_and_reaches_the_company(asked):
    _planned, inforequest = asked
    url = f"{API}/{inforequest.public_id}/answer-with-files"
    other = system("TUKES").post(
        url, {"answer": "Ei.", "files": [SimpleUploadedFile("a.pdf", MINIMAL_PDF)]}
    )
    assert other.status_code == 404
    rescue = system(RESCUE)
    infected = rescue.post(
        url,
        {
            "answer": "Ohje liitteenä.",
            "files": [
                SimpleUploadedFile("ohje.pdf", MINIMAL_PDF),
                SimpleUploadedFile("virus.txt", b"x" * 100 + EICAR),
            ],
        },
    )
    assert infected.status_code == 422
    assert infected.json()["errors"][0]["field"] == "attachments"
    assert not InforequestAttachment.objects.filter(addressee__isnull=False).exists()
    assert not Addressee.objects.filter(inforequest=inforequest, answered_at__isnull=False)

    sent = rescue.post(
        url, {"answer": "Ohje liitteenä.", "files": [SimpleUploadedFile("ohje.pdf", MINIMAL_PDF)]}
    )
    assert sent.status_code == 201, sent.content
    assert [f["file_name"] for f in sent.json()["answer_attachments"]] == ["ohje.pdf"]
    assert [f["file_name"] for f in sent.json()["attachments"]] == ["kartta.pdf"]
    listed = rescue.get(f"{API}/").json()
    assert [f["file_name"] for f in listed[0]["answer_attachments"]] == ["ohje.pdf"]

    company = Client()
    act_for_company(company, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    document = company.get(f"/api/v1/inforequests/{inforequest.public_id}").json()
    answers = {a["authority_code"]: a for a in document["answers"]}
    assert answers[RESCUE]["answer"] == "Ohje liitteenä."
    assert [f["file_name"] for f in answers[RESCUE]["attachments"]] == ["ohje.pdf"]
    # The police system, asked too, sees neither the rescue's answer nor its file.
    police = system(POLICE).get(f"{API}/{inforequest.public_id}").json()
    assert police["answer"] == "" and police["answer_attachments"] == []


def test_the_list_takes_the_same_queries_however_many_are_asked(asked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    planned, _inforequest = asked
    rescue = system(RESCUE)
    rescue.get(f"{API}/")  # the key is resolved and remembered once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert rescue.get(f"{API}/").status_code == 200
        return len(captured)

    one = queries()
    for n in range(3):
        planned.ask(
            subject=f"Kysymys {n}",
            uploads=[SimpleUploadedFile(f"liite-{n}.pdf", MINIMAL_PDF)],
        )
    assert len(rescue.get(f"{API}/").json()) == 4
    assert queries() == one
