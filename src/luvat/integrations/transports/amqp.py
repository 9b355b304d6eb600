"""AMQP transport (RabbitMQ) with publisher confirms.

Topology (names and queue type in :mod:`.topology`): a durable direct exchange
(``<prefix>.applications`` by default) and one durable queue per authority
(``<prefix>.<authority code>``, quorum by default) bound with the authority code as
routing key, declared once per process. Messages are persistent, carry ``message_id`` (stable across
redeliveries) and ``correlation_id`` (the application), are published ``mandatory``
and count as delivered only when the broker confirms them: an unroutable or nacked
message, or a dropped connection, is retried.

A batch goes out as a whole: every message is published at once on one channel in
confirm mode and the broker's acks and nacks (``multiple`` covering all tags up to
one) are collected as they come, so a batch costs about one round trip and one disk
write on the broker instead of one of each per message. The transport drives pika's
asynchronous ``SelectConnection`` from the calling thread: its I/O loop runs only
while a call waits for the broker, and the connection rests in between.

pika connections are not thread-safe: one transport object per thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pika
import structlog
from pika.adapters.select_connection import IOLoop
from pika.exceptions import AMQPError, ChannelWrongStateError

from luvat.integrations.policy import DeliveryResult, Outcome
from luvat.integrations.signing import SIGNATURE_HEADER, Signer, sign
from luvat.integrations.transports.amqp_wire import HeaderFrames, publish_marshalled
from luvat.integrations.transports.base import EndpointConfig, Envelope
from luvat.integrations.transports.topology import Topology, declare_queue, topology

log = structlog.get_logger(__name__)

# The names under the default prefix; the running service asks ``topology()``.
STATUS_EXCHANGE = Topology().status_exchange
STATUS_QUEUE = Topology().status_queue
DEAD_EXCHANGE = Topology().dead_exchange
DEAD_STATUS_QUEUE = Topology().dead_status_queue

UNROUTABLE = "the broker could not route the message to a queue"
NACKED = "the broker refused the message (nack)"
# Between calls nobody answers the broker's heartbeats: reopen a connection that has
# rested longer than half the heartbeat rather than publish on one it may have dropped.
IDLE_REOPEN_SECONDS = 30.0
CLOSE_TIMEOUT_SECONDS = 2.0


def connection_parameters(url: str, *, timeout: float = 10.0) -> pika.URLParameters:
    params = pika.URLParameters(url)
    params.socket_timeout = timeout
    params.blocked_connection_timeout = timeout
    params.connection_attempts = 1
    params.heartbeat = 60
    return params


def declare_status_topology(connection: Any, channel: Any, names: Topology | None = None) -> Any:
    """The exchange and durable queue that carry status events back, with a dead-letter
    queue; returns the channel to go on with (see :func:`declare_queue`)."""
    names = names or topology()
    channel.exchange_declare(exchange=names.dead_exchange, exchange_type="direct", durable=True)
    channel = declare_queue(
        connection, channel, names.dead_status_queue, queue_type=names.queue_type
    )
    channel.queue_bind(
        queue=names.dead_status_queue,
        exchange=names.dead_exchange,
        routing_key=names.status_queue,
    )
    channel.exchange_declare(exchange=names.status_exchange, exchange_type="direct", durable=True)
    channel = declare_queue(
        connection,
        channel,
        names.status_queue,
        queue_type=names.queue_type,
        arguments={
            "x-dead-letter-exchange": names.dead_exchange,
            "x-dead-letter-routing-key": names.status_queue,
        },
    )
    channel.queue_bind(
        queue=names.status_queue, exchange=names.status_exchange, routing_key="status"
    )
    return channel


def declare_authority_topology(
    connection: Any,
    channel: Any,
    *,
    exchange: str,
    queue: str,
    routing_key: str,
    queue_type: str | None = None,
) -> Any:
    """An authority's exchange, durable queue and binding; returns the channel to go on with."""
    channel.exchange_declare(exchange=exchange, exchange_type="direct", durable=True)
    channel = declare_queue(
        connection, channel, queue, queue_type=queue_type or topology().queue_type
    )
    channel.queue_bind(queue=queue, exchange=exchange, routing_key=routing_key)
    return channel


