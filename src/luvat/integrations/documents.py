"""The documents delivered to authority systems, and the signed attachment links inside them.

The outbox row holds the payload written with the change; the envelope around it
(message id, links, fresh attachment download links) is built at delivery time, so
links never expire while a message waits for a retry. The envelope is described by
``docs/schemas/<kind>.schema.json``.
"""

from __future__ import annotations

import base64
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.crypto import salted_hmac

LINK_SALT = "luvat.integrations.attachment-link"


def api_url(path: str) -> str:
    return f"{settings.LUVAT_PUBLIC_URL}/api/v1/{path.lstrip('/')}"


def _link_signature(application_id: str, attachment_id: str, expires: int) -> str:
    digest = salted_hmac(
        LINK_SALT, f"{application_id}:{attachment_id}:{expires}", algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def attachment_link(application_id: str, attachment_id: str, *, now: float) -> tuple[str, int]:
    """A download address that expires after ``LUVAT_ATTACHMENT_LINK_SECONDS``; and its expiry."""
    expires = int(now) + settings.LUVAT_ATTACHMENT_LINK_SECONDS
    query = urlencode(
        {"expires": expires, "signature": _link_signature(application_id, attachment_id, expires)}
    )
    path = f"applications/{application_id}/attachments/{attachment_id}?{query}"
    return api_url(path), expires


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
    attachments = []
    for item in payload.get("attachments") or []:
        url, expires = attachment_link(application_id, str(item["id"]), now=now)
        attachments.append(
            {
                "id": str(item["id"]),
                "code": item.get("code", ""),
                "file_name": item.get("file_name", ""),
                "content_type": item.get("content_type", ""),
                "size": item.get("size", 0),
                "sha256": item.get("sha256", ""),
                "download_url": url,
                "expires_at": datetime.fromtimestamp(expires, UTC).isoformat(),
            }
        )
    return {
        "message_id": message_id,
        "kind": kind,
        "created_at": created_at.astimezone(UTC).isoformat(),
        "authority_code": authority_code,
        "application": {"id": application_id, "reference": application_reference},
        "links": {
            "events": api_url(f"applications/{application_id}/events"),
            "document": api_url(f"applications/{application_id}/document"),
        },
        "attachments": attachments,
        "data": payload,
    }


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")
