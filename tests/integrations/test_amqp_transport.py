"""The AMQP transport against the real RabbitMQ: durable topology, persistent confirmed messages."""

from __future__ import annotations

import json
import time
import uuid

import pika
import pytest

from luvat.integrations.consumer import IncomingMessage, StatusConsumer, Verdict, one_at_a_time
from luvat.integrations.policy import Outcome
from luvat.integrations.signing import verify
from luvat.integrations.simulator import AuthoritySimulator, SimulatorConfig
from luvat.integrations.simulator_amqp import AmqpEventSender, AmqpReceiver
from luvat.integrations.transports.amqp import STATUS_QUEUE, AmqpTransport
from luvat.integrations.transports.base import EndpointConfig
from tests.integrations.test_http_transport import SECRET, envelope

pytestmark = pytest.mark.amqp


@pytest.fixture
def authority(amqp_url):
    code = f"t{uuid.uuid4().hex[:10]}"
    yield code
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.queue_delete(queue=f"luvat.{code}")
    connection.close()


def amqp_endpoint(url: str, code: str) -> EndpointConfig:
    return EndpointConfig(
        code=f"{code}-amqp",
        authority_code=code,
        transport="amqp",
        amqp_url=url,
        signing_secret=SECRET,
    )


def test_published_message_is_persistent_and_identified(amqp_url, authority) -> None:
    transport = AmqpTransport()
    message = envelope(application="app-7")
    result = transport.send(amqp_endpoint(amqp_url, authority), message)
    transport.close()
    assert result.outcome is Outcome.ACCEPTED, result.reason
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    declared = channel.queue_declare(queue=f"luvat.{authority}", durable=True, passive=True)
    assert declared.method.message_count == 1
    _method, properties, body = channel.basic_get(queue=f"luvat.{authority}", auto_ack=True)
    connection.close()
    assert body == message.body
    assert properties.delivery_mode == 2
    assert properties.message_id == message.message_id
    assert properties.correlation_id == "app-7"
    assert properties.type == "application.submitted"
    verify([SECRET], body, properties.headers["X-Luvat-Signature"], now=time.time())


def test_unreachable_broker_is_a_retry(authority) -> None:
    transport = AmqpTransport()
    result = transport.send(
        amqp_endpoint("amqp://guest:guest@127.0.0.1:1/%2F", authority), envelope()
    )
    assert result.outcome is Outcome.RETRY and "AMQP failure" in result.reason


def test_simulator_consumes_and_reports_back_on_the_status_queue(amqp_url, authority) -> None:
    simulator = AuthoritySimulator(
        SimulatorConfig(authority, secret=SECRET, api_url="amqp", delays=(0, 0, 0))
    )
    simulator.events = AmqpEventSender(simulator, amqp_url)
    simulator.start()
    receiver = AmqpReceiver(simulator, amqp_url)
    receiver.start()
    received: list[IncomingMessage] = []

    def handle(message: IncomingMessage) -> Verdict:
        document = json.loads(message.body)
        if document.get("application_id") != "app-42":
            return Verdict.REQUEUE  # someone else's test event: leave it
        received.append(message)
        return Verdict.ACK

    consumer = StatusConsumer(amqp_url, one_at_a_time(handle))
    try:
        assert receiver.ready.wait(10)
        transport = AmqpTransport()
        message = envelope(application="app-42")
        endpoint = amqp_endpoint(amqp_url, authority)
        assert transport.send(endpoint, message).outcome is Outcome.ACCEPTED
        assert transport.send(endpoint, message).outcome is Outcome.ACCEPTED  # duplicate
        transport.close()
        deadline = time.monotonic() + 15
        while len(received) < 3 and time.monotonic() < deadline:
            consumer.drain(max_messages=10)
            time.sleep(0.05)
    finally:
        consumer.close()
        receiver.stop()
        simulator.stop()
    assert [json.loads(m.body)["type"] for m in received] == [
        "received",
        "in_processing",
        "decision",
    ]
    assert simulator.ledger.snapshot()["duplicates"] == 1
    for event in received:
        assert event.headers["authority"] == authority
        assert event.message_id == json.loads(event.body)["event_id"]
        verify([SECRET], event.body, event.headers["X-Luvat-Signature"], now=time.time())
    assert STATUS_QUEUE == "luvat.status-events"
