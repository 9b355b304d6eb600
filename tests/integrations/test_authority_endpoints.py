"""Authority endpoints: encrypted secrets, change tracking, choice per message, circuit breakers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from luvat.audit.models import AuditEvent
from luvat.integrations.endpoints import (
    SUCCESS_REFRESH_SECONDS,
    choose_endpoint,
    circuit_close,
    circuit_record_results,
    circuit_try_trial,
    circuits_holding,
    enabled_endpoints,
    endpoint_config,
)
from luvat.integrations.models import AuthorityEndpoint, EndpointCircuit
from luvat.integrations.policy import DeliveryResult, Outcome
from tests.integrations.factories import ADMIN, make_endpoint

pytestmark = pytest.mark.django_db
SECRET = "a-long-shared-secret-for-signing-0123456789"
DOWN = DeliveryResult(Outcome.RETRY, reason="HTTP 503: down")
OK = DeliveryResult(Outcome.ACCEPTED)


def test_secret_is_stored_encrypted_and_given_to_the_transport() -> None:
    endpoint = make_endpoint(signing_secret=SECRET)
    stored = AuthorityEndpoint.objects.get(pk=endpoint.pk).signing_secret_encrypted
    assert stored and SECRET not in stored
    assert endpoint_config(endpoint).signing_secret == SECRET
    assert SECRET not in repr(endpoint_config(endpoint))
    event = AuditEvent.objects.get(action="authority_endpoint.create")
    assert event.details["secret_changed"] is True and SECRET not in str(event.details)


def test_address_changes_are_dated_for_the_change_metrics() -> None:
    from luvat.integrations.endpoints import authority_endpoint_save

    endpoint = make_endpoint()
    first = endpoint.endpoint_changed_at
    assert first is not None
    endpoint.read_timeout_seconds = 9
    authority_endpoint_save(endpoint=endpoint, actor=ADMIN)
    assert AuthorityEndpoint.objects.get(pk=endpoint.pk).endpoint_changed_at == first
    endpoint.url = "https://other.example.fi/in"
    authority_endpoint_save(endpoint=endpoint, actor=ADMIN)
    changed = AuthorityEndpoint.objects.get(pk=endpoint.pk).endpoint_changed_at
    assert changed is not None and changed > first
    assert AuditEvent.objects.filter(action="authority_endpoint.change").count() == 2


def test_x_road_target_address() -> None:
    endpoint = make_endpoint(
        url="https://ss.luvat.example.fi/", xroad_service="FI/GOV/1234567-8/spa/applications"
    )
    assert (
        endpoint_config(endpoint).target_url
        == "https://ss.luvat.example.fi/r1/FI/GOV/1234567-8/spa/applications"
    )


def test_a_service_may_name_its_endpoint_but_only_of_its_authority() -> None:
    default = make_endpoint(code="a-default", authority_code="tampere")
    named = make_endpoint(code="b-building", authority_code="tampere")
    make_endpoint(code="c-other", authority_code="espoo")
    make_endpoint(code="d-off", authority_code="vantaa", enabled=False)
    endpoints = enabled_endpoints()
    assert choose_endpoint(endpoints, authority_code="tampere") == default
    assert choose_endpoint(endpoints, authority_code="tampere", reference="b-building") == named
    assert choose_endpoint(endpoints, authority_code="tampere", reference="c-other") is None
    assert choose_endpoint(endpoints, authority_code="vantaa") is None


def test_circuit_opens_holds_and_admits_one_trial(settings) -> None:
    settings.LUVAT_CIRCUIT_FAILURE_THRESHOLD = 3
    settings.LUVAT_CIRCUIT_OPEN_SECONDS = 60
    endpoint = make_endpoint()
    now = timezone.now()
    circuit_record_results(endpoint_id=endpoint.pk, results=[DOWN, DOWN], now=now)
    assert circuits_holding(enabled_endpoints().values(), now) == {}
    circuit_record_results(endpoint_id=endpoint.pk, results=[DOWN], now=now)
    row = EndpointCircuit.objects.get(endpoint=endpoint)
    assert (row.status, row.consecutive_failures, row.last_failure) == ("open", 3, DOWN.reason)
    held = circuits_holding(enabled_endpoints().values(), now + timedelta(seconds=30))
    assert held == {endpoint.code: now + timedelta(seconds=60)}
    assert not circuit_try_trial(endpoint=endpoint, now=now + timedelta(seconds=30))
    assert circuit_try_trial(endpoint=endpoint, now=now + timedelta(seconds=61))
    assert not circuit_try_trial(endpoint=endpoint, now=now + timedelta(seconds=62))
    circuit_record_results(endpoint_id=endpoint.pk, results=[OK], now=now + timedelta(seconds=63))
    row.refresh_from_db()
    assert (row.status, row.consecutive_failures, row.opened_at) == ("closed", 0, None)
    assert row.last_success_at is not None


def test_administrator_can_close_a_circuit() -> None:
    endpoint = make_endpoint()
    circuit_record_results(endpoint_id=endpoint.pk, results=[DOWN] * 10, now=timezone.now())
    circuit_close(endpoint=endpoint, actor=ADMIN)
    assert EndpointCircuit.objects.get(endpoint=endpoint).status == "closed"
    assert AuditEvent.objects.filter(action="authority_endpoint.circuit_close").exists()


def test_admin_sets_a_secret_without_ever_showing_it(admin_client) -> None:
    response = admin_client.post(
        "/en/admin/integrations/authorityendpoint/add/",
        {
            "code": "tampere-env",
            "authority_code": "tampere",
            "transport": "http",
            "url": "https://asiointi.tampere.fi/luvat",
            "connect_timeout_seconds": "5",
            "read_timeout_seconds": "30",
            "verify_tls": "on",
            "amqp_exchange": "luvat.applications",
            "enabled": "on",
            "new_signing_secret": SECRET,
            "circuit-TOTAL_FORMS": "0",
            "circuit-INITIAL_FORMS": "0",
            "circuit-MIN_NUM_FORMS": "0",
            "circuit-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = AuthorityEndpoint.objects.get(code="tampere-env")
    assert endpoint_config(endpoint).signing_secret == SECRET
    page = admin_client.get(f"/en/admin/integrations/authorityendpoint/{endpoint.pk}/change/")
    assert page.status_code == 200 and SECRET not in page.content.decode()
    listing = admin_client.get("/en/admin/integrations/authorityendpoint/")
    assert "tampere-env" in listing.content.decode()


def test_a_healthy_circuit_is_not_written_on_every_round(django_assert_num_queries) -> None:
    endpoint = make_endpoint()
    now = timezone.now()
    circuit_record_results(endpoint_id=endpoint.pk, results=[OK], now=now)
    known = EndpointCircuit.objects.get(endpoint=endpoint)
    later = now + timedelta(seconds=SUCCESS_REFRESH_SECONDS / 2)
    with django_assert_num_queries(0):
        circuit_record_results(endpoint_id=endpoint.pk, results=[OK, OK], now=later, known=known)
    # A failure is written at once; so is a success once the last one is old enough.
    circuit_record_results(endpoint_id=endpoint.pk, results=[DOWN], now=later, known=known)
    row = EndpointCircuit.objects.get(endpoint=endpoint)
    assert (row.consecutive_failures, row.last_failure_at) == (1, later)
    stale = now + timedelta(seconds=SUCCESS_REFRESH_SECONDS + 1)
    circuit_record_results(endpoint_id=endpoint.pk, results=[OK], now=stale, known=known)
    row.refresh_from_db()
    assert (row.consecutive_failures, row.last_success_at) == (0, stale)
