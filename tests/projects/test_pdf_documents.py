"""The acknowledgement of receipt and the project summary as PDF: read back with pypdf, the
reference, the arrival time, the snapshot's SHA-256 and the Finnish letters are all there."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from luvat.audit.actors import Actor, ActorKind
from luvat.projects.pdf import pdf_text
from luvat.projects.services import (
    application_save_form,
    application_submit,
    attachment_add,
    project_create_from_assessment,
    shared_data_set,
)
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF
MAIJA = Actor(
    kind=ActorKind.CUSTOMER, ref="person:0", label="Maija Meikäläinen", on_behalf_of=FESTIVAALI
)


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def submitted(event_assessment):
    project = project_create_from_assessment(
        actor=MAIJA, business_id=FESTIVAALI, assessment=event_assessment, name="Kesäfestivaali"
    )
    shared_data_set(
        project=project, values={"site_address": "Kaisaniemen puisto, Helsinki"}, actor=MAIJA
    )
    application = project.applications.get(service__code="noise-notification")
    application = application_save_form(
        application=application, data={"noise_source": "Ulkolava, äänentoisto"}, actor=MAIJA
    )
    attachment_add(
        application=application,
        code="site_map",
        upload=SimpleUploadedFile("sijaintikartta.pdf", PDF, content_type="application/pdf"),
        actor=MAIJA,
    )
    return project, application_submit(application=application, actor=MAIJA)


@pytest.fixture
def customer(client, catalogue):
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    return client


def test_the_receipt_pdf_carries_reference_time_and_fingerprint(customer, submitted):
    project, receipt = submitted
    response = customer.get(
        f"/fi/projects/{project.public_id}/receipts/{receipt.public_id}/?format=pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{receipt.reference}.pdf"'
    content = response.content
    assert content.startswith(b"%PDF-")
    text = text_of(content)
    arrived = timezone.localtime(receipt.arrived_at)
    assert "Vastaanottokuittaus" in text
    assert receipt.reference in text
    assert f"{arrived.day}.{arrived.month}.{arrived.year} {arrived:%H:%M:%S}" in text
    assert receipt.sha256 in text.replace("\n", "")
    assert "Kesäfestivaali" in text and "Ulkolava, äänentoisto" in text
    assert "Maija Meikäläinen" in text
    attachment = receipt.snapshot["attachments"][0]
    assert attachment["sha256"] in text.replace("\n", "")
    metadata = PdfReader(io.BytesIO(content)).metadata
    assert metadata is not None and metadata.title == "Vastaanottokuittaus"


def test_the_summary_pdf_lists_every_application_with_status_and_deadline(customer, submitted):
    project, _receipt = submitted
    response = customer.get(f"/sv/projects/{project.public_id}/export.pdf")
    assert response.status_code == 200
    text = " ".join(text_of(response.content).split())
    assert project.reference in text and "Kesäfestivaali" in text
    for name in ("Bullerenmälan", "Räddningsplan för allmän tillställning", "Säkerhetsdokument"):
        assert name in text
    assert "skickad" in text  # the submitted one, in Swedish
    assert "Tidslinje" in text
    assert "Kaisaniemen puisto, Helsinki" in text


def test_the_api_serves_the_same_pdfs(customer, submitted):
    project, receipt = submitted
    api = f"/api/v1/projects/{project.public_id}"
    receipt_pdf = customer.get(f"{api}/receipts/{receipt.public_id}/pdf")
    assert receipt_pdf.status_code == 200
    assert receipt.sha256 in text_of(receipt_pdf.content).replace("\n", "")
    summary = customer.get(f"{api}/export/pdf")
    assert summary.status_code == 200
    assert summary["Content-Type"] == "application/pdf"
    assert project.reference in text_of(summary.content)


def test_text_outside_the_core_fonts_keeps_its_letters():
    assert pdf_text("Åbo \u2013 Čapek → Sámi") == "Åbo \u2013 Capek -> Sámi"
    assert pdf_text(None) == "\u2013"
    assert pdf_text(["a", 2]) == "a, 2"
    assert pdf_text("漢") == "?"
