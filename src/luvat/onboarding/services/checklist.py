"""The go-live checklist: the authority's own items and progress with evidence."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.onboarding.errors import OnboardingError
from luvat.onboarding.models import ChecklistItem, ItemState, Joining, ServiceJoining
from luvat.uploads import filetypes
from luvat.uploads.inspect import UploadRejected, check_name, inspect_upload

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_KINDS = ("pdf", "png", "jpeg", "docx", "xlsx", "pptx", "odt", "ods", "txt")


@transaction.atomic
def checklist_item_add(
    *,
    joining: Joining,
    title: str,
    mandatory: bool,
    actor: Actor,
    service_joining: ServiceJoining | None = None,
    owner: str = "",
) -> ChecklistItem:
    """Add one of the authority's own items (for all its services or one)."""
    if not title.strip():
        raise OnboardingError("title", _("Describe the item."))
    if service_joining is not None and service_joining.joining_id != joining.pk:
        raise OnboardingError("service_joining", _("Choose a service of this joining."))
    last = ChecklistItem.objects.filter(joining=joining).aggregate(m=Max("position"))["m"] or 0
    item = ChecklistItem.objects.create(
        joining=joining,
        service_joining=service_joining,
        title=title.strip(),
        mandatory=mandatory,
        owner=owner.strip(),
        position=max(last, 100) + 1,
        updated_by=actor.label,
    )
    audit_record(actor=actor, action="checklist_item.add", target=item)
    return item


def _check_evidence(upload: UploadedFile) -> str:
    try:
        check_name(upload)
    except UploadRejected as rejected:
        raise OnboardingError("evidence_file", rejected.message) from None
    size = upload.size or 0
    if size == 0:
        raise OnboardingError("evidence_file", _("The file is empty."))
    if size > EVIDENCE_MAX_BYTES:
        raise OnboardingError(
            "evidence_file",
            _("The file is %(size)s; evidence may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(EVIDENCE_MAX_BYTES)},
        )
    try:
        kind = inspect_upload(upload, max_bytes=EVIDENCE_MAX_BYTES)
    except UploadRejected as rejected:
        raise OnboardingError("evidence_file", rejected.message) from None
    if kind not in EVIDENCE_KINDS:
        raise OnboardingError(
            "evidence_file",
            _("The file's content is %(kind)s; evidence may be %(allowed)s.")
            % {
                "kind": filetypes.kind_name(kind),
                "allowed": ", ".join(filetypes.kind_name(k) for k in EVIDENCE_KINDS),
            },
        )
    return kind


@transaction.atomic
def checklist_item_update(
    *,
    item: ChecklistItem,
    actor: Actor,
    owner: str,
    state: str,
    evidence_note: str,
    evidence_link: str,
    done_on: date | None,
    evidence_file: UploadedFile | None = None,
    remove_file: bool = False,
) -> ChecklistItem:
    """Record progress of an item: owner, state, evidence (note, link or file) and date.

    A done item needs evidence: a note, a link or a file.
    """
    locked = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if state not in ItemState.values:
        raise OnboardingError("state", _("Choose a state."))
    kind = _check_evidence(evidence_file) if evidence_file is not None else ""
    has_file = evidence_file is not None or (bool(locked.evidence_file) and not remove_file)
    if state == ItemState.DONE and not (evidence_note.strip() or evidence_link or has_file):
        raise OnboardingError(
            "evidence_note", _("A done item needs evidence: a note, a link or a file.")
        )
    if done_on is not None and done_on > timezone.localdate():
        raise OnboardingError("done_on", _("The date cannot be in the future."))
    if state == ItemState.DONE and done_on is None:
        done_on = timezone.localdate()
    if remove_file or evidence_file is not None:
        if locked.evidence_file:
            locked.evidence_file.delete(save=False)
        locked.evidence_file = None  # type: ignore[assignment]
        locked.evidence_file_name = ""
        locked.evidence_content_type = ""
    if evidence_file is not None:
        locked.evidence_file.save("evidence", evidence_file, save=False)
        locked.evidence_file_name = (evidence_file.name or "evidence")[-255:]
        locked.evidence_content_type = filetypes.mime_type(kind)
    locked.owner = owner.strip()
    locked.state = state
    locked.evidence_note = evidence_note.strip()
    locked.evidence_link = evidence_link
    locked.done_on = done_on
    locked.updated_at = timezone.now()
    locked.updated_by = actor.label
    locked.save(
        update_fields=[
            "owner",
            "state",
            "evidence_note",
            "evidence_link",
            "evidence_file",
            "evidence_file_name",
            "evidence_content_type",
            "done_on",
            "updated_at",
            "updated_by",
        ]
    )
    audit_record(
        actor=actor, action="checklist_item.update", target=locked, details={"state": state}
    )
    return locked
