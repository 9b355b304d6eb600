"""Background jobs of the integrations app, registered with the worker in ``apps.py``."""

from __future__ import annotations

import json
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence

import structlog
from django.conf import settings
from django.db import DatabaseError
from pydantic import ValidationError

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.services import audit_record
from luvat.integrations.consumer import IncomingMessage, StatusConsumer, Verdict
from luvat.integrations.delivery import deliver_outbox
from luvat.integrations.inbound import EventRefusal, StatusEventIn, status_events_receive
from luvat.integrations.selectors import applications_for_authority_system, authority_secrets
from luvat.integrations.signing import SIGNATURE_HEADER, SignatureError, verify
from luvat.projects.models import Application

log = structlog.get_logger(__name__)
_consumer: StatusConsumer | None = None


def _refused(authority_code: str, reason: str, message: IncomingMessage) -> Verdict:
    log.warning("amqp.status_event_refused", authority=authority_code, reason=reason)
    audit_record(
        actor=_amqp_actor(authority_code),
        action="status_event.refused",
        target=("amqp.message", message.message_id),
        details={"reason": reason, "transport": "amqp"},
    )
    return Verdict.REJECT


def _amqp_actor(authority_code: str) -> Actor:
    return Actor(
        kind=ActorKind.AUTHORITY_SYSTEM,
        ref=f"amqp:{authority_code}",
        label=f"{authority_code} (AMQP)",
        on_behalf_of=authority_code,
    )


def _checked(message: IncomingMessage) -> Verdict | tuple[str, StatusEventIn, uuid.UUID]:
    """A REJECT for a message that is not a signed, well-formed event; else its parts."""
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
    return authority_code, event, application_id


def handle_status_messages(messages: Sequence[IncomingMessage]) -> list[Verdict]:
    """Status events from the AMQP status queue: verify each, apply the good ones of each
    authority as one batch (as the HTTP batch endpoint does), and say what to do with each."""
    verdicts: list[Verdict | None] = [None] * len(messages)
    checked: list[tuple[int, str, StatusEventIn, uuid.UUID]] = []
    try:
        for index, message in enumerate(messages):
            result = _checked(message)
            if isinstance(result, Verdict):
                verdicts[index] = result
            else:
                checked.append((index, *result))
        found = applications_for_authority_system({item[3] for item in checked})
        by_authority: dict[str, list[tuple[int, Application, StatusEventIn]]] = defaultdict(list)
        for index, authority_code, event, application_id in checked:
            application = found.get(application_id)
            if application is None:
                verdicts[index] = _refused(authority_code, "unknown-application", messages[index])
            elif application.authority is None or application.authority.code != authority_code:
                verdicts[index] = _refused(authority_code, "other-authority", messages[index])
            else:
                by_authority[authority_code].append((index, application, event))
        for authority_code, items in by_authority.items():
            answers = status_events_receive(
                events=[(application, event) for _index, application, event in items],
                actor=_amqp_actor(authority_code),
                transport="amqp",
            )
            for (index, _application, _event), answer in zip(items, answers, strict=True):
                if isinstance(answer, EventRefusal):
                    reason = f"{answer.slug}: {answer.detail}"
                    verdicts[index] = _refused(authority_code, reason, messages[index])
                else:
                    verdicts[index] = Verdict.ACK
    except DatabaseError:
        # Whatever is not settled yet comes back later (applied ones are then duplicates).
        log.exception("amqp.status_event_database_error")
    return [Verdict.REQUEUE if verdict is None else verdict for verdict in verdicts]


def consume_status_events() -> int:
    """The worker job: drain the AMQP status queue (when AMQP is configured)."""
    global _consumer
    if not settings.LUVAT_AMQP_URL:
        return 0
    if _consumer is None:
        _consumer = StatusConsumer(settings.LUVAT_AMQP_URL, handle_status_messages)
    return _consumer.drain(max_messages=500)


def deliver_outbox_job() -> int:
    return deliver_outbox(time_budget_seconds=10.0)
