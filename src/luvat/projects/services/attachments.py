"""Attachments: checked by size and by content before anything is stored."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.projects.errors import AttachmentRejected
from luvat.projects.evidence import EDITABLE, ensure_changeable
from luvat.projects.models import Application, Attachment
from luvat.projects.services.applications import lock_application
from luvat.projects.status import Status
from luvat.uploads import filetypes
from luvat.uploads.inspect import UploadRejected, check_name, inspect_upload

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TYPES = ("pdf", "jpeg", "png")


# While a supplement is asked, the customer may attach whatever file the authority asked for,
# not only the service's own attachment types: any document or image kind we can check.
SUPPLEMENT_CODE = "supplement"
SUPPLEMENT_SPEC: dict[str, Any] = {
    "code": SUPPLEMENT_CODE,
    # One lazy name: shown in the viewer's language (attachment_name falls back to it).
    "name_en": gettext_lazy("Another file the authority asked for"),
    "types": ["pdf", "png", "jpeg", "gif", "tiff", "docx", "xlsx", "pptx", "odt", "ods", "txt"],
}


def attachment_spec(application: Application, code: str) -> dict[str, Any] | None:
    for spec in application.service.attachments or []:
        if spec.get("code") == code:
            return dict(spec)
    if code == SUPPLEMENT_CODE and application.status == Status.SUPPLEMENT_REQUESTED:
        return dict(SUPPLEMENT_SPEC)
    return None


def attachment_name(spec: dict[str, Any], language: str) -> str:
    """An attachment type's name: ``name_<lang>`` keys or a ``name: {lang: text}`` mapping."""
    raw = spec.get("name")
    names: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for code in (language, "fi", "en", "sv"):
        text = spec.get(f"name_{code}") or names.get(code)
        if text:
            return str(text)
    return str(spec.get("code", ""))


def check_file(*, upload: UploadedFile, spec: dict[str, Any]) -> str:
    """The file's kind, or :class:`AttachmentRejected` with the reason in the user's language."""
    limit = int(spec.get("max_bytes") or DEFAULT_MAX_BYTES)
    try:
        check_name(upload)
    except UploadRejected as rejected:
        raise AttachmentRejected(rejected.reason, rejected.message) from None
    size = upload.size or 0
    if size == 0:
        raise AttachmentRejected("empty", _("The file is empty."))
    if size > limit:
        raise AttachmentRejected(
            "too_large",
            _("The file is %(size)s; this attachment may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    try:
        kind = inspect_upload(upload, max_bytes=limit)
    except UploadRejected as rejected:
        raise AttachmentRejected(rejected.reason, rejected.message) from None
    allowed = [filetypes.normalise_kind(t) for t in (spec.get("types") or DEFAULT_TYPES)]
    if kind not in allowed:
        raise AttachmentRejected(
            "type_not_allowed",
            _("The file's content is %(kind)s; this attachment accepts %(allowed)s.")
            % {
                "kind": filetypes.kind_name(kind),
                "allowed": ", ".join(filetypes.kind_name(k) for k in allowed),
            },
        )
    named = filetypes.kind_from_name(upload.name or "")
    if named is not None and named != kind:
        raise AttachmentRejected(
            "name_mismatch",
            _(
                "The file name says %(named)s but the content is %(kind)s. Save the file in "
                "its real format and try again."
            )
            % {"named": filetypes.kind_name(named), "kind": filetypes.kind_name(kind)},
        )
    return kind


@transaction.atomic
def attachment_add(
    *, application: Application, code: str, upload: UploadedFile, actor: Actor
) -> Attachment:
    """Store a file for attachment ``code`` after checking its size and real type."""
    application = lock_application(application)
    if application.status not in EDITABLE:
        raise AttachmentRejected("not_editable", _("Attachments can no longer be changed."))
    spec = attachment_spec(application, code)
    if spec is None:
        raise AttachmentRejected("unknown_code", _("This application has no such attachment."))
    kind = check_file(upload=upload, spec=spec)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        application=application,
        code=code,
        original_name=(upload.name or "file")[-255:],
        content_type=filetypes.mime_type(kind),
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor.ref,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        attachment.save()
        audit_record(
            actor=actor,
            action="attachment.add",
            target=attachment,
            details={
                "application": application.reference,
                "code": code,
                "sha256": digest.hexdigest(),
            },
        )
    except Exception:
        # The file reached storage before its row: do not leave it behind.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(
    *, attachment: Attachment, actor: Actor, purpose: str = "projects:attachment-remove"
) -> None:
    """Remove a file the customer still holds, and its stored copy; a file that reached the
    authority is evidence and is refused (luvat.projects.evidence)."""
    application = lock_application(attachment.application)
    attachment = Attachment.objects.get(pk=attachment.pk)
    attachment.application = application
    ensure_changeable(attachment=attachment, actor=actor, purpose=purpose)
    name = attachment.file.name
    storage = attachment.file.storage
    audit_record(
        actor=actor,
        action="attachment.remove",
        target=attachment,
        details={"application": application.reference, "sha256": attachment.sha256},
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)
