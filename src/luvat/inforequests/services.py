"""Writes of the inforequests context: ask, answer, and make an answer an application.

Each is one typed, keyword-only, atomic function that checks access through the identity
policy, records who did it and tells whom it concerns (the notices of :mod:`.notify`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from luvat.assessment.models import Assessment
from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.catalogue.models import Authority, Service
from luvat.identity.policy import authorise, can_act_for_company, can_answer_inforequest
from luvat.inforequests.errors import AlreadyAnswered, InvalidInforequest, NotAnswered
from luvat.inforequests.models import Addressee, Inforequest, InforequestAttachment
from luvat.inforequests.notify import answered_notice, asked_notices
from luvat.inforequests.selectors import inforequest_ref
from luvat.notifications.services import notifications_publish
from luvat.projects.errors import AttachmentRejected
from luvat.projects.models import Application, Project
from luvat.projects.services import project_create_from_assessment, shared_data_set
from luvat.projects.services.applications import (
    ExchangeFile,
    PriorExchange,
    application_add_with_exchange,
)
from luvat.projects.services.attachments import check_file
from luvat.projects.services.projects import lock_project, shared_data_current
from luvat.uploads import filetypes

# What a question may carry: any document or image kind the platform checks by content.
ATTACHMENT_SPEC: dict[str, Any] = {
    "code": "inforequest",
    "types": ["pdf", "png", "jpeg", "gif", "tiff", "docx", "xlsx", "pptx", "odt", "ods", "txt"],
}
MAX_ATTACHMENTS = 10
SUBJECT_MAX = 200
QUESTION_MAX = 10_000
ANSWER_MAX = 10_000

Asked = Mapping[Authority, Sequence[Service]]
"""The authorities to ask, each with the permits of its own the question is about."""


def _check_question(subject: str, question: str, asked: Asked, uploads: Sequence[Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not subject:
        errors["subject"] = [_("Give the question a subject.")]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [_("The subject may be at most 200 characters.")]
    if not question:
        errors["question"] = [_("Write your question.")]
    elif len(question) > QUESTION_MAX:
        errors["question"] = [_("The question may be at most 10 000 characters.")]
    if not asked:
        errors["authorities"] = [_("Choose at least one authority to ask.")]
    if len(uploads) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("Attach at most 10 files.")]
    if errors:
        raise InvalidInforequest(errors)


def _checked_files(uploads: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str, str]]:
    """Each upload with its content kind and SHA-256, or the first refusal by name."""
    checked = []
    for upload in uploads:
        try:
            kind = check_file(upload=upload, spec=ATTACHMENT_SPEC)
        except AttachmentRejected as rejected:
            raise InvalidInforequest(
                {"attachments": [f"{upload.name}: {rejected.message}"]}
            ) from None
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        checked.append((upload, kind, digest.hexdigest()))
    return checked


@transaction.atomic
def inforequest_ask(
    *,
    project: Project,
    subject: str,
    question: str,
    asked: Asked,
    actor: Actor,
    shared_data: Mapping[str, Any] | None = None,
    uploads: Sequence[UploadedFile] = (),
) -> Inforequest:
    """Send the company's question about ``project`` to the authorities in ``asked``, with
    files checked by content like every upload; ``shared_data`` typed with it goes to the
    project's shared data (where the application made from an answer is pre-filled from)."""
    authorise(
        actor,
        can_act_for_company(actor, project.business_id),
        object_type="project",
        object_id=project.public_id,
        purpose="inforequest.ask",
        subject_business_id=project.business_id,
        known=False,
    )
    subject, question = subject.strip(), question.strip()
    _check_question(subject, question, asked, uploads)
    checked = _checked_files(uploads)
    project = lock_project(project)
    if shared_data:
        shared_data_set(project=project, values=shared_data, actor=actor)
    current = shared_data_current(project)
    told = {
        code: current[code]
        for code in sorted(shared_data or {})
        if current.get(code) not in (None, "")
    }
    inforequest = Inforequest.objects.create(
        project=project,
        business_id=project.business_id,
        shared_data=told,
        subject=subject,
        question=question,
        asked_by=actor.ref,
        asked_by_label=actor.label,
    )
    for authority, services in sorted(asked.items(), key=lambda item: item[0].code):
        addressee = Addressee.objects.create(inforequest=inforequest, authority=authority)
        addressee.services.set(services)
    stored: list[InforequestAttachment] = []
    try:
        _store_files(inforequest=inforequest, checked=checked, actor=actor, stored=stored)
        audit_record(
            actor=actor,
            action="inforequest.ask",
            target=inforequest,
            details={
                "project": project.reference,
                "authorities": sorted(authority.code for authority in asked),
                "attachments": [sha256 for _upload, _kind, sha256 in checked],
                "shared_data": sorted(shared_data or {}),
            },
        )
        notifications_publish(asked_notices(inforequest))
    except Exception:
        # The files reached storage before their rows: do not leave them behind.
        _delete_files(stored)
        raise
    return inforequest


