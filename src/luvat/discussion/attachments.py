"""Which files may be attached to a message: checked by content, not by the name alone."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from luvat.uploads.inspect import UploadRejected, check_name, inspect_upload

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5

ZIP = b"PK\x03\x04"
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain", ()),
    ".odt": ("application/vnd.oasis.opendocument.text", (ZIP,)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
}


def safe_filename(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip() or "attachment"
    cleaned = "".join(c if c.isalnum() or c in "._- " else "_" for c in base)
    return cleaned[-120:]


def checked_content_type(upload: UploadedFile) -> str:
    """The content type of an allowed upload; raises ValidationError on ``attachments``."""
    name = upload.name or ""
    try:
        check_name(upload)
    except UploadRejected as rejected:
        raise ValidationError({"attachments": rejected.message}) from None
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            {
                "attachments": _(
                    "%(name)s: this type of file is not accepted. Use PDF, PNG, JPEG, "
                    "text, ODF or Office documents."
                )
                % {"name": name}
            }
        )
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError({"attachments": _("%(name)s is larger than 10 MB.") % {"name": name}})
    if not upload.size:
        raise ValidationError({"attachments": _("%(name)s is empty.") % {"name": name}})
    content_type, signatures = ALLOWED[suffix]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            {"attachments": _("%(name)s is not the kind of file its name says.") % {"name": name}}
        )
    if suffix == ".txt" and not _looks_like_text(head):
        raise ValidationError(
            {"attachments": _("%(name)s is not plain UTF-8 text.") % {"name": name}}
        )
    try:
        inspect_upload(upload, max_bytes=MAX_BYTES)
    except UploadRejected as rejected:
        raise ValidationError({"attachments": f"{name}: {rejected.message}"}) from None
    return content_type


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The first 2 kB may end inside a character; anything earlier is not UTF-8.
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True
