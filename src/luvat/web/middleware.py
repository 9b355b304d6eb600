"""Request context (request id, log binding) and problem+json for every /api/ error."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import structlog
from django.http import HttpRequest, HttpResponse

from luvat.audit.context import RequestContext, bind_request_context
from luvat.identity.xroad import parse_x_road_client
from luvat.web.problems import PROBLEM_CONTENT_TYPE, problem_response
from luvat.web.proxies import client_address

log = structlog.get_logger(__name__)

API_PREFIX = "/api/"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestContextMiddleware:
    """Give each request an id (taken from X-Request-ID when sane) for logs, audit and replies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        client = client_address(request)
        structlog.contextvars.bind_contextvars(request_id=request_id, client_ip=client)
        x_road_client = parse_x_road_client(request.headers.get("X-Road-Client", ""))
        context = RequestContext(
            request_id=request_id,
            ip=client,
            x_road_client=str(x_road_client) if x_road_client else "",
        )
        with bind_request_context(context):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` on every response (Django sets the other security headers and
    django-csp the Content-Security-Policy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        from django.conf import settings

        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class ProblemJsonMiddleware:
    """Answer every error under /api/ as problem+json, whoever produced it.

    The ninja API formats its own errors; this catches the rest: unknown routes,
    wrong methods on known routes, and unhandled exceptions.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        headers = {}
        if response.status_code == 405 and response.has_header("Allow"):
            headers["Allow"] = response["Allow"]
        detail = ""
        if response.status_code == 405:
            detail = f"{request.method} is not allowed here."
        elif response.status_code == 404:
            detail = f"No API resource at {request.path}."
        return problem_response(
            status=response.status_code, detail=detail, request=request, headers=headers
        )

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        from luvat.web.hostile import response_for_exception

        refused = response_for_exception(request, exception)
        if refused is not None:
            return refused
        log.exception("api.unhandled_exception", path=request.path)
        return problem_response(
            status=500, detail="The server failed to handle the request.", request=request
        )
