"""The one authorisation module: who may see and do what, for every view, API handler and
selector. See docs/authorisation.md for how other apps plug in.

Rules in short:
- a customer acts for one company at a time (chosen after log-in, backed by a mandate) and sees
  only that company's objects; every write re-checks the mandate at its source;
- an official acts for one authority at a time, optionally limited to some of its services, and
  sees applications addressed to it in full; of other applications in the same projects only
  status and decision, never drafts or attachments;
- an authority system (API client) is scoped like an official of its authority;
- a service-layer administrator manages the service and reads the logs, not customers' content;
- anonymous sees nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.services import access_record
from luvat.identity import sessions
from luvat.identity.models import ApiClient, OfficialRole, Person

View = TypeVar("View", bound=Callable[..., HttpResponse])


class Denied(PermissionDenied):
    """The actor may not do this to this object (already written to the access log)."""


class MandateMissing(Denied):
    """The person has no (longer a) mandate for the company they tried to act for."""

    def __init__(self, business_id: str, reason: str) -> None:
        super().__init__(reason)
        self.business_id = business_id
        self.reason = reason


# -- who is acting -----------------------------------------------------------------------------


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


def _is_admin_user(request: HttpRequest, person: Person | None = None) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or (person and person.is_service_admin)))


def actor_from_request(request: HttpRequest) -> Actor:
    """The actor behind a web request (session) or an API request (authority system)."""
    cached = getattr(request, "_luvat_actor", None)
    if isinstance(cached, Actor):
        return cached
    client = getattr(request, "auth", None)
    if isinstance(client, ApiClient):
        actor = Actor(
            kind=ActorKind.AUTHORITY_SYSTEM,
            ref=f"api-client:{client.pk}",
            label=client.name,
            on_behalf_of=client.authority_code,
        )
    elif not getattr(request, "user", None) or not request.user.is_authenticated:
        actor = Actor.anonymous()
    else:
        person = Person.objects.filter(user_id=request.user.pk).first()
        if person is not None:
            actor = _person_actor(request, person)
        elif request.user.is_staff and request.user.is_active:
            actor = Actor(
                kind=ActorKind.ADMINISTRATOR,
                ref=f"user:{request.user.pk}",
                label=request.user.get_username(),
            )
        else:
            actor = Actor.anonymous()
    request._luvat_actor = actor  # type: ignore[attr-defined]
    return actor


def person_id_of(actor: Actor) -> int:
    """The person's id from the actor reference; 0 (no such row) for other actors."""
    kind, _, ident = actor.ref.partition(":")
    return int(ident) if kind == "person" and ident.isdigit() else 0


def api_client_id_of(actor: Actor) -> int:
    kind, _, ident = actor.ref.partition(":")
    return int(ident) if kind == "api-client" and ident.isdigit() else 0


# -- what the actor may reach --------------------------------------------------------------------


def companies_for(actor: Actor) -> frozenset[str]:
    """Business IDs the actor acts for: the chosen company of a customer, else none."""
    if actor.kind == ActorKind.CUSTOMER and actor.on_behalf_of:
        return frozenset({actor.on_behalf_of})
    return frozenset()


def authority_codes_for(actor: Actor) -> frozenset[str]:
    """Authority codes the actor works for (an official's active authority, a system's own)."""
    if actor.kind == ActorKind.AUTHORITY_SYSTEM and actor.on_behalf_of:
        return frozenset({actor.on_behalf_of})
    if actor.kind == ActorKind.OFFICIAL and actor.on_behalf_of:
        person_id = person_id_of(actor)
        still_holds = OfficialRole.objects.filter(
            person_id=person_id, authority_code=actor.on_behalf_of
        ).exists()
        return frozenset({actor.on_behalf_of}) if still_holds else frozenset()
    return frozenset()


def service_codes_for(actor: Actor, authority_code: str) -> frozenset[str] | None:
    """Services of ``authority_code`` the actor may handle: None means all, empty means none."""
    if authority_code not in authority_codes_for(actor):
        return frozenset()
    codes: list[str] = []
    if actor.kind == ActorKind.OFFICIAL:
        role = OfficialRole.objects.filter(
            person_id=person_id_of(actor), authority_code=authority_code
        ).first()
        codes = list(role.service_codes) if role else []
    elif actor.kind == ActorKind.AUTHORITY_SYSTEM:
        client = ApiClient.objects.filter(pk=api_client_id_of(actor)).first()
        codes = list(client.service_codes) if client else []
    return frozenset(codes) if codes else None


def is_administrator(actor: Actor) -> bool:
    return actor.kind == ActorKind.ADMINISTRATOR


