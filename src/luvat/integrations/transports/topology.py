"""The names and kinds of everything Luvat declares on the broker.

Every exchange and queue name starts with ``LUVAT_AMQP_PREFIX`` (``luvat`` by default), so
several environments can share one broker and virtual host without seeing each other's
messages: ``<prefix>.applications`` (direct exchange to authority systems, routing key =
authority code), ``<prefix>.<authority code>`` (an authority's queue), ``<prefix>.status`` →
``<prefix>.status-events`` (status events back) and ``<prefix>.dead`` →
``<prefix>.status-events.dead`` (refused events).

Queues are declared as ``LUVAT_AMQP_QUEUE_TYPE`` (``quorum`` by default: replicated, the
broker's recommended durable queue since RabbitMQ 3.8). A queue that already exists as the
other type (a classic queue of an installation from before, or a single-node broker set up
by hand) is taken as it is, with a warning, rather than refused: the broker does not convert a
queue in place, and moving one is an operator's step (docs/operations.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from pika.exceptions import ChannelClosedByBroker

log = structlog.get_logger(__name__)

DEFAULT_PREFIX = "luvat"
QUORUM = "quorum"
CLASSIC = "classic"
PRECONDITION_FAILED = 406


@dataclass(frozen=True)
class Topology:
    prefix: str = DEFAULT_PREFIX
    queue_type: str = QUORUM

    @property
    def applications_exchange(self) -> str:
        return f"{self.prefix}.applications"

    def authority_queue(self, authority_code: str) -> str:
        return f"{self.prefix}.{authority_code}"

    @property
    def status_exchange(self) -> str:
        return f"{self.prefix}.status"

    @property
    def status_queue(self) -> str:
        return f"{self.prefix}.status-events"

    @property
    def dead_exchange(self) -> str:
        return f"{self.prefix}.dead"

    @property
    def dead_status_queue(self) -> str:
        return f"{self.prefix}.status-events.dead"


def topology() -> Topology:
    """The topology the settings ask for."""
    from django.conf import settings

    return Topology(
        prefix=getattr(settings, "LUVAT_AMQP_PREFIX", DEFAULT_PREFIX) or DEFAULT_PREFIX,
        queue_type=getattr(settings, "LUVAT_AMQP_QUEUE_TYPE", QUORUM) or QUORUM,
    )


def queue_arguments(queue_type: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    arguments: dict[str, Any] = dict(extra or {})
    if queue_type == QUORUM:
        arguments["x-queue-type"] = QUORUM
    return arguments


def _type_mismatch(exc: ChannelClosedByBroker) -> bool:
    return exc.reply_code == PRECONDITION_FAILED and "x-queue-type" in str(exc.reply_text)


def declare_queue(
    connection: Any,
    channel: Any,
    queue: str,
    *,
    queue_type: str,
    arguments: dict[str, Any] | None = None,
) -> Any:
    """Declare a durable ``queue`` of ``queue_type`` on a blocking ``channel``; return the
    channel to go on with (a new one when the broker closed the first over an existing queue
    of the other type, which is then used as it is)."""
    try:
        channel.queue_declare(
            queue=queue, durable=True, arguments=queue_arguments(queue_type, arguments)
        )
        return channel
    except ChannelClosedByBroker as exc:
        if not _type_mismatch(exc):
            raise
    other = CLASSIC if queue_type == QUORUM else QUORUM
    log.warning("amqp.queue_type_kept", queue=queue, wanted=queue_type, existing=other)
    channel = connection.channel()
    channel.queue_declare(queue=queue, durable=True, arguments=queue_arguments(other, arguments))
    return channel
