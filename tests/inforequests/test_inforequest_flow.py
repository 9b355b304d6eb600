"""Inforequests through their services: asked of two authorities with a file, each answers
its own part, the company hears of it, and an answer becomes an application carrying it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luvat.catalogue.models import Service
from luvat.identity.policy import Hidden
from luvat.inforequests.errors import AlreadyAnswered, InvalidInforequest, NotAnswered
from luvat.inforequests.models import Addressee, Inforequest
from luvat.inforequests.selectors import (
    addressees_for_authority,
    answered_for_company,
    inforequest_for,
    open_count_for_authority,
    project_ask_options,
)
from luvat.inforequests.services import inforequest_answer, inforequest_convert
from luvat.notifications.models import NotificationEvent, NotificationKind
from luvat.projects.models import Application
from luvat.projects.services import application_submit
from luvat.projects.services.projects import shared_data_current
from luvat.projects.snapshots import effective_form_data
from luvat.projects.status import Status
from tests.backoffice.factories import POLICE, RESCUE, pdf
from tests.inforequests.factories import planned_festival

pytestmark = pytest.mark.django_db


def addressee(inforequest: Inforequest, code: str) -> Addressee:
    return inforequest.addressees.get(authority__code=code)


def test_the_project_offers_each_authority_of_its_package_with_its_permits():
    planned = planned_festival()
    options = project_ask_options(planned.project)
    assert [(o.authority.code, [s.code for s in o.services]) for o in options] == [
        (RESCUE, ["event-rescue-plan"]),
        (POLICE, ["public-event-notification"]),
    ]


def test_asking_two_authorities_with_a_file_tells_each_and_keeps_the_shared_data():
    planned = planned_festival()
    inforequest = planned.ask(
        uploads=[pdf("lava.pdf")], shared_data={"activity_name": "Puistofestivaali 2027"}
    )
    assert sorted(inforequest.addressees.values_list("authority__code", flat=True)) == [
        POLICE,
        RESCUE,
    ]
    [attachment] = inforequest.attachments.all()
    assert attachment.original_name == "lava.pdf" and attachment.content_type == "application/pdf"
    assert shared_data_current(planned.project)["activity_name"] == "Puistofestivaali 2027"
    asked = NotificationEvent.objects.filter(kind=NotificationKind.INFOREQUEST_ASKED)
    assert sorted(e.audience["authority_services"][0][0] for e in asked) == [POLICE, RESCUE]
    assert "Lava puistossa" in asked[0].params["texts"]["fi"]["title"]
    assert open_count_for_authority(planned.rescue) == 1
    assert [row.inforequest for row in addressees_for_authority(planned.police)] == [inforequest]


def test_a_file_is_checked_by_its_content_and_nothing_is_asked_when_it_is_refused():
    planned = planned_festival()
    fake = SimpleUploadedFile("kuva.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInforequest) as refused:
        planned.ask(uploads=[fake])
    assert "attachments" in refused.value.errors
    assert not Addressee.objects.exists()


def test_a_question_needs_a_subject_a_text_and_an_authority():
    planned = planned_festival()
    with pytest.raises(InvalidInforequest) as refused:
        planned.ask(subject=" ", question="", asked={})
    assert set(refused.value.errors) == {"subject", "question", "authorities"}


def test_each_official_answers_only_their_own_part_and_the_company_hears_of_it():
    planned = planned_festival()
    inforequest = planned.ask()
    rescue_part = addressee(inforequest, RESCUE)
    with pytest.raises(Hidden):
        inforequest_answer(addressee=rescue_part, answer="Poliisin vastaus", actor=planned.police)
    inforequest_answer(
        addressee=rescue_part, answer="Tarvitaan, 14 pv ennen.", actor=planned.rescue
    )
    with pytest.raises(AlreadyAnswered):
        inforequest_answer(addressee=rescue_part, answer="Toinen", actor=planned.rescue)
    rescue_part.refresh_from_db()
    assert rescue_part.answer == "Tarvitaan, 14 pv ennen." and rescue_part.answered_by_label
    [told] = NotificationEvent.objects.filter(kind=NotificationKind.INFOREQUEST_ANSWERED)
    assert told.audience["business_ids"] == [planned.project.business_id]
    assert told.url == f"/inforequests/{inforequest.public_id}/"
    # The police official sees the question, but only the police's own part of it.
    view = inforequest_for(planned.police, inforequest.public_id, purpose="test")
    assert [a.authority.code for a in view.addressees] == [POLICE]
    assert [a.authority.code for a in answered_for_company(planned.maija)] == [RESCUE]


def test_an_answer_becomes_an_application_carrying_the_exchange_and_the_shared_data():
    planned = planned_festival()
    inforequest = planned.ask(
        shared_data={"activity_name": "Puistofestivaali 2027", "contact_email": "m@example.fi"}
    )
    rescue_part = addressee(inforequest, RESCUE)
    service = Service.objects.get(code="event-rescue-plan")
    with pytest.raises(NotAnswered):
        inforequest_convert(addressee=rescue_part, service=service, actor=planned.maija)
    inforequest_answer(addressee=rescue_part, answer="Tarvitaan.", actor=planned.rescue)
    application = inforequest_convert(addressee=rescue_part, service=service, actor=planned.maija)
    assert application.authority is not None and application.authority.code == RESCUE
    assert application.status == Status.DRAFT
    exchange = application.prior_exchange
    assert exchange["question"] == inforequest.question
    assert exchange["answer"] == "Tarvitaan."
    assert exchange["authority_code"] == RESCUE and exchange["reference"] == inforequest.reference
    form = effective_form_data(
        form_data=application.form_data,
        mapping=service.shared_data_mapping,
        shared=shared_data_current(planned.project),
    )
    assert form["event_name"] == "Puistofestivaali 2027"
    assert form["organiser_email"] == "m@example.fi"
    # One click more gives the same application, also once it was submitted.
    again = inforequest_convert(addressee=rescue_part, service=service, actor=planned.maija)
    assert again == application
    assert Application.objects.filter(project=planned.project).count() == 1


def test_the_submitted_snapshot_carries_the_exchange_to_the_authority():
    planned = planned_festival()
    inforequest = planned.ask(shared_data={"activity_name": "Fest"})
    rescue_part = addressee(inforequest, RESCUE)
    inforequest_answer(addressee=rescue_part, answer="Kyllä.", actor=planned.rescue)
    service = Service.objects.get(code="event-rescue-plan")
    application = inforequest_convert(addressee=rescue_part, service=service, actor=planned.maija)
    from luvat.projects.services import application_save_form, attachment_add

    application_save_form(
        application=application,
        data={"organiser_email": "m@example.fi", "attendance": 800, "venue_kind": "outdoor"},
        actor=planned.maija,
    )
    attachment_add(application=application, code="site_map", upload=pdf(), actor=planned.maija)
    receipt = application_submit(application=application, actor=planned.maija)
    assert receipt.snapshot["inforequest"]["answer"] == "Kyllä."


def test_a_permit_not_asked_about_cannot_be_applied_for_with_the_answer():
    planned = planned_festival()
    inforequest = planned.ask()
    rescue_part = addressee(inforequest, RESCUE)
    inforequest_answer(addressee=rescue_part, answer="Kyllä.", actor=planned.rescue)
    police_service = Service.objects.get(code="public-event-notification")
    with pytest.raises(InvalidInforequest):
        inforequest_convert(addressee=rescue_part, service=police_service, actor=planned.maija)
