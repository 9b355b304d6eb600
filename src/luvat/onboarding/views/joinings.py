"""Pages of joining records: the administrators' board, an authority's joining, a service's."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luvat.audit.actors import ActorKind
from luvat.catalogue.models import Authority, Service
from luvat.identity.door import require_actor
from luvat.identity.policy import acting_authority, authorise, is_administrator
from luvat.onboarding import services
from luvat.onboarding.access import can_manage_joining
from luvat.onboarding.errors import GoLiveRefused, OnboardingError
from luvat.onboarding.forms import (
    JoiningCreateForm,
    JoiningForm,
    ModeChangeForm,
    PhaseForm,
    PilotCompanyForm,
    RoleForm,
    ServiceJoiningAddForm,
)
from luvat.onboarding.models import Joining, JoiningRole, PilotCompany, ServiceJoining
from luvat.onboarding.phases import Phase, allowed_targets
from luvat.onboarding.selectors import joining_board, joining_overview, service_joining_detail
from luvat.onboarding.views.common import actor, joining_for, put_error, service_joining_for

STAFF = (ActorKind.OFFICIAL, ActorKind.ADMINISTRATOR)


def _targets(phase: str) -> list[tuple[str, str]]:
    return [(p.value, str(p.label)) for p in allowed_targets(phase)]


@require_safe
@require_actor(*STAFF)
def index(request: HttpRequest) -> HttpResponse:
    who = actor(request)
    if is_administrator(who):
        return redirect("onboarding:board")
    authority_code = acting_authority(who)
    authorise(who, bool(authority_code), object_type="onboarding", purpose=request.path)
    return redirect("onboarding:joining", authority_code)


def _board(request: HttpRequest, form: JoiningCreateForm | None = None) -> HttpResponse:
    joinings, columns, others = joining_board()
    form = form or JoiningCreateForm(authorities=[(a.code, f"{a.name} ({a.code})") for a in others])
    status = 422 if form.is_bound else 200
    context = {"joinings": joinings, "columns": columns, "form": form}
    return render(request, "onboarding/board.html", context, status=status)


@require_actor(ActorKind.ADMINISTRATOR)
def board(request: HttpRequest) -> HttpResponse:
    """The service-layer administrator's view of every joining by phase; starts joinings."""
    who = actor(request)
    authorise(who, is_administrator(who), object_type="onboarding.board", purpose="onboarding")
    if request.method != "POST":
        return _board(request)
    others = joining_board()[2]
    form = JoiningCreateForm(request.POST, authorities=[(a.code, a.code) for a in others])
    if form.is_valid():
        authority = get_object_or_404(Authority, code=form.cleaned_data["authority"])
        try:
            services.joining_create(authority=authority, actor=who)
        except OnboardingError as error:
            put_error(form, error)
            return _board(request, form)
        return redirect("onboarding:joining", authority.code)
    form.mark_invalid()
    return _board(request, form)


def _overview(request: HttpRequest, joining: Joining, **forms: Any) -> HttpResponse:
    who = actor(request)
    overview = joining_overview(joining)
    joined = {row.service.pk for row in overview.services}
    candidates = Service.objects.filter(authority_kind=joining.authority.kind, active=True).exclude(
        pk__in=joined
    )
    context = {
        "joining": joining,
        "overview": overview,
        "section": "joining",
        "is_admin": is_administrator(who),
        "can_manage": forms.pop("can_manage"),
        "joining_form": forms.get("joining_form")
        or JoiningForm(
            initial={
                "decided_on": joining.decided_on,
                "planned_go_live_on": joining.planned_go_live_on,
                "notes": joining.notes,
            }
        ),
        "phase_form": forms.get("phase_form") or PhaseForm(targets=_targets(joining.phase)),
        "role_form": forms.get("role_form") or RoleForm(),
        "service_form": forms.get("service_form")
        or ServiceJoiningAddForm(services=[(s.code, s.name) for s in candidates]),
    }
    status = 422 if forms else 200
    return render(request, "onboarding/joining.html", context, status=status)


@require_safe
@require_actor(*STAFF)
def joining(request: HttpRequest, code: str) -> HttpResponse:
    found = joining_for(request, code)
    return _overview(request, found, can_manage=can_manage_joining(actor(request), code))


def _back(code: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("onboarding:joining", args=[code]))


@require_POST
@require_actor(*STAFF)
def joining_update(request: HttpRequest, code: str) -> HttpResponse:
    found = joining_for(request, code, manage=True)
    form = JoiningForm(request.POST)
    if not form.is_valid():
        form.mark_invalid()
        return _overview(request, found, can_manage=True, joining_form=form)
    services.joining_update(joining=found, actor=actor(request), **form.cleaned_data)
    messages.success(request, _("Saved."))
    return _back(code)


@require_POST
@require_actor(*STAFF)
def joining_move(request: HttpRequest, code: str) -> HttpResponse:
    found = joining_for(request, code, manage=True)
    form = PhaseForm(request.POST, targets=_targets(found.phase))
    if form.is_valid():
        try:
            services.joining_move(joining=found, actor=actor(request), **form.cleaned_data)
        except OnboardingError as error:
            put_error(form, error)
        else:
            messages.success(request, _("The joining moved to a new phase."))
            return _back(code)
    form.mark_invalid()
    return _overview(request, found, can_manage=True, phase_form=form)


@require_POST
@require_actor(*STAFF)
def role_add(request: HttpRequest, code: str) -> HttpResponse:
    found = joining_for(request, code, manage=True)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.role_add(joining=found, actor=actor(request), **form.cleaned_data)
        except OnboardingError as error:
            put_error(form, error)
        else:
            messages.success(request, _("The role was added."))
            return _back(code)
    form.mark_invalid()
    return _overview(request, found, can_manage=True, role_form=form)


