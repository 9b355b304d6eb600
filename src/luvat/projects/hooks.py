"""Hooks other contexts register: listeners of status changes, and the rule that says which
way a new application goes.

A status listener runs inside the transaction of the change, on the locked application, whatever
made the change (the customer, an official, an authority system, the service itself). It must
be quick and must not fail for reasons of its own: an exception rolls the change back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class JoiningTerms:
    """How an authority takes a service from a company, decided when an application starts."""

    offered: bool = True  # False: the authority pilots it with other companies, or not yet
    mode: str = ""  # the joining mode in force now; empty: the catalogue's mode of the service


# (authority code, service code, business id) -> the terms in force now.
JoiningRule = Callable[[str, str, str], JoiningTerms]
_joining_rule: list[JoiningRule] = []


def register_joining_rule(rule: JoiningRule) -> None:
    """Decide who may apply for an authority's service here and which way new applications
    go (onboarding's pilot list and phased adoption); without one, every service is offered
    to everyone in the catalogue's mode."""
    _joining_rule[:] = [rule]


def joining_terms(authority_code: str, service_code: str, business_id: str) -> JoiningTerms:
    if not _joining_rule or not authority_code:
        return JoiningTerms()
    return _joining_rule[0](authority_code, service_code, business_id)
