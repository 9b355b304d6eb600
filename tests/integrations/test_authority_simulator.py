"""The authority simulator reports received → in processing → decision, and can misbehave."""

from __future__ import annotations

import json
import time

from luvat.integrations.signing import verify
from luvat.integrations.simulator import SimulatorConfig
from luvat.integrations.transports.http import HttpTransport
from tests.integrations.servers import running_recorder, running_simulator
from tests.integrations.test_http_transport import SECRET, endpoint, envelope


def test_status_events_follow_a_new_application_in_order() -> None:
    with running_recorder(201) as (luvat, api_url):
        config = SimulatorConfig(
            "testauth",
            secret=SECRET,
            api_url=api_url,
            api_headers={"Authorization": "Bearer test-key"},
            delays=(0.05, 0.1, 0.15),
        )
        with running_simulator(config) as (_simulator, url):
            transport = HttpTransport()
            message = envelope(application="5f0c7a1e-0000-4000-8000-000000000001")
            assert transport.send(endpoint(url), message).status_code == 202
            assert transport.send(endpoint(url), message).status_code == 200  # duplicate
            requests = luvat.wait_for(3)
            time.sleep(0.3)
            requests = luvat.wait_for(3)
    assert len(requests) == 3, "a duplicate delivery must not start a second case"
    events = [json.loads(r["body"]) for r in requests]
    assert [e["type"] for e in events] == ["received", "in_processing", "decision"]
    assert {r["path"] for r in requests} == {
        "/api/v1/applications/5f0c7a1e-0000-4000-8000-000000000001/events"
    }
    assert len({e["event_id"] for e in events}) == 3
    assert events[0]["case_reference"] == events[2]["case_reference"] == "SIM-000001"
    assert events[2]["decision"]["outcome"] == "granted"
    for request in requests:
        assert request["headers"]["Authorization"] == "Bearer test-key"
        assert request["headers"]["X-Luvat-Authority"] == "testauth"
        verify([SECRET], request["body"], request["headers"]["X-Luvat-Signature"], now=time.time())


def test_answer_twice_repeats_each_event_with_the_same_id() -> None:
    with running_recorder(200) as (luvat, api_url):
        config = SimulatorConfig(
            "testauth",
            secret=SECRET,
            api_url=api_url,
            delays=(0.01, 0.02, 0.03),
            answer_twice=True,
        )
        with running_simulator(config) as (_simulator, url):
            HttpTransport().send(endpoint(url), envelope())
            requests = luvat.wait_for(6)
    ids = [json.loads(r["body"])["event_id"] for r in requests]
    assert len(ids) == 6 and len(set(ids)) == 3


def test_failed_event_posts_are_retried() -> None:
    with running_recorder(503) as (luvat, api_url):
        config = SimulatorConfig("testauth", secret=SECRET, api_url=api_url, delays=(0.01, 5, 5))
        with running_simulator(config) as (simulator, url):
            HttpTransport().send(endpoint(url), envelope())
            requests = luvat.wait_for(2, timeout=5)
            deadline = time.monotonic() + 5
            while simulator.ledger.snapshot()["event_failures"] < 2:
                assert time.monotonic() < deadline, "the failed event was not retried"
                time.sleep(0.02)
    bodies = {r["body"] for r in requests[:2]}
    assert len({json.loads(b)["event_id"] for b in bodies}) == 1


def test_fail_first_then_accept() -> None:
    config = SimulatorConfig("testauth", secret=SECRET, fail_first=2)
    with running_simulator(config) as (simulator, url):
        transport = HttpTransport()
        message = envelope()
        codes = [transport.send(endpoint(url), message).status_code for _ in range(3)]
        assert codes == [503, 503, 202]
        assert simulator.ledger.snapshot()["unique_messages"] == 1


def test_state_endpoint_lists_what_was_received() -> None:
    import urllib3

    with running_simulator(SimulatorConfig("testauth", secret=SECRET)) as (_sim, url):
        HttpTransport().send(endpoint(url), envelope(application="app-9"))
        state = json.loads(
            urllib3.request("GET", url.replace("/receive", "/_simulator/state")).data
        )
    assert state["applications"] == 1 and state["applications_received_twice"] == []
    (info,) = state["messages"].values()
    assert info == {"kind": "application.submitted", "application": "app-9", "count": 1}
