"""``/metrics`` for Prometheus, and the request metrics middleware.

The page answers only a scraper that sends ``Authorization: Bearer $LUVAT_METRICS_TOKEN``;
with no token configured it does not exist (404). Request counts and latency are labelled
by the resolved route (the URL pattern's view name), never by the raw path, so the number
of series stays bounded whatever addresses clients ask for.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from luvat.integrations.metrics import DatabaseCollector

REQUESTS = Counter(
    "luvat_http_requests",
    "HTTP requests answered, by route (URL pattern name), method and status code.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "luvat_http_request_duration_seconds",
    "Time to answer an HTTP request, by route (URL pattern name) and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

UNMATCHED = "<unmatched>"


def route_of(request: HttpRequest) -> str:
    """The resolved route's name (``namespace:name``), else its pattern; never the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    return match.view_name or match.route or UNMATCHED


class MetricsMiddleware:
    """Counts and times every request by route; outermost, so it sees every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        LATENCY.labels(route=route, method=request.method or "").observe(
            time.perf_counter() - started
        )
        REQUESTS.labels(
            route=route, method=request.method or "", status=str(response.status_code)
        ).inc()
        return response


class _ThisProcess(Collector):
    """The per-process metrics of the default registry, for the scrape's registry."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def scrape_registry() -> CollectorRegistry:
    """What one scrape shows: the database gauges, and the request and job metrics of this
    process, or of every process of the machine when ``PROMETHEUS_MULTIPROC_DIR`` is set."""
    registry = CollectorRegistry(auto_describe=False)
    if settings.PROMETHEUS_MULTIPROC_DIR:  # prometheus-client reads it itself too
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ThisProcess())
    registry.register(DatabaseCollector())
    return registry


def authorised(request: HttpRequest, token: str) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


@csrf_exempt
@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.LUVAT_METRICS_TOKEN
    if not token:
        raise Http404
    if not authorised(request, token):
        response = HttpResponse("A valid bearer token is needed.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        response["Content-Type"] = "text/plain; charset=utf-8"
        return response
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)
