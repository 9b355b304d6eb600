"""API for authority systems: status events in, the application document and attachments out.

Every endpoint needs the authority system's API key (identity's ``authority_system_auth``)
and answers only about applications addressed to that authority. Status events must
also carry the body signature (``X-Luvat-Signature``) made with the signing secret of the
authority's endpoint; an authority without one cannot post status events at all.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Any

import structlog
from django.http import FileResponse, HttpRequest
from ninja import Router, Schema
from ninja import Status as Answer
from pydantic import BaseModel, ConfigDict, Field

from luvat.audit.services import Audited, access_record, audit_record, audit_record_many
from luvat.identity.apiauth import (
    AuthoritySystemAuth,
    authority_allows,
    authority_system_auth,
)
from luvat.identity.door import actor_from_request
from luvat.identity.policy import Denied, acting_authority, authorise
from luvat.integrations.documents import LinkRefused, check_attachment_link
from luvat.integrations.inbound import (
    AUTHORITY_STATUS_REFUSALS,
    AuthorityStatusRefused,
    EventIdReused,
    EventRefusal,
    StatusConflict,
    StatusEventIn,
    UnknownChange,
    status_event_receive,
    status_events_receive,
)
from luvat.integrations.selectors import (
    application_document,
    application_for_authority_system,
    applications_for_authority_system,
    authority_secrets,
)
from luvat.integrations.signing import SIGNATURE_HEADER, SignatureError, verify
from luvat.projects.models import Application, Attachment
from luvat.web.api_errors import ApiProblem
from luvat.web.ratelimits import check_api

log = structlog.get_logger(__name__)
router = Router(tags=["authority systems"], auth=authority_system_auth)
MAX_EVENT_BYTES = 64 * 1024
MAX_BATCH_BYTES = 1024 * 1024
MAX_BATCH_EVENTS = 500


class EventSenderAuth(AuthoritySystemAuth):
    """The API key check, after refusing oversized bodies before anything reads them."""

    def __init__(self, max_bytes: int = MAX_EVENT_BYTES, what: str = "The event") -> None:
        super().__init__()
        self.max_bytes = max_bytes
        self.what = what

    def __call__(self, request: HttpRequest) -> Any:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not (length.isascii() and length.isdigit()) or int(length) > self.max_bytes:
            raise ApiProblem(
                status=413,
                slug="too-large",
                detail=f"{self.what} is larger than {self.max_bytes // 1024} KiB.",
            )
        return super().__call__(request)


class EventOut(Schema):
    event_id: str
    outcome: str
    duplicate: bool
    status: str
    occurred_at: datetime


def _application(request: HttpRequest, application_id: uuid.UUID) -> Application:
    application = application_for_authority_system(application_id)
    if application is None:
        _refuse(request, "unknown-application", str(application_id))
        raise _unknown_application()
    # Another authority's application answers exactly as an unknown one (ids cannot be
    # probed), and the refusal is in the company's access log.
    authority_code = application.authority.code if application.authority else ""
    authorise(
        actor_from_request(request),
        authority_allows(request, authority_code, service_code=application.service.code),
        object_type="projects.application",
        object_id=application.pk,
        purpose=request.path,
        subject_business_id=application.project.business_id,
        refusal=_unknown_application(),
    )
    return application


def _unknown_application() -> ApiProblem:
    return ApiProblem(status=404, slug="unknown-application", detail="No such application.")


def _refuse(request: HttpRequest, reason: str, target: str, **details: Any) -> None:
    actor = actor_from_request(request)
    log.warning("inbound.refused", reason=reason, authority=acting_authority(actor), target=target)
    audit_record(
        actor=actor,
        action="status_event.refused",
        target=("projects.application", target),
        details={"reason": reason, **details},
    )


def check_signature(request: HttpRequest, authority_code: str, target: str) -> None:
    """Every status event is signed, whoever sends it: an authority with no signing secret
    (no enabled endpoint with one) cannot report status until the operators set one up."""
    secrets = authority_secrets(authority_code)
    if not secrets:
        _refuse(request, "no-signing-secret", target)
        raise ApiProblem(
            status=403,
            slug="no-signing-secret",
            detail=(
                "Status events must be signed (X-Luvat-Signature), and your authority has no "
                "signing secret yet; ask the Luvat operators to set one on your endpoint."
            ),
        )
    try:
        verify(secrets, request.body, request.headers.get(SIGNATURE_HEADER), now=time.time())
    except SignatureError as exc:
        _refuse(request, "bad-signature", target, detail=str(exc))
        raise ApiProblem(status=401, slug="bad-signature", detail=str(exc)) from None


@router.post(
    "/{application_id}/events",
    response={200: EventOut, 201: EventOut},
    summary="Report a status event of an application (idempotent on event_id)",
    auth=EventSenderAuth(),
)
def post_event(
    request: HttpRequest, application_id: uuid.UUID, event: StatusEventIn
) -> Answer[EventOut]:
    actor = actor_from_request(request)
    check_api(request, "inbound", f"authority:{acting_authority(actor)}")
    application = _application(request, application_id)
    check_signature(request, acting_authority(actor), str(application_id))
    try:
        receipt = status_event_receive(application=application, event=event, actor=actor)
    except StatusConflict as conflict:
        _refuse(request, "status-conflict", str(application_id), event_id=event.event_id)
        raise ApiProblem(
            status=409,
            slug="status-conflict",
            detail=str(conflict),
            current_status=conflict.current,
            requested_status=str(conflict.target),
        ) from None
    except AuthorityStatusRefused as refused:
        _refuse(request, refused.slug, str(application_id), event_id=event.event_id)
        raise ApiProblem(status=422, slug=refused.slug, detail=refused.detail) from None
    except EventIdReused:
        raise ApiProblem(
            status=409,
            slug="event-id-reused",
            detail="This event_id was already used for another application.",
        ) from None
    except UnknownChange:
        raise ApiProblem(
            status=404,
            slug="unknown-change",
            detail="No change of shared data with this change_id was sent for this application.",
        ) from None
    recorded = receipt.event
    return Answer(
        200 if receipt.duplicate else 201,
        EventOut(
            event_id=recorded.event_id,
            outcome=recorded.outcome,
            duplicate=receipt.duplicate,
            status=recorded.status_after,
            occurred_at=recorded.occurred_at,
        ),
    )


class BatchedStatusEventIn(StatusEventIn):
    """A status event in a batch: as a single one, naming its application."""

    application_id: uuid.UUID  # type: ignore[assignment]


class StatusEventBatchIn(BaseModel):
    """Status events of many applications (docs/schemas/status-event-batch.schema.json)."""

    model_config = ConfigDict(extra="forbid")
    events: list[BatchedStatusEventIn] = Field(min_length=1, max_length=MAX_BATCH_EVENTS)


class BatchResultOut(Schema):
    """What sending this event alone would have answered: ``result`` is that HTTP status
    (201 recorded, 200 a copy of one already recorded, 404, 409 or 422 refused), with the
    receipt of a recorded event or the problem's slug and detail of a refused one."""

    index: int
    event_id: str
    application_id: uuid.UUID
    result: int
    outcome: str | None = None
    duplicate: bool = False
    status: str | None = None
    occurred_at: datetime | None = None
    problem: str | None = None
    detail: str | None = None
    current_status: str | None = None


