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

import json
import random
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.integrations.documents import encode, envelope
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
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    lease: datetime


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
SELECT l.id, l.message_id, l.kind, l.authority_code, l.application_reference, l.payload,
    l.attempts, l.created_at, a.public_id, s.integration_endpoint
FROM leased l
LEFT JOIN projects_application a ON a.id = l.application_id
LEFT JOIN catalogue_service s ON s.id = a.service_id
ORDER BY l.id
"""


@transaction.atomic
def claim(*, authority_codes: Iterable[str], limit: int, now: datetime) -> list[Claimed]:
    """Lease up to ``limit`` due pending messages of the given authorities to this worker
    (one statement on PostgreSQL, three on SQLite)."""
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
            rows = [dict(zip(CLAIM_FIELDS, row, strict=True)) for row in cursor.fetchall()]
    else:
        due = OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING, next_attempt_at__lte=now, authority_code__in=codes
        ).order_by("next_attempt_at", "id")
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        OutboxMessage.objects.filter(pk__in=ids).update(
            next_attempt_at=lease, attempts=F("attempts") + 1
        )
        rows = list(OutboxMessage.objects.filter(pk__in=ids).order_by("id").values(*CLAIM_FIELDS))
    claimed = []
    for row in rows:
        payload = row["payload"]
        if isinstance(payload, str | bytes):  # jsonb read raw on a cursor
            payload = json.loads(payload)
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
    return Envelope(
        message_id=message.message_id,
        kind=message.kind,
        authority_code=message.authority_code,
        application_ref=message.application_reference,
        body=encode(document),
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


def send_amqp(config: EndpointConfig, attempts: list[Attempt]) -> None:
    """Publish the whole group on this thread's connection, every confirm awaited at once.

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
        return
    results = amqp_transport().send_many(config, [built for _attempt, built in ready])
    for (attempt, _built), result in zip(ready, results, strict=True):
        attempt.result = result


def send_to_endpoint(endpoint: AuthorityEndpoint, attempts: list[Attempt]) -> None:
    """Send a group: AMQP as one batch of publishes (:func:`send_amqp`), HTTP requests in
    parallel. Once ``parallel`` HTTP attempts in a row failed on the endpoint, the rest are
    released untried."""
    config = endpoint_config(endpoint)
    if config.transport == TransportKind.AMQP:
        send_amqp(config, attempts)
        return
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


def apply_outcomes(attempts: list[Attempt], now: datetime) -> dict[str, int]:
    """Write each outcome if the lease is still ours (a later worker may own the row now)."""
    policy = retry_policy()
    counts: dict[str, int] = defaultdict(int)
    delivered: dict[datetime, list[int]] = defaultdict(list)
    with transaction.atomic():
        for attempt in attempts:
            message = attempt.message
            if attempt.result is not None and attempt.result.outcome is Outcome.ACCEPTED:
                delivered[message.lease].append(message.pk)
                continue
            mine = OutboxMessage.objects.filter(
                pk=message.pk, status=OutboxStatus.PENDING, next_attempt_at=message.lease
            )
            if attempt.result is None:
                mine.update(
                    next_attempt_at=attempt.release_until or now,
                    attempts=F("attempts") - 1,
                    last_error=attempt.release_reason,
                )
                counts["released"] += 1
                continue
            decision = decide(policy, attempts=message.attempts, result=attempt.result, rng=_rng)
            if decision.step is Step.RETRY:
                updated = mine.update(
                    next_attempt_at=now + timedelta(seconds=decision.delay_seconds),
                    last_error=decision.reason[:2000],
                )
            else:
                updated = mine.update(status=OutboxStatus.DEAD, last_error=decision.reason[:2000])
                if updated:
                    dead_letter_alert(message, decision.reason)
            counts[str(decision.step) if updated else "lease_lost"] += 1
        for lease, ids in delivered.items():
            # One statement per claim: every row of a claim carries the same lease.
            updated = OutboxMessage.objects.filter(
                pk__in=ids, status=OutboxStatus.PENDING, next_attempt_at=lease
            ).update(status=OutboxStatus.DELIVERED, delivered_at=now, last_error="")
            if updated:
                counts["delivered"] += updated
            if updated < len(ids):
                counts["lease_lost"] += len(ids) - updated
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


def deliver_round(*, limit: int = BATCH_SIZE, now: datetime | None = None) -> dict[str, int]:
    """Claim, send and record one batch; return counts by outcome (empty when nothing was due)."""
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
        return {}
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
    for code, group in by_endpoint.items():
        send_to_endpoint(endpoints[code], group)
    finished = timezone.now()
    for code, group in by_endpoint.items():
        results = [a.result for a in group if a.result is not None]
        for result in results:
            DELIVERY_ATTEMPTS.labels(endpoint=code, outcome=result.outcome.value).inc()
        if results:
            endpoint = endpoints[code]
            circuit_record_results(
                endpoint_id=endpoint.pk,
                results=results,
                now=finished,
                known=getattr(endpoint, "_circuit_cache", None),
            )
    return apply_outcomes(attempts, finished)


def deliver_outbox(*, time_budget_seconds: float = 10.0) -> int:
    """The worker job: deliver rounds until nothing is due or the time budget is spent."""
    deadline = time.monotonic() + time_budget_seconds
    handled = 0
    while time.monotonic() < deadline:
        counts = deliver_round()
        if not counts:
            break
        handled += sum(counts.values())
        if counts.get("released", 0) == sum(counts.values()):
            break  # everything due is held back: wait for the next run
    return handled
