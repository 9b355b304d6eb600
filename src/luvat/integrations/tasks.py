"""Background jobs of the integrations app, registered with the worker in ``apps.py``."""

from __future__ import annotations

import json
import time
import uuid

import structlog
from django.conf import settings
from django.db import DatabaseError
from pydantic import ValidationError

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.services import audit_record
from luvat.integrations.consumer import IncomingMessage, StatusConsumer, Verdict
from luvat.integrations.delivery import deliver_outbox
from luvat.integrations.inbound import (
    EventIdReused,
    StatusConflict,
    StatusEventIn,
    status_event_receive,
)
from luvat.integrations.selectors import application_for_authority_system, authority_secrets
from luvat.integrations.signing import SIGNATURE_HEADER, SignatureError, verify

log = structlog.get_logger(__name__)
_consumer: StatusConsumer | None = None


def _refused(authority_code: str, reason: str, message: IncomingMessage) -> Verdict:
    log.warning("amqp.status_event_refused", authority=authority_code, reason=reason)
    audit_record(
        actor=Actor(
            kind=ActorKind.AUTHORITY_SYSTEM,
            ref=f"amqp:{authority_code}",
            on_behalf_of=authority_code,
        ),
        action="status_event.refused",
        target=("amqp.message", message.message_id),
        details={"reason": reason, "transport": "amqp"},
    )
    return Verdict.REJECT


def handle_status_message(message: IncomingMessage) -> Verdict:
    """One status event from the AMQP status queue: verify, apply, and say what to do with it."""
    authority_code = message.headers.get("authority", "")
    secrets = authority_secrets(authority_code) if authority_code else []
    if not secrets:
        return _refused(authority_code, "unknown-authority-or-no-secret", message)
    try:
        verify(secrets, message.body, message.headers.get(SIGNATURE_HEADER), now=time.time())
    except SignatureError as exc:
        return _refused(authority_code, f"bad-signature: {exc}", message)
    try:
        event = StatusEventIn.model_validate(json.loads(message.body))
        application_id = uuid.UUID(event.application_id or "")
    except (ValueError, ValidationError) as exc:
        return _refused(authority_code, f"malformed: {str(exc)[:300]}", message)
    application = application_for_authority_system(application_id)
    if application is None:
        return _refused(authority_code, "unknown-application", message)
    if application.authority is None or application.authority.code != authority_code:
        return _refused(authority_code, "other-authority", message)
    actor = Actor(
        kind=ActorKind.AUTHORITY_SYSTEM,
        ref=f"amqp:{authority_code}",
        label=f"{authority_code} (AMQP)",
        on_behalf_of=authority_code,
    )
    try:
        status_event_receive(application=application, event=event, actor=actor, transport="amqp")
    except (StatusConflict, EventIdReused) as exc:
        return _refused(authority_code, f"conflict: {exc}", message)
    except DatabaseError:
        log.exception("amqp.status_event_database_error")
        return Verdict.REQUEUE
    return Verdict.ACK


def consume_status_events() -> int:
    """The worker job: drain the AMQP status queue (when AMQP is configured)."""
    global _consumer
    if not settings.LUVAT_AMQP_URL:
        return 0
    if _consumer is None:
        _consumer = StatusConsumer(settings.LUVAT_AMQP_URL, handle_status_message)
    return _consumer.drain(max_messages=500)


def deliver_outbox_job() -> int:
    return deliver_outbox(time_budget_seconds=10.0)
