"""The projects API for customers' own software and the browser (``/api/v1/projects/``).

Authenticated by the log-in session (cookie + CSRF token); the caller acts for the company
chosen after log-in, exactly as in the HTML views.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.security import APIKeyCookie

from luvat.assessment.selectors import assessment_by_public_id
from luvat.audit.actors import Actor, ActorKind
from luvat.catalogue.models import Service
from luvat.identity.door import actor_from_request
from luvat.identity.policy import acting_company
from luvat.projects.access import company_projects_read, project_for
from luvat.projects.api_documents import (
    PROBLEMS,
    attachment_document,
    form_document,
    problem_from,
    project_document,
    receipt_document,
)
from luvat.projects.api_schemas import (
    ApplicationAddIn,
    ApplicationFormOut,
    ApplicationOut,
    AttachmentOut,
    FormIn,
    ProjectIn,
    ProjectListItemOut,
    ProjectOut,
    PropagateIn,
    ReceiptOut,
    RedirectOut,
    SharedDataIn,
    SubmitIn,
)
from luvat.projects.exports import project_export
from luvat.projects.models import Project
from luvat.projects.pdf import receipt_pdf, summary_pdf
from luvat.projects.selectors import (
    application_of_project,
    attachment_of_application,
    company_projects,
    project_summary,
    submission_of_project,
)
from luvat.projects.services import (
    application_add,
    application_drop,
    application_redirect_record,
    application_save_form,
    application_submit_once,
    attachment_add,
    attachment_remove,
    project_create,
    project_create_from_assessment,
    shared_data_change_propagate,
    shared_data_set,
)
from luvat.projects.services.from_assessment import project_from_assessment_existing
from luvat.web.api_errors import ApiProblem
from luvat.web.ratelimits import check_api, person_key


class CustomerSession(APIKeyCookie):
    """The log-in session of a person acting for a company (CSRF-checked)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor:
        actor = actor_from_request(request)
        if actor.kind != ActorKind.CUSTOMER or not acting_company(actor):
            raise ApiProblem(
                status=401,
                slug="unauthenticated",
                detail="Log in and choose the company you act for.",
            )
        return actor


router = Router(tags=["projects"], auth=CustomerSession())


def _actor(request: HttpRequest) -> Actor:
    actor = request.auth  # type: ignore[attr-defined]
    if not isinstance(actor, Actor):  # the router's auth always sets it
        raise ApiProblem(status=401, slug="unauthenticated")
    return actor


def _project(request: HttpRequest, project_id: UUID, *, write: bool = False) -> Project:
    return project_for(_actor(request), project_id, purpose=request.path, write=write)


@router.get("/", response=list[ProjectListItemOut], summary="The company's projects")
def list_projects(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": item.project.public_id,
            "reference": item.project.reference,
            "name": item.project.name,
            "applications": item.applications,
            "waiting_for_customer": item.needs_action,
            "at_authorities": item.pending,
            "decided": item.decided,
            "next_submission_deadline": item.next_submission_deadline,
            "warning": str(item.warning),
        }
        for item in company_projects(
            business_id=company_projects_read(_actor(request), purpose=request.path)
        )
    ]


@router.post(
    "/",
    response={201: ProjectOut, 200: ProjectOut},
    summary="Create a project, empty or from a permit-need assessment",
)
def create_project(request: HttpRequest, payload: ProjectIn) -> tuple[int, dict[str, Any]]:
    actor = _actor(request)
    if payload.assessment_id is not None:
        return _create_from_assessment(actor, payload)
    if not payload.name.strip():
        raise ApiProblem(
            status=422,
            slug="validation-error",
            detail="Give the project a name.",
            errors=[{"field": "name", "messages": ["Give the project a name."]}],
        )
    codes = payload.service_codes or []
    services = list(Service.objects.filter(code__in=codes, active=True))
    unknown = set(codes) - {s.code for s in services}
    if unknown:
        raise ApiProblem(
            status=422,
            slug="validation-error",
            detail="Unknown service codes.",
            errors=[{"field": "service_codes", "messages": sorted(unknown)}],
        )
    try:
        project = project_create(
            actor=actor,
            business_id=acting_company(actor),
            name=payload.name.strip(),
            description=payload.description,
            services=services,
            shared_data=payload.shared_data,
        )
    except PROBLEMS as error:
        raise problem_from(error) from None
    return 201, project_document(project)