_declared_lock = threading.Lock()
_declared: set[tuple[str, str, str, str]] = set()


def ensure_authority_topology(
    url: str, *, exchange: str, queue: str, routing_key: str, timeout: float
) -> None:
    """Declare an authority's topology once per process and broker, on a short connection of
    its own (a queue of the other type makes the broker close the channel; a blocking channel
    recovers from that simply). Forgotten again when a message comes back unroutable."""
    key = (url, exchange, queue, routing_key)
    with _declared_lock:
        if key in _declared:
            return
    connection = pika.BlockingConnection(connection_parameters(url, timeout=timeout))
    try:
        channel = connection.channel()
        declare_authority_topology(
            connection, channel, exchange=exchange, queue=queue, routing_key=routing_key
        )
    finally:
        if connection.is_open:
            connection.close()
    with _declared_lock:
        _declared.add(key)


def forget_authority_topology(url: str, exchange: str, queue: str, routing_key: str) -> None:
    with _declared_lock:
        _declared.discard((url, exchange, queue, routing_key))


CONTENT_TYPE = "application/json"
CONTENT_ENCODING = "utf-8"
APP_ID = "luvat"


def message_properties(
    endpoint: EndpointConfig, envelope: Envelope, timestamp: int | None = None
) -> pika.BasicProperties:
    """A message's properties as pika objects; :func:`header_frames` writes the same bytes."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    headers: dict[str, str] = {"authority": envelope.authority_code}
    if endpoint.signing_secret:
        headers[SIGNATURE_HEADER] = sign(endpoint.signing_secret, envelope.body, timestamp)
    return pika.BasicProperties(
        content_type=CONTENT_TYPE,
        content_encoding=CONTENT_ENCODING,
        delivery_mode=pika.DeliveryMode.Persistent,
        message_id=envelope.message_id,
        correlation_id=envelope.correlation_id or envelope.application_ref,
        type=envelope.kind,
        timestamp=timestamp,
        app_id=APP_ID,
        headers=headers,
    )


def header_frames(
    channel: int, endpoint: EndpointConfig, envelopes: Sequence[Envelope], timestamp: int
) -> list[bytes]:
    """Each envelope's content header frame: the bytes of :func:`message_properties`, with
    what the batch shares encoded once (the batch goes out in one write, at one timestamp)."""
    by_authority: dict[str, HeaderFrames] = {}  # one in practice: a batch is one endpoint's
    signer = Signer(endpoint.signing_secret) if endpoint.signing_secret else None
    result = []
    for envelope in envelopes:
        frames = by_authority.get(envelope.authority_code)
        if frames is None:
            frames = by_authority[envelope.authority_code] = HeaderFrames(
                channel=channel,
                content_type=CONTENT_TYPE,
                content_encoding=CONTENT_ENCODING,
                delivery_mode=pika.DeliveryMode.Persistent.value,
                app_id=APP_ID,
                timestamp=timestamp,
                first_header=("authority", envelope.authority_code),
            )
        more = (
            () if signer is None else ((SIGNATURE_HEADER, signer.sign(envelope.body, timestamp)),)
        )
        result.append(
            frames.frame(
                len(envelope.body),
                more_headers=more,
                correlation_id=envelope.correlation_id or envelope.application_ref,
                message_id=envelope.message_id,
                type=envelope.kind,
            )
        )
    return result


class _Batch:
    """The messages of one ``send_many`` call still waiting for the broker's word."""

    def __init__(self, count: int, started: float) -> None:
        self.started = started
        self.results: list[DeliveryResult | None] = [None] * count
        self.pending: dict[int, tuple[int, str]] = {}  # delivery tag → (index, message_id)
        self.returned: set[int] = set()

    def publishing(self, tag: int, index: int, message_id: str) -> None:
        self.pending[tag] = (index, message_id)

    def returned_message(self, message_id: str) -> bool:
        """A ``basic.return`` precedes the ack of that message: mark the oldest such tag."""
        for tag, (_index, pending_id) in self.pending.items():
            if pending_id == message_id and tag not in self.returned:
                self.returned.add(tag)
                return True
        return False

    def confirmed(self, tag: int, *, multiple: bool, nack: bool) -> None:
        if not self.pending:
            return
        if multiple:
            tags = []
            for pending_tag in self.pending:
                if pending_tag > tag:
                    break  # tags were added in ascending order
                tags.append(pending_tag)
        else:
            tags = [tag] if tag in self.pending else []
        duration_ms = (time.perf_counter() - self.started) * 1e3
        for settled in tags:
            index, _message_id = self.pending.pop(settled)
            if settled in self.returned:
                self.returned.discard(settled)
                result = DeliveryResult(Outcome.RETRY, reason=UNROUTABLE, duration_ms=duration_ms)
            elif nack:
                result = DeliveryResult(Outcome.RETRY, reason=NACKED, duration_ms=duration_ms)
            else:
                result = DeliveryResult(Outcome.ACCEPTED, duration_ms=duration_ms)
            self.results[index] = result

    def finish(self, reason: str) -> list[DeliveryResult]:
        """Every message without an answer is retried for ``reason``."""
        duration_ms = (time.perf_counter() - self.started) * 1e3
        unanswered = DeliveryResult(Outcome.RETRY, reason=reason[:500], duration_ms=duration_ms)
        return [unanswered if result is None else result for result in self.results]


