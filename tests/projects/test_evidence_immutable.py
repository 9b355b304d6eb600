"""Evidence is immutable (luvat.projects.evidence): a file that reached the authority with the
application is never removed or replaced, through the pages, the customer API or a service;
the refusal is a translated message or a problem, and is in the company's access log. A
supplement adds new files instead."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from luvat.audit.models import AccessEvent
from luvat.audit.refusals import refusals_kept
from luvat.backoffice.services import supplement_answer
from luvat.projects.errors import AttachmentRejected
from luvat.projects.evidence import EvidenceImmutable
from luvat.projects.models import Attachment
from luvat.projects.services import attachment_add, attachment_remove
from tests.backoffice.factories import EventProject, customer, event_project, pdf
from tests.backoffice.test_supplement_any_file import asked
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def during_supplement():
    """The festival's rescue plan, submitted with its site map, now asked for a supplement."""
    case = event_project()
    request = asked(case)
    case.rescue_plan.refresh_from_db()
    return case, request


def customer_client() -> Client:
    client = Client()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    return client


def refusals_of(attachment: Attachment) -> list[AccessEvent]:
    return list(
        AccessEvent.objects.filter(
            object_type="attachment", object_id=str(attachment.public_id), outcome="denied"
        )
    )


def still_stored(attachment: Attachment) -> bool:
    attachment.refresh_from_db()
    return bool(attachment.file.storage.exists(attachment.file.name))


def site_map(case: EventProject) -> Attachment:
    return Attachment.objects.get(application=case.rescue_plan, code="site_map")


def test_submitting_receipts_every_file_of_the_application():
    case = event_project()
    assert site_map(case).receipted_at is not None


def test_a_drafts_file_is_not_evidence_and_can_be_removed():
    case = event_project(submit=False)
    draft = attachment_add(
        application=case.rescue_plan, code="site_map", upload=pdf("luonnos.pdf"), actor=customer()
    )
    assert draft.receipted_at is None
    attachment_remove(attachment=draft, actor=customer())
    assert not Attachment.objects.filter(pk=draft.pk).exists()


def test_the_service_refuses_to_remove_a_receipted_file_during_a_supplement(during_supplement):
    case, _request = during_supplement
    evidence = site_map(case)
    with refusals_kept(), pytest.raises(EvidenceImmutable) as refused:
        attachment_remove(attachment=evidence, actor=customer())
    assert refused.value.reason == "evidence"
    assert still_stored(evidence)
    [logged] = refusals_of(evidence)
    assert logged.subject_business_id == FESTIVAALI  # the company sees the refusal


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", "toimitettu viranomaiselle"),
        ("sv", "redan lämnats till myndigheten"),
        ("en", "already delivered to the authority"),
    ],
)
def test_the_refusal_is_said_in_the_customers_language(during_supplement, language, words):
    case, _request = during_supplement
    with translation.override(language), pytest.raises(EvidenceImmutable) as refused:
        attachment_remove(attachment=site_map(case), actor=customer())
    assert words in refused.value.message


def test_the_page_refuses_and_keeps_the_file(during_supplement):
    case, _request = during_supplement
    evidence = site_map(case)
    client = customer_client()
    url = (
        f"/fi/projects/{case.project.public_id}/applications/{case.rescue_plan.public_id}"
        f"/attachments/{evidence.public_id}/remove/"
    )
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "toimitettu viranomaiselle" in response.content.decode()
    assert still_stored(evidence)
    assert len(refusals_of(evidence)) == 1


def test_the_api_refuses_with_a_problem_and_keeps_the_file(during_supplement):
    case, _request = during_supplement
    evidence = site_map(case)
    client = customer_client()
    response = client.delete(
        f"/api/v1/projects/{case.project.public_id}/applications/"
        f"{case.rescue_plan.public_id}/attachments/{evidence.public_id}"
    )
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith("/problems/evidence-immutable") and body["reason"] == "evidence"
    assert still_stored(evidence)
    assert len(refusals_of(evidence)) == 1


def test_the_api_removes_a_file_the_customer_still_holds():
    case = event_project(submit=False)
    draft = attachment_add(
        application=case.rescue_plan, code="site_map", upload=pdf("luonnos.pdf"), actor=customer()
    )
    response = customer_client().delete(
        f"/api/v1/projects/{case.project.public_id}/applications/"
        f"{case.rescue_plan.public_id}/attachments/{draft.public_id}"
    )
    assert response.status_code == 204
    assert not Attachment.objects.filter(pk=draft.pk).exists()


def test_a_supplement_adds_a_new_file_beside_the_evidence(during_supplement):
    case, request = during_supplement
    evidence = site_map(case)
    supplement_answer(
        request=request,
        actor=customer(),
        answer="Korjattu kartta liitteenä.",
        upload=pdf("korjattu-kartta.pdf"),
        attachment_code="site_map",
    )
    files = list(case.rescue_plan.attachments.filter(code="site_map").order_by("id"))
    assert [f.original_name for f in files] == ["alueen-kartta.pdf", "korjattu-kartta.pdf"]
    assert all(f.receipted_at is not None for f in files)  # the answer delivered the new one
    assert still_stored(evidence)


def test_a_file_added_during_the_supplement_is_the_customers_until_the_answer(during_supplement):
    case, _request = during_supplement
    extra = attachment_add(
        application=case.rescue_plan, code="site_map", upload=pdf("väärä.pdf"), actor=customer()
    )
    attachment_remove(attachment=extra, actor=customer())  # not yet delivered: may go
    assert not Attachment.objects.filter(pk=extra.pk).exists()


def test_no_code_path_deletes_or_overwrites_evidence(during_supplement):
    """The backstop below the services: a row delete, a queryset delete or an overwrite of a
    receipted file raise the same error."""
    case, _request = during_supplement
    evidence = site_map(case)
    with pytest.raises(EvidenceImmutable), transaction.atomic():
        evidence.delete()
    with pytest.raises(EvidenceImmutable), transaction.atomic():
        Attachment.objects.filter(pk=evidence.pk).delete()
    evidence.refresh_from_db()
    evidence.sha256 = "0" * 64
    with pytest.raises(EvidenceImmutable), transaction.atomic():
        evidence.save()
    evidence.refresh_from_db()
    evidence.file.name = "attachments/elsewhere"
    with pytest.raises(EvidenceImmutable), transaction.atomic():
        evidence.save()
    assert still_stored(evidence)


def test_after_the_supplement_nothing_can_be_removed(during_supplement):
    case, request = during_supplement
    supplement_answer(request=request, actor=customer(), answer="Vastaus.")
    with pytest.raises(AttachmentRejected):
        attachment_remove(attachment=site_map(case), actor=customer())
