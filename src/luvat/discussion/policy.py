"""Who may read and write which thread of a project's discussion: the identity policy applied
to threads.

An official (or authority system) takes part as far as their handling scope reaches
(``identity.policy.handling_scope``, the same scope as the inbox's): the thread of an
application of a service they handle, and the project's shared threads when they handle at
least one of the project's applications. An official limited to other services of the same
authority is not a party.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor, ActorKind
from luvat.discussion.models import AuthorKind, DiscussionRoom, Thread, ThreadKind
from luvat.identity.policy import HandlingScope, can_act_for_company, handling_scope

# (authority code, service code) of each application thread of a room.
Handled = frozenset[tuple[str, str]]


def room_applications(room: DiscussionRoom) -> Handled:
    """The (authority, service) of each application with a thread in the room (one query)."""
    return frozenset(
        Thread.objects.filter(room=room, kind=ThreadKind.APPLICATION).values_list(
            "authority_code", "application__service__code"
        )
    )


def applications_of(threads: Iterable[Thread]) -> Handled:
    """As :func:`room_applications`, from threads already loaded with their application."""
    return frozenset(
        (t.authority_code, t.application.service.code)
        for t in threads
        if t.kind == ThreadKind.APPLICATION and t.application is not None
    )


def _handles_any(scope: HandlingScope, applications: Handled) -> bool:
    return any(scope.handles(authority, service) for authority, service in applications)


def may_use_room(
    actor: Actor,
    room: DiscussionRoom,
    scope: HandlingScope | None = None,
    applications: Handled | None = None,
) -> bool:
    """The company's people, and those who handle an application of the project."""
    if can_act_for_company(actor, room.business_id):
        return True
    scope = handling_scope(actor) if scope is None else scope
    if not scope.codes & set(room.authority_codes):
        return False
    return _handles_any(scope, room_applications(room) if applications is None else applications)


def may_use_thread(
    actor: Actor,
    thread: Thread,
    scope: HandlingScope | None = None,
    applications: Handled | None = None,
) -> bool:
    """The company's people: customer and application threads. Those who handle an application
    of the project: the customer and authorities threads, and the threads of the applications
    they handle. ``scope`` and the room's ``applications`` when the caller has them already."""
    room = thread.room
    if can_act_for_company(actor, room.business_id):
        return thread.kind != ThreadKind.AUTHORITIES
    scope = handling_scope(actor) if scope is None else scope
    if thread.kind == ThreadKind.APPLICATION:
        application = thread.application
        service = application.service.code if application is not None else ""
        return scope.handles(thread.authority_code, service)
    return may_use_room(actor, room, scope, applications)


def require_thread(actor: Actor, thread: Thread) -> None:
    if not may_use_thread(actor, thread):
        raise PermissionDenied(_("You are not a party to this discussion."))


def author_kind(actor: Actor) -> AuthorKind:
    return AuthorKind.CUSTOMER if actor.kind == ActorKind.CUSTOMER else AuthorKind.OFFICIAL
