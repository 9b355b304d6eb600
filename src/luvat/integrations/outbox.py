"""The transactional outbox: changes that an authority's system must hear about.

:func:`outbox_enqueue` only writes a row, inside the caller's transaction, so a message exists
exactly when the change it describes was committed. Only services joined by API have an
authority system to tell: light e-services are handled in Luvat's back office and redirect
services in the authority's own e-service, so nothing is queued for them. Delivering the rows
is :mod:`luvat.integrations.delivery`'s work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from luvat.catalogue.joining import meaning
from luvat.integrations.models import OutboxKind, OutboxMessage
from luvat.integrations.wakeup import OUTBOX, wake

if TYPE_CHECKING:
    from luvat.projects.models import Application


@transaction.atomic
def outbox_enqueue(
    *, kind: OutboxKind | str, application: Application, payload: dict[str, Any]
) -> OutboxMessage | None:
    """Queue a message about ``application`` for its authority's system, in the caller's
    transaction; ``None`` when the service is not joined by API (no system to tell)."""
    kind = OutboxKind(kind)
    if not meaning(application.route).tells_authority_system:
        return None
    authority = application.authority
    wake(OUTBOX)  # the workers hear of it when the caller's transaction commits
    return OutboxMessage.objects.create(
        kind=kind,
        authority_code=authority.code if authority is not None else "",
        application=application,
        application_reference=application.reference,
        payload=payload,
    )
