"""HMAC-SHA256 signatures of message bodies, both ways between Luvat and authority systems.

Header ``X-Luvat-Signature: t=<unix seconds>,v1=<hex>`` where the hex is
HMAC-SHA256(secret, f"{t}." + body). Several ``v1=`` values may be present while a
secret is being rotated; one valid value is enough. The receiver refuses a
timestamp more than ``tolerance`` seconds away from its clock, which bounds replay
to that window (message ids make replays within it harmless).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

SIGNATURE_HEADER = "X-Luvat-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(Exception):
    """The signature is missing, malformed, stale or wrong; the message says which."""


def signature_digest(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return mac.hexdigest()


class Signer:
    """:func:`sign` with one secret for many bodies (the key encoded once)."""

    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def sign(self, body: bytes, timestamp: int) -> str:
        digest = hmac.digest(self._key, f"{timestamp}.".encode() + body, "sha256")
        return f"t={timestamp},v1={digest.hex()}"


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``X-Luvat-Signature`` header value for ``body`` at ``timestamp`` (unix seconds)."""
    return f"t={timestamp},v1={signature_digest(secret, timestamp, body)}"


def parse_signature(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    digests: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            if not (value.isascii() and value.isdigit()) or len(value) > 12:
                raise SignatureError("the signature timestamp is not a number")
            timestamp = int(value)
        elif key == "v1":
            digests.append(value.lower())
    if timestamp is None:
        raise SignatureError("the signature has no timestamp (t=)")
    if not digests:
        raise SignatureError("the signature has no v1= value")
    return timestamp, digests


def verify(
    secrets: Iterable[str],
    body: bytes,
    header: str | None,
    *,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> None:
    """Raise :class:`SignatureError` unless ``header`` signs ``body`` with one of ``secrets``."""
    if not header:
        raise SignatureError(f"the {SIGNATURE_HEADER} header is missing")
    timestamp, digests = parse_signature(header)
    if abs(now - timestamp) > tolerance:
        raise SignatureError("the signature timestamp is outside the allowed clock skew")
    for secret in secrets:
        if not secret:
            continue
        expected = signature_digest(secret, timestamp, body)
        if any(hmac.compare_digest(expected, digest) for digest in digests):
            return
    raise SignatureError("the signature does not match the body")
