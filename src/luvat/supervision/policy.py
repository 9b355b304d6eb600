"""Who may do what with supervision events."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor, ActorKind
from luvat.supervision.models import SupervisionEvent


def require_official(actor: Actor) -> str:
    """The authority code the actor works for; refuses anyone but an official."""
    if actor.kind != ActorKind.OFFICIAL or not actor.on_behalf_of:
        raise PermissionDenied(_("Only an official of an authority may schedule supervision."))
    return actor.on_behalf_of


def require_event_authority(actor: Actor, event: SupervisionEvent) -> None:
    if require_official(actor) != event.authority_code:
        raise PermissionDenied(_("This supervision event belongs to another authority."))


def may_see_company(actor: Actor, business_id: str) -> bool:
    """A company's own people see its events; officials see them through their authority."""
    if actor.kind == ActorKind.CUSTOMER:
        return actor.on_behalf_of == business_id
    return actor.kind in (ActorKind.OFFICIAL, ActorKind.ADMINISTRATOR)


def require_company(actor: Actor, business_id: str) -> None:
    if actor.kind != ActorKind.CUSTOMER or actor.on_behalf_of != business_id:
        raise PermissionDenied(_("You do not act for this company."))