def is_authority_administrator(actor: Actor, authority_code: str) -> bool:
    if actor.kind != ActorKind.OFFICIAL or actor.on_behalf_of != authority_code:
        return False
    return OfficialRole.objects.filter(
        person_id=person_id_of(actor), authority_code=authority_code, is_authority_admin=True
    ).exists()


def can_act_for_company(actor: Actor, business_id: str) -> bool:
    return business_id in companies_for(actor)


def can_handle_service(actor: Actor, authority_code: str, service_code: str = "") -> bool:
    """May the actor handle this authority's service (an official's or system's own scope)?"""
    services = service_codes_for(actor, authority_code)
    if services is None:
        return True
    return bool(service_code) and service_code in services


def can_read_company(
    actor: Actor, business_id: str, *, handling_authority_codes: Iterable[str] = ()
) -> bool:
    """Company data (a project's shared data): its own customers and the authorities that
    handle one of its applications."""
    if can_act_for_company(actor, business_id):
        return True
    return bool(authority_codes_for(actor) & set(handling_authority_codes))


class Part(StrEnum):
    STATUS = "status"
    DECISION = "decision"
    CONTENT = "content"
    ATTACHMENTS = "attachments"


@dataclass(frozen=True)
class ApplicationRef:
    """What the policy needs to know about an application (the projects app builds it)."""

    business_id: str
    authority_code: str
    service_code: str
    is_draft: bool
    project_authority_codes: frozenset[str] = field(default_factory=frozenset)


def can_read_application(actor: Actor, application: ApplicationRef, part: Part) -> bool:
    if can_act_for_company(actor, application.business_id):
        return True
    if can_handle_service(actor, application.authority_code, application.service_code):
        return not application.is_draft
    # Authorities handling another application of the same project see its state and decision.
    if authority_codes_for(actor) & application.project_authority_codes:
        return not application.is_draft and part in (Part.STATUS, Part.DECISION)
    return False


def can_write_application(actor: Actor, application: ApplicationRef) -> bool:
    """Customers edit their company's drafts (after a fresh mandate check, see require_actor)."""
    return application.is_draft and can_act_for_company(actor, application.business_id)


def can_read_access_log(actor: Actor, business_id: str) -> bool:
    return is_administrator(actor) or can_act_for_company(actor, business_id)


# -- filtering querysets by the actor -------------------------------------------------------------

NOTHING = Q(pk__in=[])


def company_q(actor: Actor, field: str = "business_id") -> Q:
    """Rows of the companies the actor acts for (nothing for others)."""
    companies = companies_for(actor)
    return Q(**{f"{field}__in": sorted(companies)}) if companies else NOTHING


def authority_q(actor: Actor, field: str = "authority_code", service_field: str | None = None) -> Q:
    """Rows addressed to the actor's authority, limited to its services when it is limited."""
    condition = NOTHING
    for code in sorted(authority_codes_for(actor)):
        part = Q(**{field: code})
        services = service_codes_for(actor, code)
        if services is not None and service_field:
            part &= Q(**{f"{service_field}__in": sorted(services)})
        elif services is not None:
            part = NOTHING
        condition |= part
    return condition


# -- enforcing -------------------------------------------------------------------------------------


def authorise(
    actor: Actor,
    allowed: bool,
    *,
    object_type: str,
    object_id: object = "",
    purpose: str,
    subject_business_id: str = "",
) -> None:
    """Raise Denied (and log the refusal) unless ``allowed``."""
    if allowed:
        return
    access_record(
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        subject_business_id=subject_business_id,
        outcome="denied",
    )
    raise Denied(f"{actor.kind} may not access this {object_type}")


def require_actor(
    *kinds: ActorKind, company: bool = False, write: bool = False
) -> Callable[[View], View]:
    """View decorator: anonymous → log-in page; another kind → 403; ``company`` needs a chosen
    company (else the company choice); ``write`` re-checks the mandate at its source first.
    The actor is at ``request.actor``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = actor_from_request(request)
            if actor.kind == ActorKind.ANONYMOUS:
                return redirect_to_login(request.get_full_path())
            if kinds and actor.kind not in kinds:
                raise PermissionDenied(f"{actor.kind} may not use this page")
            if company and actor.kind == ActorKind.CUSTOMER and not actor.on_behalf_of:
                return redirect("identity:choose")
            if write and actor.kind == ActorKind.CUSTOMER:
                from luvat.identity.mandating import recheck_acting_company

                try:
                    recheck_acting_company(request, actor=actor)
                except MandateMissing as missing:
                    from luvat.identity.views import no_mandate_response

                    return no_mandate_response(request, missing)
            request.actor = actor  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
