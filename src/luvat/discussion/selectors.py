"""Reads of the discussion context, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Max
from django.http import Http404

from luvat.audit.actors import Actor
from luvat.discussion import policy
from luvat.discussion.backends import get_backend
from luvat.discussion.backends.base import ShownMessage
from luvat.discussion.models import DiscussionRoom, ReadMark, Thread
from luvat.identity.policy import (
    NOTHING,
    HandlingScope,
    authorise,
    authority_q,
    companies_for,
    handling_scope,
)

MESSAGES_SHOWN = 200


@dataclass(frozen=True)
class ThreadSummary:
    thread: Thread
    unread: bool


def project_threads(
    actor: Actor, *, project_id: int, user_id: int | None
) -> tuple[DiscussionRoom | None, list[ThreadSummary]]:
    """The threads of a project the actor is party to, with unread flags (two queries, four
    for an official: their role and its services are read once)."""
    threads = list(
        Thread.objects.filter(room__project_id=project_id)
        .select_related("room", "application__service")
        .order_by("kind", "title", "id")
    )
    scope = handling_scope(actor) if threads else HandlingScope()
    applications = policy.applications_of(threads)
    visible = [t for t in threads if policy.may_use_thread(actor, t, scope, applications)]
    if not visible:
        return (threads[0].room if threads else None), []
    marks = (
        dict(
            ReadMark.objects.filter(user_id=user_id, thread__in=visible).values_list(
                "thread_id", "last_read_id"
            )
        )
        if user_id is not None
        else {}
    )
    return visible[0].room, [
        ThreadSummary(thread=t, unread=t.last_message_id > marks.get(t.pk, 0)) for t in visible
    ]


def thread_for(actor: Actor, thread_id: int) -> Thread:
    """The thread if the actor is party to it (one query); 404 otherwise."""
    thread = (
        Thread.objects.select_related("room", "application__service").filter(pk=thread_id).first()
    )
    if thread is None:
        raise Http404("no such thread")
    authorise(
        actor,
        policy.may_use_thread(actor, thread),
        object_type="discussion_thread",
        object_id=thread.pk,
        purpose="discussion:thread",
        subject_business_id=thread.room.business_id,
        known=False,
    )
    return thread


@dataclass(frozen=True)
class ThreadView:
    thread: Thread
    messages: list[ShownMessage]
    last_read_id: int


def thread_messages(actor: Actor, *, thread: Thread, user_id: int | None) -> ThreadView:
    """The thread's latest messages from its backend, and how far the person had read."""
    policy.require_thread(actor, thread)
    mark = (
        ReadMark.objects.filter(user_id=user_id, thread=thread)
        .values_list("last_read_id", flat=True)
        .first()
        if user_id is not None
        else None
    )
    messages = get_backend().messages(thread, limit=MESSAGES_SHOWN)
    return ThreadView(thread=thread, messages=messages, last_read_id=mark or 0)


ROOMS_SHOWN = 100


def rooms_for(actor: Actor) -> list[DiscussionRoom]:
    """The project rooms the actor is party to, latest message first (one query, three for an
    official: their role and its services are read once). A customer sees their company's
    rooms; an official the rooms of projects with an application they handle."""
    business_ids = companies_for(actor)
    if business_ids:
        rooms = DiscussionRoom.objects.filter(business_id__in=business_ids)
    else:
        # The rooms of projects with an application the official handles (the inbox's scope).
        handled = authority_q(
            actor, "project__applications__authority__code", "project__applications__service__code"
        )
        if handled == NOTHING:
            return []
        rooms = DiscussionRoom.objects.filter(handled)
    return list(
        rooms.select_related("project")
        .annotate(latest=Max("threads__last_message_at"))
        .order_by(F("latest").desc(nulls_last=True), "-created_at", "-id")
        .distinct()[:ROOMS_SHOWN]
    )
