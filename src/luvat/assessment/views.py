"""Public pages of the permit-need assessment; they work without JavaScript.

The questionnaire is one progressive page: "Continue" checks the answers so far and
reveals the follow-up questions they make relevant; the answers travel in the URL, so
back and forward keep them. "Show result" stores the assessment and redirects to its
printable result page.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from luvat.assessment.coverage import catalogue_coverage
from luvat.assessment.forms import answers_query, fields, form_answers
from luvat.assessment.offerings import annotate_offerings
from luvat.assessment.questionnaire import (
    AnswerError,
    clean_answers,
    compiled_package,
    municipality_codes,
)
from luvat.assessment.selectors import (
    assessment_by_public_id,
    municipality_choices,
    package_by_code,
    packages_active,
    result_in_language,
)
from luvat.assessment.services import InvalidAnswers, assessment_create
from luvat.audit.actors import Actor, ActorKind
from luvat.catalogue.models import ServicePackage
from luvat.identity.door import actor_from_request
from luvat.identity.policy import acting_company


@require_safe
def package_list(request: HttpRequest) -> HttpResponse:
    return render(request, "assessment/packages.html", {"packages": packages_active()})


def _page(
    request: HttpRequest,
    package: ServicePackage,
    raw: dict[str, object],
    *,
    show_errors: bool,
    extra_errors: dict[str, AnswerError] | None = None,
    status: int = 200,
) -> HttpResponse:
    compiled = compiled_package(package)
    language = (get_language() or "fi")[:2]
    clean = clean_answers(
        compiled,
        raw,
        today=timezone.localdate(),
        municipalities=municipality_codes(),
        from_form=True,
        require_complete=False,
    )
    errors = {**clean.errors, **(extra_errors or {})} if show_errors else {}
    errors.pop("", None)
    form_fields = fields(
        compiled, clean.shown, clean.values, raw, errors, language, municipality_choices()
    )
    context = {
        "package": package,
        "fields": form_fields,
        "errors": [f for f in form_fields if f.error is not None],
        "complete": clean.complete,
    }
    return render(request, "assessment/questionnaire.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def questionnaire(request: HttpRequest, code: str) -> HttpResponse:
    package = package_by_code(code)
    if package is None:
        raise Http404
    compiled = compiled_package(package)
    if request.method != "POST":
        return _page(request, package, form_answers(compiled, request.GET), show_errors=True)
    raw = form_answers(compiled, request.POST)
    url = reverse("assessment:questionnaire", args=[package.code])
    if request.POST.get("action") == "result":
        try:
            assessment = assessment_create(
                package=package,
                answers=raw,
                language=(get_language() or "fi")[:2],
                actor=Actor.anonymous(),
                from_form=True,
            )
        except InvalidAnswers as exc:
            return _page(request, package, raw, show_errors=True, extra_errors=exc.errors)
        return HttpResponseRedirect(
            reverse("assessment:result", args=[assessment.public_id]), status=303
        )
    clean = clean_answers(
        compiled, raw, today=timezone.localdate(), from_form=True, require_complete=False
    )
    if clean.errors:
        return _page(request, package, raw, show_errors=True)
    query = answers_query(compiled, clean.values, clean.shown)
    unanswered = next((q.id for q in clean.shown if clean.values[q.id] in (None, [])), "")
    anchor = f"#q-{unanswered}" if unanswered else "#actions"
    return HttpResponseRedirect(f"{url}?{query}{anchor}", status=303)


@require_safe
def coverage(request: HttpRequest) -> HttpResponse:
    """For content editors (administrators): the coverage report of the catalogue files."""
    if actor_from_request(request).kind != ActorKind.ADMINISTRATOR:
        raise PermissionDenied
    results = catalogue_coverage()
    return render(
        request,
        "assessment/coverage.html",
        {"results": results, "all_ok": all(r.ok for r in results)},
    )


@require_safe
def result(request: HttpRequest, public_id: UUID) -> HttpResponse:
    assessment = assessment_by_public_id(public_id)
    if assessment is None:
        raise Http404
    compiled = compiled_package(assessment.package)
    shown = [q for q in compiled.questions if q.id in assessment.answers]
    values = {q.id: assessment.answers.get(q.id) for q in compiled.questions}
    change_url = reverse("assessment:questionnaire", args=[assessment.package.code])
    # The pilot rule: a piloted service is offered only to the companies on its pilot list.
    viewer = actor_from_request(request)
    business_id = acting_company(viewer)
    shown_result = annotate_offerings(
        result_in_language(assessment, get_language()), business_id=business_id
    )
    context = {
        "assessment": assessment,
        "result": shown_result,
        # The overview table, numbered within each tier as the sections below are.
        "result_tiers": [
            (_("Definitely needed"), shown_result.get("definitely", [])),
            (_("Possibly needed"), shown_result.get("possibly", [])),
        ],
        "change_url": f"{change_url}?{answers_query(compiled, values, shown)}",
    }
    return render(request, "assessment/result.html", context)
