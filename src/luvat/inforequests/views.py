"""Inforequest pages: the company asks (from a project or an assessment result), reads the
answers and makes one an application; the asked authorities' officials list and answer them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luvat.assessment.models import Assessment
from luvat.assessment.selectors import assessment_by_public_id
from luvat.audit.actors import ActorKind
from luvat.audit.services import access_record
from luvat.identity.door import ActorRequest, require_actor
from luvat.identity.policy import acting_authority, acting_company
from luvat.identity.sessions import acting
from luvat.inforequests.errors import AlreadyAnswered, InvalidInforequest, NotAnswered
from luvat.inforequests.selectors import (
    AskOption,
    addressee_of,
    addressees_for_authority,
    assessment_ask_options,
    attachment_of,
    inforequest_for,
    project_ask_options,
    project_inforequests,
    question_fields,
)
from luvat.inforequests.services import (
    inforequest_answer,
    inforequest_ask,
    inforequest_ask_from_assessment,
    inforequest_convert,
)
from luvat.projects.access import project_for
from luvat.projects.errors import InvalidSharedData, InvalidTransition, NotOffered
from luvat.projects.models import Project
from luvat.projects.services.projects import shared_data_current
from luvat.web.ratelimits import limited, person_key

customer = require_actor(ActorKind.CUSTOMER, company=True)
official = require_actor(ActorKind.OFFICIAL)
party = require_actor(ActorKind.CUSTOMER, ActorKind.OFFICIAL, company=True)


def _posted(request: HttpRequest, options: list[AskOption], fields: list[Any]) -> dict[str, Any]:
    return {
        "subject": request.POST.get("subject", "").strip(),
        "question": request.POST.get("question", "").strip(),
        "authorities": request.POST.getlist("authority"),
        "shared": {f.code: request.POST.get(f.code, "") for f in fields if f.code in request.POST},
    }


def _asked(options: list[AskOption], codes: list[str]) -> dict[Any, Any]:
    chosen = set(codes)
    return {o.authority: list(o.services) for o in options if o.authority.code in chosen}


def _ask_page(
    request: HttpRequest,
    *,
    options: list[AskOption],
    project: Project | None,
    assessment: Assessment | None,
    shared: dict[str, Any],
    posted: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    fields = question_fields(options)
    values = {**shared, **(posted or {}).get("shared", {})}
    return render(
        request,
        "inforequests/ask.html",
        {
            "project": project,
            "assessment": assessment,
            "options": options,
            "fields": [(f, values.get(f.code, "")) for f in fields],
            "posted": posted or {"authorities": [o.authority.code for o in options[:1]]},
            "errors": errors or {},
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@customer
def ask_view(request: ActorRequest, project_id: UUID) -> HttpResponse:
    actor = request.actor
    writing = request.method == "POST"
    project = project_for(actor, project_id, purpose="inforequests:ask", write=writing)
    options = project_ask_options(project)
    shared = shared_data_current(project)
    if not writing:
        return _ask_page(request, options=options, project=project, assessment=None, shared=shared)
    if request.FILES and (refused := limited(request, "upload", person_key(request))):
        return refused
    posted = _posted(request, options, question_fields(options))
    try:
        inforequest = inforequest_ask(
            project=project,
            subject=posted["subject"],
            question=posted["question"],
            asked=_asked(options, posted["authorities"]),
            actor=actor,
            shared_data=posted["shared"],
            uploads=request.FILES.getlist("attachment"),
        )
    except (InvalidInforequest, InvalidSharedData) as invalid:
        return _ask_page(
            request,
            options=options,
            project=project,
            assessment=None,
            shared=shared,
            posted=posted,
            errors=invalid.errors,
            status=422,
        )
    messages.success(request, _("Your question was sent to the authorities."))
    return redirect("inforequests:detail", inforequest_id=inforequest.public_id)


@require_http_methods(["GET", "POST"])
@customer
def ask_from_assessment_view(request: ActorRequest, assessment_id: UUID) -> HttpResponse:
    actor = request.actor
    assessment = assessment_by_public_id(assessment_id)
    if assessment is None:
        raise Http404("no such assessment")
    existing = Project.objects.filter(
        business_id=acting_company(actor), assessment_result_id=assessment.public_id
    ).first()
    if existing is not None:
        return redirect("inforequests:ask", project_id=existing.public_id)
    options = assessment_ask_options(assessment)
    if request.method != "POST":
        return _ask_page(request, options=options, project=None, assessment=assessment, shared={})
    if request.FILES and (refused := limited(request, "upload", person_key(request))):
        return refused
    posted = _posted(request, options, question_fields(options))
    try:
        inforequest = inforequest_ask_from_assessment(
            assessment=assessment,
            business_id=acting_company(actor),
            company_name=acting(request).get("company_name", ""),
            subject=posted["subject"],
            question=posted["question"],
            asked=_asked(options, posted["authorities"]),
            actor=actor,
            shared_data=posted["shared"],
            uploads=request.FILES.getlist("attachment"),
        )
    except (InvalidInforequest, InvalidSharedData) as invalid:
        return _ask_page(
            request,
            options=options,
            project=None,
            assessment=assessment,
            shared={},
            posted=posted,
            errors=invalid.errors,
            status=422,
        )
    messages.success(
        request,
        _(
            "Your question was sent to the authorities. It is kept with a new project made "
            "from the assessment; add permits to it when you are ready."
        ),
    )
    return redirect("inforequests:detail", inforequest_id=inforequest.public_id)


@require_GET
@customer
def project_list_view(request: ActorRequest, project_id: UUID) -> HttpResponse:
    actor = request.actor
    project = project_for(actor, project_id, purpose="inforequests:project")
    return render(
        request,
        "inforequests/project_list.html",
        {"project": project, "inforequests": project_inforequests(project)},
    )


def _detail_page(
    request: ActorRequest,
    inforequest_id: UUID,
    *,
    errors: dict[str, dict[str, list[str]]] | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    view = inforequest_for(actor, inforequest_id, purpose="inforequests:detail")
    return render(
        request,
        "inforequests/detail.html",
        {
            "view": view,
            "inforequest": view.inforequest,
            "project": view.inforequest.project,
            "errors": errors or {},
            "posted": posted or {},
        },
        status=status,
    )


@require_GET
@party
def detail_view(request: ActorRequest, inforequest_id: UUID) -> HttpResponse:
    return _detail_page(request, inforequest_id)


@require_POST
@official
def answer_view(request: ActorRequest, inforequest_id: UUID, addressee_id: UUID) -> HttpResponse:
    actor = request.actor
    view = inforequest_for(actor, inforequest_id, purpose="inforequests:answer")
    addressee = addressee_of(view, addressee_id)
    answer = request.POST.get("answer", "")
    if request.FILES and (refused := limited(request, "upload", person_key(request))):
        return refused
    try:
        inforequest_answer(
            addressee=addressee,
            answer=answer,
            actor=actor,
            uploads=request.FILES.getlist("attachment"),
        )
    except InvalidInforequest as invalid:
        return _detail_page(
            request,
            inforequest_id,
            errors={str(addressee.public_id): invalid.errors},
            posted={str(addressee.public_id): answer},
            status=422,
        )
    except AlreadyAnswered:
        messages.error(request, _("Your authority has already answered this question."))
        return redirect("inforequests:detail", inforequest_id=inforequest_id)
    messages.success(request, _("Your answer was sent to the customer."))
    return redirect("inforequests:official-list")


@require_POST
@customer
def convert_view(request: ActorRequest, inforequest_id: UUID, addressee_id: UUID) -> HttpResponse:
    actor = request.actor
    view = inforequest_for(actor, inforequest_id, purpose="inforequests:convert")
    addressee = addressee_of(view, addressee_id)
    code = request.POST.get("service", "")
    service = next((s for s in addressee.services.all() if s.code == code), None)
    if service is None:
        messages.error(request, _("Choose one of the permits the question was about."))
        return redirect("inforequests:detail", inforequest_id=inforequest_id)
    try:
        application = inforequest_convert(addressee=addressee, service=service, actor=actor)
    except (NotAnswered, InvalidTransition, NotOffered, InvalidInforequest) as refused:
        messages.error(
            request,
            str(refused)
            if isinstance(refused, NotOffered)
            else _("This answer cannot be made an application now."),
        )
        return redirect("inforequests:detail", inforequest_id=inforequest_id)
    messages.success(
        request,
        _("The application was started with the question and the answer; check its form."),
    )
    return redirect(
        "projects:application",
        project_id=view.inforequest.project.public_id,
        application_id=application.public_id,
    )


@require_GET
@party
def attachment_view(
    request: ActorRequest, inforequest_id: UUID, attachment_id: UUID
) -> HttpResponse:
    actor = request.actor
    view = inforequest_for(actor, inforequest_id, purpose="inforequests:attachment")
    attachment = attachment_of(view, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]


@require_GET
@official
def official_list_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    rows = addressees_for_authority(actor)
    access_record(
        actor=actor,
        object_type="inforequest-inbox",
        object_id=acting_authority(actor),
        purpose="inforequests:official-list",
    )
    return render(
        request,
        "inforequests/official_list.html",
        {
            "waiting": [row for row in rows if not row.answered],
            "answered": [row for row in rows if row.answered],
        },
    )
