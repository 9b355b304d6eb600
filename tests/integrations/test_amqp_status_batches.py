"""Status events taken from RabbitMQ in batches: the good ones of each authority applied as one
batch, the bad ones rejected one by one, every message settled once."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pika
import pytest

from luvat.audit.models import AuditEvent
from luvat.integrations.consumer import StatusConsumer
from luvat.integrations.models import InboundEvent
from luvat.integrations.signing import SIGNATURE_HEADER, sign
from luvat.integrations.tasks import handle_status_messages
from luvat.projects.status import Status
from tests.integrations.bulk import submitted_copies
from tests.integrations.conftest import AUTHORITY
from tests.integrations.factories import make_endpoint

pytestmark = [pytest.mark.amqp, pytest.mark.django_db]
SECRET = "amqp-status-secret-0123456789abcdefgh"


@pytest.fixture
def queue(amqp_url):
    """A private queue, so parallel test runs never take each other's messages."""
    url = amqp_url
    name = f"luvat.test-status-{uuid.uuid4().hex[:10]}"
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.queue_declare(queue=name, durable=False, auto_delete=False)
    yield url, name, channel
    channel.queue_delete(queue=name)
    connection.close()


def publish(channel, queue: str, body: dict[str, Any], *, secret: str = SECRET) -> None:
    data = json.dumps(body).encode()
    signature = sign(secret, data, int(time.time()))
    channel.basic_publish(
        exchange="",
        routing_key=queue,
        body=data,
        properties=pika.BasicProperties(
            message_id=body["event_id"],
            headers={"authority": AUTHORITY, SIGNATURE_HEADER: signature},
        ),
    )


def test_a_batch_from_the_queue_applies_the_good_and_rejects_the_bad(submitted, queue) -> None:
    url, name, channel = queue
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/", signing_secret=SECRET)
    a, b = submitted_copies(submitted, 2)

    def event(application, kind: str, minute: int, **extra: Any) -> dict[str, Any]:
        return {
            "event_id": f"{application.public_id}:{kind}",
            "application_id": str(application.public_id),
            "type": kind,
            "occurred_at": f"2026-12-01T09:{minute:02d}:00+02:00",
            **extra,
        }

    publish(channel, name, event(a, "received", 1))
    publish(channel, name, event(b, "received", 2))
    publish(channel, name, event(b, "closed", 3))  # received -> closed: refused
    publish(channel, name, event(a, "in_processing", 4), secret="not-the-secret-0123456789")
    stranger = {**event(a, "in_processing", 5), "application_id": str(uuid.uuid4())}
    publish(channel, name, {**stranger, "event_id": "stranger"})
    publish(channel, name, event(a, "received", 1))  # the first again: a duplicate

    consumer = StatusConsumer(url, handle_status_messages, queue=name, batch_size=4)
    try:
        handled = consumer.drain(max_messages=50)
    finally:
        consumer.close()
    assert handled == 6
    assert channel.queue_declare(queue=name, passive=True).method.message_count == 0
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.RECEIVED, Status.RECEIVED)
    assert InboundEvent.objects.filter(transport="amqp").count() == 2
    reasons = AuditEvent.objects.filter(action="status_event.refused").values_list(
        "details__reason", flat=True
    )
    assert sorted(reason.split(":")[0] for reason in reasons) == [
        "bad-signature",
        "status-conflict",
        "unknown-application",
    ]
