"""The official's door to the authority's acts (:mod:`luvat.backoffice.acts`), one act at a time,
and the customer's answer to a supplement request. Who hears of each is decided by the status
listener of :mod:`luvat.backoffice.notify`."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.backoffice import acts
from luvat.backoffice.models import Decision, SupplementRequest
from luvat.identity.policy import authorise, can_act_for_company
from luvat.integrations.models import OutboxKind
from luvat.integrations.outbox import outbox_enqueue
from luvat.projects.errors import AttachmentRejected
from luvat.projects.models import Application, Attachment, Submission, SubmissionKind
from luvat.projects.services import application_status_change, attachment_add
from luvat.projects.services.applications import lock_application
from luvat.projects.status import Status

MAX_TEXT = acts.MAX_TEXT


def _act(application: Application, act: acts.Act, actor: Actor) -> acts.ActDone:
    (done,) = acts.acts_record(acts=[acts.ActOn(application, act)], actor=actor)
    return done


def decision_document_required(application: Application) -> bool:
    """Is the decision of ``application`` made with a document (see :mod:`acts`)?"""
    return acts.decision_document_required(application)


@transaction.atomic
def application_mark_received(
    *, application: Application, actor: Actor, case_reference: str = ""
) -> Application:
    """The authority has the application (with its own case reference, if any). A redirect-mode
    application filled in the authority's own e-service is recorded as submitted there first."""
    done = _act(application, acts.Received(case_reference=case_reference), actor)
    return done.application


@transaction.atomic
def application_start_processing(*, application: Application, actor: Actor) -> Application:
    """The official starts handling the application."""
    done = _act(application, acts.ProcessingStarted(), actor)
    return done.application


@transaction.atomic
def supplement_received_record(*, application: Application, actor: Actor) -> Application:
    """The official records that the supplement arrived in the authority's own e-service."""
    done = _act(application, acts.SupplementReceived(), actor)
    return done.application


@transaction.atomic
def supplement_request_create(
    *, application: Application, actor: Actor, text: str, due_on: date | None
) -> SupplementRequest:
    """Ask the customer for more by ``due_on``; the processing clock stops until the answer."""
    done = _act(application, acts.SupplementAsked(text=text, due_on=due_on), actor)
    return done.supplement_request()


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
    return request


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
    act = acts.DecisionMade(
        outcome=outcome, decided_on=decided_on, summary=summary, document=document
    )
    done = _act(application, act, actor)
    return done.the_decision()


@transaction.atomic
def application_close(*, application: Application, actor: Actor) -> Application:
    """Close a decided application (nothing more will happen in it)."""
    done = _act(application, acts.Closed(), actor)
    return done.application


@transaction.atomic
def shared_data_change_acknowledge(
    *, application: Application, change_id: UUID | str, actor: Actor
) -> Submission | None:
    """The official acknowledges a change of shared data sent for ``application``; ``None``
    when the application has no such change. Acknowledging twice keeps the first."""
    change = (
        Submission.objects.filter(
            application=application, kind=SubmissionKind.SHARED_DATA_CHANGE, public_id=change_id
        ).first()
        if change_id
        else None
    )
    if change is None:
        return None
    acts.changes_acknowledge(acknowledgements=[acts.ChangeAcknowledged(change)], actor=actor)
    change.refresh_from_db(
        fields=["acknowledged_at", "acknowledged_by_ref", "acknowledged_by_label"]
    )
    return change
