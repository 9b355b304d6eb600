"""Broker topology against the real RabbitMQ: every name under ``LUVAT_AMQP_PREFIX``, so two
environments on one virtual host never see each other's messages; quorum queues by default,
classic on request, and an existing queue of the other type taken as it is."""

from __future__ import annotations

import json
import time
import uuid

import pika
import pytest
from pika.exceptions import ChannelClosedByBroker

from luvat.integrations.consumer import IncomingMessage, StatusConsumer, Verdict, one_at_a_time
from luvat.integrations.policy import Outcome
from luvat.integrations.transports.amqp import AmqpTransport
from luvat.integrations.transports.topology import Topology, topology
from tests.integrations.test_amqp_transport import amqp_endpoint
from tests.integrations.test_http_transport import envelope

pytestmark = pytest.mark.amqp


@pytest.fixture
def broker(amqp_url):
    """A side channel for the test's own checks; deletes every name under the prefixes used."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    prefixes: list[str] = []
    yield connection, prefixes
    channel = connection.channel()
    for prefix in prefixes:
        names = Topology(prefix=prefix)
        for queue in (names.status_queue, names.dead_status_queue):
            channel.queue_delete(queue=queue)
        for code in ("shared-code", "other-code"):
            channel.queue_delete(queue=names.authority_queue(code))
        for exchange in (names.applications_exchange, names.status_exchange, names.dead_exchange):
            channel.exchange_delete(exchange=exchange)
    connection.close()


def new_prefix(broker) -> str:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    broker[1].append(prefix)
    return prefix


def queue_type_of(connection, queue: str, **arguments: str) -> str:
    """Asking the broker: a re-declaration with another ``x-queue-type`` is refused (406)."""
    channel = connection.channel()
    try:
        channel.queue_declare(
            queue=queue, durable=True, arguments={"x-queue-type": "quorum", **arguments}
        )
    except ChannelClosedByBroker as exc:
        assert exc.reply_code == 406 and "x-queue-type" in exc.reply_text, exc
        return "classic"
    channel.close()
    return "quorum"


def drain(connection, queue: str) -> list[str]:
    channel = connection.channel()
    seen: list[str] = []
    while True:
        method, properties, _body = channel.basic_get(queue=queue, auto_ack=True)
        if method is None:
            channel.close()
            return seen
        seen.append(properties.message_id)


def publish_as(settings, prefix: str, amqp_url: str, code: str, count: int) -> list[str]:
    settings.LUVAT_AMQP_PREFIX = prefix
    transport = AmqpTransport()
    messages = [envelope() for _ in range(count)]
    results = transport.send_many(amqp_endpoint(amqp_url, code), messages)
    transport.close()
    assert [r.outcome for r in results] == [Outcome.ACCEPTED] * count, {r.reason for r in results}
    return [m.message_id for m in messages]


def test_two_prefixes_on_one_vhost_do_not_see_each_others_messages(
    settings, amqp_url, broker
) -> None:
    connection, _ = broker
    first, second = new_prefix(broker), new_prefix(broker)
    sent_first = publish_as(settings, first, amqp_url, "shared-code", 5)
    sent_second = publish_as(settings, second, amqp_url, "shared-code", 3)

    assert sorted(drain(connection, f"{first}.shared-code")) == sorted(sent_first)
    assert sorted(drain(connection, f"{second}.shared-code")) == sorted(sent_second)


def test_status_events_of_one_prefix_reach_only_its_consumer(settings, amqp_url, broker) -> None:
    connection, _ = broker
    first, second = new_prefix(broker), new_prefix(broker)
    received: dict[str, list[str]] = {first: [], second: []}
    consumers = {}
    for prefix in (first, second):
        settings.LUVAT_AMQP_PREFIX = prefix

        def handle(message: IncomingMessage, prefix: str = prefix) -> Verdict:
            received[prefix].append(message.message_id)
            return Verdict.ACK

        consumers[prefix] = StatusConsumer(amqp_url, one_at_a_time(handle))
        consumers[prefix].drain()  # declares its topology
    channel = connection.channel()
    channel.confirm_delivery()
    for n in range(4):
        channel.basic_publish(
            exchange=Topology(prefix=first).status_exchange,
            routing_key="status",
            body=json.dumps({"n": n}).encode(),
            properties=pika.BasicProperties(message_id=f"first-{n}", delivery_mode=2),
            mandatory=True,
        )
    channel.basic_publish(
        exchange=Topology(prefix=second).status_exchange,
        routing_key="status",
        body=b"{}",
        properties=pika.BasicProperties(message_id="second-0", delivery_mode=2),
        mandatory=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(received[first]) + len(received[second]) < 5:
        for consumer in consumers.values():
            consumer.drain()
    for consumer in consumers.values():
        consumer.close()
    assert received == {first: [f"first-{n}" for n in range(4)], second: ["second-0"]}


def test_queues_are_quorum_by_default_and_classic_on_request(settings, amqp_url, broker) -> None:
    connection, _ = broker
    settings.LUVAT_AMQP_QUEUE_TYPE = "quorum"
    quorum = new_prefix(broker)
    publish_as(settings, quorum, amqp_url, "shared-code", 1)
    consumer = StatusConsumer(amqp_url, one_at_a_time(lambda _m: Verdict.ACK))
    consumer.drain()
    consumer.close()
    assert queue_type_of(connection, f"{quorum}.shared-code") == "quorum"
    dead_letters = {
        "x-dead-letter-exchange": f"{quorum}.dead",
        "x-dead-letter-routing-key": f"{quorum}.status-events",
    }
    assert queue_type_of(connection, f"{quorum}.status-events", **dead_letters) == "quorum"
    assert queue_type_of(connection, f"{quorum}.status-events.dead") == "quorum"

    settings.LUVAT_AMQP_QUEUE_TYPE = "classic"
    classic = new_prefix(broker)
    publish_as(settings, classic, amqp_url, "shared-code", 1)
    assert queue_type_of(connection, f"{classic}.shared-code") == "classic"


def test_an_existing_classic_queue_is_used_as_it_is(settings, amqp_url, broker) -> None:
    connection, _ = broker
    prefix = new_prefix(broker)
    channel = connection.channel()
    channel.queue_declare(queue=f"{prefix}.other-code", durable=True)  # classic, from before
    channel.close()
    settings.LUVAT_AMQP_QUEUE_TYPE = "quorum"

    sent = publish_as(settings, prefix, amqp_url, "other-code", 2)

    assert sorted(drain(connection, f"{prefix}.other-code")) == sorted(sent)
    assert queue_type_of(connection, f"{prefix}.other-code") == "classic"


def test_the_default_topology_keeps_the_documented_names(settings) -> None:
    settings.LUVAT_AMQP_PREFIX = "luvat"
    names = topology()
    assert names.applications_exchange == "luvat.applications"
    assert names.authority_queue("espoo") == "luvat.espoo"
    assert (names.status_exchange, names.status_queue) == ("luvat.status", "luvat.status-events")
    assert names.dead_status_queue == "luvat.status-events.dead"
