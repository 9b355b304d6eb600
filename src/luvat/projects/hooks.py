"""Hooks other contexts register: listeners of status changes, and the rule that says which
way a new application goes.

A status listener runs inside the transaction of the change, on the locked application, whatever
made the change (the customer, an official, an authority system, the service itself). It must
be quick and must not fail for reasons of its own: an exception rolls the change back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luvat.projects.models import Application, StatusEvent

StatusListener = Callable[[Sequence[tuple["Application", "StatusEvent"]]], None]

_listeners: dict[str, StatusListener] = {}


def register_status_listener(name: str, listener: StatusListener) -> None:
    """Call ``listener(changes)`` after status changes are recorded: ``changes`` lists each
    ``(application, event)`` in order (several when a batch of events is applied at once; the
    application objects then carry their final state)."""
    _listeners[name] = listener


def statuses_changed(changes: Sequence[tuple[Application, StatusEvent]]) -> None:
    for listener in list(_listeners.values()):
        listener(changes)


# (authority code, service code, the catalogue's mode) -> the joining mode in force now.
RouteResolver = Callable[[str, str, str], str]
_route_resolver: list[RouteResolver] = []


def register_route_resolver(resolver: RouteResolver) -> None:
    """Decide the joining mode of applications started from now on (onboarding's phased
    adoption); without one, the catalogue's mode of the service holds."""
    _route_resolver[:] = [resolver]


def route_for_new(authority_code: str, service_code: str, catalogue_mode: str) -> str:
    if not _route_resolver or not authority_code:
        return catalogue_mode
    return _route_resolver[0](authority_code, service_code, catalogue_mode)


# (authority code, service code, business id) -> whether the service layer offers it to them.
OfferRule = Callable[[str, str, str], bool]
_offer_rule: list[OfferRule] = []


def register_offer_rule(rule: OfferRule) -> None:
    """Decide which companies may apply for an authority's service here (onboarding's pilot:
    only listed companies); without one, every service is offered to everyone."""
    _offer_rule[:] = [rule]


def offered(authority_code: str, service_code: str, business_id: str) -> bool:
    if not _offer_rule or not authority_code:
        return True
    return _offer_rule[0](authority_code, service_code, business_id)
