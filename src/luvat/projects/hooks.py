"""Listeners other contexts register to hear about every status change of an application.

A listener runs inside the transaction of the change, on the locked application, whatever
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
