"""HMAC-SHA256 signatures of message bodies: round trip, tampering, clock skew, rotation."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luvat.integrations.signing import SignatureError, sign, signature_digest, verify

secrets = st.text(min_size=1, max_size=64)
bodies = st.binary(max_size=2048)
times = st.integers(1_000_000_000, 4_000_000_000)


@given(secrets, bodies, times)
def test_a_signature_verifies_with_its_secret(secret, body, timestamp) -> None:
    verify([secret], body, sign(secret, body, timestamp), now=timestamp + 10)


@given(secrets, bodies, bodies, times)
def test_any_change_to_the_body_is_refused(secret, body, other, timestamp) -> None:
    if body == other:
        return
    with pytest.raises(SignatureError, match="does not match"):
        verify([secret], other, sign(secret, body, timestamp), now=timestamp)


@given(secrets, secrets, bodies, times)
def test_another_secret_is_refused(secret, other, body, timestamp) -> None:
    if secret == other:
        return
    with pytest.raises(SignatureError):
        verify([other], body, sign(secret, body, timestamp), now=timestamp)


def test_stale_or_future_timestamps_are_refused() -> None:
    header = sign("s3cret", b"{}", 1_800_000_000)
    verify(["s3cret"], b"{}", header, now=1_800_000_300)
    with pytest.raises(SignatureError, match="clock skew"):
        verify(["s3cret"], b"{}", header, now=1_800_000_301)
    with pytest.raises(SignatureError, match="clock skew"):
        verify(["s3cret"], b"{}", header, now=1_799_999_699)


def test_rotation_accepts_either_secret_and_either_value() -> None:
    body = b'{"a":1}'
    both = f"t=1800000000,v1={signature_digest('old', 1_800_000_000, body)},v1=" + (
        signature_digest("new", 1_800_000_000, body)
    )
    verify(["new"], body, both, now=1_800_000_000)
    verify(["old", "new"], body, sign("old", body, 1_800_000_000), now=1_800_000_000)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "missing"),
        ("", "missing"),
        ("v1=abc", "no timestamp"),
        ("t=abc,v1=abc", "not a number"),
        ("t=1800000000", "no v1"),
    ],
)
def test_malformed_headers_say_what_is_wrong(header, message) -> None:
    with pytest.raises(SignatureError, match=message):
        verify(["s"], b"", header, now=1_800_000_000)


def test_worked_example_of_the_integration_guide() -> None:
    body = b'{"message_id":"0b7e7f3e-2f4c-4c1e-9d55-3f1f6f0c2a10","kind":"application.withdrawn"}'
    # The same figures are printed in docs/integration-guide.md: keep them in step.
    expected = "t=1798000000,v1=ede64f6a353f644217f74a86bb6ede0c799a3afe5104fee79e84f81a865106d1"
    assert sign("example-secret", body, 1798000000) == expected
    guide = Path(__file__).resolve().parents[2] / "docs" / "integration-guide.md"
    assert expected in guide.read_text(encoding="utf-8")


@given(st.text(max_size=80), bodies)
def test_any_header_is_either_valid_or_a_signature_error(header, body) -> None:
    with contextlib.suppress(SignatureError):
        verify(["s"], body, header, now=1_800_000_000)
