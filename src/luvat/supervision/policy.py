"""Who may do what with supervision events: the identity policy applied to them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor, ActorKind
from luvat.identity.policy import authority_codes_for, can_act_for_company
from luvat.supervision.models import SupervisionEvent


def require_official(actor: Actor) -> str:
    """The authority code the official works for; refuses anyone else (and lapsed roles)."""
    codes = authority_codes_for(actor) if actor.kind == ActorKind.OFFICIAL else frozenset()
    if not codes:
        raise PermissionDenied(_("Only an official of an authority may schedule supervision."))
    return sorted(codes)[0]


def require_event_authority(actor: Actor, event: SupervisionEvent) -> None:
    if require_official(actor) != event.authority_code:
        raise PermissionDenied(_("This supervision event belongs to another authority."))


def may_see_company(actor: Actor, business_id: str) -> bool:
    """A company's own people see its events; officials see their own authority's events."""
    return can_act_for_company(actor, business_id) or bool(authority_codes_for(actor))


def require_company(actor: Actor, business_id: str) -> None:
    if not can_act_for_company(actor, business_id):
        raise PermissionDenied(_("You do not act for this company."))


def require_participant(actor: Actor, event: SupervisionEvent) -> str:
    """The code of the actor's authority among a joint inspection's other participants."""
    code = require_official(actor)
    if code not in {p.authority_code for p in event.participants.all()}:
        raise PermissionDenied(_("Your authority does not take part in this inspection."))
    return code