@transaction.atomic
def inforequest_ask_from_assessment(
    *,
    assessment: Assessment,
    business_id: str,
    company_name: str,
    subject: str,
    question: str,
    asked: Asked,
    actor: Actor,
    shared_data: Mapping[str, Any] | None = None,
    uploads: Sequence[UploadedFile] = (),
) -> Inforequest:
    """Ask from an assessment result: the question is kept with the company's project of that
    assessment, made now without applications if there is none yet (asking comes first)."""
    _check_question(subject.strip(), question.strip(), asked, uploads)
    project = project_create_from_assessment(
        actor=actor,
        business_id=business_id,
        assessment=assessment,
        company_name=company_name,
        keep=[],
    )
    return inforequest_ask(
        project=project,
        subject=subject,
        question=question,
        asked=asked,
        actor=actor,
        shared_data=shared_data,
        uploads=uploads,
    )


def _lock_addressee(addressee: Addressee) -> Addressee:
    return (
        Addressee.objects.select_for_update(of=("self",))
        .select_related("inforequest", "inforequest__project", "authority")
        .get(pk=addressee.pk)
    )


def _store_files(
    *,
    inforequest: Inforequest,
    checked: list[tuple[UploadedFile, str, str]],
    actor: Actor,
    stored: list[InforequestAttachment],
    addressee: Addressee | None = None,
) -> None:
    """Save checked uploads under random names, each added to ``stored`` as soon as its file
    is in storage (so that the caller can delete them all if anything fails later)."""
    for upload, kind, sha256 in checked:
        attachment = InforequestAttachment(
            inforequest=inforequest,
            addressee=addressee,
            original_name=(upload.name or "file")[-255:],
            content_type=filetypes.mime_type(kind),
            size=upload.size or 0,
            sha256=sha256,
            uploaded_by=actor.ref,
        )
        attachment.file.save("upload", upload, save=False)
        stored.append(attachment)
        attachment.save()


def _delete_files(stored: Sequence[InforequestAttachment]) -> None:
    for attachment in stored:
        attachment.file.storage.delete(attachment.file.name)


