"""The HTTP transport against real local servers: headers, signatures and how answers are read."""

from __future__ import annotations

import json
import socket
import time
import uuid

import pytest

from luvat.integrations.policy import Outcome
from luvat.integrations.signing import verify
from luvat.integrations.simulator import SimulatorConfig
from luvat.integrations.transports.base import EndpointConfig, Envelope
from luvat.integrations.transports.http import HttpTransport
from tests.integrations.servers import running_recorder, running_simulator

SECRET = "shared-secret-of-the-test-authority"


def envelope(message_id: str | None = None, application: str = "app-1") -> Envelope:
    message_id = message_id or str(uuid.uuid4())
    document = {
        "message_id": message_id,
        "kind": "application.submitted",
        "application": {"id": application},
    }
    return Envelope(
        message_id=message_id,
        kind="application.submitted",
        authority_code="testauth",
        application_ref=application,
        body=json.dumps(document).encode(),
    )


def endpoint(url: str, **extra) -> EndpointConfig:
    return EndpointConfig(
        code="testauth-http",
        authority_code="testauth",
        transport="http",
        url=url,
        signing_secret=SECRET,
        **extra,
    )


@pytest.fixture
def transport():
    transport = HttpTransport()
    yield transport
    transport.close()


def test_x_road_headers_and_signature(transport) -> None:
    with running_recorder(200) as (recorder, base):
        target = endpoint(
            base,
            xroad_client="FI-TEST/GOV/0245437-2/luvat",
            xroad_service="FI-TEST/MUN/1234567-8/spa/applications",
        )
        message = envelope()
        result = transport.send(target, message)
        assert result.outcome is Outcome.ACCEPTED, result.reason
        (request,) = recorder.wait_for(1)
    assert request["path"] == "/r1/FI-TEST/MUN/1234567-8/spa/applications"
    headers = request["headers"]
    assert headers["X-Road-Client"] == "FI-TEST/GOV/0245437-2/luvat"
    assert headers["X-Road-Service"] == "FI-TEST/MUN/1234567-8/spa/applications"
    assert uuid.UUID(headers["X-Road-Id"])
    assert headers["X-Luvat-Message-Id"] == message.message_id
    assert headers["X-Luvat-Message-Kind"] == "application.submitted"
    assert request["body"] == message.body
    verify([SECRET], request["body"], headers["X-Luvat-Signature"], now=time.time())


def test_no_x_road_headers_without_x_road_settings(transport) -> None:
    with running_recorder(204) as (recorder, base):
        assert transport.send(endpoint(base + "/in"), envelope()).outcome is Outcome.ACCEPTED
        (request,) = recorder.wait_for(1)
    assert request["path"] == "/in"
    assert not any(name.startswith("X-Road") for name in request["headers"])


def test_simulator_accepts_once_and_reports_duplicates(transport) -> None:
    with running_simulator(SimulatorConfig("testauth", secret=SECRET)) as (simulator, url):
        message = envelope()
        first = transport.send(endpoint(url), message)
        second = transport.send(endpoint(url), message)
        assert (first.outcome, first.status_code) == (Outcome.ACCEPTED, 202)
        assert (second.outcome, second.status_code) == (Outcome.ACCEPTED, 200)
        state = simulator.ledger.snapshot()
    assert state["unique_messages"] == 1 and state["duplicates"] == 1


def test_bad_signature_is_a_permanent_refusal_with_the_reason(transport) -> None:
    with running_simulator(SimulatorConfig("testauth", secret=SECRET)) as (simulator, url):
        wrong = EndpointConfig(
            code="x", authority_code="testauth", transport="http", url=url, signing_secret="nope"
        )
        result = transport.send(wrong, envelope())
        assert simulator.ledger.snapshot()["unique_messages"] == 0
    assert result.outcome is Outcome.PERMANENT
    assert result.status_code == 401 and "does not match" in result.reason


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (500, Outcome.RETRY),
        (503, Outcome.RETRY),
        (429, Outcome.RETRY),
        (408, Outcome.RETRY),
        (400, Outcome.PERMANENT),
        (404, Outcome.PERMANENT),
        (422, Outcome.PERMANENT),
    ],
)
def test_error_statuses(transport, status, outcome) -> None:
    config = SimulatorConfig("testauth", secret=SECRET, fail_status=status)
    with running_simulator(config) as (_simulator, url):
        result = transport.send(endpoint(url), envelope())
    assert (result.outcome, result.status_code) == (outcome, status)
    assert result.reason.startswith(f"HTTP {status}")


def test_slow_endpoint_times_out_and_is_retried(transport) -> None:
    config = SimulatorConfig("testauth", secret=SECRET, slow_seconds=1.0)
    with running_simulator(config) as (_simulator, url):
        result = transport.send(endpoint(url, read_timeout_seconds=0.2), envelope())
    assert result.outcome is Outcome.RETRY and "timed out" in result.reason


def test_endpoint_down_is_retried(transport) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = transport.send(endpoint(f"http://127.0.0.1:{port}/"), envelope())
    assert result.outcome is Outcome.RETRY and "connection failed" in result.reason


def test_tls_verification_refuses_an_untrusted_certificate(transport) -> None:
    # A plain-HTTP server spoken to over TLS fails the handshake: never accepted.
    with running_recorder(200) as (recorder, base):
        result = transport.send(endpoint(base.replace("http://", "https://")), envelope())
    assert result.outcome is Outcome.RETRY
    assert recorder.requests == []
