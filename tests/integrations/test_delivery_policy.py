"""Back-off with full jitter, the dead-letter decision and the circuit breaker (property-tested)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from luvat.integrations.policy import (
    BreakerPolicy,
    Circuit,
    CircuitStatus,
    DeliveryResult,
    Outcome,
    RetryPolicy,
    Step,
    backoff_ceiling,
    backoff_delay,
    circuit_admit,
    circuit_record,
    classify_http_status,
    decide,
    parse_retry_after,
)

policies = st.builds(
    RetryPolicy,
    base_seconds=st.floats(0.01, 60),
    cap_seconds=st.floats(1, 86_400),
    max_attempts=st.integers(1, 50),
)
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
ok = DeliveryResult(Outcome.ACCEPTED)
down = DeliveryResult(Outcome.RETRY, reason="HTTP 503")
refused = DeliveryResult(Outcome.PERMANENT, reason="HTTP 400: bad document", status_code=400)


@given(st.integers(100, 599))
def test_http_status_classes(status: int) -> None:
    outcome = classify_http_status(status)
    if 200 <= status < 300:
        assert outcome is Outcome.ACCEPTED
    elif 400 <= status < 500 and status not in (408, 429):
        assert outcome is Outcome.PERMANENT
    else:
        assert outcome is Outcome.RETRY


@given(policies, st.integers(1, 200), st.integers(0, 2**32))
def test_full_jitter_stays_between_zero_and_the_capped_exponential(policy, attempt, seed) -> None:
    delay = backoff_delay(policy, attempt, random.Random(seed))
    ceiling = backoff_ceiling(policy, attempt)
    assert 0 <= delay <= ceiling <= policy.cap_seconds
    assert ceiling == min(policy.cap_seconds, policy.base_seconds * 2 ** (attempt - 1))


@given(policies, st.integers(1, 60))
def test_ceiling_never_shrinks_with_more_attempts(policy, attempt) -> None:
    assert backoff_ceiling(policy, attempt) <= backoff_ceiling(policy, attempt + 1)


@given(policies, st.integers(1, 30), st.floats(0, 100_000), st.integers(0, 2**32))
def test_retry_after_is_honoured_up_to_the_cap(policy, attempt, retry_after, seed) -> None:
    delay = backoff_delay(policy, attempt, random.Random(seed), retry_after_seconds=retry_after)
    assert delay >= min(retry_after, policy.cap_seconds)
    assert delay <= max(policy.cap_seconds, backoff_ceiling(policy, attempt))


def test_jitter_spreads_delays() -> None:
    rng = random.Random(7)
    delays = {round(backoff_delay(RetryPolicy(), 6, rng), 3) for _ in range(50)}
    assert len(delays) > 40


@given(policies, st.integers(1, 60), st.integers(0, 2**32))
def test_decision_follows_the_outcome(policy, attempts, seed) -> None:
    rng = random.Random(seed)
    assert decide(policy, attempts=attempts, result=ok, rng=rng).step is Step.DELIVERED
    dead = decide(policy, attempts=attempts, result=refused, rng=rng)
    assert dead.step is Step.DEAD and "bad document" in dead.reason
    retry = decide(policy, attempts=attempts, result=down, rng=rng)
    if attempts >= policy.max_attempts:
        assert retry.step is Step.DEAD and str(attempts) in retry.reason
    else:
        assert retry.step is Step.RETRY and retry.delay_seconds >= 0


@given(st.lists(st.booleans(), max_size=60), st.integers(1, 10))
def test_circuit_opens_after_threshold_consecutive_failures(outcomes, threshold) -> None:
    policy = BreakerPolicy(failure_threshold=threshold, open_seconds=30)
    circuit = Circuit()
    streak = 0
    now = NOW
    for success in outcomes:
        allowed, circuit = circuit_admit(policy, circuit, now)
        if not allowed:
            # Held: wait out the hold time, then the trial must be admitted.
            now += timedelta(seconds=31)
            allowed, circuit = circuit_admit(policy, circuit, now)
            assert allowed and circuit.status is CircuitStatus.HALF_OPEN
        was_trial = circuit.status is CircuitStatus.HALF_OPEN
        circuit = circuit_record(policy, circuit, ok if success else down, now)
        streak = 0 if success else streak + 1
        if success:
            assert circuit == Circuit()
        elif was_trial or streak >= threshold:
            assert circuit.status is CircuitStatus.OPEN and circuit.opened_at == now
        else:
            assert circuit.status is CircuitStatus.CLOSED
        now += timedelta(seconds=1)


def test_open_circuit_holds_until_its_time_and_lets_one_trial() -> None:
    policy = BreakerPolicy(failure_threshold=1, open_seconds=60)
    circuit = circuit_record(policy, Circuit(), down, NOW)
    assert circuit_admit(policy, circuit, NOW + timedelta(seconds=59)) == (False, circuit)
    allowed, trial = circuit_admit(policy, circuit, NOW + timedelta(seconds=60))
    assert allowed and trial.status is CircuitStatus.HALF_OPEN
    # A second worker asking right after the trial started is held.
    assert circuit_admit(policy, trial, NOW + timedelta(seconds=61))[0] is False
    # A trial that never reported (its worker died) is replaced after another hold time.
    assert circuit_admit(policy, trial, NOW + timedelta(seconds=121))[0] is True


def test_permanent_refusal_proves_the_endpoint_is_up() -> None:
    policy = BreakerPolicy(failure_threshold=2)
    circuit = circuit_record(policy, Circuit(), down, NOW)
    assert circuit_record(policy, circuit, refused, NOW) == Circuit()


@given(st.text(max_size=12))
def test_retry_after_parsing_never_fails(value) -> None:
    parsed = parse_retry_after(value)
    assert parsed is None or 0 <= parsed <= 86_400
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None
