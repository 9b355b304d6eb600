"""The e-Authorizations request checksum header.

``X-AsiointivaltuudetAuthorization: {clientId} {timestamp} {checksum}`` where checksum is
Base64(HMAC-SHA256(key=API key, message=path-with-query + " " + timestamp)) and timestamp is
ISO 8601. The service accepts a clock difference of five minutes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

HEADER = "X-AsiointivaltuudetAuthorization"
TOLERANCE = timedelta(minutes=5)


class ChecksumHeaderError(ValueError):
    """The header is malformed, stale or does not match."""


@dataclass(frozen=True)
class ChecksumHeader:
    client_id: str
    timestamp: str
    checksum: str

    def __str__(self) -> str:
        return f"{self.client_id} {self.timestamp} {self.checksum}"


def checksum(*, api_key: str, path_with_query: str, timestamp: str) -> str:
    digest = hmac.new(
        api_key.encode(), f"{path_with_query} {timestamp}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def build_header(
    *, client_id: str, api_key: str, path_with_query: str, now: datetime
) -> ChecksumHeader:
    timestamp = now.isoformat()
    value = checksum(api_key=api_key, path_with_query=path_with_query, timestamp=timestamp)
    return ChecksumHeader(client_id=client_id, timestamp=timestamp, checksum=value)


def parse_header(value: str) -> ChecksumHeader:
    """Split a header value; ChecksumHeaderError when it is not three well-formed parts."""
    parts = value.split(" ")
    if len(parts) != 3 or not all(parts):
        raise ChecksumHeaderError("expected '<client id> <timestamp> <checksum>'")
    client_id, timestamp, encoded = parts
    try:
        when = datetime.fromisoformat(timestamp)
    except ValueError:
        raise ChecksumHeaderError("the timestamp is not ISO 8601") from None
    if when.tzinfo is None:
        raise ChecksumHeaderError("the timestamp has no time zone")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ChecksumHeaderError("the checksum is not Base64") from None
    if len(raw) != hashlib.sha256().digest_size:
        raise ChecksumHeaderError("the checksum is not an HMAC-SHA256 value")
    return ChecksumHeader(client_id=client_id, timestamp=timestamp, checksum=encoded)


def verify_header(
    value: str, *, client_id: str, api_key: str, path_with_query: str, now: datetime
) -> None:
    """Check a header as the service does; ChecksumHeaderError when it must be refused."""
    header = parse_header(value)
    if not hmac.compare_digest(header.client_id, client_id):
        raise ChecksumHeaderError("unknown client id")
    if abs(now - datetime.fromisoformat(header.timestamp)) > TOLERANCE:
        raise ChecksumHeaderError("the timestamp is more than five minutes off")
    expected = checksum(
        api_key=api_key, path_with_query=path_with_query, timestamp=header.timestamp
    )
    if not hmac.compare_digest(expected, header.checksum):
        raise ChecksumHeaderError("the checksum does not match")
