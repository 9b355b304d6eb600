"""Batches over AMQP against the real RabbitMQ: many publishes in flight, each settled by the
broker's ack, nack or return, and a dropped connection retried and reopened."""

from __future__ import annotations

import dataclasses
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pika
import pytest
from django.utils import timezone

from luvat.integrations.delivery import deliver_round
from luvat.integrations.models import EndpointCircuit, OutboxMessage, OutboxStatus, TransportKind
from luvat.integrations.policy import Outcome
from luvat.integrations.transports.amqp import NACKED, UNROUTABLE, AmqpTransport
from tests.integrations.bulk import bulk_submitted
from tests.integrations.conftest import submit_new_application
from tests.integrations.factories import make_endpoint
from tests.integrations.tcp_proxy import CuttableProxy
from tests.integrations.test_amqp_transport import amqp_endpoint
from tests.integrations.test_http_transport import envelope

pytestmark = pytest.mark.amqp


@pytest.fixture
def broker(amqp_url):
    """A side channel to the broker for the test's own checks; removes what the test made."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    made: list[tuple[str, str]] = []
    yield channel, made
    for kind, name in reversed(made):
        if kind == "queue":
            channel.queue_delete(queue=name)
        else:
            channel.exchange_delete(exchange=name)
    connection.close()


@pytest.fixture
def authority(broker) -> str:
    code = f"t{uuid.uuid4().hex[:10]}"
    broker[1].append(("queue", f"luvat.{code}"))
    return code


def proxied(url: str, proxy: CuttableProxy) -> str:
    parts = urlsplit(url)
    return url.replace(f"{parts.hostname}:{parts.port or 5672}", f"127.0.0.1:{proxy.port}")


def drain(channel, queue: str) -> list[str]:
    seen: list[str] = []
    while True:
        method, properties, _body = channel.basic_get(queue=queue, auto_ack=True)
        if method is None:
            return seen
        seen.append(properties.message_id)


def test_a_batch_is_confirmed_and_queued_once_each(amqp_url, broker, authority) -> None:
    channel, _made = broker
    transport = AmqpTransport()
    messages = [envelope() for _ in range(200)]
    started = time.perf_counter()
    results = transport.send_many(amqp_endpoint(amqp_url, authority), messages)
    elapsed = time.perf_counter() - started
    transport.close()
    assert [r.outcome for r in results] == [Outcome.ACCEPTED] * 200, {r.reason for r in results}
    seen = drain(channel, f"luvat.{authority}")
    assert sorted(seen) == sorted(m.message_id for m in messages)
    assert elapsed < 10


def test_send_is_a_batch_of_one_and_an_empty_batch_sends_nothing(amqp_url, authority) -> None:
    transport = AmqpTransport()
    endpoint = amqp_endpoint(amqp_url, authority)
    assert transport.send_many(endpoint, []) == []
    assert transport.send(endpoint, envelope()).outcome is Outcome.ACCEPTED
    assert transport.send(endpoint, envelope()).outcome is Outcome.ACCEPTED
    transport.close()


def test_an_unroutable_message_in_the_middle_is_retried(amqp_url, broker, authority) -> None:
    """The queue is bound through a headers exchange that takes only this authority's
    messages (header ``authority``): one for another authority is returned, unroutable."""
    channel, made = broker
    exchange, by_header = f"x.{authority}", f"x.{authority}.headers"
    made += [("exchange", exchange), ("exchange", by_header)]
    endpoint = dataclasses.replace(amqp_endpoint(amqp_url, authority), amqp_exchange=exchange)
    queue = endpoint.queue_name
    transport = AmqpTransport()
    assert transport.send(endpoint, envelope()).outcome is Outcome.ACCEPTED  # declares
    channel.exchange_declare(exchange=by_header, exchange_type="headers", auto_delete=True)
    channel.exchange_bind(destination=by_header, source=exchange, routing_key=authority)
    channel.queue_bind(
        queue=queue, exchange=by_header, arguments={"x-match": "all", "authority": "testauth"}
    )
    channel.queue_unbind(queue=queue, exchange=exchange, routing_key=authority)
    channel.queue_purge(queue=queue)

    messages = [envelope() for _ in range(9)]
    messages[4] = dataclasses.replace(messages[4], authority_code="someone-else")
    results = transport.send_many(endpoint, messages)
    transport.close()

    outcomes = [r.outcome for r in results]
    assert outcomes == [Outcome.ACCEPTED] * 4 + [Outcome.RETRY] + [Outcome.ACCEPTED] * 4
    assert results[4].reason == UNROUTABLE
    expected = [m.message_id for n, m in enumerate(messages) if n != 4]
    assert sorted(drain(channel, queue)) == sorted(expected)


def test_messages_a_full_queue_refuses_are_nacked_and_retried(amqp_url, broker, authority) -> None:
    channel, made = broker
    endpoint = amqp_endpoint(amqp_url, authority)
    transport = AmqpTransport()
    assert transport.send(endpoint, envelope()).outcome is Outcome.ACCEPTED  # declares
    full = f"luvat.{authority}.full"
    made.append(("queue", full))
    channel.queue_declare(queue=full, arguments={"x-max-length": 2, "x-overflow": "reject-publish"})
    channel.queue_bind(queue=full, exchange=endpoint.amqp_exchange, routing_key=authority)

    results = transport.send_many(endpoint, [envelope() for _ in range(5)])
    transport.close()

    assert [r.outcome for r in results] == [Outcome.ACCEPTED] * 2 + [Outcome.RETRY] * 3
    assert {r.reason for r in results[2:]} == {NACKED}


def test_a_connection_cut_mid_batch_retries_the_unconfirmed_then_reconnects(
    amqp_url, broker, authority
) -> None:
    channel, _made = broker
    proxy = CuttableProxy(
        urlsplit(amqp_url).hostname or "127.0.0.1", urlsplit(amqp_url).port or 5672
    )
    endpoint = amqp_endpoint(proxied(amqp_url, proxy), authority)
    transport = AmqpTransport()
    try:
        assert transport.send(endpoint, envelope()).outcome is Outcome.ACCEPTED
        messages = [envelope() for _ in range(300)]
        proxy.cut_after(40_000)  # about a third of the batch reaches the broker
        started = time.perf_counter()
        results = transport.send_many(endpoint, messages)
        elapsed = time.perf_counter() - started
        assert proxy.cuts == 1
        retried = [r for r in results if r.outcome is Outcome.RETRY]
        assert len(retried) >= 150
        assert all("AMQP failure" in r.reason for r in retried), {r.reason for r in retried}
        assert elapsed < endpoint.read_timeout_seconds / 2  # noticed, not timed out

        again = transport.send_many(endpoint, [envelope() for _ in range(3)])
        assert [r.outcome for r in again] == [Outcome.ACCEPTED] * 3
    finally:
        transport.close()
        proxy.close()
    accepted = {
        m.message_id
        for m, r in zip(messages, results, strict=True)
        if r.outcome is Outcome.ACCEPTED
    }
    seen = set(drain(channel, f"luvat.{authority}"))
    assert accepted <= seen  # confirmed means queued; the unconfirmed may or may not be


def test_no_confirm_within_the_read_timeout_is_a_retry(amqp_url, authority) -> None:
    parts = urlsplit(amqp_url)
    proxy = CuttableProxy(parts.hostname or "127.0.0.1", parts.port or 5672)
    endpoint = dataclasses.replace(
        amqp_endpoint(proxied(amqp_url, proxy), authority), read_timeout_seconds=0.5
    )
    transport = AmqpTransport()
    try:
        assert transport.send(endpoint, envelope()).outcome is Outcome.ACCEPTED
        proxy.replies.clear()  # the broker's answers are held back
        started = time.perf_counter()
        results = transport.send_many(endpoint, [envelope() for _ in range(5)])
        assert 0.5 <= time.perf_counter() - started < 5
        assert {r.outcome for r in results} == {Outcome.RETRY}
        assert {r.reason for r in results} == {
            "AMQP failure: no confirm from the broker within 0.5 s"
        }
        proxy.replies.set()
        assert transport.send(endpoint, envelope()).outcome is Outcome.ACCEPTED
    finally:
        transport.close()
        proxy.close()


def test_an_unreachable_broker_retries_the_whole_batch_then_recovers(amqp_url, authority) -> None:
    transport = AmqpTransport()
    nowhere = amqp_endpoint("amqp://guest:guest@127.0.0.1:1/%2F", authority)
    results = transport.send_many(nowhere, [envelope() for _ in range(4)])
    assert [r.outcome for r in results] == [Outcome.RETRY] * 4
    assert all(r.reason.startswith("AMQP failure") for r in results)
    assert transport.send(amqp_endpoint(amqp_url, authority), envelope()).outcome is (
        Outcome.ACCEPTED
    )
    transport.close()


def test_a_closed_transport_reconnects_on_the_next_call(amqp_url, authority) -> None:
    transport = AmqpTransport()
    endpoint = amqp_endpoint(amqp_url, authority)
    assert transport.send(endpoint, envelope()).outcome is Outcome.ACCEPTED
    transport.close()
    results = transport.send_many(endpoint, [envelope() for _ in range(3)])
    assert [r.outcome for r in results] == [Outcome.ACCEPTED] * 3
    transport.close()


@pytest.mark.django_db
def test_a_round_publishes_its_batch_and_retries_all_when_the_broker_is_away(
    vocab, settings, amqp_url, broker, authority
) -> None:
    channel, _made = broker
    settings.LUVAT_CIRCUIT_FAILURE_THRESHOLD = 1000
    template = submit_new_application()
    OutboxMessage.objects.update(authority_code=authority)
    bulk_submitted(template, 59)
    endpoint = make_endpoint(
        authority_code=authority, transport=TransportKind.AMQP, signing_secret="s" * 32
    )
    settings.LUVAT_AMQP_URL = "amqp://guest:guest@127.0.0.1:1/%2F"
    assert deliver_round() == {"retry": 60}
    errors = set(OutboxMessage.objects.values_list("last_error", flat=True))
    assert len(errors) == 1 and errors.pop().startswith("AMQP failure")
    circuit = EndpointCircuit.objects.get(endpoint=endpoint)
    assert circuit.consecutive_failures == 60 and circuit.last_failure.startswith("AMQP failure")

    settings.LUVAT_AMQP_URL = amqp_url
    assert deliver_round(now=timezone.now() + timedelta(minutes=5)) == {"delivered": 60}
    assert EndpointCircuit.objects.get(endpoint=endpoint).consecutive_failures == 0
    expected = {str(i) for i in OutboxMessage.objects.values_list("message_id", flat=True)}
    assert set(drain(channel, f"luvat.{authority}")) == expected
    assert OutboxMessage.objects.filter(status=OutboxStatus.DELIVERED).count() == 60
