"""What an official does with an application, and the customer's answer to a supplement
request. Each action moves the application through the projects status table (one status
event), is audited and tells the other party."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.backoffice import notify
from luvat.backoffice.models import CaseFile, Decision, SupplementRequest
from luvat.catalogue.models import JoiningMode, ServiceKind
from luvat.identity.policy import authorise, can_act_for_company, can_handle_service
from luvat.integrations.models import OutboxKind
from luvat.integrations.outbox import outbox_enqueue
from luvat.projects import filetypes
from luvat.projects.errors import AttachmentRejected, NotAllowedInMode
from luvat.projects.models import Application, Attachment
from luvat.projects.services import application_status_change, attachment_add
from luvat.projects.services.applications import lock_application
from luvat.projects.status import Outcome, Status, check_transition

SUBMITTED_ELSEWHERE = gettext_lazy("Submitted in the authority's own e-service.")
MAX_TEXT = 10_000
MAX_DECISION_BYTES = 20 * 1024 * 1024


def _locked_own(actor: Actor, application: Application, purpose: str) -> Application:
    """Lock the application and refuse (403, access-logged) unless it is the actor's to handle."""
    application = lock_application(application)
    authority = application.authority
    authorise(
        actor,
        authority is not None
        and can_handle_service(actor, authority.code, application.service.code),
        object_type="application",
        object_id=application.public_id,
        purpose=purpose,
        subject_business_id=application.project.business_id,
    )
    return application


def _not_in_redirect_mode(application: Application) -> None:
    if application.route == JoiningMode.REDIRECT:
        raise NotAllowedInMode(
            _(
                "This service is handled in the authority's own e-service: record only its "
                "arrival and the decision here."
            )
        )


def decision_document_required(application: Application) -> bool:
    """A permit handled here (light e-service or API) is decided with a document; a decision
    made in another e-service, and a notification's or plan's acknowledgement, may come without."""
    service = application.service
    return service.kind == ServiceKind.PERMIT and application.route != JoiningMode.REDIRECT


@transaction.atomic
def application_mark_received(
    *, application: Application, actor: Actor, case_reference: str = ""
) -> Application:
    """The authority has the application (with its own case reference, if any). A redirect-mode
    application filled in the authority's own e-service is recorded as submitted there first."""
    application = _locked_own(actor, application, "backoffice:receive")
    case_reference = case_reference.strip()
    if len(case_reference) > 100:
        raise ValidationError({"case_reference": _("At most 100 characters.")})
    if application.status == Status.DRAFT:
        if application.route != JoiningMode.REDIRECT:
            check_transition(application.status, Status.RECEIVED)
        application = application_status_change(
            application=application,
            status=Status.SUBMITTED,
            actor=actor,
            note=_in_default_language(SUBMITTED_ELSEWHERE),
        )
    application = application_status_change(
        application=application, status=Status.RECEIVED, actor=actor, note=case_reference
    )
    CaseFile.objects.filter(application=application).update(case_reference=case_reference)
    audit_record(
        actor=actor,
        action="backoffice.mark_received",
        target=application,
        details={"case_reference": case_reference},
    )
    notify.notify_company_status(application)
    return application


@transaction.atomic
def application_start_processing(*, application: Application, actor: Actor) -> Application:
    """The official starts handling the application."""
    application = _locked_own(actor, application, "backoffice:start")
    _not_in_redirect_mode(application)
    application = application_status_change(
        application=application, status=Status.IN_PROCESSING, actor=actor
    )
    audit_record(actor=actor, action="backoffice.start_processing", target=application)
    notify.notify_company_status(application)
    return application


@transaction.atomic
def supplement_request_create(
    *, application: Application, actor: Actor, text: str, due_on: date | None
) -> SupplementRequest:
    """Ask the customer for more by ``due_on``; the processing clock stops until the answer."""
    application = _locked_own(actor, application, "backoffice:supplement")
    _not_in_redirect_mode(application)
    text = text.strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write what the customer should supplement.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("At most %(max)d characters.") % {"max": MAX_TEXT}
    if due_on is None:
        errors["due_on"] = _("Give the date by which the customer should answer.")
    elif due_on <= timezone.localdate():
        errors["due_on"] = _("The due date must be in the future.")
    if errors or due_on is None:
        raise ValidationError(errors)
    check_transition(application.status, Status.SUPPLEMENT_REQUESTED)
    request = SupplementRequest.objects.create(
        application=application,
        text=text,
        due_on=due_on,
        requested_by_ref=actor.ref,
        requested_by_label=actor.label,
    )
    application = application_status_change(
        application=application, status=Status.SUPPLEMENT_REQUESTED, actor=actor
    )
    audit_record(
        actor=actor,
        action="backoffice.supplement_request",
        target=request,
        details={"application": application.reference, "due_on": due_on},
    )
    with translation.override("fi"):
        url = reverse("backoffice:supplement", kwargs={"request_id": request.public_id})
    notify.notify_supplement_requested(
        application, text=text, due_on=due_on, url=url.removeprefix("/fi")
    )
    return request


