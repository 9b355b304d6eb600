"""One check for every uploaded file, before it is stored or offered to anyone.

Name length, the hard size cap, the real kind from the first bytes (ZIP from its directory,
never unpacked), executables, PDFs through a parser, and the virus scanner. Callers add their
own rules (allowed kinds, their own size limit) and turn :class:`UploadRejected` into their
error type; the message is already in the user's language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from luvat.uploads import filetypes
from luvat.uploads.archives import ArchiveRefused
from luvat.uploads.pdfs import PdfRefused, check_pdf
from luvat.uploads.scanning import ScannerUnavailable, scanner

MAX_NAME_LENGTH = 255


class UploadRejected(Exception):
    """A file was refused; ``reason`` is a stable code and ``message`` a translated sentence."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def _archive_message(refused: ArchiveRefused) -> str:
    if refused.reason == "too_many_entries":
        return _("The archive holds %(entries)d files; at most %(limit)d are accepted.") % {
            "entries": refused.figures.get("entries", 0),
            "limit": refused.figures.get("limit", 0),
        }
    if refused.reason == "unpacks_too_large":
        return _("The document would unpack to %(size)s; at most %(limit)s is accepted.") % {
            "size": filesizeformat(refused.figures.get("size", 0)),
            "limit": filesizeformat(refused.figures.get("limit", 0)),
        }
    return _(
        "The document is packed in a way that is not accepted (it looks like a compression "
        "bomb). Save it again from the program that made it."
    )


def _pdf_message(refused: PdfRefused) -> str:
    return {
        "executable_inside": _("The PDF file has a program inside it. It is not accepted."),
        "trailing_data": _(
            "The PDF file has extra data after its end (for example a hidden program). "
            "Save or print it again as PDF."
        ),
        "active_content": _(
            "The PDF file contains scripts, embedded files or actions that start programs. "
            "Save or print it again as a plain PDF."
        ),
        "encrypted": _("The PDF file is password-protected and cannot be checked."),
        "too_complex": _("The PDF file is too complex to be checked."),
    }.get(refused.reason, _("The file is not a valid PDF document."))


def check_name(upload: UploadedFile) -> None:
    length = getattr(upload, "original_name_length", len(upload.name or ""))
    if length > MAX_NAME_LENGTH:
        raise UploadRejected(
            "name_too_long",
            _(
                "The file name is %(length)d characters long; at most %(limit)d are accepted. "
                "Rename the file and try again."
            )
            % {"length": length, "limit": MAX_NAME_LENGTH},
        )


def inspect_upload(upload: UploadedFile, *, max_bytes: int) -> str:
    """The kind of a file that passed every check, or :class:`UploadRejected`."""
    check_name(upload)
    size = upload.size or 0
    if size == 0:
        raise UploadRejected("empty", _("The file is empty."))
    limit = min(max_bytes, int(settings.LUVAT_UPLOAD_MAX_BYTES))
    if size > limit or getattr(upload, "over_cap", False):
        raise UploadRejected(
            "too_large",
            _("The file is %(size)s; at most %(limit)s is accepted here.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    try:
        kind = filetypes.sniff(upload)
    except ArchiveRefused as refused:
        raise UploadRejected("archive_refused", _archive_message(refused)) from None
    if kind in filetypes.EXECUTABLES:
        raise UploadRejected(
            "executable", _("The file is a program, not a document. Programs are never accepted.")
        )
    if kind == "pdf":
        try:
            check_pdf(upload)
        except PdfRefused as refused:
            raise UploadRejected(f"pdf_{refused.reason}", _pdf_message(refused)) from None
    try:
        result = scanner().scan(upload)
    except ScannerUnavailable:
        raise UploadRejected(
            "scan_unavailable",
            _("The file could not be checked for viruses just now. Try again in a few minutes."),
        ) from None
    if not result.clean:
        raise UploadRejected(
            "virus",
            _("The file contains a virus (%(name)s). It was not saved.")
            % {"name": result.signature},
        )
    return kind
