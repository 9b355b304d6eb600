"""An application made from an answered inforequest carries the question's and that answer's
files: linked, not copied (no new bytes in storage, no application attachment to remove), shown
on the application page and served by the inforequest's own view, so that they stay
access-controlled per inforequest: another company and another asked authority get 404."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luvat.catalogue.models import Service
from luvat.inforequests.models import Addressee, InforequestAttachment
from luvat.inforequests.services import inforequest_answer, inforequest_convert
from luvat.projects.models import Attachment
from luvat.projects.services import application_save_form, application_submit, attachment_add
from tests.backoffice.factories import POLICE, RESCUE, pdf
from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_as_official, act_for_company
from tests.inforequests.factories import planned_festival

pytestmark = pytest.mark.django_db

NOTE = b"Muistio: lava 20 m puistosta.\n"


def note(name: str = "muistio.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, NOTE, content_type="text/plain")


def company_client(business_id: str = FESTIVAALI) -> Client:
    client = Client()
    act_for_company(client, LocalMandateFactory.create(business_id=business_id).person, business_id)
    return client


def official_client(authority_code: str) -> Client:
    client = Client()
    act_as_official(
        client, OfficialRoleFactory.create(authority_code=authority_code).person, authority_code
    )
    return client


def stored_files(media_root) -> set[str]:
    return {str(p) for p in media_root.rglob("*") if p.is_file()}


@pytest.fixture
def converted(media_root):
    """The company asked with a note; the rescue authority answered with two PDFs, the police
    with one; the rescue answer was made an application."""
    planned = planned_festival()
    inforequest = planned.ask(uploads=[note()])
    rescue_part = Addressee.objects.get(inforequest=inforequest, authority__code=RESCUE)
    police_part = Addressee.objects.get(inforequest=inforequest, authority__code=POLICE)
    inforequest_answer(
        addressee=rescue_part,
        answer="Tarvitaan, ohje liitteenä.",
        actor=planned.rescue,
        uploads=[pdf("ohje.pdf"), pdf("kartta.pdf")],
    )
    inforequest_answer(
        addressee=police_part, answer="Ilmoitus riittää.", actor=planned.police, uploads=[pdf()]
    )
    before = stored_files(media_root)
    application = inforequest_convert(
        addressee=rescue_part,
        service=Service.objects.get(code="event-rescue-plan"),
        actor=planned.maija,
    )
    return planned, inforequest, application, before


def test_the_application_carries_the_question_and_this_answers_files_without_copying(
    converted, media_root
):
    _planned, inforequest, application, before = converted
    files = application.prior_exchange["files"]
    rescue_files = InforequestAttachment.objects.filter(addressee__authority__code=RESCUE)
    question_file = InforequestAttachment.objects.get(addressee__isnull=True)
    assert application.prior_exchange["inforequest_id"] == str(inforequest.public_id)
    assert sorted((f["part"], f["name"]) for f in files) == [
        ("answer", "kartta.pdf"),
        ("answer", "ohje.pdf"),
        ("question", "muistio.txt"),
    ]
    assert {f["id"] for f in files} == {
        str(f.public_id) for f in [*rescue_files, question_file]
    }  # the police's answer file is not the rescue answer's
    by_name = {f["name"]: f for f in files}
    assert by_name["muistio.txt"]["sha256"] == hashlib.sha256(NOTE).hexdigest()
    assert by_name["muistio.txt"]["size"] == len(NOTE)
    assert by_name["ohje.pdf"]["content_type"] == "application/pdf"
    # Linked, not copied: nothing new in storage and no working copy the customer could drop.
    assert stored_files(media_root) == before
    assert not Attachment.objects.filter(application=application).exists()


def test_the_files_are_listed_on_the_application_page_and_served_to_the_company(converted):
    planned, inforequest, application, _before = converted
    company = company_client()
    project = planned.project
    page = company.get(
        f"/fi/projects/{project.public_id}/applications/{application.public_id}/"
    ).content.decode()
    assert "Vastauksen liitteet" in page and "Kysymyksen liitteet" in page
    for file in application.prior_exchange["files"]:
        link = f"/fi/inforequests/{inforequest.public_id}/attachments/{file['id']}/"
        assert f'href="{link}"' in page
        download = company.get(link)
        assert download.status_code == 200
        body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
        assert hashlib.sha256(body).hexdigest() == file["sha256"]
    police_file = InforequestAttachment.objects.get(addressee__authority__code=POLICE)
    assert str(police_file.public_id) not in page
    swedish = company.get(
        f"/sv/projects/{project.public_id}/applications/{application.public_id}/"
    ).content.decode()
    assert "Svarets bilagor" in swedish and "Frågans bilagor" in swedish


def test_the_files_stay_access_controlled_per_inforequest(converted):
    planned, inforequest, application, _before = converted
    links = {
        f["name"]: f"/fi/inforequests/{inforequest.public_id}/attachments/{f['id']}/"
        for f in application.prior_exchange["files"]
    }
    other = company_client(TERAS)
    project = planned.project
    assert (
        other.get(
            f"/fi/projects/{project.public_id}/applications/{application.public_id}/"
        ).status_code
        == 404
    )
    assert all(other.get(link).status_code == 404 for link in links.values())
    # The police were asked too: they see the question's file, never the rescue's answer files.
    police = official_client(POLICE)
    assert police.get(links["ohje.pdf"]).status_code == 404
    assert police.get(links["kartta.pdf"]).status_code == 404
    assert police.get(links["muistio.txt"]).status_code == 200
    # The rescue authority, which answered and will handle the application, reads them all.
    rescue = official_client(RESCUE)
    assert all(rescue.get(link).status_code == 200 for link in links.values())
    anonymous = Client().get(links["ohje.pdf"])
    assert anonymous.status_code == 302 and not anonymous.has_header("Content-Disposition")


def test_the_submitted_snapshot_names_the_files_by_their_hashes(converted):
    planned, _inforequest, application, _before = converted
    application_save_form(
        application=application,
        data={
            "event_name": "Fest",
            "organiser_email": "m@example.fi",
            "attendance": 800,
            "venue_kind": "outdoor",
        },
        actor=planned.maija,
    )
    attachment_add(application=application, code="site_map", upload=pdf(), actor=planned.maija)
    receipt = application_submit(application=application, actor=planned.maija)
    carried = receipt.snapshot["inforequest"]["files"]
    assert sorted(f["sha256"] for f in carried) == sorted(
        f.sha256 for f in InforequestAttachment.objects.exclude(addressee__authority__code=POLICE)
    )
