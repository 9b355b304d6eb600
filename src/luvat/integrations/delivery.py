"""Delivering the outbox to authority systems: the worker job.

One round: claim a batch of due messages (``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so several workers share the work; SQLite serialises the claim), lease
them by moving ``next_attempt_at`` ahead and counting the attempt, commit, send them
outside any transaction, then write each outcome only if the lease is still ours.
A worker killed at any point leaves its messages to be taken again when the lease
runs out: delivery is at least once, and receivers de-duplicate on the stable
``message_id`` (exactly-once effect).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
import structlog
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.integrations.documents import encode, encode_around, envelope, json_loads
from luvat.integrations.endpoints import (
    choose_endpoint,
    circuit_of,
    circuit_record_results,
    circuit_try_trial,
    circuits_holding,
    enabled_endpoints,
    endpoint_config,
)
from luvat.integrations.metrics import DELIVERY_ATTEMPTS
from luvat.integrations.models import (
    AuthorityEndpoint,
    OutboxMessage,
    OutboxStatus,
    TransportKind,
)
from luvat.integrations.policy import (
    CircuitStatus,
    DeliveryResult,
    Outcome,
    RetryPolicy,
    Step,
    decide,
)
from luvat.integrations.transports.amqp import AmqpTransport
from luvat.integrations.transports.base import EndpointConfig, Envelope
from luvat.integrations.transports.http import HttpTransport

log = structlog.get_logger(__name__)
SYSTEM = Actor.system("outbox-delivery")
BATCH_SIZE = 100
NO_ENDPOINT_DELAY = timedelta(minutes=5)
_rng = random.Random()  # noqa: S311 - jitter, not security
_local = threading.local()
_http = HttpTransport()


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        base_seconds=settings.LUVAT_DELIVERY_BACKOFF_SECONDS,
        cap_seconds=settings.LUVAT_DELIVERY_BACKOFF_CAP_SECONDS,
        max_attempts=settings.LUVAT_DELIVERY_MAX_ATTEMPTS,
    )


def amqp_transport() -> AmqpTransport:
    """pika is not thread-safe: one AMQP transport per thread."""
    transport: AmqpTransport | None = getattr(_local, "amqp", None)
    if transport is None:
        transport = _local.amqp = AmqpTransport()
    return transport


@dataclass
class Claimed:
    pk: int
    message_id: str
    kind: str
    authority_code: str
    application_id: str
    application_reference: str
    endpoint_reference: str
    payload: dict[str, Any]  # on PostgreSQL only its attachments: the rest is payload_json
    attempts: int
    created_at: datetime
    lease: datetime
    payload_json: bytes | None = None  # the stored JSON object, sent as it is (PostgreSQL)


@dataclass
class Attempt:
    message: Claimed
    endpoint: AuthorityEndpoint | None
    result: DeliveryResult | None = None  # None: not tried (released without counting)
    release_until: datetime | None = None
    release_reason: str = ""


CLAIM_FIELDS = (
    "pk",
    "message_id",
    "kind",
    "authority_code",
    "application_reference",
    "payload",
    "attempts",
    "created_at",
    "application__public_id",
    "application__service__integration_endpoint",
)


# Both sides of a round write only what a repeat fixes: a lease or an outcome lost with the
# last few hundred milliseconds of commits when PostgreSQL itself crashes sends the message
# again (at least once; receivers de-duplicate on message_id). So these transactions do not
# wait for their WAL flush (docs/architecture.md, "Outbox delivery"). Sent in the same
# round trip as the statement (``SET LOCAL synchronous_commit TO OFF`` after it), so the
# statement's rows are the first result.

# PostgreSQL: pick (skipping rows another worker holds), lease and read in one statement.
_CLAIM_SQL = """
WITH picked AS (
    SELECT id FROM integrations_outboxmessage
    WHERE status = %(pending)s AND next_attempt_at <= %(now)s
      AND authority_code = ANY(%(codes)s)
    ORDER BY next_attempt_at, id LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
), leased AS (
    UPDATE integrations_outboxmessage m
    SET next_attempt_at = %(lease)s, attempts = m.attempts + 1
    FROM picked WHERE m.id = picked.id
    RETURNING m.id, m.message_id, m.kind, m.authority_code, m.application_reference,
        m.payload, m.attempts, m.created_at, m.application_id
)
SELECT l.id, l.message_id, l.kind, l.authority_code, l.application_reference,
    CASE WHEN jsonb_typeof(l.payload) = 'object' THEN convert_to(l.payload::text, 'UTF8') END,
    convert_to(COALESCE(l.payload -> 'attachments', 'null')::text, 'UTF8'),
    COALESCE(a.public_id::text, l.payload -> 'application' ->> 'id', ''),
    l.attempts, l.created_at, s.integration_endpoint
