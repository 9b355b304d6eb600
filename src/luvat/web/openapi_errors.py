"""The problem+json error responses of every API operation, declared in the OpenAPI document.

ninja documents the success responses of a handler. The errors come from one place
(``web.api_errors``, ``web.hostile``, ``ProblemJsonMiddleware``), so they are declared from
one table too: which statuses an operation can answer follows from what it has (a body,
path parameters, authentication, a change of state), plus the few an operation names itself.
"""

from __future__ import annotations

from typing import Any

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `type` is stable (docs/api-errors.md). Problems "
    "may carry more members (e.g. `current_status`, `current_version`, `reason`).",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "examples": ["/problems/validation-error"]},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "field": {"type": "string", "description": "the first field in error"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "location": {
                        "type": "array",
                        "items": {"type": ["string", "integer"]},
                        "description": "where: body/query/path, then names and list indexes",
                    },
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
                "additionalProperties": True,
            },
        },
    },
    "additionalProperties": True,
}

DESCRIPTIONS = {
    400: "Malformed request (invalid JSON, a refused Host, a malformed multipart body)",
    401: "No, malformed, unknown, expired or revoked credentials; or a bad signature",
    403: "Authenticated, but not allowed to do this to this object",
    404: "No such object (also for objects the caller may not see)",
    409: "Conflicts with the object's current state (status, version, event id)",
    410: "Gone: the link has expired",
    413: "The request body, its number of fields or files, is over the limit",
    422: "The parameters or the body are not valid; `errors` names each field",
    429: "Too many requests; retry after `Retry-After` seconds",
    503: "Temporarily unavailable (the database is out of reach); retry after `Retry-After`",
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds to wait before trying again",
        "schema": {"type": "integer", "minimum": 0},
    }
}
MUTATING = {"post", "put", "patch", "delete"}
# Statuses an operation answers beyond what follows from its shape, by (method, path).
EXTRA: dict[tuple[str, str], set[int]] = {
    ("get", "/api/v1/applications/{application_id}/attachments/{attachment_id}"): {410},
    # The project is named in the body: a missing or another company's one answers 404.
    ("post", "/api/v1/inforequests/"): {404},
}


def _statuses(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    statuses = {400, 429, 503}
    has_path_parameters = "{" in path
    has_parameters = bool(operation.get("parameters")) or has_path_parameters
    has_body = "requestBody" in operation
    if operation.get("security"):
        statuses |= {401, 403}
    if has_path_parameters:
        statuses.add(404)
    if has_parameters or has_body:
        statuses.add(422)
    if has_body:
        statuses.add(413)
    if method in MUTATING:
        statuses.add(422)
        if operation.get("security") or has_path_parameters:
            statuses.add(409)
    return statuses | EXTRA.get((method, path), set())


def declare_problem_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the Problem schema and each operation's problem responses (in place)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(_statuses(method, path, operation)):
                if str(status) in responses or status in responses:
                    continue
                response: dict[str, Any] = {
                    "description": DESCRIPTIONS[status],
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}},
                }
                if status in (429, 503):
                    response["headers"] = RETRY_AFTER
                responses[status] = response
    return schema
