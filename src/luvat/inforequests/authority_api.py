"""Inforequests for authority systems (``/api/v1/authority-inforequests/``): the questions put
to the caller's authority, and its answer.

Every endpoint needs the authority system's API key (identity's ``authority_system_auth``);
the caller sees and answers only its own authority's part, within the services of its
credentials. Another authority's inforequest answers exactly as an unknown one (404), and
the refusal is in the company's access log (the same policy check as the officials' inbox:
``inforequest_for`` and ``inforequest_answer``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from luvat.identity.apiauth import authority_system_auth
from luvat.identity.door import actor_from_request
from luvat.inforequests.errors import AlreadyAnswered, InvalidInforequest
from luvat.inforequests.models import Addressee, InforequestAttachment
from luvat.inforequests.selectors import (
    InforequestView,
    addressees_for_authority,
    attachment_of,
    file_document,
    inforequest_for,
)
from luvat.inforequests.services import ANSWER_MAX, inforequest_answer
from luvat.web.api_errors import ApiProblem
from luvat.web.ratelimits import check_api

router = Router(tags=["authority systems"], auth=authority_system_auth)


class QuestionAttachmentOut(Schema):
    id: UUID
    file_name: str
    content_type: str
    size: int
    sha256: str


class AskedOut(Schema):
    """One inforequest as the asked authority sees it: the question and its own answer."""

    id: UUID = Field(description="the inforequest")
    answer_id: UUID = Field(description="this authority's part of it")
    reference: str
    business_id: str
    company_name: str
    project_name: str
    subject: str
    question: str
    shared_data: dict[str, Any] = Field(description="vocabulary code → value told with it")
    asked_at: datetime
    service_codes: list[str] = Field(description="the authority's permits it is about")
    attachments: list[QuestionAttachmentOut] = Field(
        description="the files attached to the question: GET …/attachments/{id} for each"
    )
    answer: str
    answered_at: datetime | None
    answered_by: str
    answer_attachments: list[QuestionAttachmentOut] = Field(
        description="the files your authority attached to its answer"
    )


class AuthorityAnswerIn(Schema):
    answer: str = Field(min_length=1, max_length=ANSWER_MAX)


def _asked(
    addressee: Addressee,
    attachments: list[InforequestAttachment],
    own_files: list[InforequestAttachment] | None = None,
) -> dict[str, Any]:
    """``attachments``: the question's files; ``own_files``: the answer's."""
    inforequest = addressee.inforequest
    return {
        "id": inforequest.public_id,
        "answer_id": addressee.public_id,
        "reference": inforequest.reference,
        "business_id": inforequest.business_id,
        "company_name": inforequest.project.company_name,
        "project_name": inforequest.project.name,
        "subject": inforequest.subject,
        "question": inforequest.question,
        "shared_data": inforequest.shared_data,
        "asked_at": inforequest.asked_at,
        "service_codes": [s.code for s in addressee.services.all()],
        "attachments": [file_document(a) for a in attachments],
        "answer": addressee.answer,
        "answered_at": addressee.answered_at,
        "answered_by": addressee.answered_by_label,
        "answer_attachments": [file_document(a) for a in own_files or []],
    }


def _own(request: HttpRequest, inforequest_id: UUID) -> tuple[InforequestView, Addressee]:
    """The caller's part of the inforequest; another authority's or an unknown one is 404
    (refusal access-logged by the policy)."""
    view = inforequest_for(actor_from_request(request), inforequest_id, purpose=request.path)
    if not view.answerable:  # the company itself is never an authority system
        raise ApiProblem(status=404, slug="not-found", detail="No such inforequest.")
    return view, view.answerable[0]


@router.get(
    "/",
    response=list[AskedOut],
    summary="Inforequests put to your authority, unanswered first",
)
def list_asked(request: HttpRequest, answered: bool | None = None) -> list[dict[str, Any]]:
    rows = addressees_for_authority(actor_from_request(request), answered=answered)
    prefetch_related_objects(rows, "inforequest__attachments")
    return [
        _asked(
            row,
            [f for f in row.inforequest.attachments.all() if f.addressee_id is None],
            [f for f in row.inforequest.attachments.all() if f.addressee_id == row.pk],
        )
        for row in rows
    ]


@router.get("/{inforequest_id}", response=AskedOut, summary="One inforequest put to you")
def get_asked(request: HttpRequest, inforequest_id: UUID) -> dict[str, Any]:
    view, addressee = _own(request, inforequest_id)
    addressee.inforequest = view.inforequest
    return _asked(addressee, view.attachments, view.files_of(addressee))


@router.post(
    "/{inforequest_id}/answer",
    response={201: AskedOut},
    summary="Answer an inforequest put to your authority (once; the company is told)",
)
def answer_asked(
    request: HttpRequest, inforequest_id: UUID, payload: AuthorityAnswerIn
) -> tuple[int, dict[str, Any]]:
    return 201, _answer(request, inforequest_id, payload.answer, [])


@router.post(
    "/{inforequest_id}/answer-with-files",
    response={201: AskedOut},
    summary="Answer with files (multipart: `answer` and one or more `files`, at most 10; "
    "each checked by content and scanned like the customer's)",
)
def answer_asked_with_files(
    request: HttpRequest,
    inforequest_id: UUID,
    answer: Form[str],
    files: File[list[UploadedFile]],
) -> tuple[int, dict[str, Any]]:
    client = getattr(request, "auth", None)
    check_api(request, "upload", f"api-client:{getattr(client, 'pk', '')}")
    return 201, _answer(request, inforequest_id, answer, files)


def _answer(
    request: HttpRequest, inforequest_id: UUID, text: str, uploads: list[UploadedFile]
) -> dict[str, Any]:
    view, addressee = _own(request, inforequest_id)
    try:
        answered = inforequest_answer(
            addressee=addressee,
            answer=text,
            actor=actor_from_request(request),
            uploads=uploads,
        )
    except AlreadyAnswered:
        raise ApiProblem(
            status=409,
            slug="already-answered",
            detail="Your authority has answered this inforequest already.",
        ) from None
    except InvalidInforequest as invalid:
        raise ApiProblem(
            status=422,
            slug="validation-error",
            detail="The answer is not valid; see errors.",
            errors=[{"field": f, "messages": m} for f, m in invalid.errors.items()],
        ) from None
    return _asked(answered, view.attachments, own_files=list(answered.attachments.all()))


@router.get(
    "/{inforequest_id}/attachments/{attachment_id}",
    response={200: None},
    summary="A file attached to an inforequest put to you",
)
def get_question_file(
    request: HttpRequest, inforequest_id: UUID, attachment_id: UUID
) -> FileResponse:
    view, _addressee = _own(request, inforequest_id)
    try:
        attachment = attachment_of(view, attachment_id)
    except Http404:
        raise ApiProblem(status=404, slug="not-found", detail="No such attachment.") from None
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
