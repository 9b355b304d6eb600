"""The one door: who is acting, for every entry point (pages, the customer API, authority
systems), and the re-check at the source before every unsafe request.

- :func:`actor_from_request` resolves the actor from the log-in session or the API key of the
  request, once per request. On an unsafe request (POST, PUT, PATCH, DELETE) it first asks the
  source again: a customer's mandate for the company they act for (the mandates source) and an
  official's role for the authority (``OfficialRole``). A lost mandate raises
  :class:`~luvat.identity.policy.MandateMissing`, a lost role
  :class:`~luvat.identity.policy.RoleMissing`; both are access-logged by ``authorise``.
- :class:`DoorMiddleware` calls it for every request before the view (HTML and ``/api/``), so
  no route can forget it, and answers the refusal with the no-mandate page, a 403 page or a
  problem+json (``/problems/mandate-missing``, ``/problems/role-missing``). It also keeps the
  request's refusals so that they are written after every transaction of the request ended
  (``luvat.audit.refusals``). Views that must work without an acting party (log-in, the company
  choice, log-out) are marked :func:`door_exempt`.
- :func:`require_actor` is the view decorator: who may use the page at all.
- Apps register how a URL argument names a company's object (:func:`register_target`), so
  that a refusal at the door is shown to the company whose object was aimed at.

Decisions and scopes stay in :mod:`luvat.identity.policy`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import structlog
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.refusals import refusal_record, refusals_kept
from luvat.audit.services import audit_record
from luvat.identity import sessions
from luvat.identity.models import ApiClient, OfficialRole, Person
from luvat.identity.policy import MandateMissing, RoleMissing, authorise, person_id_of

log = structlog.get_logger(__name__)
View = TypeVar("View", bound=Callable[..., HttpResponse])
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"


class ActorRequest(HttpRequest):
    """A request that passed the door: ``request.actor`` is who is acting."""

    actor: Actor


# -- who is acting -----------------------------------------------------------------------------


def _is_admin_user(request: HttpRequest, person: Person | None = None) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or (person and person.is_service_admin)))


def _person_actor(request: HttpRequest, person: Person) -> Actor:
    state = sessions.acting(request)
    ref = f"person:{person.pk}"
    label = person.full_name
    if state.get("kind") == sessions.ADMINISTRATOR and _is_admin_user(request, person):
        return Actor(kind=ActorKind.ADMINISTRATOR, ref=ref, label=label)
    if state.get("kind") == sessions.OFFICIAL:
        return Actor(
            kind=ActorKind.OFFICIAL, ref=ref, label=label, on_behalf_of=state["authority_code"]
        )
    return Actor(
        kind=ActorKind.CUSTOMER, ref=ref, label=label, on_behalf_of=state.get("business_id", "")
    )


def _person_of(user: Any) -> Person | None:
    """The user's person, loaded once per request: read through ``user.person`` so that the
    user object caches it (or its absence) and the page header does not load it again."""
    try:
        return cast(Person, user.person)
    except Person.DoesNotExist:
        return None


def _resolve(request: HttpRequest) -> Actor:
    client = getattr(request, "auth", None)
    if isinstance(client, ApiClient):
        return Actor(
            kind=ActorKind.AUTHORITY_SYSTEM,
            ref=f"api-client:{client.pk}",
            label=client.name,
            on_behalf_of=client.authority_code,
        )
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Actor.anonymous()
    person = _person_of(user)
    if person is not None:
        return _person_actor(request, person)
    if user.is_staff and user.is_active:
        return Actor(kind=ActorKind.ADMINISTRATOR, ref=f"user:{user.pk}", label=user.get_username())
    return Actor.anonymous()


def _must_recheck(request: HttpRequest) -> bool:
    if request.method not in UNSAFE_METHODS or getattr(request, "_luvat_door_exempt", False):
        return False
    return not getattr(request, "_luvat_door_checked", False)


def actor_from_request(request: HttpRequest) -> Actor:
    """The actor of a web request (session) or an API request (authority system's key).

    On an unsafe request the mandate or role is re-checked at its source first (once per
    request): MandateMissing / RoleMissing, already access-logged, when it is gone."""
    cached = getattr(request, "_luvat_actor", None)
    actor = cached if isinstance(cached, Actor) else _resolve(request)
    if _must_recheck(request) and actor.kind in (ActorKind.CUSTOMER, ActorKind.OFFICIAL):
        request._luvat_door_checked = True  # type: ignore[attr-defined]
        try:
            _recheck(request, actor)
        except PermissionDenied:
            request._luvat_actor = _resolve(request)  # type: ignore[attr-defined]
            raise
    request._luvat_actor = actor  # type: ignore[attr-defined]
    return actor


# -- the re-check at the source --------------------------------------------------------------

TargetResolver = Callable[[str], str | None]
_targets: dict[str, tuple[str, TargetResolver]] = {}


def register_target(url_argument: str, object_type: str, business_id_of: TargetResolver) -> None:
    """Declare that the URL argument ``url_argument`` names an ``object_type`` whose company
    ``business_id_of(value)`` answers (None when there is no such object)."""
    _targets[url_argument] = (object_type, business_id_of)


def target_of(request: HttpRequest, fallback: tuple[str, str, str]) -> tuple[str, str, str]:
    """``(object type, object id, business ID)`` of the object the request aims at."""
    match = getattr(request, "resolver_match", None)
    arguments = match.kwargs if match is not None else {}
    for name, (object_type, business_id_of) in _targets.items():
        if name in arguments:
            try:
                business_id = business_id_of(str(arguments[name]))
            except (ValueError, TypeError, LookupError, ValidationError):
                business_id = None  # not a well-formed id: it names no one's object
            if business_id is not None:
                return object_type, str(arguments[name]), business_id
    return fallback


def _recheck(request: HttpRequest, actor: Actor) -> None:
    if actor.kind == ActorKind.CUSTOMER and actor.on_behalf_of:
        _recheck_mandate(request, actor)
    elif actor.kind == ActorKind.OFFICIAL and actor.on_behalf_of:
        _recheck_role(request, actor)


def _recheck_mandate(request: HttpRequest, actor: Actor) -> None:
    from luvat.identity.mandates import MandateError
    from luvat.identity.mandating import companies_fresh

    business_id = actor.on_behalf_of
    try:
        companies = companies_fresh(request)
    except MandateError as exc:
        log.warning("mandate.recheck_failed", error=str(exc))
        raise MandateMissing(business_id, "unavailable") from exc
    if any(company.business_id == business_id for company in companies):
        return
    sessions.stop_acting(request)
    audit_record(
        actor=actor,
        action="mandate.lost",
        target=("company", business_id),
        details={"person": person_id_of(actor)},
    )
    object_type, object_id, subject = target_of(request, ("company", business_id, business_id))
    authorise(
        actor,
        False,
        object_type=object_type,
        object_id=object_id,
        purpose=f"mandate re-check before a write: {request.path}",
        subject_business_id=subject,
        refusal=MandateMissing(business_id, "revoked"),
    )


def _recheck_role(request: HttpRequest, actor: Actor) -> None:
    code = actor.on_behalf_of
    if OfficialRole.objects.filter(person_id=person_id_of(actor), authority_code=code).exists():
        return
    sessions.stop_acting(request)
    audit_record(actor=actor, action="role.lost", target=("authority", code))
    object_type, object_id, subject = target_of(request, ("authority", code, ""))
    authorise(
        actor,
        False,
        object_type=object_type,
        object_id=object_id,
        purpose=f"role re-check before a write: {request.path}",
        subject_business_id=subject,
        refusal=RoleMissing(code),
    )


# -- refusals no check wrote down ------------------------------------------------------------

REFUSED_STATUSES = frozenset({401, 403})
HIDDEN_STATUSES = frozenset({404, 410})


def _actor_after(request: HttpRequest) -> Actor:
    """Who was acting in a request that has ended (the door's actor, else the API key's)."""
    cached = getattr(request, "_luvat_actor", None)
    if isinstance(cached, Actor) and cached.kind != ActorKind.ANONYMOUS:
        return cached
    client = getattr(request, "auth", None)
    header = request.headers.get("Authorization", "")
    if not isinstance(client, ApiClient) and header.startswith("Bearer "):
        from luvat.identity.apiauth import CredentialsRefused, api_client_for_token

        try:
            request.auth = api_client_for_token(header.removeprefix("Bearer ").strip())  # type: ignore[attr-defined]
        except CredentialsRefused:
            return Actor.anonymous()  # nobody to name: the key is not one of ours
    return _resolve(request)


def _record_unlogged_refusal(request: HttpRequest, response: HttpResponse) -> None:
    """The door's safety net: a request that was refused without an access-log entry gets one.

    Refused is 401 or 403 for someone acting (a kind of actor the route is not for, a check
    that raised PermissionDenied itself), and 404 or 410 when the URL names an existing
    object of a company (an object hidden from the caller answers as a missing one). Anonymous
    visitors are sent to the log-in and leave no entry."""
    status = response.status_code
    if status not in REFUSED_STATUSES and status not in HIDDEN_STATUSES:
        return
    match = getattr(request, "resolver_match", None)
    if match is None:
        return
    actor = _actor_after(request)
    if actor.kind == ActorKind.ANONYMOUS:
        return
    own = actor.on_behalf_of if actor.kind == ActorKind.CUSTOMER else ""
    object_type, object_id, subject = target_of(request, ("page", match.view_name, own))
    if status in HIDDEN_STATUSES and object_type == "page":
        return  # no object of a company is named: a missing page or object, not a refusal
    refusal_record(
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        purpose=f"refused ({status}): {request.method} {request.path}",
        subject_business_id=subject,
    )


# -- pages and the middleware ----------------------------------------------------------------


def no_mandate_response(request: HttpRequest, missing: MandateMissing) -> HttpResponse:
    """The page that says the person has no (longer a) mandate for the company."""
    return render(
        request,
        "identity/no_mandate.html",
        {"reason": missing.reason, "business_id": missing.business_id},
        status=403,
    )


def refusal_response(request: HttpRequest, refused: PermissionDenied) -> HttpResponse:
    """The answer to a refusal at the door: a page, or problem+json under /api/."""
    from luvat.web.problems import problem_response
    from luvat.web.views import error_page

    on_api = request.path.startswith(API_PREFIX)
    if isinstance(refused, MandateMissing):
        if on_api:
            return problem_response(
                status=403,
                slug="mandate-missing",
                detail="Your mandate for the company is no longer valid; choose a company again.",
                request=request,
                reason=refused.reason,
            )
        return no_mandate_response(request, refused)
    if on_api:
        slug = "role-missing" if isinstance(refused, RoleMissing) else "forbidden"
        return problem_response(
            status=403,
            slug=slug,
            detail="You no longer work for this authority in the service; choose again.",
            request=request,
        )
    return error_page(request, 403)


def door_exempt(view: View) -> View:
    """Mark a view that works without an acting party (log-in, company choice, log-out): the
    door does not re-check a mandate or role before it."""
    view.luvat_door_exempt = True  # type: ignore[attr-defined]
    return view


class DoorMiddleware:
    """Resolve the actor before every view and re-check the mandate or role on unsafe
    requests; keep the request's refusals for the access log until the request has ended."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with refusals_kept() as held:
            before = len(held)
            response = self.get_response(request)
            if len(held) == before:
                _record_unlogged_refusal(request, response)
            return response

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if getattr(view, "luvat_door_exempt", False):
            request._luvat_door_exempt = True  # type: ignore[attr-defined]
            return None
        if request.path.startswith(API_PREFIX) and "Authorization" in request.headers:
            return None  # an authority system: its key is checked at the source by ninja's auth
        try:
            cast(ActorRequest, request).actor = actor_from_request(request)
        except PermissionDenied as refused:
            return refusal_response(request, refused)
        return None


def require_actor(*kinds: ActorKind, company: bool = False) -> Callable[[View], View]:
    """View decorator: anonymous → log-in page; another kind → 403; ``company`` needs a chosen
    company (else the company choice). The actor is at ``request.actor``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                actor = actor_from_request(request)
            except PermissionDenied as refused:  # called without the middleware
                return refusal_response(request, refused)
            if actor.kind == ActorKind.ANONYMOUS:
                return redirect_to_login(request.get_full_path())
            if kinds and actor.kind not in kinds:
                match = request.resolver_match
                own = actor.on_behalf_of if actor.kind == ActorKind.CUSTOMER else ""
                # A company's object named in the URL: the refusal is in that company's log.
                object_type, object_id, subject = target_of(
                    request, ("page", match.view_name if match else "", own)
                )
                authorise(
                    actor,
                    False,
                    object_type=object_type,
                    object_id=object_id,
                    purpose=request.path,
                    subject_business_id=subject,
                )
            if company and actor.kind == ActorKind.CUSTOMER and not actor.on_behalf_of:
                return redirect("identity:choose")
            passed = cast(ActorRequest, request)
            passed.actor = actor
            return view(passed, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
