"""The company's projects, one project's summary, shared data and its propagation."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luvat.audit.actors import ActorKind
from luvat.catalogue.models import Service
from luvat.identity.door import ActorRequest, require_actor
from luvat.identity.policy import acting_company
from luvat.identity.sessions import acting
from luvat.projects.access import company_projects_read, project_for
from luvat.projects.blocking import company_blocking
from luvat.projects.errors import InvalidSharedData, NotOffered, StaleVersion
from luvat.projects.exports import project_export
from luvat.projects.pdf import summary_pdf
from luvat.projects.selectors import (
    company_projects,
    municipality_choices,
    project_summary,
    vocabulary_fields,
)
from luvat.projects.services import (
    application_add,
    project_create,
    shared_data_change_propagate,
    shared_data_set,
)
from luvat.projects.vocabulary import GROUP_LABELS
from luvat.web.forms.dates import read_date

customer = require_actor(ActorKind.CUSTOMER, company=True)


@require_GET
@customer
def project_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    business_id = company_projects_read(actor, purpose="projects:list")
    items = company_projects(business_id=business_id)
    return render(request, "projects/project_list.html", {"items": items, "errors": {}})


@require_GET
@customer
def blocking_list(request: ActorRequest) -> HttpResponse:
    """What is blocking the company: every item waiting for it over all its projects."""
    actor = request.actor
    business_id = company_projects_read(actor, purpose="projects:blocking")
    items = company_blocking(business_id=business_id)
    return render(request, "projects/blocking_list.html", {"items": items})


@require_POST
@customer
def project_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    name = request.POST.get("name", "").strip()
    if not name:
        items = company_projects(business_id=acting_company(actor))
        errors = {"name": [_("Give the project a name.")]}
        context = {"items": items, "errors": errors, "posted": request.POST}
        return render(request, "projects/project_list.html", context, status=422)
    project = project_create(
        actor=actor,
        business_id=acting_company(actor),
        company_name=acting(request).get("company_name", ""),
        name=name[:200],
        description=request.POST.get("description", "").strip(),
    )
    messages.success(request, _("The project was created. Add the permits it needs."))
    return redirect("projects:services", project_id=project.public_id)


@require_GET
@customer
def project_detail(request: ActorRequest, project_id: UUID) -> HttpResponse:
    actor = request.actor
    project = project_for(actor, project_id, purpose="projects:detail")
    summary = project_summary(project=project)
    return render(
        request, "projects/project_summary.html", {"summary": summary, "project": project}
    )


def _shared_data_page(
    request: ActorRequest,
    project_id: UUID,
    *,
    errors: dict[str, list[str]] | None = None,
    posted: dict[str, object] | None = None,
    stale: bool = False,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    project = project_for(actor, project_id, purpose="projects:shared-data")
    summary = project_summary(project=project)
    values = {v.field.code: v for v in summary.shared_values}
    groups: dict[str, list[dict[str, object]]] = {}
    for field in vocabulary_fields():
        value = values.get(field.code)
        shown = (posted or {}).get(
            field.code, "" if value is None or value.value is None else value.value
        )
        groups.setdefault(str(GROUP_LABELS.get(field.group, field.group)), []).append(
            {
                "field": field,
                "value": shown,
                "stored": value,
                "errors": (errors or {}).get(field.code, []),
            }
        )
    context = {
        "project": project,
        "summary": summary,
        "groups": groups,
        "municipalities": municipality_choices(),
        "errors": errors or {},
        "stale": stale,
    }
    return render(request, "projects/shared_data.html", context, status=status)


@customer
def shared_data(request: ActorRequest, project_id: UUID) -> HttpResponse:
    if request.method != "POST":
        return _shared_data_page(request, project_id)
    actor = request.actor
    project = project_for(actor, project_id, purpose="projects:shared-data", write=True)
    fields = vocabulary_fields()
    dates = {f.code for f in fields if f.type == "date"}
    values = {
        f.code: request.POST.get(f.code, "")
        for f in fields
        if f.code in request.POST and f.code not in dates
    }
    posted: dict[str, object] = dict(values)
    date_errors: dict[str, list[str]] = {}
    for code in dates:
        reading = read_date(request.POST, code)
        if not reading.present and code not in request.POST:
            continue
        posted[code] = reading.parts
        # A wrong date goes on as typed: the service refuses it along with any other field.
        values[code] = reading.value.isoformat() if reading.value else str(reading.parts)
        if reading.error is not None:
            date_errors[code] = [reading.error.message]
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        changed = shared_data_set(
            project=project, values=values, actor=actor, expected_version=version
        )
    except InvalidSharedData as invalid:
        return _shared_data_page(
            request, project_id, errors={**invalid.errors, **date_errors}, posted=posted, status=422
        )
    except StaleVersion:
        return _shared_data_page(request, project_id, posted=posted, stale=True, status=409)
    if changed:
        messages.success(request, _("Shared data saved."))
    return redirect("projects:shared-data", project_id=project.public_id)


@require_POST
@customer
def propagate(request: ActorRequest, project_id: UUID) -> HttpResponse:
    actor = request.actor
    project = project_for(actor, project_id, purpose="projects:propagate", write=True)
    chosen = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
    receipts = shared_data_change_propagate(project=project, actor=actor, application_ids=chosen)
    messages.success(
        request,
        _("The change was sent to %(count)d authorities.") % {"count": len(receipts)},
    )
    return redirect("projects:detail", project_id=project.public_id)


@customer
def add_services(request: ActorRequest, project_id: UUID) -> HttpResponse:
    actor = request.actor
    writing = request.method == "POST"
    project = project_for(actor, project_id, purpose="projects:services", write=writing)
    if writing:
        codes = request.POST.getlist("service")
        added = 0
        for service in Service.objects.filter(code__in=codes, active=True):
            try:
                application_add(project=project, service=service, actor=actor)
                added += 1
            except NotOffered as refused:
                messages.error(request, str(refused))
        if added:
            messages.success(request, _("The applications were added to the project."))
        return redirect("projects:detail", project_id=project.public_id)
    have = set(
        project.applications.exclude(status__in=["cancelled", "withdrawn"]).values_list(
            "service_id", flat=True
        )
    )
    services = [
        s for s in Service.objects.filter(active=True).order_by("name_fi") if s.pk not in have
    ]
    return render(request, "projects/add_services.html", {"project": project, "services": services})


@require_GET
@customer
def export_json(request: ActorRequest, project_id: UUID) -> HttpResponse:
    actor = request.actor
    project = project_for(actor, project_id, purpose="projects:export")
    response = JsonResponse(
        project_export(project), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{project.reference}.json"'
    return response


@require_GET
@customer
def export_pdf(request: ActorRequest, project_id: UUID) -> HttpResponse:
    actor = request.actor
    project = project_for(actor, project_id, purpose="projects:export-pdf")
    response = HttpResponse(
        summary_pdf(project_summary(project=project)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{project.reference}.pdf"'
    return response
