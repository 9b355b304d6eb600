"""Who may see and change joining records, built on :mod:`luvat.identity.policy`.

- a service-layer administrator: every joining (they run the joining of new authorities);
- an authority administrator: their own authority's joining, to read and change;
- an official of the authority: their own authority's joining, to read, and pilot feedback;
- a customer: pilot feedback, for a service whose pilot list names their company.
"""

from __future__ import annotations

from luvat.audit.actors import Actor, ActorKind
from luvat.identity.policy import (
    authority_codes_for,
    companies_for,
    is_administrator,
    is_authority_administrator,
)


def can_read_joining(actor: Actor, authority_code: str) -> bool:
    return is_administrator(actor) or authority_code in authority_codes_for(actor)


def can_manage_joining(actor: Actor, authority_code: str) -> bool:
    return is_administrator(actor) or is_authority_administrator(actor, authority_code)


def can_give_pilot_feedback(
    actor: Actor, authority_code: str, pilot_business_ids: set[str]
) -> bool:
    if actor.kind == ActorKind.OFFICIAL:
        return authority_code in authority_codes_for(actor)
    if actor.kind == ActorKind.CUSTOMER:
        return bool(companies_for(actor) & pilot_business_ids)
    return False
