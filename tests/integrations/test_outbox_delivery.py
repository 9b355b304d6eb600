"""Delivering the outbox to a real local authority endpoint: documents, retries, dead letters."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from luvat.audit.models import AuditEvent
from luvat.integrations.delivery import deliver_outbox, deliver_round
from luvat.integrations.models import EndpointCircuit, OutboxMessage, OutboxStatus
from luvat.integrations.outbox_admin import outbox_redeliver
from luvat.integrations.signing import verify
from luvat.integrations.simulator import SimulatorConfig
from tests.integrations.conftest import AUTHORITY, submit_new_application
from tests.integrations.factories import ADMIN, make_endpoint
from tests.integrations.servers import running_recorder, running_simulator
from tests.integrations.test_message_schemas import validator

pytestmark = pytest.mark.django_db
SECRET = "endpoint-secret-of-the-police-0123456789"


@pytest.fixture(autouse=True)
def fast_retries(settings):
    settings.LUVAT_DELIVERY_BACKOFF_SECONDS = 0.01
    settings.LUVAT_DELIVERY_BACKOFF_CAP_SECONDS = 0.05
    settings.LUVAT_DELIVERY_MAX_ATTEMPTS = 4
    settings.LUVAT_CIRCUIT_FAILURE_THRESHOLD = 3
    settings.LUVAT_CIRCUIT_OPEN_SECONDS = 60
    settings.LUVAT_PUBLIC_URL = "https://luvat.example.fi"


def test_submitted_application_is_delivered_as_the_documented_document(outbox_message) -> None:
    with running_recorder(202) as (recorder, url):
        make_endpoint(authority_code=AUTHORITY, url=url, signing_secret=SECRET)
        assert deliver_round() == {"delivered": 1}
        (request,) = recorder.wait_for(1)
    outbox_message.refresh_from_db()
    assert outbox_message.status == OutboxStatus.DELIVERED
    assert outbox_message.delivered_at is not None and outbox_message.attempts == 1
    verify([SECRET], request["body"], request["headers"]["X-Luvat-Signature"], now=time.time())
    document = json.loads(request["body"])
    validator("application.submitted").validate(document)
    assert document["message_id"] == str(outbox_message.message_id)
    assert request["headers"]["X-Luvat-Message-Id"] == str(outbox_message.message_id)
    application = outbox_message.application
    assert document["application"] == {
        "id": str(application.public_id),
        "reference": application.reference,
    }
    assert document["links"]["events"] == (
        f"https://luvat.example.fi/api/v1/applications/{application.public_id}/events"
    )
    (attachment,) = document["attachments"]
    assert attachment["file_name"] == "kartta.pdf"
    assert "signature=" in attachment["download_url"]
    assert document["data"]["form"]["attendance"] == 1200


def test_nothing_is_sent_twice_once_delivered(outbox_message) -> None:
    with running_recorder(200) as (recorder, url):
        make_endpoint(authority_code=AUTHORITY, url=url)
        deliver_outbox(time_budget_seconds=2)
        deliver_outbox(time_budget_seconds=2)
        assert len(recorder.wait_for(1)) == 1


def test_endpoint_down_retries_with_back_off_and_says_why(outbox_message) -> None:
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/in")
    assert deliver_round() == {"retry": 1}
    outbox_message.refresh_from_db()
    assert outbox_message.status == OutboxStatus.PENDING
    assert "connection failed" in outbox_message.last_error
    assert outbox_message.next_attempt_at > timezone.now() - timedelta(seconds=1)


def test_a_server_error_is_retried_until_it_goes_through(outbox_message) -> None:
    config = SimulatorConfig(AUTHORITY, secret=SECRET, fail_first=2)
    with running_simulator(config) as (simulator, url):
        make_endpoint(authority_code=AUTHORITY, url=url, signing_secret=SECRET)
        for _ in range(3):
            deliver_round(now=timezone.now() + timedelta(seconds=1))
        assert simulator.ledger.snapshot()["unique_messages"] == 1
    outbox_message.refresh_from_db()
    assert (outbox_message.status, outbox_message.attempts) == (OutboxStatus.DELIVERED, 3)


def test_refusal_goes_straight_to_dead_letter_with_the_reason(outbox_message) -> None:
    config = SimulatorConfig(AUTHORITY, secret=SECRET, fail_status=422)
    with running_simulator(config) as (_simulator, url):
        make_endpoint(authority_code=AUTHORITY, url=url, signing_secret=SECRET)
        assert deliver_round() == {"dead": 1}
    outbox_message.refresh_from_db()
    assert outbox_message.status == OutboxStatus.DEAD
    assert outbox_message.last_error.startswith("refused by the receiver: HTTP 422")
    assert AuditEvent.objects.filter(action="outbox.dead_letter").count() == 1


def test_gives_up_after_the_last_attempt(outbox_message) -> None:
    config = SimulatorConfig(AUTHORITY, secret=SECRET, fail_status=503)
    with running_simulator(config) as (_simulator, url):
        make_endpoint(authority_code=AUTHORITY, url=url, signing_secret=SECRET)
        later = timezone.now()
        for _ in range(4):
            later += timedelta(minutes=5)  # past back-off and any open circuit
            EndpointCircuit.objects.update(status="closed", consecutive_failures=0)
            deliver_round(now=later)
    outbox_message.refresh_from_db()
    assert outbox_message.status == OutboxStatus.DEAD
    assert "gave up after 4 attempts" in outbox_message.last_error


def test_redelivery_keeps_the_message_id_and_the_receiver_deduplicates(outbox_message) -> None:
    with running_simulator(SimulatorConfig(AUTHORITY, secret=SECRET)) as (simulator, url):
        make_endpoint(authority_code=AUTHORITY, url=url, signing_secret=SECRET)
        deliver_round()
        outbox_redeliver(message=outbox_message, actor=ADMIN)
        deliver_round()
        out = StringIO()
        call_command("outbox", "redeliver", str(outbox_message.message_id), stdout=out)
        assert f"queued again: {outbox_message.message_id}" in out.getvalue()
        deliver_round()
        state = simulator.ledger.snapshot()
    assert state["deliveries"] == 3 and state["unique_messages"] == 1
    assert state["applications_received_twice"] == []
    assert AuditEvent.objects.filter(action="outbox.redeliver").count() == 2


def test_circuit_opens_and_holds_deliveries_to_a_failing_endpoint(vocab) -> None:
    for n in range(5):
        submit_new_application(f"Tapahtuma {n}")
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/in")
    deliver_round()
    circuit = EndpointCircuit.objects.get()
    assert circuit.status == "open"
    # Held: nothing is claimed while the circuit is open.
    assert deliver_round(now=timezone.now() + timedelta(seconds=30)) == {}
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    assert pending.count() == 5
    # After the hold time exactly one trial goes out; it fails and the circuit opens again.
    assert deliver_round(now=timezone.now() + timedelta(minutes=10)) == {"retry": 1}
    circuit.refresh_from_db()
    assert circuit.status == "open"


def test_messages_of_authorities_without_an_endpoint_wait(outbox_message) -> None:
    assert deliver_round() == {}
    outbox_message.refresh_from_db()
    assert outbox_message.status == OutboxStatus.PENDING and outbox_message.attempts == 0


def test_a_lost_lease_never_overwrites_the_new_owner(outbox_message, settings) -> None:
    settings.LUVAT_DELIVERY_LEASE_SECONDS = 0
    from luvat.integrations.delivery import Attempt, apply_outcomes, claim
    from luvat.integrations.policy import DeliveryResult, Outcome

    first = claim(authority_codes=[AUTHORITY], limit=10, now=timezone.now())
    second = claim(authority_codes=[AUTHORITY], limit=10, now=timezone.now())
    assert [m.pk for m in first] == [m.pk for m in second]  # the lease ran out
    counts = apply_outcomes(
        [Attempt(first[0], None, DeliveryResult(Outcome.ACCEPTED))], timezone.now()
    )
    assert counts == {"lease_lost": 1}
    outbox_message.refresh_from_db()
    assert outbox_message.status == OutboxStatus.PENDING and outbox_message.attempts == 2


def test_outbox_status_command_lists_what_waits(outbox_message) -> None:
    out = StringIO()
    call_command("outbox", "status", stdout=out)
    assert AUTHORITY in out.getvalue() and "pending" in out.getvalue()


def test_the_delivered_data_is_the_stored_payload_with_its_long_integers_and_text_intact(
    outbox_message,
) -> None:
    """The payload goes out as stored (PostgreSQL: its JSON text as it is, never parsed and
    encoded again), signed over the bytes sent."""
    payload = {**outbox_message.payload, "big": 2**70, "neg": -(10**25), "text": 'Åä ö \u2028 "q"'}
    OutboxMessage.objects.filter(pk=outbox_message.pk).update(payload=payload)
    with running_recorder(202) as (recorder, url):
        make_endpoint(authority_code=AUTHORITY, url=url, signing_secret=SECRET)
        assert deliver_round() == {"delivered": 1}
        (request,) = recorder.wait_for(1)
    verify([SECRET], request["body"], request["headers"]["X-Luvat-Signature"], now=time.time())
    document = json.loads(request["body"])
    assert document["data"] == payload
    assert document["data"]["big"] == 2**70
    (attachment,) = document["attachments"]
    assert attachment["id"] == payload["attachments"][0]["id"]
