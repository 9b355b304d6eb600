"""Refusals reach the access log even when the work they interrupted is rolled back.

A refusal is often raised inside a service's transaction (the row is locked, then the check
fails); an access-log row written there would vanish with the rollback. Inside a request (or
any block wrapped in :func:`refusals_kept`) a refusal is therefore held in memory and written
when the block ends, after every transaction of the request has committed or rolled back. A
second database connection is not used: on SQLite it would wait on the request's own write
lock, and in tests it would escape the test's transaction.

Outside such a block (a command, a test calling a service directly) it is written at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import structlog
from django.db import connection

from luvat.audit.actors import Actor
from luvat.audit.context import current_request_context
from luvat.audit.models import AccessEvent

log = structlog.get_logger(__name__)
_held: ContextVar[list[AccessEvent] | None] = ContextVar("luvat_refusals", default=None)


def refusal_record(
    *,
    actor: Actor,
    object_type: str,
    object_id: object = "",
    purpose: str,
    subject_business_id: str = "",
) -> AccessEvent:
    """Append a refused access to the access log, surviving a rollback of the caller's work."""
    context = current_request_context()
    event = AccessEvent(
        actor_kind=str(actor.kind),
        actor_ref=actor.ref,
        actor_label=actor.label,
        actor_organisation=actor.on_behalf_of,
        subject_business_id=subject_business_id,
        object_type=object_type,
        object_id=str(object_id)[:64],
        purpose=purpose[:200],
        outcome="denied",
        x_road_client=context.x_road_client,
        request_id=context.request_id,
        ip_address=context.ip or None,
    )
    held = _held.get()
    if held is None:
        event.save(force_insert=True)
    else:
        held.append(event)
    return event


def _write(events: list[AccessEvent]) -> None:
    if not events:
        return
    if connection.needs_rollback:  # an atomic block still open and broken: cannot write here
        log.error("access_log.refusals_lost", count=len(events))
        return
    AccessEvent.objects.bulk_create(events)


@contextmanager
def refusals_kept() -> Iterator[list[AccessEvent]]:
    """Hold the refusals recorded inside the block and write them when it ends (whatever
    happened to the block's transactions). Nested blocks write with the outermost one. The
    block is given the list of held refusals (the outermost block's)."""
    outer = _held.get()
    if outer is not None:
        yield outer
        return
    held: list[AccessEvent] = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)
        _write(held)


def refusals_flush() -> None:
    """Write the held refusals now (a long-running block between units of work)."""
    held = _held.get()
    if held:
        events = list(held)
        held.clear()
        _write(events)