FROM leased l
LEFT JOIN projects_application a ON a.id = l.application_id
LEFT JOIN catalogue_service s ON s.id = a.service_id
ORDER BY l.id;
SET LOCAL synchronous_commit TO OFF
"""


# One statement for every outcome of a round: each row gets its own values (one JSON array
# of rows, one parameter), and only if the lease is still ours (status pending and
# next_attempt_at the lease we wrote).
_APPLY_SQL = {
    "postgresql": """
UPDATE integrations_outboxmessage AS m
SET status = v.status, next_attempt_at = v.next_attempt_at,
    attempts = m.attempts + v.attempts_delta, last_error = v.last_error,
    delivered_at = COALESCE(v.delivered_at, m.delivered_at)
FROM json_to_recordset(%s::json) AS v(id bigint, status text, next_attempt_at timestamptz,
    attempts_delta int, last_error text, delivered_at timestamptz)
WHERE m.id = v.id AND m.status = %s AND m.next_attempt_at = %s
RETURNING m.id;
SET LOCAL synchronous_commit TO OFF
""",
    "sqlite": """
WITH v AS (
    SELECT value ->> 'id' AS id, value ->> 'status' AS status,
        value ->> 'next_attempt_at' AS next_attempt_at,
        value ->> 'attempts_delta' AS attempts_delta, value ->> 'last_error' AS last_error,
        value ->> 'delivered_at' AS delivered_at
    FROM json_each(%s)
)
UPDATE integrations_outboxmessage
SET status = v.status, next_attempt_at = v.next_attempt_at,
    attempts = integrations_outboxmessage.attempts + v.attempts_delta,
    last_error = v.last_error,
    delivered_at = COALESCE(v.delivered_at, integrations_outboxmessage.delivered_at)
FROM v
WHERE integrations_outboxmessage.id = v.id AND integrations_outboxmessage.status = %s
    AND integrations_outboxmessage.next_attempt_at = %s
