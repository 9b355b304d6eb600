"""Consuming status events that authority systems send back over AMQP.

Events arrive on the durable queue ``<prefix>.status-events`` (see ``transports.topology``).
They are taken in batches and handed to a handler that answers, for each, ACK (done, or a
duplicate), REJECT (malformed, unsigned, refused: dead-lettered to
``<prefix>.status-events.dead`` for an administrator) or REQUEUE (a temporary failure on
our side, e.g. the database is away). A message is acknowledged only after the handler's
transaction committed, so a crash redelivers it, and the handler's idempotency on the event
id makes that harmless.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pika
import structlog
from pika.exceptions import AMQPError

from luvat.integrations.transports.amqp import connection_parameters, declare_status_topology
from luvat.integrations.transports.topology import topology

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
BatchHandler = Callable[[Sequence[IncomingMessage]], list[Verdict]]


def one_at_a_time(handler: StatusHandler) -> BatchHandler:
    """A batch handler calling ``handler`` for each message; after a REQUEUE the rest of the
    batch is requeued untouched."""

    def handle(messages: Sequence[IncomingMessage]) -> list[Verdict]:
        verdicts: list[Verdict] = []
        for message in messages:
            verdicts.append(handler(message))
            if verdicts[-1] is Verdict.REQUEUE:
                break
        return verdicts + [Verdict.REQUEUE] * (len(messages) - len(verdicts))

    return handle


def _headers(properties: Any) -> dict[str, str]:
    raw = getattr(properties, "headers", None) or {}
    out: dict[str, str] = {}
    for key, value in raw.items():
        out[str(key)] = value.decode() if isinstance(value, bytes) else str(value)
    return out


class StatusConsumer:
    """Drains the status queue in bounded batches; keeps its connection between batches."""

    def __init__(
        self,
        url: str,
        handler: BatchHandler,
        *,
        queue: str = "",
        batch_size: int = 100,
    ) -> None:
        self.url = url
        self.handler = handler
        self.queue = queue or topology().status_queue
        self.batch_size = batch_size
        self._connection: pika.BlockingConnection | None = None
        self._channel: Any = None

    def _open(self) -> Any:
        if self._channel is not None and self._channel.is_open:
            return self._channel
        self.close()
        self._connection = pika.BlockingConnection(connection_parameters(self.url))
        channel = declare_status_topology(self._connection, self._connection.channel())
        channel.basic_qos(prefetch_count=self.batch_size)
        self._channel = channel
        return channel

    def _take(self, channel: Any, count: int) -> list[tuple[int, IncomingMessage]]:
        taken: list[tuple[int, IncomingMessage]] = []
        while len(taken) < count:
            method, properties, body = channel.basic_get(queue=self.queue, auto_ack=False)
            if method is None:
                break
            message = IncomingMessage(
                body=body,
                message_id=str(getattr(properties, "message_id", "") or ""),
                headers=_headers(properties),
                redelivered=bool(method.redelivered),
            )
            taken.append((method.delivery_tag, message))
        return taken

    def drain(self, *, max_messages: int = 500) -> int:
        """Handle up to ``max_messages`` waiting events, a batch at a time; return how many
        were acknowledged or rejected."""
        handled = 0
        try:
            channel = self._open()
            while handled < max_messages:
                batch = self._take(channel, min(self.batch_size, max_messages - handled))
                if not batch:
                    break
                verdicts = self.handler([message for _tag, message in batch])
                for (tag, _message), verdict in zip(batch, verdicts, strict=True):
                    if verdict is Verdict.ACK:
                        channel.basic_ack(delivery_tag=tag)
                    elif verdict is Verdict.REJECT:
                        channel.basic_nack(delivery_tag=tag, requeue=False)
                    else:
                        channel.basic_nack(delivery_tag=tag, requeue=True)
                handled += sum(1 for verdict in verdicts if verdict is not Verdict.REQUEUE)
                if Verdict.REQUEUE in verdicts or len(batch) < self.batch_size:
                    break
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
