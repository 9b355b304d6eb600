"""Who may read and write which thread of a project's discussion: the identity policy applied
to threads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor, ActorKind
from luvat.discussion.models import AuthorKind, DiscussionRoom, Thread, ThreadKind
from luvat.identity.policy import authority_codes_for, can_act_for_company


def may_use_room(actor: Actor, room: DiscussionRoom) -> bool:
    """The company's people, and the authorities handling an application of the project."""
    return can_act_for_company(actor, room.business_id) or bool(
        authority_codes_for(actor) & set(room.authority_codes)
    )


def may_use_thread(actor: Actor, thread: Thread, codes: frozenset[str] | None = None) -> bool:
    """The company's people: customer and application threads. Authorities of the project:
    the customer and authorities threads, and the threads of their own applications.
    ``codes`` are the actor's authority codes when the caller has them already."""
    room = thread.room
    if can_act_for_company(actor, room.business_id):
        return thread.kind != ThreadKind.AUTHORITIES
    codes = authority_codes_for(actor) if codes is None else codes
    if thread.kind == ThreadKind.APPLICATION:
        return thread.authority_code in codes
    return bool(codes & set(room.authority_codes))


def require_thread(actor: Actor, thread: Thread) -> None:
    if not may_use_thread(actor, thread):
        raise PermissionDenied(_("You are not a party to this discussion."))


def author_kind(actor: Actor) -> AuthorKind:
    return AuthorKind.CUSTOMER if actor.kind == ActorKind.CUSTOMER else AuthorKind.OFFICIAL