RETURNING integrations_outboxmessage.id
""",
}


def claim(*, authority_codes: Iterable[str], limit: int, now: datetime) -> list[Claimed]:
    """Lease up to ``limit`` due pending messages of the given authorities to this worker
    (one statement on PostgreSQL, a transaction by itself; three in one on SQLite)."""
    codes = sorted(set(authority_codes))
    if not codes or limit <= 0:
        return []
    lease = now + timedelta(seconds=settings.LUVAT_DELIVERY_LEASE_SECONDS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _CLAIM_SQL,
                {
                    "pending": str(OutboxStatus.PENDING),
                    "now": now,
                    "codes": codes,
                    "limit": limit,
                    "lease": lease,
                },
            )
            rows = cursor.fetchall()
        # Plain tuples, and the payload left as the JSON it is stored as: only its
        # attachments are parsed (their links are signed at delivery time).
        return [
            Claimed(
                pk=pk,
                message_id=str(message_id),
                kind=kind,
                authority_code=authority_code,
                application_id=application_id,
                application_reference=application_reference,
                endpoint_reference=endpoint_reference or "",
                payload={"attachments": _attachments(attachments)},
                attempts=attempts,
                created_at=created_at,
                lease=lease,
                payload_json=b"{}" if payload is None else bytes(payload),
            )
            for (
                pk,
                message_id,
                kind,
                authority_code,
                application_reference,
                payload,
                attachments,
                application_id,
                attempts,
                created_at,
                endpoint_reference,
            ) in rows
        ]
    with transaction.atomic():
        due = OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING, next_attempt_at__lte=now, authority_code__in=codes
        ).order_by("next_attempt_at", "id")
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        OutboxMessage.objects.filter(pk__in=ids).update(
            next_attempt_at=lease, attempts=F("attempts") + 1
        )
        claimed_rows = OutboxMessage.objects.filter(pk__in=ids).order_by("id")
        rows = list(claimed_rows.values(*CLAIM_FIELDS))
    claimed = []
    for row in rows:
        payload = row["payload"]
        payload = payload if isinstance(payload, dict) else {}
        application_id = row["application__public_id"]
        if application_id is None:
            application_id = (payload.get("application") or {}).get("id", "")
        claimed.append(
            Claimed(
                pk=row["pk"],
                message_id=str(row["message_id"]),
                kind=row["kind"],
                authority_code=row["authority_code"],
                application_id=str(application_id),
                application_reference=row["application_reference"],
                endpoint_reference=row["application__service__integration_endpoint"] or "",
                payload=payload,
                attempts=row["attempts"],
                created_at=row["created_at"],
                lease=lease,
            )
        )
    return claimed


def _attachments(stored: bytes | memoryview) -> Any:
    return json_loads(bytes(stored))


def build_envelope(message: Claimed) -> Envelope:
    document = envelope(
        message_id=message.message_id,
        kind=message.kind,
        created_at=message.created_at,
        authority_code=message.authority_code,
        application_id=message.application_id,
        application_reference=message.application_reference,
        payload=message.payload,
    )
    if message.payload_json is None:
        body = encode(document)
    else:
        body = encode_around(document, data=message.payload_json)
    return Envelope(
        message_id=message.message_id,
        kind=message.kind,
        authority_code=message.authority_code,
        application_ref=message.application_reference,
        body=body,
        correlation_id=message.application_id,
    )


def envelope_or_refusal(message: Claimed) -> Envelope | DeliveryResult:
    """The message ready to go, or a permanent failure when its document cannot be built."""
    try:
        return build_envelope(message)
    except (KeyError, TypeError, ValueError) as exc:
        return DeliveryResult(Outcome.PERMANENT, reason=f"cannot build the document: {exc}")


def send_http(config: EndpointConfig, message: Claimed) -> DeliveryResult:
    built = envelope_or_refusal(message)
    if isinstance(built, DeliveryResult):
        return built
    return _http.send(config, built)


def _pool() -> ThreadPoolExecutor:
    pool: ThreadPoolExecutor | None = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = ThreadPoolExecutor(
            max_workers=settings.LUVAT_DELIVERY_CONCURRENCY, thread_name_prefix="delivery"
        )
    return pool


Finish = Callable[[], None]
"""Completes a group's sending: waits for the answers still to come and sets the results."""


def _nothing_to_wait_for() -> None:
    return None


def send_amqp(config: EndpointConfig, attempts: list[Attempt]) -> Finish:
    """Publish the whole group on this thread's connection; the returned function awaits
    every confirm at once. Between the two, the worker may prepare its next round.

    When the connection cannot be opened or drops, each message without a confirm gets
    the RETRY with the reason; the circuit breaker then counts them as usual."""
    ready: list[tuple[Attempt, Envelope]] = []
    for attempt in attempts:
        built = envelope_or_refusal(attempt.message)
        if isinstance(built, DeliveryResult):
            attempt.result = built
        else:
            ready.append((attempt, built))
    if not ready:
        return _nothing_to_wait_for
    transport = amqp_transport()
    flight = transport.start_many(config, [built for _attempt, built in ready])

    def finish() -> None:
        results = transport.finish_many(flight)
        for (attempt, _built), result in zip(ready, results, strict=True):
            attempt.result = result

    return finish


def send_to_endpoint(endpoint: AuthorityEndpoint, attempts: list[Attempt]) -> Finish:
    """Send a group: AMQP as one batch of publishes (:func:`send_amqp`), HTTP requests in
    parallel. Once ``parallel`` HTTP attempts in a row failed on the endpoint, the rest are
    released untried."""
    config = endpoint_config(endpoint)
    if config.transport == TransportKind.AMQP:
        return send_amqp(config, attempts)
    parallel = settings.LUVAT_DELIVERY_CONCURRENCY
    lock = threading.Lock()
    streak = [0]

    def attempt_one(attempt: Attempt) -> None:
        with lock:
            if streak[0] >= parallel:
                attempt.release_until = timezone.now()
                attempt.release_reason = "not tried: the endpoint failed just before"
                return
        result = send_http(config, attempt.message)
        attempt.result = result
        with lock:
            streak[0] = streak[0] + 1 if result.endpoint_failed else 0

    if parallel == 1:
        for attempt in attempts:
            attempt_one(attempt)
    else:
        for future in [_pool().submit(attempt_one, attempt) for attempt in attempts]:
            future.result()
    return _nothing_to_wait_for


