"""AMQP transport (RabbitMQ) with publisher confirms.

Topology: a durable direct exchange (``luvat.applications`` by default) and one
durable queue per authority (``luvat.<authority code>``) bound with the authority
code as routing key. Messages are persistent, carry ``message_id`` (stable across
redeliveries) and ``correlation_id`` (the application), are published ``mandatory``
and count as delivered only when the broker confirms them: an unroutable or nacked
message, or a dropped connection, is retried.

pika connections are not thread-safe: one transport object per thread.
"""

from __future__ import annotations

import time
from typing import Any

import pika
import structlog
from pika.exceptions import AMQPError, NackError, UnroutableError

from luvat.integrations.policy import DeliveryResult, Outcome
from luvat.integrations.signing import SIGNATURE_HEADER, sign
from luvat.integrations.transports.base import EndpointConfig, Envelope

log = structlog.get_logger(__name__)

STATUS_EXCHANGE = "luvat.status"
STATUS_QUEUE = "luvat.status-events"
DEAD_EXCHANGE = "luvat.dead"
DEAD_STATUS_QUEUE = "luvat.status-events.dead"


def connection_parameters(url: str, *, timeout: float = 10.0) -> pika.URLParameters:
    params = pika.URLParameters(url)
    params.socket_timeout = timeout
    params.blocked_connection_timeout = timeout
    params.connection_attempts = 1
    params.heartbeat = 60
    return params


def declare_status_topology(channel: Any) -> None:
    """The exchange and durable queue that carry status events back, with a dead-letter queue."""
    channel.exchange_declare(exchange=DEAD_EXCHANGE, exchange_type="direct", durable=True)
    channel.queue_declare(queue=DEAD_STATUS_QUEUE, durable=True)
    channel.queue_bind(queue=DEAD_STATUS_QUEUE, exchange=DEAD_EXCHANGE, routing_key=STATUS_QUEUE)
    channel.exchange_declare(exchange=STATUS_EXCHANGE, exchange_type="direct", durable=True)
    channel.queue_declare(
        queue=STATUS_QUEUE,
        durable=True,
        arguments={
            "x-dead-letter-exchange": DEAD_EXCHANGE,
            "x-dead-letter-routing-key": STATUS_QUEUE,
        },
    )
    channel.queue_bind(queue=STATUS_QUEUE, exchange=STATUS_EXCHANGE, routing_key="status")


def declare_authority_topology(
    channel: Any, *, exchange: str, queue: str, routing_key: str
) -> None:
    channel.exchange_declare(exchange=exchange, exchange_type="direct", durable=True)
    channel.queue_declare(queue=queue, durable=True)
    channel.queue_bind(queue=queue, exchange=exchange, routing_key=routing_key)


def message_properties(endpoint: EndpointConfig, envelope: Envelope) -> pika.BasicProperties:
    headers: dict[str, str] = {"authority": envelope.authority_code}
    if endpoint.signing_secret:
        headers[SIGNATURE_HEADER] = sign(endpoint.signing_secret, envelope.body, int(time.time()))
    return pika.BasicProperties(
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=pika.DeliveryMode.Persistent,
        message_id=envelope.message_id,
        correlation_id=envelope.correlation_id or envelope.application_ref,
        type=envelope.kind,
        timestamp=int(time.time()),
        app_id="luvat",
        headers=headers,
    )


class AmqpTransport:
    """One connection and one confirming channel, opened lazily and reopened after a failure."""

    def __init__(self) -> None:
        self._connection: pika.BlockingConnection | None = None
        self._channel: Any = None
        self._url = ""
        self._declared: set[tuple[str, str, str]] = set()

    def _open(self, url: str) -> Any:
        if self._channel is not None and self._channel.is_open and self._url == url:
            return self._channel
        self.close()
        self._connection = pika.BlockingConnection(connection_parameters(url))
        channel = self._connection.channel()
        channel.confirm_delivery()
        self._channel = channel
        self._url = url
        return channel

    def send(self, endpoint: EndpointConfig, envelope: Envelope) -> DeliveryResult:
        if not endpoint.amqp_url:
            return DeliveryResult(Outcome.RETRY, reason="LUVAT_AMQP_URL is not set")
        started = time.perf_counter()
        try:
            channel = self._open(endpoint.amqp_url)
            topology = (endpoint.amqp_exchange, endpoint.queue_name, endpoint.authority_code)
            if topology not in self._declared:
                declare_authority_topology(
                    channel,
                    exchange=endpoint.amqp_exchange,
                    queue=endpoint.queue_name,
                    routing_key=endpoint.authority_code,
                )
                self._declared.add(topology)
            channel.basic_publish(
                exchange=endpoint.amqp_exchange,
                routing_key=endpoint.authority_code,
                body=envelope.body,
                properties=message_properties(endpoint, envelope),
                mandatory=True,
            )
        except UnroutableError:
            return self._failed(started, "the broker could not route the message to a queue")
        except NackError:
            return self._failed(started, "the broker refused the message (nack)")
        except (AMQPError, OSError) as exc:
            self.close()
            return self._failed(started, f"AMQP failure: {type(exc).__name__} {exc}")
        return DeliveryResult(Outcome.ACCEPTED, duration_ms=(time.perf_counter() - started) * 1e3)

    def _failed(self, started: float, reason: str) -> DeliveryResult:
        return DeliveryResult(
            Outcome.RETRY, reason=reason[:500], duration_ms=(time.perf_counter() - started) * 1e3
        )

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        self._declared.clear()
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except (AMQPError, OSError):
                log.debug("amqp.close_failed", exc_info=True)
