"""API for authority systems: status events in, the application document and attachments out.

Every endpoint needs the authority system's API key (identity's ``authority_system_auth``)
and answers only about applications addressed to that authority. Status events must
also carry the body signature (``X-Luvat-Signature``) when the authority's endpoint has
a signing secret.
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

from luvat.audit.services import audit_record
from luvat.identity.apiauth import AuthoritySystemAuth, authority_system_auth, require_authority
from luvat.identity.policy import actor_from_request
from luvat.integrations.documents import LinkRefused, check_attachment_link
from luvat.integrations.inbound import (
    EventIdReused,
    StatusConflict,
    StatusEventIn,
    status_event_receive,
)
from luvat.integrations.selectors import (
    application_document,
    application_for_authority_system,
    authority_secrets,
)
from luvat.integrations.signing import SIGNATURE_HEADER, SignatureError, verify
from luvat.projects.models import Application, Attachment
from luvat.web.api_errors import ApiProblem

log = structlog.get_logger(__name__)
router = Router(tags=["authority systems"], auth=authority_system_auth)
MAX_EVENT_BYTES = 64 * 1024


class EventSenderAuth(AuthoritySystemAuth):
    """The API key check, after refusing oversized bodies before anything reads them."""

    def __call__(self, request: HttpRequest) -> Any:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not (length.isascii() and length.isdigit()) or int(length) > MAX_EVENT_BYTES:
            raise ApiProblem(
                status=413, slug="too-large", detail="The event is larger than 64 KiB."
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
        raise ApiProblem(status=404, slug="unknown-application", detail="No such application.")
    authority_code = application.authority.code if application.authority else ""
    require_authority(
        request,
        authority_code,
        service_code=application.service.code,
        object_type="projects.application",
        object_id=application.pk,
    )
    return application


def _refuse(request: HttpRequest, reason: str, target: str, **details: Any) -> None:
    actor = actor_from_request(request)
    log.warning("inbound.refused", reason=reason, authority=actor.on_behalf_of, target=target)
    audit_record(
        actor=actor,
        action="status_event.refused",
        target=("projects.application", target),
        details={"reason": reason, **details},
    )


def check_signature(request: HttpRequest, authority_code: str, target: str) -> None:
    secrets = authority_secrets(authority_code)
    if not secrets:
        return
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
    application = _application(request, application_id)
    actor = actor_from_request(request)
    check_signature(request, actor.on_behalf_of, str(application_id))
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
    except EventIdReused:
        raise ApiProblem(
            status=409,
            slug="event-id-reused",
            detail="This event_id was already used for another application.",
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
    audit_record(
        actor=actor_from_request(request),
        action="attachment.download",
        target=attachment,
        details={"application": application.reference},
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
