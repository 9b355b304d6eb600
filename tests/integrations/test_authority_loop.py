"""The whole loop with the simulator as the authority system: delivery out, statuses back in."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from django.db import OperationalError

from luvat.integrations.delivery import deliver_round
from luvat.integrations.models import InboundEvent, OutboxMessage, OutboxStatus, TransportKind
from luvat.integrations.simulator import AuthoritySimulator, SimulatorConfig
from luvat.integrations.simulator_amqp import AmqpEventSender, AmqpReceiver
from luvat.integrations.tasks import consume_status_events
from luvat.projects.models import Application
from luvat.projects.status import Status
from tests.integrations.conftest import AUTHORITY, issue_api_key, submit_new_application
from tests.integrations.factories import make_endpoint
from tests.integrations.servers import running_simulator

SECRET = "loop-secret-of-the-police-0123456789abcdef"


def wait_for_status(application: Application, status: str, *, pump=None, seconds=20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pump is not None:
            pump()
        try:
            application.refresh_from_db()
        except OperationalError:  # SQLite's shared-cache test database: a writer holds the table
            time.sleep(0.05)
            continue
        if application.status == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"still {application.status!r}, waited for {status!r}")


@pytest.mark.django_db(transaction=True)
def test_http_loop_reaches_a_decision(vocab, live_server, settings) -> None:
    settings.LUVAT_PUBLIC_URL = live_server.url
    application = submit_new_application()
    key = issue_api_key(AUTHORITY)
    config = SimulatorConfig(
        AUTHORITY,
        secret=SECRET,
        api_headers={"Authorization": f"Bearer {key}"},
        delays=(0.05, 0.1, 0.2),
        answer_twice=True,
    )
    with running_simulator(config) as (simulator, url):
        make_endpoint(authority_code=AUTHORITY, url=url, signing_secret=SECRET)
        assert deliver_round() == {"delivered": 1}
        wait_for_status(application, Status.DECISION_MADE)
        time.sleep(0.3)  # let the doubled events arrive too
        assert simulator.ledger.snapshot()["event_failures"] == 0
    assert application.outcome == "granted"
    events = InboundEvent.objects.filter(application=application)
    assert sorted(events.values_list("type", flat=True)) == [
        "decision",
        "in_processing",
        "received",
    ]
    assert application.status_events.filter(status=Status.RECEIVED).count() == 1
    received = events.get(type="received")
    assert received.case_reference == "SIM-000001" and received.transport == "http"


@pytest.mark.amqp
@pytest.mark.django_db(transaction=True)
def test_amqp_loop_reaches_a_decision(vocab, settings) -> None:
    settings.LUVAT_AMQP_URL = os.environ["LUVAT_AMQP_URL"]
    code = f"loop{uuid.uuid4().hex[:8]}"
    application = submit_new_application()
    authority = application.authority
    assert authority is not None
    authority.code = code
    authority.save(update_fields=["code"])
    OutboxMessage.objects.update(authority_code=code)
    simulator = AuthoritySimulator(SimulatorConfig(code, secret=SECRET, delays=(0, 0.05, 0.1)))
    simulator.events = AmqpEventSender(simulator, settings.LUVAT_AMQP_URL)
    simulator.start()
    receiver = AmqpReceiver(simulator, settings.LUVAT_AMQP_URL)
    receiver.start()
    try:
        assert receiver.ready.wait(10)
        make_endpoint(authority_code=code, transport=TransportKind.AMQP, signing_secret=SECRET)
        assert deliver_round() == {"delivered": 1}
        wait_for_status(application, Status.DECISION_MADE, pump=consume_status_events)
    finally:
        receiver.stop()
        simulator.stop()
    assert OutboxMessage.objects.get().status == OutboxStatus.DELIVERED
    transports = set(InboundEvent.objects.values_list("transport", flat=True))
    assert transports == {"amqp"}