@dataclass
class InFlight:
    """A batch :meth:`AmqpTransport.start_many` published (or failed to: ``failure``)."""

    endpoint: EndpointConfig
    batch: _Batch
    publisher: _Publisher | None
    failure: str


class _Publisher:
    """One ``SelectConnection`` with one channel in confirm mode, driven by the caller's thread.

    Its I/O loop runs only inside the methods below, until what they wait for has
    happened or their time is up. ``failure`` says why the connection or channel became
    unusable; once set it stays, and the transport replaces the publisher.
    """

    def __init__(self, url: str, *, connect_timeout: float, read_timeout: float) -> None:
        self.url = url
        self.failure = ""
        self.used_at = time.monotonic()
        self._channel: Any = None
        self._confirming = False
        self._tag = 0
        self._batches: list[_Batch] = []  # published, not yet settled, oldest first
        self._until: Callable[[], bool] | None = None
        self._ioloop = IOLoop()
        params = connection_parameters(url, timeout=connect_timeout)
        params.blocked_connection_timeout = read_timeout
        try:
            self._connection = pika.SelectConnection(
                params,
                on_open_callback=self._on_connection_open,
                on_open_error_callback=self._on_connection_error,
                on_close_callback=self._on_connection_closed,
                custom_ioloop=self._ioloop,
            )
        except BaseException:
            self._ioloop.close()
            raise
        try:
            opened = self._run(lambda: self._confirming or bool(self.failure), connect_timeout)
        except BaseException:
            self.close()
            raise
        if not opened:
            self._fail(f"AMQP failure: the connection did not open within {connect_timeout:g} s")

    # -- what the transport asks -------------------------------------------------------

    def usable(self) -> bool:
        """Open, confirming and not rested too long; takes in what the broker sent meanwhile."""
        if self.failure or time.monotonic() - self.used_at > IDLE_REOPEN_SECONDS:
            return False
        self._run(lambda: False, 0.0)  # one non-blocking turn: a close frame, heartbeats
        return not self.failure and bool(self._connection.is_open and self._channel.is_open)

    def start(
        self, endpoint: EndpointConfig, envelopes: Sequence[Envelope], started: float
    ) -> _Batch:
        """Publish all and hand the frames to the socket; the broker's answers are taken in
        by :meth:`wait` (or any later turn of the loop), so other work can go on meanwhile."""
        batch = _Batch(len(envelopes), started)
        try:
            if not self.failure:
                self._publish_chunk(endpoint, envelopes)
                for index, envelope in enumerate(envelopes):
                    self._tag += 1
                    batch.publishing(self._tag, index, envelope.message_id)
                self._batches.append(batch)
                self._run(lambda: False, 0.0)  # one turn: write what the socket takes now
        except AMQPError as exc:
            self._fail(f"AMQP failure: {type(exc).__name__} {exc}")
        return batch

    def wait(self, batch: _Batch, timeout: float) -> list[DeliveryResult]:
        """Wait for the broker to settle each message of ``batch`` (ack, nack, return) or fail;
        ``timeout`` counts from the batch's start."""
        remaining = timeout - (time.perf_counter() - batch.started)
        try:
            if not self._run(lambda: not batch.pending or bool(self.failure), remaining):
                self._fail(f"AMQP failure: no confirm from the broker within {timeout:g} s")
        finally:
            if batch in self._batches:
                self._batches.remove(batch)
            self.used_at = time.monotonic()
        return batch.finish(self.failure)

    def _publish_chunk(self, endpoint: EndpointConfig, envelopes: Sequence[Envelope]) -> None:
        """Every message's frames (:mod:`.amqp_wire`) handed to the connection as one buffer,
        so the batch leaves in a few large writes rather than three small ones per message."""
        channel = self._channel
        if channel is None or not channel.is_open:
            raise ChannelWrongStateError("the channel is not open")
        headers = header_frames(channel.channel_number, endpoint, envelopes, int(time.time()))
        chunk = publish_marshalled(
            channel=channel.channel_number,
            body_max=self._connection._body_max_length,
            exchange=endpoint.amqp_exchange,
            routing_key=endpoint.authority_code,
            mandatory=True,
            messages=zip((e.body for e in envelopes), headers, strict=True),
        )
        self._connection._output_marshaled_frames([chunk])

    def close(self) -> None:
        if not self.failure:
            self.failure = "AMQP failure: the connection was closed by Luvat"
        try:
            if not (self._connection.is_closing or self._connection.is_closed):
                self._connection.close()
            self._run(lambda: bool(self._connection.is_closed), CLOSE_TIMEOUT_SECONDS)
        except (AMQPError, OSError):
            log.debug("amqp.close_failed", exc_info=True)
        finally:
            self._ioloop.close()

    # -- the I/O loop --------------------------------------------------------------------

    def _run(self, until: Callable[[], bool], timeout: float) -> bool:
        """Run the I/O loop until ``until()`` holds (checked after each event) or time is up."""
        if until():
            return True
        self._until = until
        timer = self._ioloop.call_later(max(timeout, 0.0), self._ioloop.stop)
        try:
            self._ioloop.start()
        finally:
            self._until = None
            self._ioloop.remove_timeout(timer)
        return until()

    def _progress(self) -> None:
        if self._until is not None and self._until():
            self._ioloop.stop()

    def _fail(self, reason: str) -> None:
        if not self.failure:  # the first cause is the telling one
            self.failure = reason
        self._progress()

    # -- pika callbacks ------------------------------------------------------------------

    def _on_connection_open(self, connection: Any) -> None:
        connection.channel(on_open_callback=self._on_channel_open)

    def _on_connection_error(self, _connection: Any, error: BaseException) -> None:
        self._fail(f"AMQP failure: {type(error).__name__} {error}")

    def _on_connection_closed(self, _connection: Any, reason: BaseException) -> None:
        self._fail(f"AMQP failure: the connection closed: {type(reason).__name__} {reason}")

    def _on_channel_open(self, channel: Any) -> None:
        self._channel = channel
        channel.add_on_close_callback(self._on_channel_closed)
        channel.add_on_return_callback(self._on_return)
        channel.confirm_delivery(self._on_confirm, callback=self._on_confirm_mode)

    def _on_confirm_mode(self, _frame: Any) -> None:
        self._confirming = True
        self._progress()

    def _on_channel_closed(self, _channel: Any, reason: BaseException) -> None:
        self._fail(f"AMQP failure: the channel closed: {type(reason).__name__} {reason}")
        if self._connection.is_open:
            self._connection.close()

    def _on_return(self, _channel: Any, _method: Any, properties: Any, _body: bytes) -> None:
        for batch in self._batches:
            if batch.returned_message(properties.message_id):
                return

    def _on_confirm(self, frame: Any) -> None:
        method = frame.method
        for batch in self._batches:  # a ``multiple`` answer may settle several batches
            batch.confirmed(
                method.delivery_tag,
                multiple=bool(method.multiple),
                nack=isinstance(method, pika.spec.Basic.Nack),
            )
        self._progress()


