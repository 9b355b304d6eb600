"""The transactional outbox: changes that an authority's system must hear about.

:func:`outbox_enqueue` only writes a row, inside the caller's transaction, so a message exists
exactly when the change it describes was committed. Delivering the rows (HTTP / AMQP
transports, the worker job, retries with back-off, dead letters, idempotent receivers keyed by
``message_id``) is the integrations issue's work, not this module's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from luvat.integrations.models import OutboxKind, OutboxMessage

if TYPE_CHECKING:
    from luvat.projects.models import Application


@transaction.atomic
def outbox_enqueue(
    *, kind: OutboxKind | str, application: Application, payload: dict[str, Any]
) -> OutboxMessage:
    """Queue a message about ``application`` for its authority, in the caller's transaction."""
    authority = application.authority
    return OutboxMessage.objects.create(
        kind=OutboxKind(kind),
        authority_code=authority.code if authority is not None else "",
        application=application,
        application_reference=application.reference,
        payload=payload,
    )
