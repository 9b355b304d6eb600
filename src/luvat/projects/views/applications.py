"""One application: its form (pre-filled from shared data), attachments, submission and receipt,
or the redirect to the authority's own e-service."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luvat.catalogue.joining import meaning
from luvat.identity.door import ActorRequest
from luvat.identity.policy import person_id_of
from luvat.projects.access import project_for
from luvat.projects.errors import (
    AttachmentRejected,
    IncompleteApplication,
    InvalidSharedData,
    NotAllowedInMode,
    StaleVersion,
)
from luvat.projects.models import Application, Attachment, Project, SubmissionKind
from luvat.projects.pdf import receipt_pdf
from luvat.projects.progress import application_progress
from luvat.projects.schema_forms import coerce_form_input, form_fields
from luvat.projects.selectors import (
    application_of_project,
    application_receipts,
    application_row,
    attachment_of_application,
    form_input_kept,
    submission_of_project,
)
from luvat.projects.services import (
    application_applied_elsewhere,
    application_drop,
    application_redirect_record,
    application_save_form,
    application_status_change,
    application_submit,
    attachment_add,
    attachment_remove,
)
from luvat.projects.services.attachments import DEFAULT_TYPES, attachment_name
from luvat.projects.services.kept_input import form_input_discard
from luvat.projects.services.projects import shared_data_current
from luvat.projects.snapshots import effective_form_data
from luvat.projects.status import InvalidTransition, Status
from luvat.projects.views.kept_input import keeps_typed_work
from luvat.projects.views.projects import customer
from luvat.uploads import filetypes
from luvat.web.ratelimits import limited, person_key


def _load(
    request: ActorRequest,
    project_id: UUID,
    application_id: UUID,
    purpose: str,
    *,
    write: bool = False,
) -> tuple[Project, Application]:
    actor = request.actor
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
    restored: bool = False,
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
        "restored": restored,
        "receipts": application_receipts(application),
        "editable": application.status == Status.DRAFT,
        "is_redirect": not meaning(application.route).submitted_here,
        "row": application_row(project=project, application=application),
        "tasks": application_progress(
            schema=service.form_schema or {},
            data=data,
            attachment_specs=specs,
            status=application.status,
        ),
        "processing_time": {
            "days": service.processing_time_days,
            "note": service.processing_time_note,
        },
    }
    return render(request, "projects/application_form.html", context, status=status)


@keeps_typed_work
@customer
def application_form(request: ActorRequest, project_id: UUID, application_id: UUID) -> HttpResponse:
    purpose = "projects:application"
    person_id = person_id_of(request.actor)
    if request.method != "POST":
        project, application = _load(request, project_id, application_id, purpose)
        kept = form_input_kept(person_id=person_id, application=application)
        if kept is None or application.status != Status.DRAFT:
            return application_page(request, project, application)
        data, _errors = coerce_form_input(application.service.form_schema or {}, _query_dict(kept))
        return application_page(request, project, application, data=data, restored=True)
    project, application = _load(request, project_id, application_id, purpose, write=True)
    then = request.POST.get("then", "")
    data, errors = coerce_form_input(application.service.form_schema or {}, request.POST)
    if errors and not then.startswith(FILE_ACTIONS):
        return application_page(request, project, application, data=data, errors=errors, status=422)
    if not errors:
        refused = _save(request, project, application, data)
        if refused is not None:
            return refused
        application.refresh_from_db()
        form_input_discard(person_id=person_id, application=application)
    if then.startswith(FILE_ACTIONS):
        return _file_action(request, project, application, then, data=data, errors=errors)
    if then == "submit":
        return _submit(request, project, application)
    messages.success(
        request, _("Saved. Fields marked as shared were saved to the project's shared data.")
    )
    return _back_to_form(project, application)


# Buttons of the application form that attach or remove a file: the form is saved first, so
# that nothing typed is lost, and the page comes back with the text and the files.
FILE_ACTIONS = ("attach:", "remove:")


def _back_to_form(project: Project, application: Application) -> HttpResponse:
    return redirect(
        "projects:application", project_id=project.public_id, application_id=application.public_id
    )


def _query_dict(fields: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, values in fields.items():
        query.setlist(name, [str(v) for v in values])
    return query


def _save(
    request: ActorRequest, project: Project, application: Application, data: dict[str, Any]
) -> HttpResponse | None:
    """Save the typed form; a page to show instead when the save is refused."""
    try:
        application_save_form(
            application=application,
            data=data,
            actor=request.actor,
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
        return _back_to_form(project, application)
    return None


def _file_action(
    request: ActorRequest,
    project: Project,
    application: Application,
    then: str,
    *,
    data: dict[str, Any],
    errors: dict[str, list[str]],
) -> HttpResponse:
    """Attach (``attach:<code>``) or remove (``remove:<id>``) a file from the form's own
    buttons. When the typed text could not be saved (``errors``), the page is shown again
    with the text as typed rather than redirected, so it is never lost."""
    actor = request.actor
    action, _sep, target = then.partition(":")
    try:
        if action == "attach":
            refused = limited(request, "upload", person_key(request))
            if refused is not None:
                return refused
            upload = request.FILES.get(f"file-{target}")
            if upload is None:
                raise AttachmentRejected("missing", _("Choose a file to attach."))
            attachment_add(application=application, code=target, upload=upload, actor=actor)
            done = _("The file was attached.")
        else:
            attachment = _attachment(project, application, target)
            attachment_remove(attachment=attachment, actor=actor)
            done = _("The file was removed.")
    except AttachmentRejected as rejected:
        key = f"attachment:{target}" if action == "attach" else ""
        all_errors = {**errors, key: [rejected.message]}
        return application_page(
            request, project, application, data=data, errors=all_errors, status=422
        )
    if errors:
        messages.success(request, done)
        return application_page(request, project, application, data=data, errors=errors, status=422)
    messages.success(request, _("%(done)s What you typed was saved as a draft.") % {"done": done})
    return _back_to_form(project, application)


def _submit(request: ActorRequest, project: Project, application: Application) -> HttpResponse:
    actor = request.actor
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
@customer
def application_submit_view(
    request: ActorRequest, project_id: UUID, application_id: UUID
) -> HttpResponse:
    project, application = _load(request, project_id, application_id, "projects:submit", write=True)
    return _submit(request, project, application)


@require_POST
@customer
def application_drop_view(
    request: ActorRequest, project_id: UUID, application_id: UUID
) -> HttpResponse:
    actor = request.actor
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
@customer
def application_redirect_view(
    request: ActorRequest, project_id: UUID, application_id: UUID
) -> HttpResponse:
    actor = request.actor
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
@customer
def application_applied_elsewhere_view(
    request: ActorRequest, project_id: UUID, application_id: UUID
) -> HttpResponse:
    """The customer records the reference the authority's own e-service gave them."""
    actor = request.actor
    project, application = _load(
        request, project_id, application_id, "projects:applied-elsewhere", write=True
    )
    try:
        application_applied_elsewhere(
            application=application,
            actor=actor,
            reference=request.POST.get("elsewhere_reference", ""),
        )
    except (NotAllowedInMode, ValidationError) as refused:
        messages.error(
            request,
            " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused),
        )
    else:
        messages.success(request, _("Saved: the authority finds your application by it."))
    return redirect(
        "projects:application", project_id=project.public_id, application_id=application.public_id
    )


@require_POST
@customer
def attachment_upload(
    request: ActorRequest, project_id: UUID, application_id: UUID
) -> HttpResponse:
    refused = limited(request, "upload", person_key(request))
    if refused is not None:
        return refused
    actor = request.actor
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


def _attachment(
    project: Project, application: Application, attachment_id: UUID | str
) -> Attachment:
    return attachment_of_application(application=application, public_id=attachment_id)


@require_GET
@customer
def attachment_download(
    request: ActorRequest, project_id: UUID, application_id: UUID, attachment_id: UUID
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
@customer
def attachment_remove_view(
    request: ActorRequest, project_id: UUID, application_id: UUID, attachment_id: UUID
) -> HttpResponse:
    actor = request.actor
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
def receipt(request: ActorRequest, project_id: UUID, submission_id: UUID) -> HttpResponse:
    actor = request.actor
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
        {
            "project": project,
            "submission": submission,
            "application": submission.application,
            "row": application_row(project=project, application=submission.application)
            if submission.kind == SubmissionKind.APPLICATION
            else None,
        },
    )
