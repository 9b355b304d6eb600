"""The AMQP front end of the authority simulator: its queue in, status events out."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pika
import structlog
from pika.exceptions import AMQPError

from luvat.integrations.signing import SIGNATURE_HEADER, sign
from luvat.integrations.simulator import AuthoritySimulator, EventSender
from luvat.integrations.transports.amqp import (
    connection_parameters,
    declare_authority_topology,
    declare_status_topology,
)
from luvat.integrations.transports.base import MESSAGE_ID_HEADER
from luvat.integrations.transports.topology import topology

log = structlog.get_logger(__name__)


class AmqpEventSender(EventSender):
    """Publishes status events to ``<prefix>.status`` (persistent, confirmed) instead of HTTP."""

    def __init__(self, simulator: AuthoritySimulator, url: str) -> None:
        super().__init__(simulator.config, simulator.ledger)
        self.url = url
        self._channel: Any = None
        self._connection: pika.BlockingConnection | None = None

    def post(self, application_id: str, event: dict[str, Any], url: str = "") -> bool:
        body = json.dumps({**event, "application_id": application_id}).encode()
        headers = {"authority": self.config.authority_code}
        if self.config.secret:
            headers[SIGNATURE_HEADER] = sign(self.config.secret, body, int(time.time()))
        try:
            if self._channel is None or not self._channel.is_open:
                self._connection = pika.BlockingConnection(connection_parameters(self.url))
                channel = declare_status_topology(self._connection, self._connection.channel())
                channel.confirm_delivery()
                self._channel = channel
            self._channel.basic_publish(
                exchange=topology().status_exchange,
                routing_key="status",
                body=body,
                properties=pika.BasicProperties(
                    content_type="application/json",
                    delivery_mode=pika.DeliveryMode.Persistent,
                    message_id=str(event["event_id"]),
                    correlation_id=application_id,
                    headers=headers,
                ),
                mandatory=True,
            )
        except (AMQPError, OSError) as exc:
            log.warning("simulator.amqp_event_failed", error=str(exc))
            self._channel = None
            with self.ledger.lock:
                self.ledger.event_failures += 1
            return False
        with self.ledger.lock:
            self.ledger.events_sent += 1
        return True


class AmqpReceiver(threading.Thread):
    """Consumes the authority's durable queue and hands each message to the simulator."""

    def __init__(
        self,
        simulator: AuthoritySimulator,
        url: str,
        *,
        exchange: str = "",
        queue: str = "",
    ) -> None:
        super().__init__(name="simulator-amqp", daemon=True)
        self.simulator = simulator
        self.url = url
        names = topology()
        self.exchange = exchange or names.applications_exchange
        self.queue = queue or names.authority_queue(simulator.config.authority_code)
        self.stopping = threading.Event()
        self.ready = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._consume()
            except (AMQPError, OSError) as exc:
                log.warning("simulator.amqp_reconnect", error=str(exc))
                self.stopping.wait(1.0)

    def _consume(self) -> None:
        connection = pika.BlockingConnection(connection_parameters(self.url))
        try:
            channel = declare_authority_topology(
                connection,
                connection.channel(),
                exchange=self.exchange,
                queue=self.queue,
                routing_key=self.simulator.config.authority_code,
            )
            channel.basic_qos(prefetch_count=50)
            self.ready.set()
            for method, properties, body in channel.consume(self.queue, inactivity_timeout=0.5):
                if self.stopping.is_set():
                    break
                if method is None:
                    continue
                headers = {
                    str(k): (v.decode() if isinstance(v, bytes) else str(v))
                    for k, v in (properties.headers or {}).items()
                }
                headers[MESSAGE_ID_HEADER] = properties.message_id or ""
                status, _answer = self.simulator.receive(body, headers)
                if status < 300 or status in (400, 401):
                    # Accepted, duplicate or hopeless: a real system would park the bad ones.
                    channel.basic_ack(delivery_tag=method.delivery_tag)
                else:
                    channel.basic_nack(delivery_tag=method.delivery_tag, requeue=True)
            channel.cancel()
        finally:
            if connection.is_open:
                connection.close()

    def stop(self) -> None:
        self.stopping.set()