@require_POST
@require_actor(*STAFF)
def role_remove(request: HttpRequest, code: str, role_id: int) -> HttpResponse:
    found = joining_for(request, code, manage=True)
    role = get_object_or_404(JoiningRole, pk=role_id, joining=found)
    services.role_remove(role=role, actor=actor(request))
    messages.success(request, _("The role was removed."))
    return _back(code)


@require_POST
@require_actor(*STAFF)
def service_add(request: HttpRequest, code: str) -> HttpResponse:
    found = joining_for(request, code, manage=True)
    candidates = Service.objects.filter(authority_kind=found.authority.kind, active=True)
    form = ServiceJoiningAddForm(request.POST, services=[(s.code, s.name) for s in candidates])
    if form.is_valid():
        service = get_object_or_404(Service, code=form.cleaned_data["service"])
        try:
            services.service_joining_add(
                joining=found, service=service, mode=form.cleaned_data["mode"], actor=actor(request)
            )
        except OnboardingError as error:
            put_error(form, error)
        else:
            return redirect("onboarding:service", code, service.code)
    form.mark_invalid()
    return _overview(request, found, can_manage=True, service_form=form)


def _service_page(
    request: HttpRequest, service_joining: ServiceJoining, **forms: Any
) -> HttpResponse:
    who = actor(request)
    code = service_joining.joining.authority.code
    detail = service_joining_detail(service_joining)
    refused = forms.pop("refused", None)
    context = {
        "joining": service_joining.joining,
        "service_joining": service_joining,
        "detail": detail,
        "section": "joining",
        "is_admin": is_administrator(who),
        "can_manage": can_manage_joining(who, code),
        "refused": refused,
        "phase_form": forms.get("phase_form") or PhaseForm(targets=_targets(service_joining.phase)),
        "mode_form": forms.get("mode_form")
        or ModeChangeForm(initial={"effective_on": timezone.localdate()}),
        "pilot_form": forms.get("pilot_form") or PilotCompanyForm(),
        "is_pilot": service_joining.phase == Phase.PILOT,
    }
    status = 422 if forms or refused else 200
    return render(request, "onboarding/service.html", context, status=status)


@require_safe
@require_actor(*STAFF)
def service(request: HttpRequest, code: str, service_code: str) -> HttpResponse:
    return _service_page(request, service_joining_for(request, code, service_code))


def _back_to_service(service_joining: ServiceJoining) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse(
            "onboarding:service",
            args=[service_joining.joining.authority.code, service_joining.service.code],
        )
    )


@require_POST
@require_actor(*STAFF)
def service_move(request: HttpRequest, code: str, service_code: str) -> HttpResponse:
    service_joining = service_joining_for(request, code, service_code, manage=True)
    form = PhaseForm(request.POST, targets=_targets(service_joining.phase))
    if form.is_valid():
        try:
            services.service_joining_move(
                service_joining=service_joining, actor=actor(request), **form.cleaned_data
            )
        except GoLiveRefused as refusal:
            return _service_page(request, service_joining, refused=refusal, phase_form=form)
        except OnboardingError as error:
            put_error(form, error)
        else:
            messages.success(request, _("The service moved to a new phase."))
            return _back_to_service(service_joining)
    form.mark_invalid()
    return _service_page(request, service_joining, phase_form=form)


@require_POST
@require_actor(*STAFF)
def service_mode(request: HttpRequest, code: str, service_code: str) -> HttpResponse:
    service_joining = service_joining_for(request, code, service_code, manage=True)
    form = ModeChangeForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["effective_on"]
        now = timezone.now()
        effective = (
            now
            if day == timezone.localdate()
            else timezone.make_aware(datetime.combine(day, time.min))
        )
        try:
            services.service_joining_schedule_mode(
                service_joining=service_joining,
                mode=form.cleaned_data["mode"],
                effective_at=effective,
                note=form.cleaned_data["note"],
                actor=actor(request),
            )
        except GoLiveRefused as refusal:
            return _service_page(request, service_joining, refused=refusal, mode_form=form)
        except OnboardingError as error:
            put_error(form, error)
        else:
            messages.success(request, _("The change of joining mode was recorded."))
            return _back_to_service(service_joining)
    form.mark_invalid()
    return _service_page(request, service_joining, mode_form=form)


@require_POST
@require_actor(*STAFF)
def pilot_add(request: HttpRequest, code: str, service_code: str) -> HttpResponse:
    service_joining = service_joining_for(request, code, service_code, manage=True)
    form = PilotCompanyForm(request.POST)
    if form.is_valid():
        try:
            services.pilot_company_add(
                service_joining=service_joining, actor=actor(request), **form.cleaned_data
            )
        except OnboardingError as error:
            put_error(form, error)
        else:
            messages.success(request, _("The company was added to the pilot."))
            return _back_to_service(service_joining)
    form.mark_invalid()
    return _service_page(request, service_joining, pilot_form=form)


@require_POST
@require_actor(*STAFF)
def pilot_remove(
    request: HttpRequest, code: str, service_code: str, company_id: int
) -> HttpResponse:
    service_joining = service_joining_for(request, code, service_code, manage=True)
    company = get_object_or_404(PilotCompany, pk=company_id, service_joining=service_joining)
    services.pilot_company_remove(company=company, actor=actor(request))
    messages.success(request, _("The company was taken off the pilot."))
    return _back_to_service(service_joining)
