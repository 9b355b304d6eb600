"""Who may read and write which thread of a project's discussion."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor, ActorKind
from luvat.discussion.models import AuthorKind, Thread, ThreadKind


def may_use_thread(actor: Actor, thread: Thread) -> bool:
    """The company's people: customer and application threads. Authorities of the project:
    the customer and authorities threads, and the threads of their own applications."""
    room = thread.room
    if actor.kind == ActorKind.CUSTOMER:
        return actor.on_behalf_of == room.business_id and thread.kind != ThreadKind.AUTHORITIES
    if actor.kind == ActorKind.OFFICIAL and actor.on_behalf_of:
        if thread.kind == ThreadKind.APPLICATION:
            return actor.on_behalf_of == thread.authority_code
        return actor.on_behalf_of in room.authority_codes
    return False


def require_thread(actor: Actor, thread: Thread) -> None:
    if not may_use_thread(actor, thread):
        raise PermissionDenied(_("You are not a party to this discussion."))


def author_kind(actor: Actor) -> AuthorKind:
    return AuthorKind.CUSTOMER if actor.kind == ActorKind.CUSTOMER else AuthorKind.OFFICIAL
