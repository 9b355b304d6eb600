"""Exception handlers that make a NinjaAPI answer every error as problem+json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from luvat.web.hostile import HostileJson, response_for_exception
from luvat.web.problems import problem_response

log = structlog.get_logger(__name__)


class ApiProblem(Exception):
    """Raise from an API handler to answer with a specific problem type."""

    def __init__(
        self,
        *,
        status: int,
        slug: str,
        detail: str = "",
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or slug)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def _validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors:
        errors.append(
            {
                "location": [str(part) for part in error.get("loc", ())],
                "message": str(error.get("msg", "")),
                "code": str(error.get("type", "")),
            }
        )
    return errors


def install_problem_handlers(api: NinjaAPI) -> None:
    def on_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return problem_response(
            status=exc.status,
            slug=exc.slug,
            detail=exc.detail,
            request=request,
            headers=exc.headers,
            **exc.extra,
        )

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem_response(
            status=422,
            detail="The request does not match the schema; see errors.",
            request=request,
            errors=_validation_errors(exc),
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, HostileJson):
            errors = [problem.as_error() for problem in cause.problems]
            return problem_response(
                status=422,
                slug="validation-error",
                detail="Some values cannot be accepted; see errors.",
                request=request,
                field=errors[0]["field"],
                errors=errors,
            )
        if cause is not None:
            refused = response_for_exception(request, cause)
            if refused is not None:
                return refused
        slug = "malformed-json" if exc.status_code == 400 and "parse" in str(exc) else None
        return problem_response(status=exc.status_code, slug=slug, detail=str(exc), request=request)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(status=404, detail="The resource does not exist.", request=request)

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(
            status=403, detail=str(exc) or "You may not do this.", request=request
        )

    def on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
        refused = response_for_exception(request, exc)
        if refused is not None:
            return refused
        log.exception("api.unhandled_exception", path=request.path)
        return problem_response(
            status=500, detail="The server failed to handle the request.", request=request
        )

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (ApiProblem, on_problem),
        (ValidationError, on_validation),
        (HttpError, on_http_error),
        (Http404, on_not_found),
        (PermissionDenied, on_denied),
        (Exception, on_exception),
    ]
    for exception_class, handler in handlers:
        api.add_exception_handler(exception_class, handler)
