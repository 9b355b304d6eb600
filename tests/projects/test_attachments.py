"""Attachments are checked by content and size; refusals give a reason and lose nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luvat.projects.errors import AttachmentRejected
from luvat.projects.models import Attachment
from luvat.projects.services import (
    application_save_form,
    attachment_add,
    attachment_remove,
    project_create,
)
from luvat.uploads.filetypes import sniff
from tests.projects.factories import BUSINESS_A, CUSTOMER_A, AuthorityFactory, ServiceFactory
from tests.samples import MINIMAL_PDF

PDF = MINIMAL_PDF
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture
def application(vocab):
    AuthorityFactory.create(code="HKI-POLICE")
    project = project_create(
        actor=CUSTOMER_A, business_id=BUSINESS_A, name="p", services=[ServiceFactory.create()]
    )
    application = project.applications.get()
    return application_save_form(
        application=application, data={"event_name": "Festari"}, actor=CUSTOMER_A
    )


def add(application, name, content):
    return attachment_add(
        application=application,
        code="site_map",
        upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
        actor=CUSTOMER_A,
    )


def test_a_pdf_is_stored_under_an_unguessable_name_with_its_hash(application):
    attachment = add(application, "asemapiirros.pdf", PDF)
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "asemapiirros.pdf"
    assert "asemapiirros" not in attachment.file.name
    assert len(attachment.file.name.rsplit("/", 1)[1]) == 32
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF
    import hashlib

    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()


def test_an_exe_renamed_pdf_is_refused_with_a_reason_and_the_form_is_kept(application):
    with pytest.raises(AttachmentRejected) as caught:
        add(application, "kartta.pdf", EXE)
    assert caught.value.reason == "executable"
    assert "ohjelma" in caught.value.message  # in the user's language (fi by default)
    assert not Attachment.objects.exists()
    application.refresh_from_db()
    assert application.project.shared_values.get(field__code="activity_name").value == "Festari"


def test_an_oversized_file_is_refused(application):
    with pytest.raises(AttachmentRejected) as caught:
        add(application, "kartta.pdf", PDF + b"0" * (1024 * 1024))
    assert caught.value.reason == "too_large"
    assert "enintään 1,0\xa0MB" in caught.value.message


def test_a_type_the_service_does_not_accept_is_refused(application):
    with pytest.raises(AttachmentRejected) as caught:
        add(application, "kartta.gif", b"GIF89a" + b"\x00" * 20)
    assert caught.value.reason == "type_not_allowed"


def test_a_name_that_lies_about_an_allowed_type_is_refused(application):
    with pytest.raises(AttachmentRejected) as caught:
        add(application, "kartta.pdf", PNG)
    assert caught.value.reason == "name_mismatch"


def test_unknown_attachment_codes_and_empty_files_are_refused(application):
    with pytest.raises(AttachmentRejected) as caught:
        attachment_add(
            application=application,
            code="nope",
            upload=SimpleUploadedFile("a.pdf", PDF),
            actor=CUSTOMER_A,
        )
    assert caught.value.reason == "unknown_code"
    with pytest.raises(AttachmentRejected) as caught:
        add(application, "a.pdf", b"")
    assert caught.value.reason == "empty"


def test_removing_deletes_the_stored_file(application, django_capture_on_commit_callbacks):
    attachment = add(application, "a.pdf", PDF)
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(attachment=attachment, actor=CUSTOMER_A)
    assert not storage.exists(name)


def _zip(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_office_documents_are_told_apart_by_their_members():
    assert sniff(_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})) == "docx"
    assert sniff(_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"})) == "xlsx"
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text"})
    assert sniff(odt) == "odt"
    assert sniff(_zip({"a.txt": b"x"})) == "zip"
    assert sniff(io.BytesIO("Hei, tämä on tekstiä".encode())) == "txt"
    assert sniff(io.BytesIO(b"\x7fELF\x02\x01")) == "executable"
