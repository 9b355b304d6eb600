"""Hooks other contexts register: listeners of status changes and of other project facts. (Who
is offered a service and which way a new application goes is the catalogue's hook:
:func:`luvat.catalogue.joining.register_offering_rule`.)

A status listener runs inside the transaction of the change, on the locked application, whatever
made the change (the customer, an official, an authority system, the service itself). It must
be quick and must not fail for reasons of its own: an exception rolls the change back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luvat.projects.models import Application, Project, StatusEvent

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
class ProjectFact:
    """Something that happened to a project besides a status change, for its listeners:
    ``shared_data_changed`` (``fields`` names the changed codes) or ``redirected`` (the
    customer was sent to the authority's own e-service for ``application``)."""

    kind: str
    project: Project
    application: Application | None = None
    fields: tuple[str, ...] = ()


FactListener = Callable[[Sequence[ProjectFact]], None]
_fact_listeners: dict[str, FactListener] = {}


def register_fact_listener(name: str, listener: FactListener) -> None:
    """Call ``listener(facts)`` inside the transaction that made them (as status listeners)."""
    _fact_listeners[name] = listener


def facts_happened(facts: Sequence[ProjectFact]) -> None:
    for listener in list(_fact_listeners.values()):
        listener(facts)


SupplementDueProvider = Callable[[Sequence[int]], dict[int, date]]
_supplement_due: list[SupplementDueProvider] = []


def register_supplement_due_provider(provider: SupplementDueProvider) -> None:
    """The back office tells when each waiting application's supplement is due (by id)."""
    _supplement_due[:] = [provider]


def supplement_due_dates(application_ids: Sequence[int]) -> dict[int, date]:
    """Due dates of the open supplement requests of ``application_ids`` (one query, none if
    no id is given or nobody registered)."""
    if not application_ids or not _supplement_due:
        return {}
    return _supplement_due[0](application_ids)
