"""Authority endpoints: choosing one for a message, saving changes, and their circuit breakers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.integrations.crypto import decrypt_secret, encrypt_secret
from luvat.integrations.models import AuthorityEndpoint, EndpointCircuit, TransportKind
from luvat.integrations.policy import (
    BreakerPolicy,
    Circuit,
    CircuitStatus,
    DeliveryResult,
    circuit_admit,
    circuit_record,
    circuit_reopens_at,
)
from luvat.integrations.transports.base import EndpointConfig

_M = TypeVar("_M", bound=models.Model)

# Changing these moves the deliveries somewhere else: onboarding's change metrics watch it.
ADDRESS_FIELDS = ("transport", "url", "xroad_service", "amqp_exchange", "amqp_queue")


def breaker_policy() -> BreakerPolicy:
    return BreakerPolicy(
        failure_threshold=settings.LUVAT_CIRCUIT_FAILURE_THRESHOLD,
        open_seconds=settings.LUVAT_CIRCUIT_OPEN_SECONDS,
    )


def endpoint_config(endpoint: AuthorityEndpoint) -> EndpointConfig:
    """What a transport needs, with the signing secret decrypted."""
    return EndpointConfig(
        code=endpoint.code,
        authority_code=endpoint.authority_code,
        transport=endpoint.transport,
        url=endpoint.url,
        xroad_client=endpoint.xroad_client,
        xroad_service=endpoint.xroad_service,
        signing_secret=decrypt_secret(endpoint.signing_secret_encrypted),
        connect_timeout_seconds=endpoint.connect_timeout_seconds,
        read_timeout_seconds=endpoint.read_timeout_seconds,
        verify_tls=endpoint.verify_tls,
        ca_bundle=endpoint.ca_bundle,
        amqp_url=settings.LUVAT_AMQP_URL if endpoint.transport == TransportKind.AMQP else "",
        amqp_exchange=endpoint.amqp_exchange,  # empty: the topology's (LUVAT_AMQP_PREFIX)
        amqp_queue=endpoint.amqp_queue,
    )


def enabled_endpoints() -> dict[str, AuthorityEndpoint]:
    """Enabled endpoints by code, with their circuits (one query).

    Every delivery round asks this, so the statement is written once per database vendor
    (:func:`_enabled_endpoints_sql`) rather than compiled by the ORM each time; the rows go
    through the fields' own database converters and ``from_db`` as the ORM's would."""
    sql, endpoint_fields, circuit_fields = _enabled_endpoints_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [True])
        rows = cursor.fetchall()
    split = len(endpoint_fields)
    endpoints = {}
    for row in rows:
        endpoint = _from_row(AuthorityEndpoint, endpoint_fields, row[:split])
        circuit_values = row[split:]
        circuit: EndpointCircuit | None = None
        if circuit_values[0] is not None:  # the circuit's primary key: no row when NULL
            circuit = _from_row(EndpointCircuit, circuit_fields, circuit_values)
        endpoint._circuit_cache = circuit  # type: ignore[attr-defined]
        endpoints[endpoint.code] = endpoint
    return endpoints


_Converter = Callable[[Any, Any, Any], Any]
_FieldRead = tuple[str, list[_Converter], Any]


def _field_reads(model: type[models.Model], alias: str) -> list[_FieldRead]:
    reads = []
    for field in model._meta.concrete_fields:
        column = field.get_col(alias)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        reads.append((field.attname, converters, column))
    return reads


@functools.cache
def _enabled_endpoints_sql(vendor: str) -> tuple[str, list[_FieldRead], list[_FieldRead]]:
    del vendor  # the cache key: the statement and converters depend on the backend
    quote = connection.ops.quote_name
    endpoint_meta, circuit_meta = AuthorityEndpoint._meta, EndpointCircuit._meta
    endpoint_fields = _field_reads(AuthorityEndpoint, "e")
    circuit_fields = _field_reads(EndpointCircuit, "c")
    columns = [f"e.{quote(f.column)}" for f in endpoint_meta.concrete_fields]
    columns += [f"c.{quote(f.column)}" for f in circuit_meta.concrete_fields]
    on = (
        f"c.{quote(circuit_meta.get_field('endpoint').column)} = e.{quote(endpoint_meta.pk.column)}"
    )
    # Names from the models' metadata, quoted; the one value is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(endpoint_meta.db_table)} e"  # noqa: S608
        f" LEFT JOIN {quote(circuit_meta.db_table)} c ON {on}"
        f" WHERE e.{quote(endpoint_meta.get_field('enabled').column)} = %s"
        f" ORDER BY e.{quote(endpoint_meta.get_field('code').column)}"
    )
    return sql, endpoint_fields, circuit_fields


def _from_row(model: type[_M], reads: list[_FieldRead], values: Sequence[Any]) -> _M:
    converted = []
    for (_attname, converters, column), value in zip(reads, values, strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [attname for attname, _c, _col in reads], converted)


def choose_endpoint(
    endpoints: dict[str, AuthorityEndpoint], *, authority_code: str, reference: str = ""
) -> AuthorityEndpoint | None:
    """The endpoint a service names (``Service.integration_endpoint``), else the authority's."""
    if reference:
        named = endpoints.get(reference)
        return named if named is not None and named.authority_code == authority_code else None
    for endpoint in endpoints.values():
        if endpoint.authority_code == authority_code:
            return endpoint
    return None


def circuit_of(endpoint: AuthorityEndpoint) -> Circuit:
    row: EndpointCircuit | None = getattr(endpoint, "_circuit_cache", None)
    if row is None:
        return Circuit()
    return Circuit(CircuitStatus(row.status), row.consecutive_failures, row.opened_at)