class AmqpTransport:
    """One confirming publisher, opened lazily and reopened on the next call after a failure."""

    def __init__(self) -> None:
        self._publisher: _Publisher | None = None

    def send(self, endpoint: EndpointConfig, envelope: Envelope) -> DeliveryResult:
        return self.send_many(endpoint, [envelope])[0]

    def send_many(
        self, endpoint: EndpointConfig, envelopes: Sequence[Envelope]
    ) -> list[DeliveryResult]:
        """Publish all, many in flight at once; one result per envelope, in the same order.

        Accepted once the broker acked it; a ``basic.return`` (unroutable), a nack, or no
        answer before the connection or channel dropped or ``read_timeout_seconds`` passed
        is a RETRY with the reason.
        """
        return self.finish_many(self.start_many(endpoint, envelopes))

    def start_many(self, endpoint: EndpointConfig, envelopes: Sequence[Envelope]) -> InFlight:
        """The first half of :meth:`send_many`: publish, and return without waiting for the
        broker. Several batches may be in flight; each is finished by :meth:`finish_many`."""
        started = time.perf_counter()
        if not envelopes:
            return InFlight(endpoint, _Batch(0, started), None, "")
        if not endpoint.amqp_url:
            return InFlight(
                endpoint, _Batch(len(envelopes), started), None, "LUVAT_AMQP_URL is not set"
            )
        try:
            ensure_authority_topology(
                endpoint.amqp_url,
                exchange=endpoint.amqp_exchange,
                queue=endpoint.queue_name,
                routing_key=endpoint.authority_code,
                timeout=endpoint.connect_timeout_seconds,
            )
            publisher = self._publisher_for(endpoint)
            batch = publisher.start(endpoint, envelopes, started)
        except (AMQPError, OSError) as exc:
            self.close()
            reason = f"AMQP failure: {type(exc).__name__} {exc}"
            return InFlight(endpoint, _Batch(len(envelopes), started), None, reason)
        return InFlight(endpoint, batch, publisher, "")

    def finish_many(self, flight: InFlight) -> list[DeliveryResult]:
        """Wait for the broker's answers to a batch :meth:`start_many` published."""
        endpoint, publisher = flight.endpoint, flight.publisher
        if publisher is None:
            return flight.batch.finish(flight.failure)
        try:
            results = publisher.wait(flight.batch, endpoint.read_timeout_seconds)
        except (AMQPError, OSError) as exc:
            self.close()
            return flight.batch.finish(f"AMQP failure: {type(exc).__name__} {exc}")
        if any(result.reason == UNROUTABLE for result in results):
            # The queue or its binding may be gone: declare it again on the next call.
            forget_authority_topology(
                endpoint.amqp_url,
                endpoint.amqp_exchange,
                endpoint.queue_name,
                endpoint.authority_code,
            )
        if publisher.failure:
            unconfirmed = sum(1 for r in results if r.outcome is not Outcome.ACCEPTED)
            log.warning(
                "amqp.publish_failed",
                endpoint=endpoint.code,
                reason=publisher.failure,
                messages=len(results),
                not_accepted=unconfirmed,
            )
            if publisher is self._publisher:
                self.close()
        return results

    def _publisher_for(self, endpoint: EndpointConfig) -> _Publisher:
        publisher = self._publisher
        if publisher is not None and (publisher.url != endpoint.amqp_url or not publisher.usable()):
            self.close()
            publisher = None
        if publisher is None:
            publisher = self._publisher = _Publisher(
                endpoint.amqp_url,
                connect_timeout=endpoint.connect_timeout_seconds,
                read_timeout=endpoint.read_timeout_seconds,
            )
        return publisher

    def close(self) -> None:
        publisher, self._publisher = self._publisher, None
        if publisher is not None:
            publisher.close()
