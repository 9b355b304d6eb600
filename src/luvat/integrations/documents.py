"""The documents delivered to authority systems, and the signed attachment links inside them.

The outbox row holds the payload written with the change; the envelope around it
(message id, links, fresh attachment download links) is built at delivery time, so
links never expire while a message waits for a retry. The envelope is described by
``docs/schemas/<kind>.schema.json``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any

import orjson
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

LINK_SALT = "luvat.integrations.attachment-link"


def api_url(path: str) -> str:
    return f"{settings.LUVAT_PUBLIC_URL}/api/v1/{path.lstrip('/')}"


_link_keys: dict[str, bytes] = {}


def _link_key() -> bytes:
    # salted_hmac(LINK_SALT, …, algorithm="sha256") with its key derived once per SECRET_KEY.
    secret = settings.SECRET_KEY
    key = _link_keys.get(secret)
    if key is None:
        key = _link_keys[secret] = hashlib.sha256((LINK_SALT + secret).encode()).digest()
    return key


def _link_signature(
    application_id: str, attachment_id: str, expires: int, key: bytes | None = None
) -> str:
    message = f"{application_id}:{attachment_id}:{expires}".encode()
    digest = hmac.digest(key or _link_key(), message, "sha256")
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def attachment_link(application_id: str, attachment_id: str, *, now: float) -> tuple[str, int]:
    """A download address that expires after ``LUVAT_ATTACHMENT_LINK_SECONDS``; and its expiry."""
    expires = int(now) + settings.LUVAT_ATTACHMENT_LINK_SECONDS
    return _attachment_url(api_url(""), application_id, attachment_id, expires), expires


def _attachment_url(
    base: str, application_id: str, attachment_id: str, expires: int, key: bytes | None = None
) -> str:
    # Both values are URL-safe as they are (digits; unpadded URL-safe base64).
    signature = _link_signature(application_id, attachment_id, expires, key)
    path = f"applications/{application_id}/attachments/{attachment_id}"
    return f"{base}{path}?expires={expires}&signature={signature}"


class LinkRefused(Exception):
    def __init__(self, slug: str, detail: str) -> None:
        super().__init__(detail)
        self.slug = slug
        self.detail = detail


def check_attachment_link(
    application_id: str, attachment_id: str, *, expires: str, signature: str, now: float
) -> None:
    """Raise :class:`LinkRefused` unless the link was made by us and has not expired."""
    if not (expires.isascii() and expires.isdigit()):
        raise LinkRefused("bad-link", "The download link is not valid.")
    expected = _link_signature(application_id, attachment_id, int(expires))
    if not hmac.compare_digest(expected, signature):
        raise LinkRefused("bad-link", "The download link is not valid.")
    if int(expires) < now:
        raise LinkRefused(
            "link-expired", "The download link has expired; fetch the document again."
        )


def envelope(
    *,
    message_id: str,
    kind: str,
    created_at: datetime,
    authority_code: str,
    application_id: str,
    application_reference: str,
    payload: dict[str, Any],
    now: float | None = None,
) -> dict[str, Any]:
    """The delivered document: the envelope of docs/schemas around the outbox payload."""
    now = time.time() if now is None else now
    # Settings read once per document, not per link (the envelope is on the delivery hot path).
    base = api_url("")
    attachments = []
    items = payload.get("attachments") or []
    if items:
        expires = int(now) + settings.LUVAT_ATTACHMENT_LINK_SECONDS
        expires_at = datetime.fromtimestamp(expires, UTC).isoformat()
        key = _link_key()
    for item in items:
        attachment_id = str(item["id"])
        attachments.append(
            {
                "id": attachment_id,
                "code": item.get("code", ""),
                "file_name": item.get("file_name", ""),
                "content_type": item.get("content_type", ""),
                "size": item.get("size", 0),
                "sha256": item.get("sha256", ""),
                "download_url": _attachment_url(base, application_id, attachment_id, expires, key),
                "expires_at": expires_at,
            }
        )
    return {
        "message_id": message_id,
        "kind": kind,
        "created_at": created_at.astimezone(UTC).isoformat(),
        "authority_code": authority_code,
        "application": {"id": application_id, "reference": application_reference},
        "links": {
            "events": f"{base}applications/{application_id}/events",
            "document": f"{base}applications/{application_id}/document",
        },
        "attachments": attachments,
        "data": payload,
    }


_django_json = DjangoJSONEncoder()


def _django_default(value: Any) -> Any:
    return _django_json.default(value)


# datetime, date and time go to DjangoJSONEncoder too, so every value is written as before.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME


def encode(document: dict[str, Any]) -> bytes:
    """The document as compact UTF-8 JSON (orjson: the envelope is on the delivery hot path).

    A value orjson refuses (an integer beyond 64 bits, a key that is not a string) goes
    through the standard library's encoder with Django's rules instead."""
    try:
        return orjson.dumps(document, default=_django_default, option=_ORJSON_OPTIONS)
    except TypeError:
        return json.dumps(
            document, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")


def encode_around(document: dict[str, Any], *, data: bytes) -> bytes:
    """:func:`encode` with ``data`` (a JSON object as stored) as the document's ``data``,
    written as it is rather than parsed and encoded again (orjson ``Fragment``)."""
    try:
        return orjson.dumps(
            {**document, "data": orjson.Fragment(data)},
            default=_django_default,
            option=_ORJSON_OPTIONS,
        )
    except TypeError:  # a value only the standard library writes: parse and encode all
        return encode({**document, "data": json_loads(data)})


# orjson reads an integer beyond 64 bits as a float, and such an integer has 19 digits or
# more: every digit read as "0" and everything else as " ", 19 zeros in a row may be one.
_DIGITS = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_LONG_RUN = b"0" * 19


def json_loads(data: bytes) -> Any:
    """Parse UTF-8 JSON read from the database: orjson, or the standard library's parser
    where a long run of digits may hold an integer that orjson would round."""
    if _LONG_RUN in data.translate(_DIGITS):
        return json.loads(data)
    return orjson.loads(data)
