"""A round of outbox delivery costs a fixed number of statements, however many messages it
carries: the endpoints with their circuits, one claim and one write of every outcome (three
on PostgreSQL; a healthy circuit is not written)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pika
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luvat.integrations.delivery import deliver_round
from luvat.integrations.models import OutboxMessage, OutboxStatus, TransportKind
from tests.integrations.bulk import bulk_submitted
from tests.integrations.conftest import AUTHORITY, submit_new_application
from tests.integrations.factories import make_endpoint
from tests.integrations.servers import running_recorder

pytestmark = pytest.mark.django_db

POSTGRES_STATEMENTS = 3


def statements_of_a_round(expected: dict[str, int]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert deliver_round() == expected
    return [query["sql"] for query in captured.captured_queries]


def rounds_of_one_and_of_many() -> tuple[list[str], list[str]]:
    """A warm-up round (the circuit's first success is written), then a round of one
    message and one of forty; the statements of the last two."""
    template = submit_new_application()
    assert deliver_round() == {"delivered": 1}
    bulk_submitted(template, 1)
    one = statements_of_a_round({"delivered": 1})
    bulk_submitted(template, 40)
    many = statements_of_a_round({"delivered": 40})
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.DELIVERED).exists()
    return one, many


def assert_fixed_cost(one: list[str], many: list[str]) -> None:
    assert len(many) == len(one), many
    if connection.vendor == "postgresql":
        assert len(many) == POSTGRES_STATEMENTS, many
        assert not any(sql in ("BEGIN", "COMMIT") for sql in many), many
        assert not any("endpointcircuit" in sql and "UPDATE" in sql for sql in many), many


def test_an_http_round_costs_the_same_statements_for_one_message_as_for_forty(vocab) -> None:
    with running_recorder(202) as (recorder, url):
        make_endpoint(authority_code=AUTHORITY, url=url)
        one, many = rounds_of_one_and_of_many()
        assert len(recorder.wait_for(42)) == 42
    assert_fixed_cost(one, many)


@contextmanager
def authority_queue(amqp_url: str) -> Iterator[str]:
    """The queue the round publishes to (``luvat.<authority>``), emptied and then removed."""
    queue = f"luvat.{AUTHORITY}"
    yield queue
    broker = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        broker.channel().queue_delete(queue=queue)
    finally:
        broker.close()


@pytest.mark.amqp
def test_an_amqp_round_costs_the_same_statements_for_one_message_as_for_forty(
    vocab, settings, amqp_url
) -> None:
    settings.LUVAT_AMQP_URL = amqp_url
    with authority_queue(amqp_url):
        make_endpoint(authority_code=AUTHORITY, transport=TransportKind.AMQP)
        one, many = rounds_of_one_and_of_many()
    assert_fixed_cost(one, many)