class BatchOut(Schema):
    recorded: int
    refused: int
    results: list[BatchResultOut]


@router.post(
    "/events",
    response={200: BatchOut},
    summary="Report status events of many applications at once (each idempotent on event_id)",
    auth=EventSenderAuth(MAX_BATCH_BYTES, "The batch"),
)
def post_events(request: HttpRequest, batch: StatusEventBatchIn) -> BatchOut:
    """Up to 500 events in one signed request, applied in the order given with the rules of
    the single-event endpoint; every event gets its own answer in ``results``."""
    actor = actor_from_request(request)
    check_api(request, "inbound", f"authority:{acting_authority(actor)}")
    check_signature(request, acting_authority(actor), "batch")
    found = applications_for_authority_system({event.application_id for event in batch.events})
    results: list[BatchResultOut | None] = [None] * len(batch.events)
    accepted: list[tuple[int, Application, BatchedStatusEventIn]] = []
    refusals: list[Audited] = []
    for index, event in enumerate(batch.events):
        application = found.get(event.application_id)
        if application is None:
            problem, detail = "unknown-application", "No such application."
            results[index] = _refused(index, event, 404, problem, detail)
        elif not authority_allows(
            request,
            application.authority.code if application.authority else "",
            service_code=application.service.code,
        ):
            # As the single endpoint: another authority's application is an unknown one.
            try:
                authorise(
                    actor,
                    False,
                    object_type="projects.application",
                    object_id=application.pk,
                    purpose=request.path,
                    subject_business_id=application.project.business_id,
                )
            except Denied:
                problem, detail = "unknown-application", "No such application."
                results[index] = _refused(index, event, 404, problem, detail)
        else:
            accepted.append((index, application, event))
            continue
        refusals.append(_refusal(problem, str(event.application_id), event.event_id))
    if accepted:
        answers = status_events_receive(
            events=[(application, event) for _index, application, event in accepted], actor=actor
        )
        for (index, _application, event), answer in zip(accepted, answers, strict=True):
            if isinstance(answer, EventRefusal):
                code = (
                    422
                    if answer.slug in AUTHORITY_STATUS_REFUSALS
                    else 404
                    if answer.slug == "unknown-change"
                    else 409
                )
                results[index] = _refused(
                    index, event, code, answer.slug, answer.detail, answer.current_status
                )
                refusals.append(_refusal(answer.slug, str(event.application_id), event.event_id))
                continue
            recorded = answer.event
            results[index] = BatchResultOut(
                index=index,
                event_id=event.event_id,
                application_id=event.application_id,
                result=200 if answer.duplicate else 201,
                outcome=recorded.outcome,
                duplicate=answer.duplicate,
                status=recorded.status_after,
                occurred_at=recorded.occurred_at,
            )
    if refusals:
        log.warning("inbound.batch_refused", authority=acting_authority(actor), count=len(refusals))
        audit_record_many(actor=actor, entries=refusals)
    answered = [result for result in results if result is not None]
    refused = sum(1 for result in answered if result.result >= 400)
    return BatchOut(recorded=len(answered) - refused, refused=refused, results=answered)


