"""Administrators' actions on the outbox: redelivery of dead (or delivered) messages."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.integrations.models import OutboxMessage, OutboxStatus


@transaction.atomic
def outbox_redeliver(*, message: OutboxMessage, actor: Actor) -> OutboxMessage:
    """Queue a message again with the same message id (receivers de-duplicate on it)."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    previous = message.status
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.last_error = ""
    message.delivered_at = None
    message.save(
        update_fields=["status", "attempts", "next_attempt_at", "last_error", "delivered_at"]
    )
    audit_record(
        actor=actor,
        action="outbox.redeliver",
        target=message,
        details={"message_id": str(message.message_id), "previous_status": previous},
    )
    return message