@transaction.atomic
def authority_endpoint_save(
    *, endpoint: AuthorityEndpoint, actor: Actor, signing_secret: str | None = None
) -> AuthorityEndpoint:
    """Create or change an endpoint; a new ``signing_secret`` is stored encrypted."""
    now = timezone.now()
    previous = (
        AuthorityEndpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
        if endpoint.pk
        else None
    )
    changed = [
        name
        for name in ADDRESS_FIELDS
        if previous is None or getattr(previous, name) != getattr(endpoint, name)
    ]
    if changed:
        endpoint.endpoint_changed_at = now
    if signing_secret:
        endpoint.signing_secret_encrypted = encrypt_secret(signing_secret)
    endpoint.updated_at = now
    endpoint.save()
    EndpointCircuit.objects.get_or_create(endpoint=endpoint)
    audit_record(
        actor=actor,
        action="authority_endpoint.create" if previous is None else "authority_endpoint.change",
        target=endpoint,
        details={
            "authority_code": endpoint.authority_code,
            "changed": changed,
            "secret_changed": bool(signing_secret),
        },
    )
    return endpoint


def _locked_circuit(endpoint_id: int) -> EndpointCircuit:
    EndpointCircuit.objects.get_or_create(endpoint_id=endpoint_id)
    return EndpointCircuit.objects.select_for_update().get(endpoint_id=endpoint_id)


@transaction.atomic
def circuit_try_trial(*, endpoint: AuthorityEndpoint, now: datetime) -> bool:
    """For a held circuit whose time has come: claim the one trial delivery (True) or not."""
    row = _locked_circuit(endpoint.pk)
    circuit = Circuit(CircuitStatus(row.status), row.consecutive_failures, row.opened_at)
    allowed, after = circuit_admit(breaker_policy(), circuit, now)
    if allowed and after != circuit:
        row.status = after.status
        row.opened_at = after.opened_at
        row.save(update_fields=["status", "opened_at"])
    return allowed


SUCCESS_REFRESH_SECONDS = 10.0


def circuit_record_results(
    *,
    endpoint_id: int,
    results: Sequence[DeliveryResult],
    now: datetime,
    known: EndpointCircuit | None = None,
) -> Circuit:
    """Fold a batch's results, in order, into the endpoint's circuit breaker.

    ``known`` is the circuit row as read at the start of the round (``enabled_endpoints``).
    The row is locked and its state written only when the state may change: a failure, or a
    circuit not known to be closed without failures. When it is closed without failures and
    every result succeeded, only ``last_success_at`` moves, at most every
    :data:`SUCCESS_REFRESH_SECONDS`, by one conditional update that takes no lock (the
    worker's steady state: no statement at all in most rounds)."""
    steady = (
        known is not None
        and known.status == CircuitStatus.CLOSED
        and known.consecutive_failures == 0
        and not any(r.endpoint_failed for r in results)
    )
    if steady and known is not None:
        last = known.last_success_at
        if last is not None and (now - last).total_seconds() < SUCCESS_REFRESH_SECONDS:
            return Circuit(CircuitStatus.CLOSED, 0, known.opened_at)
        refreshed = EndpointCircuit.objects.filter(
            endpoint_id=endpoint_id, status=CircuitStatus.CLOSED, consecutive_failures=0
        ).update(last_success_at=now)
        if refreshed:
            known.last_success_at = now
            return Circuit(CircuitStatus.CLOSED, 0, None)
        # ``known`` was stale: the row holds failures by now; fold as usual.
    with transaction.atomic():
        return _fold_results(endpoint_id, results, now)


def _fold_results(endpoint_id: int, results: Sequence[DeliveryResult], now: datetime) -> Circuit:
    row = _locked_circuit(endpoint_id)
    circuit = Circuit(CircuitStatus(row.status), row.consecutive_failures, row.opened_at)
    policy = breaker_policy()
    for result in results:
        circuit = circuit_record(policy, circuit, result, now)
    row.status = circuit.status
    row.consecutive_failures = circuit.consecutive_failures
    row.opened_at = circuit.opened_at
    fields = ["status", "consecutive_failures", "opened_at"]
    failures = [r for r in results if r.endpoint_failed]
    if failures:
        row.last_failure = failures[-1].reason
        row.last_failure_at = now
        fields += ["last_failure", "last_failure_at"]
    if len(failures) < len(results):
        row.last_success_at = now
        fields.append("last_success_at")
    row.save(update_fields=fields)
    return circuit


def circuits_holding(endpoints: Iterable[AuthorityEndpoint], now: datetime) -> dict[str, datetime]:
    """Endpoint code → when its open circuit lets a trial through, for circuits holding now."""
    policy = breaker_policy()
    held: dict[str, datetime] = {}
    for endpoint in endpoints:
        circuit = circuit_of(endpoint)
        reopens = circuit_reopens_at(policy, circuit)
        if reopens is not None and now < reopens:
            held[endpoint.code] = reopens
    return held


@transaction.atomic
def circuit_close(*, endpoint: AuthorityEndpoint, actor: Actor) -> None:
    """An administrator knows the endpoint is back: let deliveries flow without waiting."""
    row = _locked_circuit(endpoint.pk)
    row.status = CircuitStatus.CLOSED
    row.consecutive_failures = 0
    row.opened_at = None
    row.save(update_fields=["status", "consecutive_failures", "opened_at"])
    audit_record(actor=actor, action="authority_endpoint.circuit_close", target=endpoint)
