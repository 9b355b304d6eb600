"""Evidence is immutable: the one rule for changing an application's files.

A file becomes evidence when it reaches the authority: when the application leaves the
customer's hands (its submission, or the answer to a supplement request) every file it has is
receipted (:func:`attachments_receipt`, called by the status recorder for every move, so no
door can skip it). A receipted file is never removed or replaced, whoever asks and through
whichever door (pages, the customer API, any service): :func:`ensure_changeable` refuses with
:class:`EvidenceImmutable`, a translated message, and writes the refusal to the access log
like every other refusal (``identity.policy.authorise``). A supplement adds new files instead.

The model signals below are the backstop for code that would bypass the services: deleting or
overwriting a receipted row raises the same error.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor
from luvat.identity.policy import authorise
from luvat.projects.errors import AttachmentRejected
from luvat.projects.models import Attachment
from luvat.projects.status import Status

# The statuses in which the customer still holds the application and may change its files.
EDITABLE = frozenset({Status.DRAFT, Status.SUPPLEMENT_REQUESTED})
# What a receipted file is: its content and what it was attached as.
FROZEN_FIELDS = (
    "application_id",
    "code",
    "file",
    "original_name",
    "content_type",
    "size",
    "sha256",
)


class EvidenceImmutable(AttachmentRejected):
    """The file already reached the authority: it cannot be removed or replaced."""

    def __init__(self) -> None:
        super().__init__(
            "evidence",
            _(
                "This file was already delivered to the authority with your application and "
                "cannot be removed or replaced. Attach a new file instead."
            ),
        )


def is_evidence(attachment: Attachment) -> bool:
    """Has the file reached the authority?"""
    return attachment.receipted_at is not None


def ensure_changeable(*, attachment: Attachment, actor: Actor, purpose: str) -> None:
    """Refuse (and access-log) a removal or replacement of ``attachment``: receipted files are
    evidence; others only while the customer holds the application."""
    application = attachment.application
    authorise(
        actor,
        not is_evidence(attachment),
        object_type="attachment",
        object_id=attachment.public_id,
        purpose=f"{purpose}: the file is evidence of a submission",
        subject_business_id=application.project.business_id,
        refusal=EvidenceImmutable(),
    )
    if application.status not in EDITABLE:
        raise AttachmentRejected("not_editable", _("Attachments can no longer be changed."))


def attachments_receipt(application_ids: Iterable[int], *, at: datetime) -> int:
    """Every file of these applications reached the authority at ``at`` (one statement)."""
    ids = sorted(set(application_ids))
    if not ids:
        return 0
    return Attachment.objects.filter(application_id__in=ids, receipted_at__isnull=True).update(
        receipted_at=at
    )


def hands_over(previous: str, status: str, *, submitted: bool) -> bool:
    """Does a move from ``previous`` to ``status`` hand the application's files over to the
    authority (it leaves the customer's hands after having been submitted)?"""
    return submitted and previous in EDITABLE and status not in EDITABLE


# -- the backstop -------------------------------------------------------------------------------


def _refuse_deleting_evidence(sender: type[Attachment], instance: Attachment, **_: Any) -> None:
    # The row as it was loaded (a cascade loads it fresh); the services lock and reload first.
    if is_evidence(instance):
        raise EvidenceImmutable()


def _refuse_replacing_evidence(sender: type[Attachment], instance: Attachment, **_: Any) -> None:
    if instance.pk is None:
        return
    stored = (
        Attachment.objects.filter(pk=instance.pk, receipted_at__isnull=False)
        .values(*FROZEN_FIELDS, "receipted_at")
        .first()
    )
    if stored is None:
        return
    if instance.receipted_at is None or any(
        str(stored[name]) != str(getattr(instance, name)) for name in FROZEN_FIELDS
    ):
        raise EvidenceImmutable()


def connect_backstop() -> None:
    """Called once from the app's ready()."""
    pre_delete.connect(_refuse_deleting_evidence, sender=Attachment, dispatch_uid="evidence-del")
    pre_save.connect(_refuse_replacing_evidence, sender=Attachment, dispatch_uid="evidence-save")
