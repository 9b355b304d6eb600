"""Listeners other contexts register to hear about every status change of an application.

A listener runs inside the transaction of the change, on the locked application, whatever
made the change (the customer, an official, an authority system, the service itself). It must
be quick and must not fail for reasons of its own: an exception rolls the change back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luvat.projects.models import Application, StatusEvent

StatusListener = Callable[["Application", "StatusEvent"], None]

_listeners: dict[str, StatusListener] = {}


def register_status_listener(name: str, listener: StatusListener) -> None:
    """Call ``listener(application, event)`` after every recorded status change."""
    _listeners[name] = listener


def status_changed(application: Application, event: StatusEvent) -> None:
    for listener in list(_listeners.values()):
        listener(application, event)
