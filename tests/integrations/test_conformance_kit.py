"""The conformance kit and the authority simulator pass against each other, over HTTP and AMQP,
and the kit fails an endpoint that misbehaves, naming what is wrong."""

from __future__ import annotations

import os
import uuid
from io import StringIO

import pytest
from django.core.management import call_command

from luvat.audit.actors import Actor
from luvat.integrations.conformance import ConformanceOptions, run_conformance
from luvat.integrations.models import ConformanceRun
from luvat.integrations.simulator import AuthoritySimulator, SimulatorConfig
from luvat.integrations.simulator_amqp import AmqpEventSender, AmqpReceiver
from tests.integrations.servers import running_simulator
from tests.integrations.test_message_schemas import load

pytestmark = pytest.mark.django_db
SECRET = "conformance-secret-0123456789abcdef"
KIT = Actor.system("tests")


def options(url: str, **extra) -> ConformanceOptions:
    return ConformanceOptions(
        authority_code="tampere-env",
        endpoint_url=url,
        secret=SECRET,
        first_event_seconds=3,
        decision_seconds=3,
        **extra,
    )


def failed(run: ConformanceRun) -> list[str]:
    return [c["name"] for c in run.report["checks"] if not c["passed"]]


def test_simulator_passes_over_http_and_the_report_is_stored() -> None:
    config = SimulatorConfig("tampere-env", secret=SECRET, delays=(0.05, 0.1, 0.2))
    with running_simulator(config) as (simulator, url):
        run = run_conformance(options=options(url), actor=KIT)
    assert run.passed, run.report
    assert len(run.report["checks"]) == 7
    assert ConformanceRun.objects.get().passed
    assert simulator.ledger.snapshot()["refused_signatures"] == 1


EVENT_CHECKS = [
    "status 'received' within 3 s",
    "later statuses within 3 s",
    "one case per message id (no second case from the repeat)",
    "events are signed and in the documented form",
]


def test_silent_endpoint_fails_every_check_about_events() -> None:
    """An authority system that accepts deliveries but never reports back fails every check
    that needs its events: none passes for want of evidence."""
    config = SimulatorConfig("tampere-env", secret=SECRET, send_events=False)
    with running_simulator(config) as (_simulator, url):
        run = run_conformance(options=options(url), actor=KIT)
    assert not run.passed
    assert failed(run) == EVENT_CHECKS
    by_name = {c["name"]: c for c in run.report["checks"]}
    assert "cannot be shown" in by_name["events are signed and in the documented form"]["detail"]


def test_half_correct_endpoint_fails_only_what_it_gets_wrong() -> None:
    """Accepts, de-duplicates and checks signatures, reports 'received', and then nothing
    within the time allowed."""
    config = SimulatorConfig("tampere-env", secret=SECRET, delays=(0.05, 30.0, 30.0))
    with running_simulator(config) as (_simulator, url):
        run = run_conformance(options=options(url), actor=KIT)
    assert not run.passed
    assert failed(run) == ["later statuses within 3 s"]


def test_endpoint_that_ignores_signatures_fails() -> None:
    config = SimulatorConfig("tampere-env", secret="", require_signature=False, delays=(0, 0, 0))
    with running_simulator(config) as (_simulator, url):
        run = run_conformance(options=options(url), actor=KIT)
    assert "a bad signature is refused" in failed(run)
    assert "events are signed and in the documented form" in failed(run)


def test_command_prints_the_report_and_fails_with_exit_status() -> None:
    config = SimulatorConfig("tampere-env", secret=SECRET, fail_status=500)
    out = StringIO()
    with running_simulator(config) as (_simulator, url), pytest.raises(SystemExit) as exited:
        call_command(
            "conformance",
            "--authority",
            "tampere-env",
            "--endpoint",
            url,
            "--secret",
            SECRET,
            "--first-event-seconds",
            "1",
            "--decision-seconds",
            "1",
            stdout=out,
        )
    assert exited.value.code == 1
    assert "FAIL  application accepted — HTTP 500" in out.getvalue()
    assert "conformance FAILED" in out.getvalue()


def test_synthetic_documents_follow_the_published_schema() -> None:
    from jsonschema import Draft202012Validator

    from luvat.integrations.conformance import synthetic_document

    _message_id, document = synthetic_document("tampere-env", "https://kit.example.fi")
    schema = load("application.submitted.schema.json")
    Draft202012Validator(schema).validate(document)


@pytest.mark.amqp
def test_simulator_passes_over_amqp() -> None:
    url = os.environ["LUVAT_AMQP_URL"]
    code = f"conf{uuid.uuid4().hex[:8]}"
    simulator = AuthoritySimulator(SimulatorConfig(code, secret=SECRET, delays=(0, 0.05, 0.1)))
    simulator.events = AmqpEventSender(simulator, url)
    simulator.start()
    receiver = AmqpReceiver(simulator, url)
    receiver.start()
    try:
        assert receiver.ready.wait(10)
        kit = ConformanceOptions(
            authority_code=code,
            endpoint_url=url,
            transport="amqp",
            secret=SECRET,
            first_event_seconds=5,
            decision_seconds=5,
        )
        run = run_conformance(options=kit, actor=KIT)
    finally:
        receiver.stop()
        simulator.stop()
    assert run.passed, run.report
    assert "a bad signature is refused (no case started)" in [
        c["name"] for c in run.report["checks"]
    ]


@pytest.mark.amqp
def test_silent_endpoint_over_amqp_fails_every_check_about_events() -> None:
    url = os.environ["LUVAT_AMQP_URL"]
    code = f"conf{uuid.uuid4().hex[:8]}"
    simulator = AuthoritySimulator(SimulatorConfig(code, secret=SECRET, send_events=False))
    simulator.events = AmqpEventSender(simulator, url)
    simulator.start()
    receiver = AmqpReceiver(simulator, url)
    receiver.start()
    try:
        assert receiver.ready.wait(10)
        kit = ConformanceOptions(
            authority_code=code,
            endpoint_url=url,
            transport="amqp",
            secret=SECRET,
            first_event_seconds=2,
            decision_seconds=2,
        )
        run = run_conformance(options=kit, actor=KIT)
    finally:
        receiver.stop()
        simulator.stop()
    assert not run.passed
    assert failed(run) == [
        "status 'received' within 2 s",
        "later statuses within 2 s",
        "one case per message id (no second case from the repeat)",
        "a bad signature is refused (no case started)",
        "events are signed and in the documented form",
    ]
