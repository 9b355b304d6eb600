"""The official's actions: each one status event, audited, the other party told; refusals
leave nothing half-way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from luvat.audit.models import AuditEvent
from luvat.backoffice.models import CaseFile, Decision, DueKind, SupplementRequest
from luvat.backoffice.services import (
    application_close,
    application_mark_received,
    application_start_processing,
    decision_record,
    supplement_answer,
    supplement_request_create,
)
from luvat.notifications.models import NotificationEvent, NotificationKind
from luvat.projects.models import StatusEvent
from luvat.projects.services import application_status_change
from luvat.projects.status import InvalidTransition, Status
from tests.backoffice.factories import POLICE, RESCUE, customer, event_project, official, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return event_project()


@pytest.fixture
def riikka():
    return official(RESCUE, "Riikka", "Pelastaja")


def statuses(application):
    return list(
        StatusEvent.objects.filter(application=application)
        .order_by("id")
        .values_list("status", flat=True)
    )


def test_submission_opens_a_case_file_with_the_expected_decision_date(case):
    file = CaseFile.objects.get(application=case.rescue_plan)
    assert (file.authority_code, file.status, file.due_kind) == (RESCUE, "submitted", "decision")
    # Light e-service: the clock started at submission; 14 days, moved off weekends.
    assert file.due_on is not None
    assert timedelta(days=14) <= file.due_on - timezone.localdate() <= timedelta(days=17)
    assert not CaseFile.objects.filter(application=case.police_notice).exists()


def test_the_whole_light_e_service_case(case, riikka):
    maija = customer()
    rescue = case.rescue_plan
    application_mark_received(application=rescue, actor=riikka, case_reference="PEL/123/2026")
    assert CaseFile.objects.get(application=rescue).case_reference == "PEL/123/2026"
    application_start_processing(application=rescue, actor=riikka)
    due = timezone.localdate() + timedelta(days=10)
    request = supplement_request_create(
        application=rescue, actor=riikka, text="Lisää poistumisreitit karttaan.", due_on=due
    )
    file = CaseFile.objects.get(application=rescue)
    assert (file.status, file.due_kind, file.due_on) == (
        "supplement_requested",
        DueKind.SUPPLEMENT,
        due,
    )
    supplement_answer(
        request=request,
        actor=maija,
        answer="Kartta päivitetty.",
        upload=pdf("kartta-v2.pdf"),
        attachment_code="site_map",
    )
    rescue.refresh_from_db()
    assert rescue.status == Status.IN_PROCESSING
    assert rescue.attachments.count() == 2
    assert CaseFile.objects.get(application=rescue).due_kind == DueKind.DECISION
    decision_record(
        application=rescue,
        actor=riikka,
        outcome="granted",
        decided_on=timezone.localdate(),
        document=pdf("paatos.pdf"),
    )
    application_close(application=rescue, actor=riikka)
    assert statuses(rescue) == [
        "draft",
        "submitted",
        "received",
        "in_processing",
        "supplement_requested",
        "in_processing",
        "decision_made",
        "closed",
    ]
    assert Decision.objects.get(application=rescue).document_sha256
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "backoffice.mark_received",
        "backoffice.start_processing",
        "backoffice.supplement_request",
        "backoffice.supplement_answer",
        "backoffice.decision_record",
        "backoffice.close",
    } <= actions
    kinds = list(NotificationEvent.objects.values_list("kind", flat=True))
    assert kinds.count(NotificationKind.SUPPLEMENT_REQUESTED) == 1
    assert kinds.count(NotificationKind.DECISION_MADE) == 1
    assert kinds.count(NotificationKind.STATUS_CHANGED) >= 3


def test_a_status_change_on_another_authoritys_application_is_refused(case):
    pekka = official(POLICE, "Pekka", "Poliisi")
    with pytest.raises(PermissionDenied):
        application_mark_received(application=case.rescue_plan, actor=pekka)
    with pytest.raises(PermissionDenied):
        decision_record(
            application=case.rescue_plan,
            actor=pekka,
            outcome="refused",
            decided_on=timezone.localdate(),
            document=pdf(),
        )
    assert statuses(case.rescue_plan) == ["draft", "submitted"]


@pytest.mark.parametrize(
    ("text", "days", "field"),
    [
        ("", 5, "text"),
        ("   ", 5, "text"),
        ("Lisää kartta", 0, "due_on"),
        ("Lisää kartta", -3, "due_on"),
    ],
)
def test_a_supplement_request_needs_text_and_a_future_due_date(case, riikka, text, days, field):
    application_mark_received(application=case.rescue_plan, actor=riikka)
    with pytest.raises(ValidationError) as refused:
        supplement_request_create(
            application=case.rescue_plan,
            actor=riikka,
            text=text,
            due_on=timezone.localdate() + timedelta(days=days),
        )
    assert field in refused.value.error_dict
    assert not SupplementRequest.objects.exists()
    assert statuses(case.rescue_plan)[-1] == "received"


def test_a_decision_document_must_be_a_pdf_by_its_content(case, riikka):
    application_mark_received(application=case.rescue_plan, actor=riikka)
    fake = SimpleUploadedFile("paatos.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        decision_record(
            application=case.rescue_plan,
            actor=riikka,
            outcome="granted",
            decided_on=timezone.localdate(),
            document=fake,
        )
    assert "document" in refused.value.error_dict
    assert not Decision.objects.exists()
    assert statuses(case.rescue_plan)[-1] == "received"


def test_a_permit_decision_needs_its_document(case, riikka):
    from luvat.catalogue.models import ServiceKind

    service = case.rescue_plan.service
    service.kind = ServiceKind.PERMIT
    service.save(update_fields=["kind"])
    application_mark_received(application=case.rescue_plan, actor=riikka)
    with pytest.raises(ValidationError) as refused:
        decision_record(
            application=case.rescue_plan,
            actor=riikka,
            outcome="granted",
            decided_on=timezone.localdate(),
        )
    assert list(refused.value.error_dict) == ["document"]
    assert not Decision.objects.exists()


def test_a_decision_cannot_be_dated_in_the_future(case, riikka):
    application_mark_received(application=case.rescue_plan, actor=riikka)
    with pytest.raises(ValidationError) as refused:
        decision_record(
            application=case.rescue_plan,
            actor=riikka,
            outcome="granted",
            decided_on=timezone.localdate() + timedelta(days=1),
            document=pdf(),
        )
    assert "decided_on" in refused.value.error_dict


def test_redirect_mode_records_arrival_processing_and_decision(case):
    pekka = official(POLICE, "Pekka", "Poliisi")
    notice = case.police_notice
    assert notice.status == Status.DRAFT
    application_mark_received(application=notice, actor=pekka, case_reference="POL-9")
    assert statuses(notice) == ["draft", "submitted", "received"]
    application_start_processing(application=notice, actor=pekka)
    decision_record(
        application=notice, actor=pekka, outcome="granted", decided_on=timezone.localdate()
    )
    notice.refresh_from_db()
    assert (notice.status, notice.outcome) == ("decision_made", "granted")
    application_close(application=notice, actor=pekka)
    assert statuses(notice)[-3:] == ["in_processing", "decision_made", "closed"]


def test_a_light_e_service_draft_cannot_be_marked_received(riikka):
    case = event_project(submit=False)
    with pytest.raises(InvalidTransition):
        application_mark_received(application=case.rescue_plan, actor=riikka)


def test_the_customer_answers_only_their_own_companys_request(case, riikka):
    application_mark_received(application=case.rescue_plan, actor=riikka)
    request = supplement_request_create(
        application=case.rescue_plan,
        actor=riikka,
        text="Lisää kartta.",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    stranger = customer("2718282-8", "Teemu")
    with pytest.raises(PermissionDenied):
        supplement_answer(request=request, actor=stranger, answer="Tässä.")
    maija = customer()
    with pytest.raises(ValidationError):
        supplement_answer(request=request, actor=maija, answer="  ")
    supplement_answer(request=request, actor=maija, answer="Tässä.")
    with pytest.raises(ValidationError):
        supplement_answer(request=request, actor=maija, answer="Uudestaan.")


def test_customers_cannot_move_an_application_into_processing_themselves(case):
    maija = customer()
    with pytest.raises(PermissionDenied):
        application_status_change(
            application=case.rescue_plan, status=Status.IN_PROCESSING, actor=maija
        )
