"""Probes for load balancers and orchestrators.

/livez   the process answers (no I/O) - also the framework floor for benchmarks
/healthz the database answers
/readyz  ready for traffic: database, migrations applied, message broker if configured
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

log = structlog.get_logger(__name__)

_migrations_applied = False
_amqp_cache: tuple[float, bool] = (0.0, False)
AMQP_CACHE_SECONDS = 15.0


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("health.database_unreachable", exc_info=True)
        return False
    return True


def database_problem() -> str:
    """One line saying why the database cannot be used, or "" when it can."""
    from luvat.config.database import redact

    where = connection.settings_dict.get("NAME", "")
    if connection.vendor == "postgresql":
        host = connection.settings_dict.get("HOST") or "localhost"
        where = f"{host}/{where}"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (
            f"cannot connect to the database ({connection.vendor} {redact(str(where))}): {reason}"
        )
    return ""


def migrations_applied() -> bool:
    """True when no migration is pending; remembered once true (migrations do not un-apply)."""
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        _migrations_applied = not executor.migration_plan(targets)
    return _migrations_applied


def amqp_reachable(url: str) -> bool:
    """Open and close a broker connection; the answer is cached for a few seconds."""
    global _amqp_cache
    checked_at, ok = _amqp_cache
    if time.monotonic() - checked_at < AMQP_CACHE_SECONDS:
        return ok
    import pika

    try:
        params = pika.URLParameters(url)
        params.socket_timeout = 2
        params.blocked_connection_timeout = 2
        pika.BlockingConnection(params).close()
        ok = True
    except Exception:
        log.warning("health.amqp_unreachable", exc_info=True)
        ok = False
    _amqp_cache = (time.monotonic(), ok)
    return ok


def worker_status() -> dict[str, Any]:
    from luvat.integrations.models import WorkerHeartbeat

    latest = WorkerHeartbeat.objects.order_by("-last_seen_at").first()
    if latest is None:
        return {"status": "none"}
    age = (timezone.now() - latest.last_seen_at).total_seconds()
    fresh = age < timedelta(minutes=1).total_seconds()
    return {"status": "running" if fresh else "stale", "last_seen_seconds_ago": round(age, 1)}


@csrf_exempt
@never_cache
@require_safe
def livez(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    if database_reachable():
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": "unreachable"}, status=503)


@csrf_exempt
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, Any] = {}
    ready = database_reachable()
    checks["database"] = "ok" if ready else "unreachable"
    if ready:
        applied = migrations_applied()
        checks["migrations"] = "applied" if applied else "pending"
        ready = applied
        if applied:
            checks["worker"] = worker_status()
    if settings.LUVAT_AMQP_URL:
        amqp_ok = amqp_reachable(settings.LUVAT_AMQP_URL)
        checks["amqp"] = "ok" if amqp_ok else "unreachable"
        ready = ready and amqp_ok
    return JsonResponse(
        {"status": "ok" if ready else "error", **checks}, status=200 if ready else 503
    )
