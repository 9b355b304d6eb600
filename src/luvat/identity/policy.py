"""The one authorisation module: what an actor may see and do (decisions and scopes), for every
view, API handler and selector, and the one place refusals are decided (:func:`authorise`).
Who is acting is resolved by :mod:`luvat.identity.door`. See docs/authorisation.md.

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

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.refusals import refusal_record
from luvat.identity.models import ApiClient, OfficialRole


class Denied(PermissionDenied):
    """The actor may not do this to this object (already written to the access log)."""


class Hidden(Http404):
    """The actor may not know that this object exists: answered 404 like a missing one (already
    written to the access log)."""


class MandateMissing(Denied):
    """The person has no (longer a) mandate for the company they tried to act for."""

    def __init__(self, business_id: str, reason: str) -> None:
        super().__init__(reason)
        self.business_id = business_id
        self.reason = reason


class RoleMissing(Denied):
    """The official no longer holds a role at the authority they act for."""

    def __init__(self, authority_code: str) -> None:
        super().__init__(f"no role at {authority_code}")
        self.authority_code = authority_code


# -- who is acting (resolved by luvat.identity.door) -------------------------------------------


def person_id_of(actor: Actor) -> int:
    """The person's id from the actor reference; 0 (no such row) for other actors."""
    kind, _, ident = actor.ref.partition(":")
    return int(ident) if kind == "person" and ident.isdigit() else 0


def api_client_id_of(actor: Actor) -> int:
    kind, _, ident = actor.ref.partition(":")
    return int(ident) if kind == "api-client" and ident.isdigit() else 0


# -- what the actor may reach --------------------------------------------------------------------


def acting_company(actor: Actor) -> str:
    """The business ID a customer acts for ("" for anyone else): the company of "my" pages."""
    return actor.on_behalf_of if actor.kind == ActorKind.CUSTOMER else ""


def acting_authority(actor: Actor) -> str:
    """The authority code an official or authority system works for ("" for anyone else, and
    for an official whose role is gone)."""
    return next(iter(authority_codes_for(actor)), "")


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


def role_services(service_codes: Iterable[str]) -> frozenset[str] | None:
    """The services a role (or an authority system's key) is limited to: None when the list is
    empty, which means every service of the authority."""
    codes = frozenset(service_codes)
    return codes or None


def services_allow(services: frozenset[str] | None, service_code: str) -> bool:
    """Does a scope of services (None: all) cover ``service_code``?"""
    return services is None or (bool(service_code) and service_code in services)


@dataclass(frozen=True)
class HandlingScope:
    """What an official or authority system handles: per authority code the services it is
    limited to (None: all of them). The inbox, the discussion and the notices all ask it."""

    services: dict[str, frozenset[str] | None] = field(default_factory=dict)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.services)

    def handles(self, authority_code: str, service_code: str = "") -> bool:
        if authority_code not in self.services:
            return False
        return services_allow(self.services[authority_code], service_code)


def handling_scope(actor: Actor) -> HandlingScope:
    """The actor's :class:`HandlingScope` (empty for customers, administrators, anonymous and an
    official whose role is gone)."""
    return HandlingScope(
        {code: _service_codes_held(actor, code) for code in sorted(authority_codes_for(actor))}
    )


def service_codes_for(actor: Actor, authority_code: str) -> frozenset[str] | None:
    """Services of ``authority_code`` the actor may handle: None means all, empty means none."""
    if authority_code not in authority_codes_for(actor):
        return frozenset()
    return _service_codes_held(actor, authority_code)


def _service_codes_held(actor: Actor, authority_code: str) -> frozenset[str] | None:
    """As :func:`service_codes_for`, for an authority the caller has just found the actor
    works for (one query fewer)."""
    codes: list[str] = []
    if actor.kind == ActorKind.OFFICIAL:
        role = OfficialRole.objects.filter(
            person_id=person_id_of(actor), authority_code=authority_code
        ).first()
        codes = list(role.service_codes) if role else []
    elif actor.kind == ActorKind.AUTHORITY_SYSTEM:
        client = ApiClient.objects.filter(pk=api_client_id_of(actor)).first()
        codes = list(client.service_codes) if client else []
    return role_services(codes)


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
    return handling_scope(actor).handles(authority_code, service_code)


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
    """Customers edit their company's drafts (the door re-checks the mandate first)."""
    return application.is_draft and can_act_for_company(actor, application.business_id)


@dataclass(frozen=True)
class InforequestRef:
    """What the policy needs to know about an inforequest (the inforequests app builds it):
    its company, and for each asked authority the permits the question is about."""

    business_id: str
    asked: dict[str, frozenset[str]] = field(default_factory=dict)


def can_answer_inforequest(actor: Actor, inforequest: InforequestRef, authority_code: str) -> bool:
    """An official of an asked authority, within the services of their role (an official
    limited to some services sees only questions about one of them)."""
    if authority_code not in inforequest.asked:
        return False
    services = service_codes_for(actor, authority_code)
    if services is None:
        return True
    return bool(services & inforequest.asked[authority_code])


def can_read_inforequest(actor: Actor, inforequest: InforequestRef) -> bool:
    """The asking company, and the officials of an asked authority (their own part only)."""
    if can_act_for_company(actor, inforequest.business_id):
        return True
    return any(can_answer_inforequest(actor, inforequest, code) for code in inforequest.asked)


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
    for code, services in handling_scope(actor).services.items():
        part = Q(**{field: code})
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
    known: bool = True,
    refusal: Exception | None = None,
) -> None:
    """The one place a refusal is decided: unless ``allowed``, write it to the access log (kept
    through a rollback of the caller's transaction, see luvat.audit.refusals) and raise.

    ``known=False`` says the actor may not even know the object exists (another company's or
    authority's): :class:`Hidden` (404), so that ids cannot be probed; else :class:`Denied`
    (403) or the given ``refusal``."""
    if allowed:
        return
    refusal_record(
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        subject_business_id=subject_business_id,
    )
    if refusal is not None:
        raise refusal
    if not known:
        raise Hidden(f"no such {object_type}")
    raise Denied(f"{actor.kind} may not access this {object_type}")
