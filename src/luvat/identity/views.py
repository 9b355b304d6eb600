"""Pages of log-in and access: log-in choice, test IdP, company choice, no mandate, access log,
account and log-out. They parse input, call one service and render; rules live in policy.py."""

from __future__ import annotations

import uuid

import structlog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luvat.audit.actors import ActorKind
from luvat.audit.selectors import access_events_for_company
from luvat.audit.services import access_record, audit_record
from luvat.identity import sessions
from luvat.identity.companies import CompanyRegisterError, company_register
from luvat.identity.door import (
    ActorRequest,
    actor_from_request,
    door_exempt,
    no_mandate_response,
    require_actor,
)
from luvat.identity.forms import ChooseForm, TestIdpForm
from luvat.identity.identities import VerifiedIdentity, level_of_assurance_label
from luvat.identity.mandates import MandateError, mandate_source
from luvat.identity.mandating import companies_cached, companies_fresh
from luvat.identity.models import LoginMethod, Person
from luvat.identity.policy import Denied, MandateMissing, acting_company, authorise
from luvat.identity.selectors import demo_people, official_roles_of
from luvat.identity.services import person_login, sessions_end_all
from luvat.web.access_log import readable_access_events
from luvat.web.navigation import landing_url
from luvat.web.ratelimits import login_limited
from luvat.web.views import error_page

log = structlog.get_logger(__name__)
TEST_LEVEL_OF_ASSURANCE = "urn:oid:1.2.246.517.3002.110.999"
NEXT = "luvat.next"


def _safe_next(request: HttpRequest) -> str:
    candidate = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else ""


def test_idp_enabled() -> bool:
    """The test identity provider logs anyone in as anyone: never in production, whatever
    LUVAT_LOGIN_BACKENDS says and whichever WSGI server runs the app."""
    return "test" in settings.LUVAT_LOGIN_BACKENDS and not settings.PRODUCTION


