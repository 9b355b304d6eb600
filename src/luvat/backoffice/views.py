"""Officials' pages: the inbox, one application and the actions on it. Customers' pages: the
answer to a supplement request and the decision document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luvat.audit.actors import ActorKind
from luvat.audit.services import access_record
from luvat.backoffice import acts, services
from luvat.backoffice.access import application_for
from luvat.backoffice.forms import field_errors, inbox_filters, parse_date
from luvat.backoffice.selectors import (
    COUNT_CAP,
    attachment_of,
    case_view,
    decision_of,
    find_by_reference,
    inbox,
    supplement_of_company,
)
from luvat.identity.door import ActorRequest, require_actor
from luvat.identity.policy import Part, acting_company
from luvat.inforequests.selectors import open_count_for_authority
from luvat.projects.errors import NotAllowedInMode
from luvat.projects.models import Application
from luvat.projects.services.attachments import SUPPLEMENT_SPEC, attachment_name
from luvat.projects.status import InvalidTransition, Outcome, Status
from luvat.web.ratelimits import limited, person_key

official = require_actor(ActorKind.OFFICIAL)
customer = require_actor(ActorKind.CUSTOMER, company=True)
party = require_actor(ActorKind.CUSTOMER, ActorKind.OFFICIAL, company=True)


@require_GET
@official
def inbox_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    reference = request.GET.get("reference", "").strip()
    not_found = False
    if reference:
        found = find_by_reference(actor, reference)
        if found is not None:
            return redirect("backoffice:application", application_id=found.public_id)
        not_found = True
    filters = inbox_filters(request.GET)
    data = inbox(actor, filters)
    access_record(
        actor=actor,
        object_type="inbox",
        object_id=data.authority.code if data.authority else "",
        purpose="backoffice:inbox",
    )
    return render(
        request,
        "backoffice/inbox.html",
        {
            "inbox": data,
            "filters": filters,
            "page_query": urlencode(
                {
                    "status": filters.status,
                    "service": filters.service,
                    "municipality": filters.municipality,
                    "due": filters.due,
                }
            ),
            "count_cap": number_format(COUNT_CAP, force_grouping=True),
            "statuses": [(s.value, s.label) for s in Status if s != Status.DRAFT],
            "reference": reference,
            "not_found": not_found,
            "inforequests_waiting": open_count_for_authority(actor),
        },
        status=404 if not_found else 200,
    )


def _case_page(
    request: ActorRequest,
    application: Application,
    *,
    errors: dict[str, dict[str, list[str]]] | None = None,
    posted: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    view = case_view(actor, application)
    current = application.status
    # Each form is offered when the mode allows the act and the status table the move.
    offered: dict[str, acts.Act] = {
        "receive": acts.Received(),
        "start": acts.ProcessingStarted(),
        "supplement": acts.SupplementAsked(text="", due_on=None),
        "supplement_received": acts.SupplementReceived(),
        "decide": acts.DecisionMade(outcome="", decided_on=None),
        "close": acts.Closed(),
    }
    actions = {
        name: acts.allowed_in_mode(application, type(act))
        and acts.can_apply(application, current, act)
        for name, act in offered.items()
    }
    # An official decides a case they have taken in (an authority system may decide at once).
    actions["decide"] = actions["decide"] and current != Status.SUBMITTED
    return render(
        request,
        "backoffice/case.html",
        {
            "view": view,
            "application": application,
            "project": application.project,
            "actions": actions if view.can_handle else {},
            "outcomes": Outcome.choices,
            "errors": errors or {},
            "posted": posted or {},
            "document_required": services.decision_document_required(application),
            "attachment_names": {
                spec.get("code"): attachment_name(spec, request.LANGUAGE_CODE)
                for spec in [*(application.service.attachments or []), SUPPLEMENT_SPEC]
            },
        },
        status=status,
    )


@require_GET
@official
def application_view(request: ActorRequest, application_id: UUID) -> HttpResponse:
    actor = request.actor
    application = application_for(
        actor, application_id, purpose="backoffice:application", part=Part.STATUS
    )
    return _case_page(request, application)


def _act(
    request: ActorRequest,
    application_id: UUID,
    form: str,
    action: Callable[[Application], object],
    done: str,
) -> HttpResponse:
    actor = request.actor
    application = application_for(
        actor, application_id, purpose=f"backoffice:{form}", part=Part.STATUS
    )
    try:
        action(application)
    except ValidationError as invalid:
        application.refresh_from_db()
        return _case_page(
            request,
            application,
            errors={form: field_errors(invalid)},
            posted={form: request.POST},
            status=422,
        )
    except (InvalidTransition, NotAllowedInMode) as refused:
        messages.error(
            request,
            str(refused)
            if isinstance(refused, NotAllowedInMode)
            else _("The application's status has changed meanwhile; this action no longer fits."),
        )
        return redirect("backoffice:application", application_id=application.public_id)
    messages.success(request, done)
    return redirect("backoffice:application", application_id=application.public_id)


@require_POST
@official
def receive_view(request: ActorRequest, application_id: UUID) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        application_id,
        "receive",
        lambda a: services.application_mark_received(
            application=a, actor=actor, case_reference=request.POST.get("case_reference", "")
        ),
        _("The application was marked received."),
    )


@require_POST
@official
def start_view(request: ActorRequest, application_id: UUID) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        application_id,
        "start",
        lambda a: services.application_start_processing(application=a, actor=actor),
        _("Processing started."),
    )


@require_POST
@official
def supplement_view(request: ActorRequest, application_id: UUID) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        application_id,
        "supplement",
        lambda a: services.supplement_request_create(
            application=a,
            actor=actor,
            text=request.POST.get("text", ""),
            due_on=parse_date(request.POST.get("due_on")),
        ),
        _("The supplement request was sent to the customer."),
    )


@require_POST
@official
def supplement_received_view(request: ActorRequest, application_id: UUID) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        application_id,
        "supplement_received",
        lambda a: services.supplement_received_record(application=a, actor=actor),
        _("The supplement was recorded as received; processing goes on."),
    )


@require_POST
@official
def decision_view(request: ActorRequest, application_id: UUID) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        application_id,
        "decide",
        lambda a: services.decision_record(
            application=a,
            actor=actor,
            outcome=request.POST.get("outcome", ""),
            decided_on=parse_date(request.POST.get("decided_on")),
            summary=request.POST.get("summary", ""),
            document=request.FILES.get("document"),
        ),
        _("The decision was recorded and the customer told."),
    )


@require_POST
@official
def close_view(request: ActorRequest, application_id: UUID) -> HttpResponse:
    actor = request.actor
    return _act(
        request,
        application_id,
        "close",
        lambda a: services.application_close(application=a, actor=actor),
        _("The application was closed."),
    )


@require_POST
@official
def acknowledge_view(request: ActorRequest, application_id: UUID, change_id: UUID) -> HttpResponse:
    actor = request.actor
    application = application_for(
        actor, application_id, purpose="backoffice:acknowledge", part=Part.STATUS
    )
    change = services.shared_data_change_acknowledge(
        application=application, change_id=change_id, actor=actor
    )
    if change is None:
        raise Http404("no such change")
    messages.success(
        request,
        _("The change %(reference)s was acknowledged.") % {"reference": change.reference},
    )
    back = request.POST.get("next", "")
    if back == "inbox":
        return redirect("backoffice:inbox")
    return redirect("backoffice:application", application_id=application.public_id)


def _file_response(file: Any, name: str, content_type: str) -> HttpResponse:
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]


@require_GET
@official
def attachment_download(
    request: ActorRequest, application_id: UUID, attachment_id: UUID
) -> HttpResponse:
    actor = request.actor
    application = application_for(
        actor, application_id, purpose="backoffice:attachment", part=Part.ATTACHMENTS
    )
    attachment = attachment_of(application, attachment_id)
    if attachment is None:
        raise Http404("no such attachment")
    return _file_response(attachment.file, attachment.original_name, attachment.content_type)


@require_GET
@party
def decision_document(request: ActorRequest, application_id: UUID) -> HttpResponse:
    actor = request.actor
    application = application_for(
        actor, application_id, purpose="backoffice:decision-document", part=Part.DECISION
    )
    decision = decision_of(application)
    if decision is None or not decision.document:
        raise Http404("no decision document")
    return _file_response(decision.document, decision.document_name, "application/pdf")


@require_http_methods(["GET", "POST"])
@customer
def supplement_answer_view(request: ActorRequest, request_id: UUID) -> HttpResponse:
    actor = request.actor
    supplement = supplement_of_company(request_id, acting_company(actor))
    if supplement is None:
        raise Http404("no such supplement request")
    application = supplement.application
    access_record(
        actor=actor,
        object_type="supplement_request",
        object_id=supplement.public_id,
        purpose="backoffice:supplement",
        subject_business_id=acting_company(actor),
    )
    if request.method == "POST":
        return _answer(request, supplement)
    return _answer_page(request, supplement, application, {}, {}, 200)


@customer
def _answer(request: ActorRequest, supplement: Any) -> HttpResponse:
    if request.FILES:
        refused = limited(request, "upload", person_key(request))
        if refused is not None:
            return refused
    actor = request.actor
    try:
        services.supplement_answer(
            request=supplement,
            actor=actor,
            answer=request.POST.get("answer", ""),
            upload=request.FILES.get("file"),
            attachment_code=request.POST.get("attachment_code", ""),
        )
    except ValidationError as invalid:
        return _answer_page(
            request, supplement, supplement.application, field_errors(invalid), request.POST, 422
        )
    messages.success(request, _("Your answer was sent to the authority."))
    application = supplement.application
    return redirect(
        reverse(
            "projects:application",
            kwargs={
                "project_id": application.project.public_id,
                "application_id": application.public_id,
            },
        )
    )


def _answer_page(
    request: HttpRequest,
    supplement: Any,
    application: Application,
    errors: dict[str, list[str]],
    posted: Any,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "backoffice/supplement_answer.html",
        {
            "supplement": supplement,
            "application": application,
            "project": application.project,
            "errors": errors,
            "posted": posted,
            "attachment_types": [
                (spec.get("code"), attachment_name(spec, request.LANGUAGE_CODE))
                for spec in [*(application.service.attachments or []), SUPPLEMENT_SPEC]
            ],
        },
        status=status,
    )