@transaction.atomic
def supplement_answer(
    *,
    request: SupplementRequest,
    actor: Actor,
    answer: str,
    upload: UploadedFile | None = None,
    attachment_code: str = "",
) -> SupplementRequest:
    """The customer answers (text, optionally a file for one of the application's attachment
    types); the application goes back to the authority and the clock runs again."""
    application = lock_application(request.application)
    authorise(
        actor,
        can_act_for_company(actor, application.project.business_id),
        object_type="supplement_request",
        object_id=request.public_id,
        purpose="backoffice:supplement-answer",
        subject_business_id=application.project.business_id,
    )
    request = SupplementRequest.objects.select_for_update().get(pk=request.pk)
    if request.answered_at is not None or application.status != Status.SUPPLEMENT_REQUESTED:
        raise ValidationError({"answer": _("This request has already been answered.")})
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write your answer to the authority.")})
    if len(answer) > MAX_TEXT:
        raise ValidationError({"answer": _("At most %(max)d characters.") % {"max": MAX_TEXT}})
    files: list[Attachment] = []
    if upload is not None:
        try:
            files.append(
                attachment_add(
                    application=application, code=attachment_code, upload=upload, actor=actor
                )
            )
        except AttachmentRejected as rejected:
            raise ValidationError({"file": rejected.message}) from rejected
    request.answer = answer
    request.answered_at = timezone.now()
    request.answered_by_ref = actor.ref
    request.answered_by_label = actor.label
    request.save(update_fields=["answer", "answered_at", "answered_by_ref", "answered_by_label"])
    application = application_status_change(
        application=application, status=Status.IN_PROCESSING, actor=actor, note=answer[:2000]
    )
    answered = SupplementRequest.objects.filter(
        application=application, answered_at__isnull=False
    ).count()
    outbox_enqueue(
        kind=OutboxKind.APPLICATION_SUPPLEMENT,
        application=application,
        payload={
            "reference": f"{application.reference}-T{answered}",
            "text": answer,
            "attachments": [
                {
                    "id": str(file.public_id),
                    "code": file.code,
                    "file_name": file.original_name,
                    "content_type": file.content_type,
                    "size": file.size,
                    "sha256": file.sha256,
                }
                for file in files
            ],
        },
    )
    audit_record(
        actor=actor,
        action="backoffice.supplement_answer",
        target=request,
        details={"application": application.reference, "file": upload is not None},
    )
    notify.notify_authority_status(application)
    return request


def _checked_pdf(upload: UploadedFile) -> str:
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"document": _("The file is empty.")})
    if size > MAX_DECISION_BYTES:
        raise ValidationError(
            {
                "document": _("The decision document may be at most %(limit)s.")
                % {"limit": filesizeformat(MAX_DECISION_BYTES)}
            }
        )
    if filetypes.sniff(upload) != "pdf":
        raise ValidationError(
            {"document": _("The decision document must be a PDF file (checked by its content).")}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def decision_record(
    *,
    application: Application,
    actor: Actor,
    outcome: str,
    decided_on: date | None,
    summary: str = "",
    document: UploadedFile | None = None,
) -> Decision:
    """Record the authority's decision (outcome, date, document where required)."""
    application = _locked_own(actor, application, "backoffice:decide")
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the decision.")
    if decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    elif decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date cannot be in the future.")
    elif application.submitted_at and decided_on < timezone.localdate(application.submitted_at):
        errors["decided_on"] = _("The decision date cannot be before the application arrived.")
    if document is None and decision_document_required(application):
        errors["document"] = _("Attach the decision document (PDF).")
    if len(summary) > MAX_TEXT:
        errors["summary"] = _("At most %(max)d characters.") % {"max": MAX_TEXT}
    if errors or decided_on is None:
        raise ValidationError(errors)
    check_transition(application.status, Status.DECISION_MADE)
    sha256 = _checked_pdf(document) if document is not None else ""
    decision = Decision(
        application=application,
        outcome=outcome,
        decided_on=decided_on,
        summary=summary.strip(),
        recorded_by_ref=actor.ref,
        recorded_by_label=actor.label,
    )
    if document is not None:
        decision.document_name = (document.name or "decision.pdf")[-255:]
        decision.document_size = document.size or 0
        decision.document_sha256 = sha256
        decision.document.save("decision", document, save=False)
    try:
        decision.save()
        application = application_status_change(
            application=application, status=Status.DECISION_MADE, actor=actor, outcome=outcome
        )
    except Exception:
        if decision.document.name:
            decision.document.storage.delete(decision.document.name)
        raise
    audit_record(
        actor=actor,
        action="backoffice.decision_record",
        target=decision,
        details={"application": application.reference, "outcome": outcome, "sha256": sha256},
    )
    notify.notify_decision(application)
    return decision


@transaction.atomic
def application_close(*, application: Application, actor: Actor) -> Application:
    """Close a decided application (nothing more will happen in it)."""
    application = _locked_own(actor, application, "backoffice:close")
    _not_in_redirect_mode(application)
    application = application_status_change(
        application=application, status=Status.CLOSED, actor=actor
    )
    audit_record(actor=actor, action="backoffice.close", target=application)
    notify.notify_company_status(application)
    return application


def _in_default_language(text: Promise) -> str:
    # Status notes are stored as written and shown to everyone: the service's own language.
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)