@dataclass(frozen=True)
class _Write:
    """What one row of a round comes to: its new values, and what to count once written."""

    pk: int
    status: str
    next_attempt_at: datetime
    attempts_delta: int
    last_error: str
    delivered_at: datetime | None
    count_as: str


def _outcome_write(attempt: Attempt, policy: RetryPolicy, now: datetime) -> _Write:
    message = attempt.message
    pending = str(OutboxStatus.PENDING)
    if attempt.result is None:  # released untried: the attempt does not count
        until = attempt.release_until or now
        return _Write(message.pk, pending, until, -1, attempt.release_reason, None, "released")
    decision = decide(policy, attempts=message.attempts, result=attempt.result, rng=_rng)
    if decision.step is Step.DELIVERED:
        delivered = str(OutboxStatus.DELIVERED)
        return _Write(message.pk, delivered, message.lease, 0, "", now, "delivered")
    reason = decision.reason[:2000]
    if decision.step is Step.RETRY:
        later = now + timedelta(seconds=decision.delay_seconds)
        return _Write(message.pk, pending, later, 0, reason, None, str(Step.RETRY))
    return _Write(message.pk, str(OutboxStatus.DEAD), message.lease, 0, reason, None, "dead")


def _write_outcomes(writes: list[_Write], lease: datetime) -> set[int]:
    """One statement: every row whose lease is still ``lease`` takes its values; their ids."""
    adapt = connection.ops.adapt_datetimefield_value
    rows = orjson.dumps(
        [
            {
                "id": w.pk,
                "status": w.status,
                "next_attempt_at": adapt(w.next_attempt_at),
                "attempts_delta": w.attempts_delta,
                "last_error": w.last_error,
                "delivered_at": adapt(w.delivered_at),
            }
            for w in writes
        ]
    ).decode()
    sql = _APPLY_SQL["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [rows, str(OutboxStatus.PENDING), adapt(lease)])
        return {row[0] for row in cursor.fetchall()}


def apply_outcomes(attempts: list[Attempt], now: datetime) -> dict[str, int]:
    """Write each outcome if the lease is still ours (a later worker may own the row now):
    one statement per claim's lease (every claim of a round leases with the same time)."""
    policy = retry_policy()
    counts: dict[str, int] = defaultdict(int)
    by_lease: dict[datetime, list[tuple[Attempt, _Write]]] = defaultdict(list)
    dead_letters = False
    for attempt in attempts:
        write = _outcome_write(attempt, policy, now)
        dead_letters = dead_letters or write.count_as == "dead"
        by_lease[attempt.message.lease].append((attempt, write))
    # One statement is a transaction by itself; a dead letter's audit row joins it in one.
    with transaction.atomic() if dead_letters or len(by_lease) > 1 else nullcontext():
        for lease, group in by_lease.items():
            written = _write_outcomes([write for _attempt, write in group], lease)
            for attempt, write in group:
                if write.pk not in written:
                    counts["lease_lost"] += 1
                    continue
                counts[write.count_as] += 1
                if write.count_as == "dead":
                    dead_letter_alert(attempt.message, write.last_error)
    return counts


def dead_letter_alert(message: Claimed, reason: str) -> None:
    log.error(
        "outbox.dead_letter",
        message_id=message.message_id,
        kind=message.kind,
        authority=message.authority_code,
        application=message.application_reference,
        reason=reason,
    )
    audit_record(
        actor=SYSTEM,
        action="outbox.dead_letter",
        target=("integrations.outboxmessage", message.pk),
        details={"message_id": message.message_id, "reason": reason[:500]},
    )


@dataclass
class Round:
    """A claimed batch on its way: sent or published, its answers and outcomes to come."""

    endpoints: dict[str, AuthorityEndpoint]
    attempts: list[Attempt]
    by_endpoint: dict[str, list[Attempt]]
    finishers: list[Finish]

    @property
    def waiting(self) -> bool:
        """Whether answers are still to come (an AMQP batch published, not yet confirmed)."""
        return any(finish is not _nothing_to_wait_for for finish in self.finishers)


def round_start(*, limit: int = BATCH_SIZE, now: datetime | None = None) -> Round | None:
    """Claim a batch and send it (HTTP) or publish it (AMQP, answers still to come); None
    when nothing was due."""
    now = now or timezone.now()
    endpoints = enabled_endpoints()
    held = circuits_holding(endpoints.values(), now)
    open_codes: set[str] = set()
    trials: dict[str, AuthorityEndpoint] = {}
    for candidate in endpoints.values():
        status = circuit_of(candidate).status
        if status is CircuitStatus.CLOSED:
            open_codes.add(candidate.authority_code)
        elif candidate.code not in held and circuit_try_trial(endpoint=candidate, now=now):
            trials[candidate.code] = candidate
    claimed = claim(authority_codes=open_codes, limit=limit, now=now)
    for trial in trials.values():
        if trial.authority_code not in open_codes:
            claimed += claim(authority_codes=[trial.authority_code], limit=1, now=now)
    if not claimed:
        return None
    by_endpoint: dict[str, list[Attempt]] = defaultdict(list)
    attempts: list[Attempt] = []
    for message in claimed:
        endpoint = choose_endpoint(
            endpoints, authority_code=message.authority_code, reference=message.endpoint_reference
        )
        attempt = Attempt(message, endpoint)
        attempts.append(attempt)
        if endpoint is None:
            attempt.release_until = now + NO_ENDPOINT_DELAY
            attempt.release_reason = (
                f"no enabled endpoint {message.endpoint_reference or 'for the authority'}"
            )
        elif endpoint.code in held:
            attempt.release_until = held[endpoint.code]
            attempt.release_reason = "held: the endpoint's circuit breaker is open"
        else:
            by_endpoint[endpoint.code].append(attempt)
    finishers = [send_to_endpoint(endpoints[code], group) for code, group in by_endpoint.items()]
    return Round(endpoints, attempts, by_endpoint, finishers)


def round_finish(started: Round) -> dict[str, int]:
    """Take in a round's answers, fold them into the circuit breakers and record each
    outcome; counts by outcome."""
    for finish in started.finishers:
        finish()
    finished = timezone.now()
    for code, group in started.by_endpoint.items():
        results = [a.result for a in group if a.result is not None]
        for outcome, attempted in Counter(r.outcome.value for r in results).items():
            DELIVERY_ATTEMPTS.labels(endpoint=code, outcome=outcome).inc(attempted)
        if results:
            endpoint = started.endpoints[code]
            circuit_record_results(
                endpoint_id=endpoint.pk,
                results=results,
                now=finished,
                known=getattr(endpoint, "_circuit_cache", None),
            )
    return apply_outcomes(started.attempts, finished)


def deliver_round(*, limit: int = BATCH_SIZE, now: datetime | None = None) -> dict[str, int]:
    """Claim, send and record one batch; return counts by outcome (empty when nothing was due)."""
    started = round_start(limit=limit, now=now)
    return {} if started is None else round_finish(started)


def deliver_outbox(*, time_budget_seconds: float = 10.0) -> int:
    """The worker job: deliver rounds until nothing is due or the time budget is spent.

    A round whose answers are still to come (AMQP confirms) overlaps the next: that one is
    claimed and published while the broker answers, and the first's outcomes are recorded
    after. Its circuit check then sees the outcomes up to the round before the last; HTTP
    rounds, answered when sent, are recorded before the next one starts."""
    deadline = time.monotonic() + time_budget_seconds
    handled = 0
    stop = False
    in_flight: Round | None = None

    def record(started: Round) -> None:
        nonlocal handled, stop
        counts = round_finish(started)
        handled += sum(counts.values())
        if counts.get("released", 0) == sum(counts.values()):
            stop = True  # everything due is held back: wait for the next run

    while True:
        if in_flight is not None and not in_flight.waiting:
            record(in_flight)
            in_flight = None
        try:
            upcoming = None if stop or time.monotonic() >= deadline else round_start()
        except BaseException:
            if in_flight is not None:
                record(in_flight)  # what went out is recorded before the error rises
            raise
        if in_flight is not None:
            record(in_flight)
        if upcoming is None:
            return handled
        in_flight = upcoming
