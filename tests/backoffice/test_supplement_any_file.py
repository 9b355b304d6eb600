"""A customer answering a supplement request can attach any file the official asked for,
not only one of the application's own attachment types."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from luvat.backoffice.services import (
    application_mark_received,
    supplement_answer,
    supplement_request_create,
)
from luvat.projects.errors import AttachmentRejected
from luvat.projects.services import attachment_add
from tests.backoffice.factories import RESCUE, customer, event_project, official, pdf
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company

pytestmark = pytest.mark.django_db


def png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def asked(case):
    riikka = official(RESCUE, "Riikka", "Pelastaja")
    application_mark_received(application=case.rescue_plan, actor=riikka)
    return supplement_request_create(
        application=case.rescue_plan,
        actor=riikka,
        text="Liitä liikennesuunnitelma ja valokuva alueesta.",
        due_on=timezone.localdate() + timedelta(days=5),
    )


def test_the_answer_carries_a_file_of_a_kind_the_service_does_not_list():
    case = event_project()
    request = asked(case)
    maija = customer()
    supplement_answer(
        request=request,
        actor=maija,
        answer="Liitteenä.",
        upload=SimpleUploadedFile("alue.png", png(), content_type="image/png"),
        attachment_code="supplement",
    )
    stored = case.rescue_plan.attachments.get(code="supplement")
    assert stored.original_name == "alue.png" and stored.content_type == "image/png"


def test_outside_a_supplement_request_the_free_kind_is_refused():
    case = event_project(submit=False)
    with pytest.raises(AttachmentRejected):
        attachment_add(
            application=case.rescue_plan, code="supplement", upload=pdf("x.pdf"), actor=customer()
        )


def test_the_answer_page_offers_the_free_kind():
    case = event_project()
    request = asked(case)
    client = Client()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    page = client.get(f"/en/supplements/{request.public_id}/").content.decode()
    assert '<option value="supplement"' in page
    assert "Another file the authority asked for" in page
