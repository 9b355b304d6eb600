"""The inforequests API for customers' own software and the browser (``/api/v1/inforequests/``).

Authenticated by the log-in session like the projects API; the caller acts for the company
chosen after log-in. Files are attached on the page (a multipart form with several files)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema

from luvat.audit.actors import Actor
from luvat.inforequests.errors import InvalidInforequest, NotAnswered
from luvat.inforequests.models import Addressee, Inforequest, InforequestAttachment
from luvat.inforequests.selectors import (
    company_inforequests,
    file_document,
    inforequest_for,
    project_ask_options,
)
from luvat.inforequests.services import inforequest_ask, inforequest_convert
from luvat.projects.access import project_for
from luvat.projects.api import CustomerSession
from luvat.projects.api_documents import PROBLEMS, problem_from
from luvat.projects.errors import NotOffered
from luvat.web.api_errors import ApiProblem

router = Router(tags=["inforequests"], auth=CustomerSession())


class InforequestIn(Schema):
    project_id: UUID
    subject: str = Field(max_length=200)
    question: str = Field(max_length=10_000)
    authority_codes: list[str] = Field(
        description="authorities to ask: those handling a permit of the project (its "
        "applications and its service package)"
    )
    shared_data: dict[str, Any] = Field(
        default_factory=dict,
        description="vocabulary code → value told with the question; goes to the project's "
        "shared data, from which an application made from an answer is pre-filled",
    )


class AttachmentRefOut(Schema):
    id: UUID
    file_name: str
    content_type: str
    size: int
    sha256: str


class AnswerOut(Schema):
    id: UUID
    authority_code: str
    authority_name: str
    service_codes: list[str]
    answer: str
    answered_at: datetime | None
    answered_by: str
    application_id: UUID | None
    attachments: list[AttachmentRefOut] = Field(description="the files the authority attached")


class InforequestOut(Schema):
    id: UUID
    reference: str
    project_id: UUID
    subject: str
    question: str
    shared_data: dict[str, Any]
    asked_at: datetime
    answers: list[AnswerOut]
    attachments: list[AttachmentRefOut]


class ConvertIn(Schema):
    service_code: str = Field(description="one of the permits the question was about")


class ApplicationRefOut(Schema):
    project_id: UUID
    application_id: UUID
    reference: str


def _actor(request: HttpRequest) -> Actor:
    actor = request.auth  # type: ignore[attr-defined]
    if not isinstance(actor, Actor):  # the router's auth always sets it
        raise ApiProblem(status=401, slug="unauthenticated")
    return actor


def _answer(addressee: Addressee, files: list[InforequestAttachment]) -> dict[str, Any]:
    return {
        "id": addressee.public_id,
        "authority_code": addressee.authority.code,
        "authority_name": addressee.authority.name,
        "service_codes": [s.code for s in addressee.services.all()],
        "answer": addressee.answer,
        "answered_at": addressee.answered_at,
        "answered_by": addressee.answered_by_label,
        "application_id": addressee.application.public_id if addressee.application else None,
        "attachments": [file_document(f) for f in files if f.addressee_id == addressee.pk],
    }


def _document(
    inforequest: Inforequest, addressees: list[Addressee], files: list[InforequestAttachment]
) -> dict[str, Any]:
    """``files``: the question's (no addressee) and the answers' the caller may see."""
    return {
        "id": inforequest.public_id,
        "reference": inforequest.reference,
        "project_id": inforequest.project.public_id,
        "subject": inforequest.subject,
        "question": inforequest.question,
        "shared_data": inforequest.shared_data,
        "asked_at": inforequest.asked_at,
        "answers": [_answer(a, files) for a in addressees],
        "attachments": [file_document(f) for f in files if f.addressee_id is None],
    }


def _invalid(error: InvalidInforequest) -> ApiProblem:
    return ApiProblem(
        status=422,
        slug="validation-error",
        detail="The inforequest is not valid; see errors.",
        errors=[{"field": f, "messages": m} for f, m in error.errors.items()],
    )


def _one(request: HttpRequest, inforequest_id: UUID) -> dict[str, Any]:
    view = inforequest_for(_actor(request), inforequest_id, purpose=request.path)
    answers = [f for _addressee, files in view.parts for f in files]
    return _document(view.inforequest, view.addressees, [*view.attachments, *answers])


@router.get("/", response=list[InforequestOut], summary="The company's inforequests")
def list_inforequests(request: HttpRequest, project_id: UUID | None = None) -> list[Any]:
    rows = company_inforequests(_actor(request)).select_related("project")
    if project_id is not None:
        rows = rows.filter(project__public_id=project_id)
    rows = rows.prefetch_related(
        "attachments", "addressees__authority", "addressees__services", "addressees__application"
    )
    return [
        _document(row, list(row.addressees.all()), list(row.attachments.all()))
        for row in rows[:200]
    ]


@router.post("/", response={201: InforequestOut}, summary="Ask authorities about a planned project")
def create_inforequest(request: HttpRequest, payload: InforequestIn) -> tuple[int, Any]:
    actor = _actor(request)
    project = project_for(actor, payload.project_id, purpose=request.path, write=True)
    options = {o.authority.code: o for o in project_ask_options(project)}
    unknown = sorted(set(payload.authority_codes) - set(options))
    if unknown:
        raise ApiProblem(
            status=422,
            slug="validation-error",
            detail="These authorities handle no permit of the project.",
            errors=[{"field": "authority_codes", "messages": unknown}],
        )
    try:
        inforequest = inforequest_ask(
            project=project,
            subject=payload.subject,
            question=payload.question,
            asked={
                options[code].authority: list(options[code].services)
                for code in payload.authority_codes
            },
            actor=actor,
            shared_data=payload.shared_data,
        )
    except InvalidInforequest as invalid:
        raise _invalid(invalid) from None
    except PROBLEMS as error:
        raise problem_from(error) from None
    return 201, _one(request, inforequest.public_id)


@router.get("/{inforequest_id}", response=InforequestOut, summary="One inforequest")
def get_inforequest(request: HttpRequest, inforequest_id: UUID) -> dict[str, Any]:
    return _one(request, inforequest_id)


@router.post(
    "/{inforequest_id}/answers/{answer_id}/application",
    response={201: ApplicationRefOut},
    summary="Make an answer an application carrying the question and the answer",
)
def convert(
    request: HttpRequest, inforequest_id: UUID, answer_id: UUID, payload: ConvertIn
) -> tuple[int, dict[str, Any]]:
    actor = _actor(request)
    view = inforequest_for(actor, inforequest_id, purpose=request.path)
    addressee = next((a for a in view.addressees if a.public_id == answer_id), None)
    if addressee is None:
        raise ApiProblem(status=404, slug="not-found", detail="No such answer.")
    service = next((s for s in addressee.services.all() if s.code == payload.service_code), None)
    if service is None:
        raise ApiProblem(
            status=422,
            slug="validation-error",
            detail="Choose one of the permits the question was about.",
            errors=[{"field": "service_code", "messages": [payload.service_code]}],
        )
    try:
        application = inforequest_convert(addressee=addressee, service=service, actor=actor)
    except NotAnswered:
        raise ApiProblem(
            status=409, slug="not-answered", detail="The authority has not answered yet."
        ) from None
    except InvalidInforequest as invalid:
        raise _invalid(invalid) from None
    except (NotOffered, *PROBLEMS) as error:
        raise problem_from(error) from None
    return 201, {
        "project_id": view.inforequest.project.public_id,
        "application_id": application.public_id,
        "reference": application.reference,
    }
