"""Creating a project from a permit-need assessment: a confirmation page lists the suggested
services with checkboxes (keep or drop each) and the answers carried as shared data."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from luvat.assessment.models import Assessment
from luvat.assessment.selectors import assessment_by_public_id
from luvat.catalogue.models import VocabularyField
from luvat.identity.door import ActorRequest
from luvat.identity.policy import acting_company
from luvat.identity.sessions import acting
from luvat.projects.errors import InvalidServiceChoice
from luvat.projects.from_assessment import shared_data_from_answers, suggestions, withheld
from luvat.projects.services import project_create_from_assessment
from luvat.projects.services.from_assessment import project_from_assessment_existing
from luvat.projects.views.projects import customer


def _page(
    request: ActorRequest,
    assessment: Assessment,
    *,
    posted: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    result = assessment.result
    items = suggestions(result)
    business_id = acting_company(request.actor)
    # Services the authority pilots with other companies: shown, but not to be kept here.
    not_offered = withheld(items, business_id)
    kept = (set(posted["keep"]) if posted else {s.code for s in items}) - not_offered
    carried = shared_data_from_answers(assessment)
    labels = {f.code: f.label for f in VocabularyField.objects.filter(code__in=list(carried))}
    context = {
        "assessment": assessment,
        "result": result,
        "tiers": [
            ("definitely", _("Definitely needed"), [s for s in items if s.tier == "definitely"]),
            ("possibly", _("Possibly needed"), [s for s in items if s.tier == "possibly"]),
        ],
        "kept": kept,
        "withheld": not_offered,
        "carried": [(labels.get(code, code), value) for code, value in carried.items()],
        "name": posted["name"] if posted else (result.get("package") or {}).get("name", ""),
        "description": posted["description"] if posted else "",
        "errors": errors or {},
    }
    return render(request, "projects/from_assessment.html", context, status=status)


@customer
def project_from_assessment(request: ActorRequest, assessment_id: UUID) -> HttpResponse:
    actor = request.actor
    assessment = assessment_by_public_id(assessment_id)
    if assessment is None:
        raise Http404("no such assessment")
    existing = project_from_assessment_existing(
        business_id=acting_company(actor), assessment=assessment
    )
    if existing is not None:
        messages.info(request, _("The company's project from this assessment already exists."))
        return redirect("projects:detail", project_id=existing.public_id)
    if request.method != "POST":
        return _page(request, assessment)
    name = request.POST.get("name", "").strip()[:200]
    description = request.POST.get("description", "").strip()
    keep = request.POST.getlist("service")
    posted: dict[str, Any] = {"name": name, "description": description, "keep": keep}
    try:
        project = project_create_from_assessment(
            actor=actor,
            business_id=acting_company(actor),
            assessment=assessment,
            name=name,
            description=description,
            company_name=acting(request).get("company_name", ""),
            keep=keep,
        )
    except InvalidServiceChoice as invalid:
        return _page(request, assessment, posted=posted, errors=invalid.errors, status=422)
    messages.success(
        request,
        _("The project was created. Type the shared data once; every application uses it."),
    )
    return redirect("projects:detail", project_id=project.public_id)
