"""Consuming status events that authority systems send back over AMQP.

Events arrive on the durable queue ``luvat.status-events``. Each is handed to a
handler that answers ACK (done, or a duplicate), REJECT (malformed, unsigned,
refused: dead-lettered to ``luvat.status-events.dead`` for an administrator) or
REQUEUE (a temporary failure on our side, e.g. the database is away). A message
is acknowledged only after the handler's transaction committed, so a crash
redelivers it, and the handler's idempotency on the event id makes that harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pika
import structlog
from pika.exceptions import AMQPError

from luvat.integrations.transports.amqp import (
    STATUS_QUEUE,
    connection_parameters,
    declare_status_topology,
)

log = structlog.get_logger(__name__)


class Verdict(StrEnum):
    ACK = "ack"
    REJECT = "reject"
    REQUEUE = "requeue"


@dataclass(frozen=True)
class IncomingMessage:
    body: bytes
    message_id: str
    headers: dict[str, str] = field(default_factory=dict)
    redelivered: bool = False


StatusHandler = Callable[[IncomingMessage], Verdict]


def _headers(properties: Any) -> dict[str, str]:
    raw = getattr(properties, "headers", None) or {}
    out: dict[str, str] = {}
    for key, value in raw.items():
        out[str(key)] = value.decode() if isinstance(value, bytes) else str(value)
    return out


class StatusConsumer:
    """Drains the status queue in bounded batches; keeps its connection between batches."""

    def __init__(self, url: str, handler: StatusHandler, *, queue: str = STATUS_QUEUE) -> None:
        self.url = url
        self.handler = handler
        self.queue = queue
        self._connection: pika.BlockingConnection | None = None
        self._channel: Any = None

    def _open(self) -> Any:
        if self._channel is not None and self._channel.is_open:
            return self._channel
        self.close()
        self._connection = pika.BlockingConnection(connection_parameters(self.url))
        channel = self._connection.channel()
        declare_status_topology(channel)
        channel.basic_qos(prefetch_count=100)
        self._channel = channel
        return channel

    def drain(self, *, max_messages: int = 500) -> int:
        """Handle up to ``max_messages`` waiting events; return how many were handled."""
        handled = 0
        try:
            channel = self._open()
            while handled < max_messages:
                method, properties, body = channel.basic_get(queue=self.queue, auto_ack=False)
                if method is None:
                    break
                message = IncomingMessage(
                    body=body,
                    message_id=str(getattr(properties, "message_id", "") or ""),
                    headers=_headers(properties),
                    redelivered=bool(method.redelivered),
                )
                verdict = self.handler(message)
                if verdict is Verdict.ACK:
                    channel.basic_ack(delivery_tag=method.delivery_tag)
                elif verdict is Verdict.REJECT:
                    channel.basic_nack(delivery_tag=method.delivery_tag, requeue=False)
                else:
                    channel.basic_nack(delivery_tag=method.delivery_tag, requeue=True)
                    break
                handled += 1
        except (AMQPError, OSError):
            log.warning("amqp.status_consumer_failed", exc_info=True)
            self.close()
        return handled

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except (AMQPError, OSError):
                log.debug("amqp.close_failed", exc_info=True)