@require_safe
def login_choice(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if next_url:
        request.session[NEXT] = next_url
    return render(
        request,
        "identity/login.html",
        {
            "backends": [
                backend
                for backend in settings.LUVAT_LOGIN_BACKENDS
                if backend != "test" or test_idp_enabled()
            ],
            "next": next_url,
        },
    )


@door_exempt
@require_http_methods(["GET", "POST"])
@login_limited
def test_idp(request: HttpRequest) -> HttpResponse:
    if not test_idp_enabled():
        raise Http404("the test identity provider is not enabled")
    form = TestIdpForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        person: Person = form.cleaned_data["person"]
        identity = VerifiedIdentity(
            method=LoginMethod.TEST,
            demo_key=person.demo_key or "",
            level_of_assurance=TEST_LEVEL_OF_ASSURANCE,
        )
        next_url = request.session.get(NEXT, "")
        person = person_login(identity=identity)
        sessions.session_login(request, person=person, identity=identity)
        if next_url:
            request.session[NEXT] = next_url
        return redirect("identity:continue")
    status = 400 if form.errors else 200
    return render(
        request, "identity/test_idp.html", {"form": form, "people": demo_people()}, status=status
    )


@login_required
@require_safe
def continue_after_login(request: HttpRequest) -> HttpResponse:
    """Where every log-in lands: start the mandate check, then the company choice."""
    person = getattr(request.user, "person", None)
    if person is None:
        return redirect("admin:index")
    national_id = request.session.pop(sessions.PENDING_NATIONAL_ID, "")
    source = mandate_source()
    if source.name == "local" or national_id:
        return_url = settings.LUVAT_PUBLIC_URL + reverse("mandates-callback")
        try:
            start = source.start(
                person_id=person.pk,
                national_id=national_id,
                return_url=return_url,
                request_id=uuid.uuid4().hex,
            )
        except MandateError as exc:
            log.warning("mandate.start_failed", error=str(exc))
            messages.error(request, _("Suomi.fi e-Authorizations could not be reached."))
        else:
            sessions.store_mandate_state(request, start.state)
            if start.redirect_url:
                return HttpResponseRedirect(start.redirect_url)
    return redirect("identity:choose")


@login_required
@require_safe
def mandates_callback(request: HttpRequest) -> HttpResponse:
    """The browser returns from e-Authorizations with an authorisation code."""
    code = request.GET.get("code", "")
    if not code:
        messages.error(request, _("No companies were chosen in Suomi.fi e-Authorizations."))
        return redirect("identity:choose")
    try:
        state = mandate_source().finish(
            state=sessions.mandate_state(request),
            code=code,
            return_url=settings.LUVAT_PUBLIC_URL + reverse("mandates-callback"),
        )
        sessions.store_mandate_state(request, state)
        companies_fresh(request)
    except MandateError as exc:
        log.warning("mandate.finish_failed", error=str(exc))
        messages.error(request, _("Suomi.fi e-Authorizations could not be reached."))
    return redirect("identity:choose")


@door_exempt
@login_required
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    if person is None:
        return redirect("admin:index")
    roles = official_roles_of(person)
    is_admin = request.user.is_superuser or person.is_service_admin
    unavailable = False
    try:
        companies = companies_cached(request)
    except MandateError:
        companies, unavailable = [], True
    form = ChooseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = actor_from_request(request)
        data = form.cleaned_data
        if data["business_id"]:
            return _choose_company(request, data["business_id"])
        if data["authority_code"]:
            role = next((r for r in roles if r.authority_code == data["authority_code"]), None)
            try:
                authorise(
                    actor,
                    role is not None,
                    object_type="authority",
                    object_id=data["authority_code"],
                    purpose="identity:choose",
                )
            except Denied:
                return error_page(request, 403)
            assert role is not None  # noqa: S101 (authorise refused otherwise)
            sessions.act_as_official(
                request,
                authority_code=data["authority_code"],
                authority_admin=role.is_authority_admin,
            )
            audit_record(
                actor=actor,
                action="person.act_as_official",
                target=("authority", data["authority_code"]),
            )
            return redirect(request.session.pop(NEXT, "") or landing_url(request))
        if not is_admin:
            return error_page(request, 403)
        sessions.act_as_administrator(request)
        return redirect(request.session.pop(NEXT, "") or landing_url(request))
    if request.method == "GET" and not (companies or roles or is_admin or unavailable):
        return no_mandate_response(request, MandateMissing("", "none"))
    return render(
        request,
        "identity/choose.html",
        {
            "form": form,
            "companies": companies,
            "roles": roles,
            "is_admin": is_admin,
            "unavailable": unavailable,
            "current": sessions.acting(request),
        },
        status=400 if form.errors else 200,
    )


def _choose_company(request: HttpRequest, business_id: str) -> HttpResponse:
    actor = actor_from_request(request)
    try:
        companies = companies_fresh(request)
    except MandateError:
        return no_mandate_response(request, MandateMissing(business_id, "unavailable"))
    mandate = next((c for c in companies if c.business_id == business_id), None)
    try:
        authorise(
            actor,
            mandate is not None,
            object_type="company",
            object_id=business_id,
            subject_business_id=business_id,
            purpose="identity:choose",
            refusal=MandateMissing(business_id, "not-this-company"),
        )
    except MandateMissing as missing:
        return no_mandate_response(request, missing)
    assert mandate is not None  # noqa: S101 (authorise refused otherwise)
    name = mandate.name
    try:
        name = company_register().get(business_id).name or name
    except CompanyRegisterError as exc:
        log.info("company_register.lookup_failed", error=str(exc))
    sessions.act_for_company(request, business_id=business_id, company_name=name)
    audit_record(
        actor=actor,
        action="person.act_for_company",
        target=("company", business_id),
        details={"roles": list(mandate.roles), "basis": mandate.basis},
    )
    return redirect(request.session.pop(NEXT, "") or landing_url(request))


@login_required
@require_safe
def no_mandate(request: HttpRequest) -> HttpResponse:
    return no_mandate_response(request, MandateMissing("", "none"))


@require_actor(ActorKind.CUSTOMER, company=True)
@require_safe
def access_log(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    events = access_events_for_company(acting_company(actor))
    access_record(
        actor=actor,
        object_type="access-log",
        object_id=acting_company(actor),
        subject_business_id=acting_company(actor),
        purpose="identity:access-log",
    )
    return render(request, "identity/access_log.html", {"events": readable_access_events(events)})


@require_actor()
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    login = request.session.get(sessions.LOGIN, {})
    method = login.get("method", "")
    return render(
        request,
        "identity/account.html",
        {
            "person": person,
            "method": LoginMethod(method).label if method in LoginMethod.values else method,
            "level": level_of_assurance_label(login.get("loa", "")),
            "acting": sessions.acting(request),
        },
    )


@door_exempt
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    saml = request.session.get(sessions.SAML)
    if saml and request.user.is_authenticated:
        from luvat.identity.saml.views import start_single_logout

        return start_single_logout(request, saml)
    sessions.session_logout(request)
    return redirect("identity:logged-out")


@door_exempt
@require_POST
@login_required
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    sessions_end_all(user=request.user, actor=actor)  # type: ignore[arg-type]
    sessions.session_logout(request)
    return redirect("identity:logged-out")


@require_safe
def logged_out(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/logged_out.html")
