"""RFC 9457 problem details for the HTTP API.

Every error the API returns is ``application/problem+json`` with a stable
``type``; the types are listed in docs/api-errors.md.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"

# status -> stable problem type slug for errors that carry no more specific type
GENERIC_TYPES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "too-many-requests",
    500: "server-error",
    503: "unavailable",
}


def problem_type(slug: str) -> str:
    return f"/problems/{slug}"


def problem_response(
    *,
    status: int,
    slug: str | None = None,
    detail: str = "",
    title: str | None = None,
    request: HttpRequest | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """A problem+json response; ``extra`` members are added to the body."""
    body: dict[str, Any] = {
        "type": problem_type(slug or GENERIC_TYPES.get(status, "error")),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if request is not None:
        body["instance"] = request.path
        request_id = getattr(request, "request_id", None)
        if request_id:
            body["request_id"] = request_id
    body.update(extra)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
