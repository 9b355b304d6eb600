"""Officials attach files to their answers: checked by content and scanned like the customer's
files (an infected or disguised file refuses the whole answer, nothing is stored), shown and
served to the company with the answer, and never to another asked authority."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luvat.inforequests.models import Addressee, InforequestAttachment
from luvat.uploads.scanning import EICAR
from tests.backoffice.factories import POLICE, RESCUE
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_as_official, act_for_company
from tests.inforequests.factories import planned_festival
from tests.samples import MINIMAL_PDF

pytestmark = pytest.mark.django_db


def official_client(authority_code: str) -> Client:
    client = Client()
    act_as_official(
        client, OfficialRoleFactory.create(authority_code=authority_code).person, authority_code
    )
    return client


def company_client() -> Client:
    client = Client()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    return client


def answer_url(inforequest, addressee: Addressee) -> str:
    return f"/fi/inforequests/{inforequest.public_id}/answers/{addressee.public_id}/"


def pdf(name: str = "ohje.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def test_an_answer_with_files_reaches_the_company_and_not_the_other_authority(media_root):
    planned = planned_festival()
    inforequest = planned.ask()
    rescue_part = Addressee.objects.get(inforequest=inforequest, authority__code=RESCUE)
    rescue = official_client(RESCUE)
    form = rescue.get(f"/fi/inforequests/{inforequest.public_id}/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="attachment"' in form

    sent = rescue.post(
        answer_url(inforequest, rescue_part),
        {"answer": "Tarvitaan, ohje liitteenä.", "attachment": [pdf(), pdf("kartta.pdf")]},
    )
    assert sent.status_code == 302, sent.content
    files = list(InforequestAttachment.objects.filter(addressee=rescue_part))
    assert sorted(f.original_name for f in files) == ["kartta.pdf", "ohje.pdf"]
    assert {(f.inforequest_id, f.content_type) for f in files} == {
        (inforequest.pk, "application/pdf")
    }
    assert all((media_root / f.file.name).read_bytes() == MINIMAL_PDF for f in files)
    ohje = next(f for f in files if f.original_name == "ohje.pdf")
    file_url = f"/fi/inforequests/{inforequest.public_id}/attachments/{ohje.public_id}/"

    company = company_client()
    page = company.get(f"/fi/inforequests/{inforequest.public_id}/").content.decode()
    assert "Vastauksen liitteet" in page and file_url in page
    download = company.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF  # type: ignore[attr-defined]
    api = company.get(f"/api/v1/inforequests/{inforequest.public_id}").json()
    by_code = {a["authority_code"]: a for a in api["answers"]}
    assert sorted(f["file_name"] for f in by_code[RESCUE]["attachments"]) == [
        "kartta.pdf",
        "ohje.pdf",
    ]
    assert by_code[POLICE]["attachments"] == [] and api["attachments"] == []

    # The police were asked too, but see neither the rescue's answer nor its files.
    police = official_client(POLICE)
    police_page = police.get(f"/fi/inforequests/{inforequest.public_id}/").content.decode()
    assert "Tarvitaan, ohje liitteenä." not in police_page and file_url not in police_page
    assert police.get(file_url).status_code == 404
    assert rescue.get(file_url).status_code == 200


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.txt", b"x" * 100 + EICAR, content_type="text/plain"),
        SimpleUploadedFile("ohje.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
    ],
    ids=["infected", "disguised"],
)
def test_a_refused_file_refuses_the_whole_answer_and_stores_nothing(upload, media_root):
    planned = planned_festival()
    inforequest = planned.ask()
    rescue_part = Addressee.objects.get(inforequest=inforequest, authority__code=RESCUE)
    response = official_client(RESCUE).post(
        answer_url(inforequest, rescue_part), {"answer": "Katso liite.", "attachment": [upload]}
    )
    assert response.status_code == 422
    page = response.content.decode()
    # Told next to the file field, and the typed answer is kept for the next try.
    error = f'id="answer-files-error-{rescue_part.public_id}">{upload.name}: '
    assert error in page
    assert "Katso liite.</textarea>" in page
    rescue_part.refresh_from_db()
    assert rescue_part.answered_at is None and rescue_part.answer == ""
    assert not InforequestAttachment.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]
