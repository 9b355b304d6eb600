"""The cost-benefit sheet, the risk register and the pilot feedback form."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luvat.audit.actors import ActorKind
from luvat.identity.door import require_actor
from luvat.identity.policy import acting_company, authorise, is_administrator
from luvat.onboarding import services
from luvat.onboarding.access import can_give_pilot_feedback, can_manage_joining
from luvat.onboarding.errors import OnboardingError
from luvat.onboarding.forms import CostBenefitForm, FeedbackForm, RiskForm
from luvat.onboarding.metrics import measure
from luvat.onboarding.models import CostBenefitLine, Joining, RespondentKind, Risk
from luvat.onboarding.phases import Phase
from luvat.onboarding.selectors import default_period, service_joining_by_codes
from luvat.onboarding.views.common import actor, joining_for, put_error
from luvat.onboarding.views.joinings import STAFF


def _sheet(request: HttpRequest, joining: Joining, form: CostBenefitForm | None) -> HttpResponse:
    lines = list(CostBenefitLine.objects.filter(joining=joining).order_by("year", "kind", "id"))
    years: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"cost": Decimal(0), "benefit": Decimal(0)}
    )
    for line in lines:
        years[line.year][line.kind] += line.amount_eur
    totals = [
        {"year": y, "cost": v["cost"], "benefit": v["benefit"], "net": v["benefit"] - v["cost"]}
        for y, v in sorted(years.items())
    ]
    measured: dict[str, float | None] = {}
    if any(line.metric for line in lines):
        start, end = default_period(None)
        report = measure(authority_code=joining.authority.code, start=start, end=end)
        measured = {key: value.value for key, value in report.values.items()}
    for line in lines:
        line.measured = measured.get(line.metric) if line.metric else None  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "joining": joining,
        "lines": lines,
        "totals": totals,
        "form": form or CostBenefitForm(initial={"year": timezone.localdate().year}),
        "section": "costs",
        "is_admin": is_administrator(actor(request)),
        "can_manage": can_manage_joining(actor(request), joining.authority.code),
    }
    status = 422 if form is not None else 200
    return render(request, "onboarding/cost_benefit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@require_actor(*STAFF)
def cost_benefit(request: HttpRequest, code: str) -> HttpResponse:
    joining = joining_for(request, code, manage=request.method == "POST")
    if request.method != "POST":
        return _sheet(request, joining, None)
    form = CostBenefitForm(request.POST)
    if form.is_valid():
        try:
            services.cost_benefit_add(joining=joining, actor=actor(request), **form.cleaned_data)
        except OnboardingError as error:
            put_error(form, error)
        else:
            messages.success(request, _("The line was added."))
            return HttpResponseRedirect(reverse("onboarding:cost-benefit", args=[code]))
    form.mark_invalid()
    return _sheet(request, joining, form)


@require_POST
@require_actor(*STAFF)
def cost_benefit_remove(request: HttpRequest, code: str, line_id: int) -> HttpResponse:
    joining = joining_for(request, code, manage=True)
    line = get_object_or_404(CostBenefitLine, pk=line_id, joining=joining)
    services.cost_benefit_remove(line=line, actor=actor(request))
    messages.success(request, _("The line was removed."))
    return HttpResponseRedirect(reverse("onboarding:cost-benefit", args=[code]))


def _register(request: HttpRequest, joining: Joining, form: RiskForm | None) -> HttpResponse:
    context: dict[str, Any] = {
        "joining": joining,
        "risks": list(Risk.objects.filter(joining=joining).order_by("closed", "-id")),
        "form": form or RiskForm(),
        "section": "risks",
        "is_admin": is_administrator(actor(request)),
        "can_manage": can_manage_joining(actor(request), joining.authority.code),
        "today": timezone.localdate(),
    }
    return render(
        request, "onboarding/risks.html", context, status=422 if form is not None else 200
    )


@require_http_methods(["GET", "HEAD", "POST"])
@require_actor(*STAFF)
def risks(request: HttpRequest, code: str) -> HttpResponse:
    joining = joining_for(request, code, manage=request.method == "POST")
    if request.method != "POST":
        return _register(request, joining, None)
    form = RiskForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("closed")
        try:
            services.risk_add(joining=joining, actor=actor(request), **data)
        except OnboardingError as error:
            put_error(form, error)
        else:
            messages.success(request, _("The risk was added."))
            return HttpResponseRedirect(reverse("onboarding:risks", args=[code]))
    form.mark_invalid()
    return _register(request, joining, form)


@require_http_methods(["GET", "HEAD", "POST"])
@require_actor(*STAFF)
def risk_edit(request: HttpRequest, code: str, risk_id: int) -> HttpResponse:
    joining = joining_for(request, code, manage=request.method == "POST")
    risk = get_object_or_404(Risk, pk=risk_id, joining=joining)
    status = 200
    if request.method == "POST":
        form = RiskForm(request.POST)
        if form.is_valid():
            try:
                services.risk_update(risk=risk, actor=actor(request), **form.cleaned_data)
            except OnboardingError as error:
                put_error(form, error)
            else:
                messages.success(request, _("The risk was saved."))
                return HttpResponseRedirect(reverse("onboarding:risks", args=[code]))
        form.mark_invalid()
        status = 422
    else:
        form = RiskForm(
            initial={
                name: getattr(risk, name)
                for name in (
                    "title",
                    "likelihood",
                    "impact",
                    "mitigation",
                    "owner",
                    "review_on",
                    "production_phase",
                    "closed",
                )
            }
        )
    context = {"joining": joining, "risk": risk, "form": form, "section": "risks"}
    return render(request, "onboarding/risk_edit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@require_actor(ActorKind.CUSTOMER, ActorKind.OFFICIAL, company=True)
def feedback(request: HttpRequest, code: str, service_code: str) -> HttpResponse:
    """The pilot feedback form, for the pilot companies' customers and the authority's officials."""
    who = actor(request)
    service_joining = service_joining_by_codes(code, service_code)
    if service_joining is None or service_joining.phase != Phase.PILOT:
        raise Http404
    listed = set(service_joining.pilot_companies.values_list("business_id", flat=True))
    authorise(
        who,
        can_give_pilot_feedback(who, code, listed),
        object_type="onboarding.pilot_feedback",
        object_id=f"{code}/{service_code}",
        purpose="pilot feedback",
        subject_business_id=acting_company(who),
    )
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            customer = who.kind == ActorKind.CUSTOMER
            try:
                services.pilot_feedback_give(
                    service_joining=service_joining,
                    respondent=RespondentKind.CUSTOMER if customer else RespondentKind.OFFICIAL,
                    business_id=acting_company(who),
                    actor=who,
                    **form.cleaned_data,
                )
            except OnboardingError as error:
                put_error(form, error)
            else:
                context = {"service_joining": service_joining, "thanks": True}
                return render(request, "onboarding/feedback.html", context)
        form.mark_invalid()
        status = 422
    context = {"service_joining": service_joining, "form": form}
    return render(request, "onboarding/feedback.html", context, status=status)
