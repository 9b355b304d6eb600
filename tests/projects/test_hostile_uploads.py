"""Hostile uploads: a zip bomb, a PDF/executable polyglot, a file over the cap and a
1,000-character file name are each refused with a clear message (pages in the user's
language, problem+json on the API), and the server's memory stays bounded."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.test import override_settings

from luvat.projects.models import Application, Attachment
from luvat.uploads.handlers import CappedUploadedFile
from luvat.uploads.inspect import UploadRejected, inspect_upload
from luvat.uploads.pdfs import PdfRefused, check_pdf
from tests.projects import test_project_pages as pages
from tests.samples import MINIMAL_PDF

customer = pages.customer
create_project = pages.create_project

MB = 1024 * 1024
EXE = (
    b"MZ\x90\x00\x03"
    + b"\x00" * 59
    + b"\x0e\x1f\xba\x0e\x00\xb4\t\xcd!This program cannot be run in DOS mode.\r\r\n$"
    + b"\x00" * 400
)


def zip_bomb(unpacked: int = 300 * MB) -> bytes:
    """An ODF-looking archive whose `mimetype` entry inflates to ``unpacked`` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=False) as entry:
            block = b"\x00" * MB
            for _ in range(unpacked // MB):
                entry.write(block)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb()


def hostile_files(bomb: bytes) -> dict[str, tuple[str, bytes]]:
    return {
        "archive_refused": ("suunnitelma.odt", bomb),
        "pdf_executable_inside": ("kartta.pdf", MINIMAL_PDF + EXE),
        "pdf_header_then_executable": ("kartta2.pdf", b"%PDF-1.4\n" + EXE + b"\n%%EOF\n"),
        "pdf_trailing_data": ("kartta3.pdf", MINIMAL_PDF + b"\x00junk" * 400),
        "too_large": ("iso.pdf", MINIMAL_PDF + b"%" * (21 * MB)),
        "name_too_long": ("a" * 996 + ".pdf", MINIMAL_PDF),
    }


def post_file(client, url: str, name: str, content: bytes):
    """A multipart POST built by hand: Django's test files would cut the name to 255."""
    boundary = "HostileBoundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="code"\r\n\r\nsite_map\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def upload_url(project) -> str:
    application = project.applications.first()
    assert isinstance(application, Application)
    return f"/projects/{project.public_id}/applications/{application.public_id}/attachments/"


def test_the_bomb_is_small_but_claims_a_lot(bomb):
    assert len(bomb) < 1 * MB
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("mimetype").file_size == 300 * MB


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "archive_refused": "compression bomb",
                "pdf_executable_inside": "program inside it",
                "pdf_header_then_executable": "program inside it",
                "pdf_trailing_data": "extra data after its end",
                "too_large": "may be at most",
                "name_too_long": "a file name may be at most 255 characters",
            },
        ),
        (
            "fi",
            {
                "archive_refused": "pakkauspommi",
                "pdf_executable_inside": "ohjelma",
                "pdf_header_then_executable": "ohjelma",
                "pdf_trailing_data": "lopun jälkeen",
                "too_large": "enintään",
                "name_too_long": "enintään 255 merkkiä",
            },
        ),
    ],
)
def test_each_hostile_file_is_refused_on_the_page_in_the_users_language(
    customer,
    bomb,
    language,
    expected,
):
    project = create_project(customer)
    url = f"/{language}{upload_url(project)}"
    for reason, (name, content) in hostile_files(bomb).items():
        response = post_file(customer, url, name, content)
        assert response.status_code == (400 if reason == "name_too_long" else 422), reason
        assert expected[reason] in response.content.decode(), (reason, language)
    assert not Attachment.objects.exists()


def test_each_hostile_file_is_refused_on_the_api_as_problem_json(customer, bomb):
    project = create_project(customer)
    application = project.applications.first()
    assert isinstance(application, Application)
    url = f"/api/v1/projects/{project.public_id}/applications/{application.public_id}/attachments"
    for reason, (name, content) in hostile_files(bomb).items():
        response = post_file(customer, url, name, content)
        assert response["Content-Type"].startswith("application/problem+json")
        body = response.json()
        if reason == "name_too_long":
            assert response.status_code == 400
            assert body["type"].endswith("upload-unreadable")
            assert "255" in body["detail"]
            continue
        assert response.status_code == 422, (reason, response.content[:300])
        expected = "pdf_executable_inside" if "executable" in reason else reason
        assert body["reason"] == expected, reason
        assert body["detail"]
    assert not Attachment.objects.exists()


def test_active_pdf_content_is_refused():
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("x")}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(PdfRefused) as caught:
        check_pdf(io.BytesIO(buffer.getvalue()))
    assert caught.value.reason == "active_content"

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_attachment("run.exe", b"payload")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(PdfRefused) as caught:
        check_pdf(io.BytesIO(buffer.getvalue()))
    assert caught.value.reason == "active_content"
    assert check_pdf(io.BytesIO(MINIMAL_PDF)) == 1


def test_a_real_office_document_passes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "<w:p/>" * 5000 + "</w:document>")
    upload = SimpleUploadedFile("a.docx", buffer.getvalue())
    assert inspect_upload(upload, max_bytes=MB) == "docx"


def test_inspecting_the_zip_bomb_stays_within_a_few_megabytes(bomb):
    upload = SimpleUploadedFile("bomb.odt", bomb)
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected):
            inspect_upload(upload, max_bytes=20 * MB)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"zip bomb (300 MB declared, {len(bomb) // 1024} KiB sent): peak {peak / MB:.2f} MB")
    assert peak < 4 * MB


class _Zeros(io.RawIOBase):
    """A request body of ``size`` bytes produced on demand: the client holds none of it."""

    def __init__(self, head: bytes, size: int, tail: bytes) -> None:
        self.parts: Iterator[bytes] = self._parts(head, size, tail)
        self.buffer = b""

    @staticmethod
    def _parts(head: bytes, size: int, tail: bytes) -> Iterator[bytes]:
        yield head
        block = b"%" * (64 * 1024)
        for _ in range(size // len(block)):
            yield block
        yield tail

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        while n < 0 or len(self.buffer) < n:
            try:
                self.buffer += next(self.parts)
            except StopIteration:
                break
        if n < 0:
            n = len(self.buffer)
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out


@override_settings(LUVAT_UPLOAD_MAX_BYTES=2 * MB)
def test_a_100_mb_upload_is_read_under_the_cap_with_bounded_memory():
    boundary = "XyZ"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + MINIMAL_PDF
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = 100 * MB
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(len(head) + size + len(tail)),
        "wsgi.input": _Zeros(head, size, tail),
    }
    request = WSGIRequest(environ)
    tracemalloc.start()
    try:
        upload = request.FILES["file"]
        assert isinstance(upload, CappedUploadedFile)
        with pytest.raises(UploadRejected) as caught:
            inspect_upload(upload, max_bytes=20 * MB)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.reason == "too_large"
    assert upload.size == len(MINIMAL_PDF) + size
    assert upload.over_cap
    upload.seek(0, 2)
    assert upload.tell() == 2 * MB  # what reached the disk: never more than the cap
    print(f"100 MB upload against a 2 MB cap: peak {peak / MB:.2f} MB")
    assert peak < 4 * MB