def _create_from_assessment(actor: Actor, payload: ProjectIn) -> tuple[int, dict[str, Any]]:
    assessment = assessment_by_public_id(str(payload.assessment_id))
    if assessment is None:
        raise ApiProblem(
            status=422,
            slug="validation-error",
            detail="No such assessment.",
            errors=[{"field": "assessment_id", "messages": ["No such assessment."]}],
        )
    existing = project_from_assessment_existing(
        business_id=acting_company(actor), assessment=assessment
    )
    try:
        project = project_create_from_assessment(
            actor=actor,
            business_id=acting_company(actor),
            assessment=assessment,
            name=payload.name,
            description=payload.description,
            keep=payload.service_codes,
            shared_data=payload.shared_data or None,
        )
    except PROBLEMS as error:
        raise problem_from(error) from None
    return (200 if existing is not None else 201), project_document(project)


@router.get("/{project_id}", response=ProjectOut, summary="One project's summary")
def get_project(request: HttpRequest, project_id: UUID) -> dict[str, Any]:
    return project_document(_project(request, project_id))


@router.get("/{project_id}/export", summary="The whole project as one JSON document")
def export_project(request: HttpRequest, project_id: UUID) -> dict[str, Any]:
    return project_export(_project(request, project_id))


@router.put("/{project_id}/shared-data", response=ProjectOut, summary="Set shared data")
def put_shared_data(
    request: HttpRequest, project_id: UUID, payload: SharedDataIn
) -> dict[str, Any]:
    project = _project(request, project_id, write=True)
    try:
        shared_data_set(
            project=project,
            values=payload.values,
            actor=_actor(request),
            expected_version=payload.version,
        )
    except PROBLEMS as error:
        raise problem_from(error) from None
    project.refresh_from_db()
    return project_document(project)


@router.post(
    "/{project_id}/shared-data/propagate",
    response=list[ReceiptOut],
    summary="Send changed shared data to the authorities as a supplement",
)
def propagate(request: HttpRequest, project_id: UUID, payload: PropagateIn) -> list[dict[str, Any]]:
    project = _project(request, project_id, write=True)
    ids = None
    if payload.application_ids is not None:
        ids = list(
            project.applications.filter(public_id__in=payload.application_ids).values_list(
                "pk", flat=True
            )
        )
    receipts = shared_data_change_propagate(
        project=project, actor=_actor(request), application_ids=ids
    )
    return [receipt_document(receipt) for receipt in receipts]


@router.post("/{project_id}/applications", response={201: ApplicationOut}, summary="Add a service")
def add_application(
    request: HttpRequest, project_id: UUID, payload: ApplicationAddIn
) -> tuple[int, dict[str, Any]]:
    project = _project(request, project_id, write=True)
    service = Service.objects.filter(code=payload.service_code, active=True).first()
    if service is None:
        raise ApiProblem(
            status=422,
            slug="validation-error",
            detail="Unknown service code.",
            errors=[{"field": "service_code", "messages": [payload.service_code]}],
        )
    try:
        application = application_add(project=project, service=service, actor=_actor(request))
    except PROBLEMS as error:
        raise problem_from(error) from None
    document = project_document(project)
    [row] = [a for a in document["applications"] if a["id"] == str(application.public_id)]
    return 201, row


@router.get(
    "/{project_id}/applications/{application_id}",
    response=ApplicationFormOut,
    summary="An application's form, pre-filled from shared data",
)
def get_application(request: HttpRequest, project_id: UUID, application_id: UUID) -> dict[str, Any]:
    project = _project(request, project_id)
    return form_document(project, application_of_project(project=project, public_id=application_id))


@router.put(
    "/{project_id}/applications/{application_id}/form",
    response=ApplicationFormOut,
    summary="Save a draft's answers (shared fields go to shared data)",
)
def put_form(
    request: HttpRequest, project_id: UUID, application_id: UUID, payload: FormIn
) -> dict[str, Any]:
    project = _project(request, project_id, write=True)
    application = application_of_project(project=project, public_id=application_id)
    try:
        application = application_save_form(
            application=application,
            data=payload.data,
            actor=_actor(request),
            expected_version=payload.version,
            expected_project_version=payload.project_version,
        )
    except PROBLEMS as error:
        raise problem_from(error) from None
    project.refresh_from_db()
    return form_document(project, application)


