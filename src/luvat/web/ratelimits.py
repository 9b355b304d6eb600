"""Rate limits (counters in the database cache table, shared by every process).

``limited(request, scope, key)`` counts one request of ``scope`` for ``key`` and, over
the limit configured in ``settings.LUVAT_RATES``, answers 429 with ``Retry-After``:
problem+json under ``/api/``, a page in the user's language elsewhere. Scopes:
``login``, ``assessment`` and ``public`` (open statistics) per client address,
``upload`` per person, ``inbound`` per authority.

Counting is one statement: an upsert of the key's row for the current fixed window in
``luvat_cache`` that returns the new count (django-ratelimit's ``get_usage`` over Django's
database cache took eleven: a cull count, an add in its own transaction, a get, a set in
another). Rates use django-ratelimit's format (``10/m``, ``100/5m``); ``RATELIMIT_ENABLE``
switches them off. About one call in a hundred also deletes the expired rows.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

import structlog
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from luvat.web.problems import problem_response

log = structlog.get_logger(__name__)

SCOPES = ("login", "assessment", "upload", "inbound", "public")


def person_key(request: HttpRequest) -> str:
    """The signed-in person, else the client address."""
    from luvat.web.proxies import client_address

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"person:{user.pk}"
    return f"ip:{client_address(request)}"


def address_key(request: HttpRequest) -> str:
    from luvat.web.proxies import client_address

    return f"ip:{client_address(request)}"


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
TABLE = "luvat_cache"
_COUNT_SQL = (
    f"INSERT INTO {TABLE} (cache_key, value, expires) VALUES (%s, '1', %s) "  # noqa: S608
    f"ON CONFLICT (cache_key) DO UPDATE SET value = "
    f"CAST(CAST({TABLE}.value AS INTEGER) + 1 AS TEXT) RETURNING value"
)
_random = random.Random()  # noqa: S311 - which calls also clean up; no secret


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/m"`` → (10, 60); ``"100/5m"`` → (100, 300)."""
    count, _, period = rate.partition("/")
    multiplier = int(period[:-1]) if period[:-1] else 1
    return int(count), multiplier * PERIODS[period[-1]]


def count_request(scope: str, key: str, period: int) -> tuple[int, int]:
    """Count one request in the current window of ``period`` seconds: (count, seconds left)."""
    now = time.time()
    window_end = int(now - now % period) + period
    digest = hashlib.sha256(f"{scope}\n{key}".encode()).hexdigest()
    cache_key = f"luvat:rl:{scope}:{window_end}:{digest}"
    expires = datetime.fromtimestamp(window_end + 1, tz=UTC)
    with connection.cursor() as cursor:
        if _random.random() < 0.01:
            cursor.execute(f"DELETE FROM {TABLE} WHERE expires < %s", [datetime.now(tz=UTC)])  # noqa: S608
        cursor.execute(_COUNT_SQL, [cache_key, expires])
        (value,) = cursor.fetchone()
    return int(value), max(1, math.ceil(window_end - now))


def retry_after(request: HttpRequest, scope: str, key: str) -> int | None:
    """Count this request; the seconds to wait when it is over the limit, else None."""
    if scope not in SCOPES:
        raise ValueError(f"unknown rate-limit scope {scope!r}")
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    limit, period = parse_rate(settings.LUVAT_RATES[scope])
    count, seconds_left = count_request(scope, key, period)
    return seconds_left if count > limit else None


def too_many(request: HttpRequest, scope: str, seconds: int) -> HttpResponse:
    headers = {"Retry-After": str(seconds)}
    log.warning("ratelimit.refused", scope=scope, path=request.path, retry_after=seconds)
    if request.path.startswith("/api/"):
        return problem_response(
            status=429,
            slug="too-many-requests",
            detail=f"Too many requests; retry after {seconds} seconds.",
            request=request,
            headers=headers,
            retry_after=seconds,
        )
    html = render_to_string(
        "web/rate_limited.html", {"retry_after": seconds, "minutes": -(-seconds // 60)}, request
    )
    response = HttpResponse(html, status=429)
    for name, value in headers.items():
        response[name] = value
    return response


def limited(request: HttpRequest, scope: str, key: str) -> HttpResponse | None:
    """A 429 answer when this request of ``scope`` by ``key`` is over the limit, else None."""
    seconds = retry_after(request, scope, key)
    return None if seconds is None else too_many(request, scope, seconds)


def check_api(request: HttpRequest, scope: str, key: str) -> None:
    """In an API operation: raise the 429 problem when over the limit."""
    from luvat.web.api_errors import ApiProblem

    seconds = retry_after(request, scope, key)
    if seconds is not None:
        log.warning("ratelimit.refused", scope=scope, path=request.path, retry_after=seconds)
        raise ApiProblem(
            status=429,
            slug="too-many-requests",
            detail=f"Too many requests; retry after {seconds} seconds.",
            headers={"Retry-After": str(seconds)},
            retry_after=seconds,
        )


def login_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Count each log-in attempt (a POST) per client address; 429 over `LUVAT_RATE_LOGIN`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            refused = limited(request, "login", address_key(request))
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return wrapper