def _refused(
    index: int,
    event: BatchedStatusEventIn,
    result: int,
    problem: str,
    detail: str,
    current_status: str = "",
) -> BatchResultOut:
    return BatchResultOut(
        index=index,
        event_id=event.event_id,
        application_id=event.application_id,
        result=result,
        problem=problem,
        detail=detail,
        current_status=current_status or None,
    )


def _refusal(reason: str, target: str, event_id: str) -> Audited:
    return Audited(
        "status_event.refused",
        ("projects.application", target),
        {"reason": reason, "event_id": event_id},
    )


@router.get(
    "/{application_id}/document",
    response=dict[str, Any],
    summary="The application document as delivered, with fresh attachment links",
)
def get_document(request: HttpRequest, application_id: uuid.UUID) -> dict[str, Any]:
    application = _application(request, application_id)
    document = application_document(application)
    if document is None:
        raise ApiProblem(
            status=404, slug="not-submitted", detail="The application has not been submitted."
        )
    # The document names people and their e-mail addresses: the company sees who read it.
    access_record(
        actor=actor_from_request(request),
        object_type="projects.application.document",
        object_id=application.public_id,
        purpose=request.path,
        subject_business_id=application.project.business_id,
    )
    return document


@router.get(
    "/{application_id}/attachments/{attachment_id}",
    response={200: None},
    summary="Download an attachment through a link from a delivered document",
)
def get_attachment(
    request: HttpRequest,
    application_id: uuid.UUID,
    attachment_id: uuid.UUID,
    expires: str = "",
    signature: str = "",
) -> FileResponse:
    application = _application(request, application_id)
    try:
        check_attachment_link(
            str(application_id),
            str(attachment_id),
            expires=expires,
            signature=signature,
            now=time.time(),
        )
    except LinkRefused as refused:
        status = 410 if refused.slug == "link-expired" else 403
        raise ApiProblem(status=status, slug=refused.slug, detail=refused.detail) from None
    attachment = Attachment.objects.filter(application=application, public_id=attachment_id).first()
    if attachment is None:
        raise ApiProblem(status=404, slug="unknown-attachment", detail="No such attachment.")
    actor = actor_from_request(request)
    audit_record(
        actor=actor,
        action="attachment.download",
        target=attachment,
        details={"application": application.reference},
    )
    access_record(
        actor=actor,
        object_type="projects.attachment",
        object_id=attachment.public_id,
        purpose=request.path,
        subject_business_id=application.project.business_id,
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