@router.delete(
    "/{project_id}/applications/{application_id}",
    response={204: None},
    summary="Drop a draft application from the project",
)
def drop_application(
    request: HttpRequest, project_id: UUID, application_id: UUID
) -> tuple[int, None]:
    project = _project(request, project_id, write=True)
    application = application_of_project(project=project, public_id=application_id)
    try:
        application_drop(application=application, actor=_actor(request))
    except PROBLEMS as error:
        raise problem_from(error) from None
    return 204, None


@router.post(
    "/{project_id}/applications/{application_id}/attachments",
    response={201: AttachmentOut},
    summary="Attach a file (checked by content and size)",
)
def post_attachment(
    request: HttpRequest,
    project_id: UUID,
    application_id: UUID,
    code: Form[str],
    file: File[UploadedFile],
) -> tuple[int, dict[str, Any]]:
    check_api(request, "upload", person_key(request))
    project = _project(request, project_id, write=True)
    application = application_of_project(project=project, public_id=application_id)
    try:
        attachment = attachment_add(
            application=application, code=code, upload=file, actor=_actor(request)
        )
    except PROBLEMS as error:
        raise problem_from(error) from None
    return 201, attachment_document(attachment)


@router.delete(
    "/{project_id}/applications/{application_id}/attachments/{attachment_id}",
    response={204: None},
    summary="Remove a file the customer still holds; a file delivered to the authority stays",
)
def delete_attachment(
    request: HttpRequest, project_id: UUID, application_id: UUID, attachment_id: UUID
) -> tuple[int, None]:
    project = _project(request, project_id, write=True)
    application = application_of_project(project=project, public_id=application_id)
    attachment = attachment_of_application(application=application, public_id=attachment_id)
    try:
        attachment_remove(attachment=attachment, actor=_actor(request), purpose=request.path)
    except PROBLEMS as error:
        raise problem_from(error) from None
    return 204, None


@router.post(
    "/{project_id}/applications/{application_id}/submit",
    response={201: ReceiptOut, 200: ReceiptOut},
    summary="Submit; a repeated submit returns the first receipt (200)",
)
def submit(
    request: HttpRequest, project_id: UUID, application_id: UUID, payload: SubmitIn
) -> tuple[int, dict[str, Any]]:
    project = _project(request, project_id, write=True)
    application = application_of_project(project=project, public_id=application_id)
    try:
        outcome = application_submit_once(
            application=application, actor=_actor(request), expected_version=payload.version
        )
    except PROBLEMS as error:
        raise problem_from(error) from None
    return (201 if outcome.first else 200), receipt_document(outcome.submission)


@router.post(
    "/{project_id}/applications/{application_id}/redirect",
    response=RedirectOut,
    summary="Record the redirect to the authority's e-service; the address to go to",
)
def redirect(request: HttpRequest, project_id: UUID, application_id: UUID) -> dict[str, str]:
    project = _project(request, project_id, write=True)
    application = application_of_project(project=project, public_id=application_id)
    try:
        return {"url": application_redirect_record(application=application, actor=_actor(request))}
    except PROBLEMS as error:
        raise problem_from(error) from None


@router.get("/{project_id}/receipts/{receipt_id}", response=ReceiptOut, summary="A receipt")
def get_receipt(request: HttpRequest, project_id: UUID, receipt_id: UUID) -> dict[str, Any]:
    project = _project(request, project_id)
    return receipt_document(submission_of_project(project=project, public_id=receipt_id))


PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "PDF document",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/{project_id}/receipts/{receipt_id}/pdf",
    summary="A receipt as PDF (reference, arrival time, SHA-256 of the snapshot)",
    openapi_extra=PDF_RESPONSE,
)
def get_receipt_pdf(request: HttpRequest, project_id: UUID, receipt_id: UUID) -> HttpResponse:
    project = _project(request, project_id)
    receipt = submission_of_project(project=project, public_id=receipt_id)
    return _pdf(receipt_pdf(submission=receipt, project=project), f"{receipt.reference}.pdf")


@router.get(
    "/{project_id}/export/pdf",
    summary="The project summary as PDF",
    openapi_extra=PDF_RESPONSE,
)
def export_project_pdf(request: HttpRequest, project_id: UUID) -> HttpResponse:
    project = _project(request, project_id)
    return _pdf(summary_pdf(project_summary(project=project)), f"{project.reference}.pdf")