@transaction.atomic
def inforequest_answer(
    *,
    addressee: Addressee,
    answer: str,
    actor: Actor,
    uploads: Sequence[UploadedFile] = (),
) -> Addressee:
    """The asked authority's official answers, with files checked by content and scanned like
    the customer's; the company hears of it. Another authority's official is refused as if
    the inforequest did not exist."""
    addressee = _lock_addressee(addressee)
    inforequest = addressee.inforequest
    authorise(
        actor,
        can_answer_inforequest(actor, inforequest_ref(inforequest), addressee.authority.code),
        object_type="inforequest",
        object_id=inforequest.public_id,
        purpose="inforequest.answer",
        subject_business_id=inforequest.business_id,
        known=False,
    )
    if addressee.answered:
        raise AlreadyAnswered(addressee.authority.code)
    answer = answer.strip()
    if not answer:
        raise InvalidInforequest({"answer": [_("Write the answer.")]})
    if len(answer) > ANSWER_MAX:
        raise InvalidInforequest({"answer": [_("The answer may be at most 10 000 characters.")]})
    if len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInforequest({"attachments": [_("Attach at most 10 files.")]})
    checked = _checked_files(uploads)
    addressee.answer = answer
    addressee.answered_at = timezone.now()
    addressee.answered_by = actor.ref
    addressee.answered_by_label = actor.label
    addressee.save(update_fields=["answer", "answered_at", "answered_by", "answered_by_label"])
    stored: list[InforequestAttachment] = []
    try:
        _store_files(
            inforequest=inforequest,
            checked=checked,
            actor=actor,
            stored=stored,
            addressee=addressee,
        )
        audit_record(
            actor=actor,
            action="inforequest.answer",
            target=inforequest,
            details={
                "authority": addressee.authority.code,
                "attachments": [sha256 for _upload, _kind, sha256 in checked],
            },
        )
        notifications_publish([answered_notice(addressee)])
    except Exception:
        # The files reached storage before their rows: do not leave them behind.
        _delete_files(stored)
        raise
    return addressee


def exchange_of(addressee: Addressee) -> PriorExchange:
    """What the application made from ``addressee``'s answer carries: the question and its
    files, this authority's answer and its files (linked, never another authority's)."""
    inforequest = addressee.inforequest
    if addressee.answered_at is None:
        raise NotAnswered(inforequest.reference)
    files = InforequestAttachment.objects.filter(
        Q(addressee__isnull=True) | Q(addressee=addressee), inforequest=inforequest
    ).order_by("uploaded_at", "id")
    return PriorExchange(
        reference=inforequest.reference,
        inforequest_id=str(inforequest.public_id),
        files=tuple(
            ExchangeFile(
                id=str(file.public_id),
                part="question" if file.addressee_id is None else "answer",
                name=file.original_name,
                content_type=file.content_type,
                size=file.size,
                sha256=file.sha256,
            )
            for file in files
        ),
        subject=inforequest.subject,
        question=inforequest.question,
        asked_at=inforequest.asked_at,
        authority_code=addressee.authority.code,
        authority_name=addressee.authority.name,
        answer=addressee.answer,
        answered_at=addressee.answered_at,
        answered_by=addressee.answered_by_label,
    )


@transaction.atomic
def inforequest_convert(*, addressee: Addressee, service: Service, actor: Actor) -> Application:
    """Make an answered inforequest an application for one of the permits asked about at that
    authority: a draft in the project carrying the question and the answer with their files
    (linked, see :class:`ExchangeFile`), its form pre-filled from the project's shared data
    (typed with the question). Converting again returns the same application."""
    addressee = _lock_addressee(addressee)
    inforequest = addressee.inforequest
    authorise(
        actor,
        can_act_for_company(actor, inforequest.business_id),
        object_type="inforequest",
        object_id=inforequest.public_id,
        purpose="inforequest.convert",
        subject_business_id=inforequest.business_id,
        known=False,
    )
    made = addressee.application
    if made is not None and made.status not in ("cancelled", "withdrawn"):
        return made
    if not addressee.services.filter(pk=service.pk).exists():
        raise InvalidInforequest(
            {"service": [_("Choose one of the permits the question was about.")]}
        )
    exchange = exchange_of(addressee)
    application = application_add_with_exchange(
        project=inforequest.project, service=service, exchange=exchange, actor=actor
    )
    addressee.application = application
    addressee.converted_at = timezone.now()
    addressee.save(update_fields=["application", "converted_at"])
    audit_record(
        actor=actor,
        action="inforequest.convert",
        target=inforequest,
        details={
            "authority": addressee.authority.code,
            "service": service.code,
            "application": application.reference,
            "files": [file.sha256 for file in exchange.files],
        },
    )
    return application
