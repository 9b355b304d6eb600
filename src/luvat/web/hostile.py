"""Hostile input and hostile environments, refused in one place instead of in every view.

- Text that no database can store (NUL, lone UTF-16 surrogates) in the path, the query
  string, a form post or a JSON body: 422 problem+json on the API naming the field, a
  400 page elsewhere.
- JSON numbers that are no numbers (``NaN``, ``Infinity``) or overflow a float (``1e999``):
  422 naming the field. (Large integers are exact in Python; each field's schema bounds them.)
- Django's own refusals (``SuspiciousOperation``, ``RequestDataTooBig``,
  ``TooManyFieldsSent``, ``DisallowedHost`` …): 400/413, never 500.
- The database out of reach: 503 with ``Retry-After``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import structlog
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja.parser import Parser

log = structlog.get_logger(__name__)

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 30
# NUL cannot be stored in PostgreSQL text; a lone surrogate cannot be encoded as UTF-8.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# A number in the address longer than any 64-bit id names nothing (and overflows the database).
_HUGE_NUMBER_IN_PATH = re.compile(r"/\d{19,}(?:/|$)")
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_unstorable(text: str) -> bool:
    """Whether ``text`` holds a character no database column can keep."""
    return _UNSTORABLE.search(text) is not None


class HostileValue(ValueError):
    """A value of the request that is refused; ``location`` names where it is."""

    def __init__(self, location: list[str], message: str, code: str) -> None:
        super().__init__(f"{'.'.join(location)}: {message}")
        self.location = location
        self.message = message
        self.code = code

    def as_error(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "field": ".".join(self.location[1:]),
            "message": self.message,
            "code": self.code,
        }


UNSTORABLE_MESSAGE = "contains a character that cannot be stored (NUL or a lone surrogate)"


class _NotANumber:
    """Stands for NaN/Infinity/overflow while parsing, so that its place can be named."""

    def __init__(self, literal: str) -> None:
        self.literal = literal


def _parse_float(literal: str) -> float | _NotANumber:
    value = float(literal)
    return value if math.isfinite(value) else _NotANumber(literal)


def _walk(value: Any, location: list[str]) -> Iterator[HostileValue]:
    if isinstance(value, _NotANumber):
        yield HostileValue(
            location, f"{value.literal} is not a finite number in range", "number_out_of_range"
        )
    elif isinstance(value, str):
        if is_unstorable(value):
            yield HostileValue(location, UNSTORABLE_MESSAGE, "unstorable_character")
    elif isinstance(value, dict):
        for key, item in value.items():
            if is_unstorable(key):
                yield HostileValue(
                    [*location, key.encode("unicode_escape").decode()],
                    "the name " + UNSTORABLE_MESSAGE,
                    "unstorable_character",
                )
            yield from _walk(item, [*location, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, [*location, str(index)])


def strict_json_loads(body: bytes | str) -> Any:
    """``json.loads`` that raises :class:`HostileJson` for values no field can keep."""
    data = json.loads(
        body,
        parse_constant=_NotANumber,
        parse_float=_parse_float,
    )
    problems = list(_walk(data, ["body"]))
    if problems:
        raise HostileJson(problems)
    return data


class HostileJson(ValueError):
    def __init__(self, problems: list[HostileValue]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


class StrictJsonParser(Parser):
    """ninja's parser, refusing NaN, infinities, overflowing numbers and unstorable text.

    ninja turns any parser error into a 400; ``api_errors`` finds this one as the cause
    and answers 422 naming the field instead.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return strict_json_loads(request.body)  # type: ignore[no-any-return]


def _query_and_form_problems(request: HttpRequest) -> list[HostileValue]:
    problems: list[HostileValue] = []
    if is_unstorable(request.path):
        problems.append(HostileValue(["path"], UNSTORABLE_MESSAGE, "unstorable_character"))
    sources: list[tuple[str, Any]] = [("query", request.GET.lists())]
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        sources.append(("form", request.POST.lists()))
        files = [
            (name, [getattr(upload, "name", "") for upload in uploads])
            for name, uploads in request.FILES.lists()
        ]
        sources.append(("files", files))
    for where, items in sources:
        for key, values in items:
            if is_unstorable(key) or any(is_unstorable(str(value or "")) for value in values):
                name = key.encode("unicode_escape").decode()
                problems.append(
                    HostileValue([where, name], UNSTORABLE_MESSAGE, "unstorable_character")
                )
    return problems


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def response_for_exception(request: HttpRequest, exc: BaseException) -> HttpResponse | None:
    """The 4xx/503 answer for an exception that is the client's or the environment's fault,
    or None for a real server error."""
    from luvat.web.views import error_page, unavailable_page

    if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        status, slug = 413, "payload-too-large"
        detail = {
            RequestDataTooBig: "The request body is larger than the server accepts.",
            TooManyFieldsSent: "The request has more fields than the server accepts.",
            TooManyFilesSent: "The request has more files than the server accepts.",
        }[type(exc)]
    elif isinstance(exc, (SuspiciousOperation, MultiPartParserError)):
        status, slug = 400, "bad-request"
        detail = "The request is malformed or not allowed."
    elif isinstance(exc, (OperationalError, InterfaceError)) or (
        isinstance(exc, DatabaseError) and _connection_lost(exc)
    ):
        log.warning("database.unavailable", error=str(exc)[:200], path=request.path)
        return unavailable_page(request)
    else:
        return None
    log.warning("request.refused", status=status, reason=type(exc).__name__, path=request.path)
    if _is_api(request):
        from luvat.web.problems import problem_response

        return problem_response(status=status, slug=slug, detail=detail, request=request)
    return error_page(request, status)


def _connection_lost(exc: DatabaseError) -> bool:
    text = str(exc).lower()
    return "connection" in text and ("closed" in text or "refused" in text or "lost" in text)


class HostileInputMiddleware:
    """Refuse unstorable characters in path, query and form, and answer Django's own
    refusals of the request (too big, too many fields, malformed) as 413/400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            problems = _query_and_form_problems(request)
        except Exception as exc:
            refused = response_for_exception(request, exc)
            if refused is None:
                raise
            return refused
        if problems:
            return self._refuse(request, problems)
        if _HUGE_NUMBER_IN_PATH.search(request.path):
            from luvat.web.views import error_page

            return error_page(request, 404)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return response_for_exception(request, exception)

    def _refuse(self, request: HttpRequest, problems: list[HostileValue]) -> HttpResponse:
        log.warning("request.unstorable_input", path=request.path, count=len(problems))
        if _is_api(request):
            from luvat.web.problems import problem_response

            return problem_response(
                status=422,
                slug="validation-error",
                detail="Some values contain characters that cannot be stored; see errors.",
                request=request,
                field=problems[0].as_error()["field"],
                errors=[problem.as_error() for problem in problems],
            )
        from luvat.web.views import error_page

        return error_page(request, 400, reason="unstorable")
