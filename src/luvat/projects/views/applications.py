"""One application: its form (pre-filled from shared data), attachments, submission and receipt,
or the redirect to the authority's own e-service."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luvat.projects import filetypes
from luvat.projects.access import project_for
from luvat.projects.errors import (
    AttachmentRejected,
    IncompleteApplication,
    InvalidSharedData,
    NotAllowedInMode,
    StaleVersion,
)
from luvat.projects.models import Application, Attachment, Project
from luvat.projects.pdf import receipt_pdf
from luvat.projects.schema_forms import coerce_form_input, form_fields
from luvat.projects.selectors import (
    application_of_project,
    application_receipts,
    submission_of_project,
)
from luvat.projects.services import (
    application_drop,
    application_redirect_record,
    application_save_form,
    application_status_change,
    application_submit,
    attachment_add,
    attachment_remove,
)
from luvat.projects.services.attachments import DEFAULT_TYPES, attachment_name
from luvat.projects.services.projects import shared_data_current
from luvat.projects.snapshots import effective_form_data
from luvat.projects.status import InvalidTransition, Status
from luvat.projects.views.projects import customer, customer_write


def _load(
    request: HttpRequest,
    project_id: UUID,
    application_id: UUID,
    purpose: str,
    *,
    write: bool = False,
) -> tuple[Project, Application]:
    actor = request.actor  # type: ignore[attr-defined]
    project = project_for(actor, project_id, purpose=purpose, write=write)
    return project, application_of_project(project=project, public_id=application_id)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def application_page(
    request: HttpRequest,
    project: Project,
    application: Application,
    *,
    data: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    stale: bool = False,
    status: int = 200,
) -> HttpResponse:
    service = application.service
    mapping = dict(service.shared_data_mapping or {})
    shared = shared_data_current(project)
    if data is None:
        data = effective_form_data(form_data=application.form_data, mapping=mapping, shared=shared)
    fields = form_fields(service.form_schema or {}, mapping=mapping, data=data, errors=errors)
    attachments = list(application.attachments.order_by("id"))
    specs = []
    for spec in service.attachments or []:
        code = spec.get("code", "")
        specs.append(
            {
                "code": code,
                "name": attachment_name(spec, request.LANGUAGE_CODE),
                "required": bool(spec.get("required")),
                "types": ", ".join(
                    filetypes.kind_name(filetypes.normalise_kind(t))
                    for t in spec.get("types") or DEFAULT_TYPES
                ),
                "max_bytes": spec.get("max_bytes"),
                "files": [a for a in attachments if a.code == code],
                "errors": (errors or {}).get(f"attachment:{code}", []),
            }
        )
    context = {
        "project": project,
        "application": application,
        "service": service,
        "fields": fields,
        "attachment_specs": specs,
        "errors": errors or {},
        "general_errors": (errors or {}).get("", []),
        "stale": stale,
        "receipts": application_receipts(application),
        "editable": application.status == Status.DRAFT,
        "is_redirect": application.route == "redirect",
    }
    return render(request, "projects/application_form.html", context, status=status)


@customer_write
def application_form(request: HttpRequest, project_id: UUID, application_id: UUID) -> HttpResponse:
    purpose = "projects:application"
    if request.method != "POST":
        project, application = _load(request, project_id, application_id, purpose)
        return application_page(request, project, application)
    actor = request.actor  # type: ignore[attr-defined]
    project, application = _load(request, project_id, application_id, purpose, write=True)
    data, errors = coerce_form_input(application.service.form_schema or {}, request.POST)
    if errors:
        return application_page(request, project, application, data=data, errors=errors, status=422)
    try:
        application = application_save_form(
            application=application,
            data=data,
            actor=actor,
            expected_version=_int(request.POST.get("version")),
            expected_project_version=_int(request.POST.get("project_version")),
        )
    except InvalidSharedData as invalid:
        mapping = {
            code: prop for prop, code in (application.service.shared_data_mapping or {}).items()
        }
        errors = {mapping.get(code, code): msgs for code, msgs in invalid.errors.items()}
        return application_page(request, project, application, data=data, errors=errors, status=422)
    except StaleVersion:
        application.refresh_from_db()
        project.refresh_from_db()
        return application_page(request, project, application, data=data, stale=True, status=409)
    except InvalidTransition:
        messages.error(
            request, _("The application has already been submitted and can no longer be changed.")
        )
        return redirect(
            "projects:application",
            project_id=project.public_id,
            application_id=application.public_id,
        )
    if request.POST.get("then") == "submit":
        return _submit(request, project, application)
    messages.success(
        request, _("Saved. Fields marked as shared were saved to the project's shared data.")
    )
    return redirect(
        "projects:application", project_id=project.public_id, application_id=application.public_id
    )


def _submit(request: HttpRequest, project: Project, application: Application) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    try:
        receipt = application_submit(application=application, actor=actor)
    except IncompleteApplication as incomplete:
        return application_page(request, project, application, errors=incomplete.errors, status=422)
    except (InvalidTransition, NotAllowedInMode) as refused:
        messages.error(
            request,
            str(refused)
            if isinstance(refused, NotAllowedInMode)
            else _("The application cannot be submitted in its current state."),
        )
        return redirect(
            "projects:application",
            project_id=project.public_id,
            application_id=application.public_id,
        )
    return redirect(
        "projects:receipt", project_id=project.public_id, submission_id=receipt.public_id
    )


@require_POST
@customer_write
def application_submit_view(
    request: HttpRequest, project_id: UUID, application_id: UUID
) -> HttpResponse:
    project, application = _load(request, project_id, application_id, "projects:submit", write=True)
    return _submit(request, project, application)


@require_POST
@customer_write
def application_drop_view(
    request: HttpRequest, project_id: UUID, application_id: UUID
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    project, application = _load(request, project_id, application_id, "projects:drop", write=True)
    try:
        if application.status == Status.DRAFT:
            application_drop(application=application, actor=actor)
            messages.success(request, _("The application was dropped from the project."))
        else:
            application_status_change(
                application=application,
                status=Status.WITHDRAWN,
                actor=actor,
                note=request.POST.get("note", "")[:2000],
            )
            messages.success(request, _("The application was withdrawn; the authority is told."))
    except InvalidTransition:
        messages.error(request, _("The application can no longer be withdrawn."))
    return redirect("projects:detail", project_id=project.public_id)


@require_POST
@customer_write
def application_redirect_view(
    request: HttpRequest, project_id: UUID, application_id: UUID
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    project, application = _load(
        request, project_id, application_id, "projects:redirect", write=True
    )
    try:
        url = application_redirect_record(application=application, actor=actor)
    except NotAllowedInMode as refused:
        messages.error(request, str(refused))
        return redirect(
            "projects:application",
            project_id=project.public_id,
            application_id=application.public_id,
        )
    return redirect(url)


@require_POST
@customer_write
def attachment_upload(request: HttpRequest, project_id: UUID, application_id: UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    project, application = _load(
        request, project_id, application_id, "projects:attachment", write=True
    )
    code = request.POST.get("code", "")
    upload = request.FILES.get("file")
    if upload is None:
        errors = {f"attachment:{code}": [_("Choose a file to attach.")]}
        return application_page(request, project, application, errors=errors, status=422)
    try:
        attachment_add(application=application, code=code, upload=upload, actor=actor)
    except AttachmentRejected as rejected:
        errors = {f"attachment:{code}": [rejected.message]}
        return application_page(request, project, application, errors=errors, status=422)
    messages.success(request, _("The file was attached."))
    return redirect(
        "projects:application", project_id=project.public_id, application_id=application.public_id
    )


def _attachment(project: Project, application: Application, attachment_id: UUID) -> Attachment:
    try:
        return application.attachments.get(public_id=attachment_id)
    except (Attachment.DoesNotExist, ValidationError):
        raise Http404("no such attachment") from None


@require_GET
@customer
def attachment_download(
    request: HttpRequest, project_id: UUID, application_id: UUID, attachment_id: UUID
) -> HttpResponse:
    project, application = _load(
        request, project_id, application_id, "projects:attachment-download"
    )
    attachment = _attachment(project, application, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    # FileResponse streams the file; the policy decorator's type names HttpResponse only.
    return response  # type: ignore[return-value]


@require_POST
@customer_write
def attachment_remove_view(
    request: HttpRequest, project_id: UUID, application_id: UUID, attachment_id: UUID
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    project, application = _load(
        request, project_id, application_id, "projects:attachment-remove", write=True
    )
    attachment = _attachment(project, application, attachment_id)
    try:
        attachment_remove(attachment=attachment, actor=actor)
    except AttachmentRejected as rejected:
        messages.error(request, rejected.message)
    return redirect(
        "projects:application", project_id=project.public_id, application_id=application.public_id
    )


@require_GET
@customer
def receipt(request: HttpRequest, project_id: UUID, submission_id: UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    project = project_for(actor, project_id, purpose="projects:receipt")
    submission = submission_of_project(project=project, public_id=submission_id)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(
            receipt_pdf(submission=submission, project=project), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{submission.reference}.pdf"'
        return response
    if request.GET.get("format") == "json":
        response = JsonResponse(
            {
                "reference": submission.reference,
                "arrived_at": submission.arrived_at.isoformat(),
                "sha256": submission.sha256,
                "kind": submission.kind,
                "snapshot": submission.snapshot,
            },
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = f'attachment; filename="{submission.reference}.json"'
        return response
    return render(
        request,
        "projects/receipt.html",
        {"project": project, "submission": submission, "application": submission.application},
    )
