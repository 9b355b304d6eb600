"""Retry, back-off, circuit-breaker and dead-letter rules for deliveries (pure functions).

Nothing here touches the database or the network, so the rules are property-tested
on their own (tests/integrations/test_delivery_policy.py) and the delivery job only
applies their answers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # the receiver took the message: done
    RETRY = "retry"  # a temporary failure: try again later
    PERMANENT = "permanent"  # the receiver refused the message itself: retrying cannot help


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery attempt came to, as told by a transport."""

    outcome: Outcome
    reason: str = ""
    status_code: int | None = None
    retry_after_seconds: float | None = None
    duration_ms: float = 0.0

    @property
    def endpoint_failed(self) -> bool:
        """The endpoint itself misbehaved (counts against its circuit breaker)."""
        return self.outcome is Outcome.RETRY


# 408 Request Timeout and 429 Too Many Requests are about the moment, not the message.
RETRYABLE_4XX = frozenset({408, 429})


def classify_http_status(status: int) -> Outcome:
    """2xx accepted; 4xx other than 408/429 permanent; everything else (5xx, 3xx, 1xx) retried."""
    if 200 <= status <= 299:
        return Outcome.ACCEPTED
    if 400 <= status <= 499 and status not in RETRYABLE_4XX:
        return Outcome.PERMANENT
    return Outcome.RETRY


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header in delta-seconds form; None for anything else."""
    if not value:
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return None
    return float(min(int(value), 86_400))


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 5.0
    cap_seconds: float = 3600.0
    max_attempts: int = 15


def backoff_ceiling(policy: RetryPolicy, attempt: int) -> float:
    """Upper bound of the wait after the ``attempt``-th failed attempt (1-based)."""
    exponent = min(max(attempt - 1, 0), 62)
    return float(min(policy.cap_seconds, policy.base_seconds * (2**exponent)))


def backoff_delay(
    policy: RetryPolicy,
    attempt: int,
    rng: random.Random,
    *,
    retry_after_seconds: float | None = None,
) -> float:
    """ "Full jitter": uniform between 0 and the exponential ceiling, never before Retry-After."""
    delay = rng.uniform(0.0, backoff_ceiling(policy, attempt))
    if retry_after_seconds is not None:
        delay = max(delay, min(retry_after_seconds, policy.cap_seconds))
    return delay


class Step(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    DEAD = "dead"


@dataclass(frozen=True)
class Decision:
    step: Step
    delay_seconds: float = 0.0
    reason: str = ""


def decide(
    policy: RetryPolicy, *, attempts: int, result: DeliveryResult, rng: random.Random
) -> Decision:
    """What to do with a message after its ``attempts``-th attempt came to ``result``."""
    if result.outcome is Outcome.ACCEPTED:
        return Decision(Step.DELIVERED)
    if result.outcome is Outcome.PERMANENT:
        return Decision(Step.DEAD, reason=f"refused by the receiver: {result.reason}")
    if attempts >= policy.max_attempts:
        return Decision(
            Step.DEAD, reason=f"gave up after {attempts} attempts; last: {result.reason}"
        )
    delay = backoff_delay(policy, attempts, rng, retry_after_seconds=result.retry_after_seconds)
    return Decision(Step.RETRY, delay_seconds=delay, reason=result.reason)


class CircuitStatus(StrEnum):
    CLOSED = "closed"  # deliveries flow
    OPEN = "open"  # the endpoint failed repeatedly: hold deliveries
    HALF_OPEN = "half_open"  # one trial delivery is under way


@dataclass(frozen=True)
class BreakerPolicy:
    failure_threshold: int = 5
    open_seconds: float = 60.0


@dataclass(frozen=True)
class Circuit:
    status: CircuitStatus = CircuitStatus.CLOSED
    consecutive_failures: int = 0
    opened_at: datetime | None = None


def circuit_reopens_at(policy: BreakerPolicy, circuit: Circuit) -> datetime | None:
    """When a held circuit lets the next trial through; None when it is closed."""
    if circuit.status is CircuitStatus.CLOSED or circuit.opened_at is None:
        return None
    return circuit.opened_at + timedelta(seconds=policy.open_seconds)


def circuit_admit(policy: BreakerPolicy, circuit: Circuit, now: datetime) -> tuple[bool, Circuit]:
    """May a delivery go out now, and the circuit state after letting it (or not)?

    An open circuit lets one trial through once its hold time has passed and turns
    half-open; a half-open circuit whose trial never reported back (the worker died)
    lets another trial through after the same hold time.
    """
    if circuit.status is CircuitStatus.CLOSED:
        return True, circuit
    reopens_at = circuit_reopens_at(policy, circuit)
    if reopens_at is not None and now < reopens_at:
        return False, circuit
    return True, replace(circuit, status=CircuitStatus.HALF_OPEN, opened_at=now)


def circuit_record(
    policy: BreakerPolicy, circuit: Circuit, result: DeliveryResult, now: datetime
) -> Circuit:
    """The circuit after a delivery attempt came to ``result``.

    A permanent refusal proves the endpoint is up, so it closes the circuit like a success.
    """
    if not result.endpoint_failed:
        return Circuit()
    failures = circuit.consecutive_failures + 1
    if circuit.status is not CircuitStatus.CLOSED or failures >= policy.failure_threshold:
        return Circuit(CircuitStatus.OPEN, failures, now)
    return Circuit(CircuitStatus.CLOSED, failures, None)
