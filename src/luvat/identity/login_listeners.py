"""Other contexts hear of each log-in without identity knowing them.

A listener receives the person (after their attributes from the identity provider are
stored) and the actor of the log-in, inside the log-in's transaction. Notifications uses it
to take the e-mail address the identity provider gave and send the link that verifies it.
Registered in the listening app's ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luvat.audit.actors import Actor
    from luvat.identity.models import Person

LoginListener = Callable[["Person", "Actor"], None]

_listeners: list[LoginListener] = []


def register_login_listener(listener: LoginListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def notify_login(person: Person, actor: Actor) -> None:
    for listener in _listeners:
        listener(person, actor)
