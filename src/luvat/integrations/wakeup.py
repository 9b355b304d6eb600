"""Waking workers when new work is committed, so that it need not wait a poll interval.

:func:`wake` is called inside the transaction that creates the work (an outbox row). On
PostgreSQL it sends ``NOTIFY luvat_wake, '<channel>'``, which the server delivers only when
that transaction commits (and never if it rolls back) to every listening worker on every
machine; several in one transaction arrive as one. On SQLite, whose workers are threads of
the web process (``luvat serve``) or a separate process that keeps polling, it wakes the
workers of this process after commit. Polling stays the fallback everywhere: a lost
notification (a listener reconnecting, a worker on another SQLite process) only costs the
poll interval.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import structlog
from django.db import connection, transaction

log = structlog.get_logger(__name__)

PG_CHANNEL = "luvat_wake"
OUTBOX = "outbox"

_subscribers_lock = threading.Lock()
_subscribers: list[Callable[[str], None]] = []


def subscribe(callback: Callable[[str], None]) -> None:
    """Call ``callback(channel)`` when work for ``channel`` is committed in this process."""
    with _subscribers_lock:
        _subscribers.append(callback)


def unsubscribe(callback: Callable[[str], None]) -> None:
    with _subscribers_lock:
        if callback in _subscribers:
            _subscribers.remove(callback)


def wake_local(channel: str) -> None:
    with _subscribers_lock:
        callbacks = list(_subscribers)
    for callback in callbacks:
        callback(channel)


def wake(channel: str) -> None:
    """Wake the workers for ``channel`` when the current transaction commits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [PG_CHANNEL, channel])
    else:
        transaction.on_commit(lambda: wake_local(channel))


class PostgresListener(threading.Thread):
    """``LISTEN luvat_wake`` on a connection of its own; each notification calls ``on_wake``.

    Reconnects after a failure; until then the worker simply polls."""

    def __init__(self, on_wake: Callable[[str], None], *, retry_seconds: float = 2.0) -> None:
        super().__init__(name="luvat-listen", daemon=True)
        self.on_wake = on_wake
        self.retry_seconds = retry_seconds
        self.stopping = threading.Event()
        self.listening = threading.Event()

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._listen()
            except Exception:
                log.warning("worker.listen_failed", exc_info=True)
            self.listening.clear()
            self.stopping.wait(self.retry_seconds)

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(**_connection_kwargs(), autocommit=True) as conn:
            conn.execute(f"LISTEN {PG_CHANNEL}")
            self.listening.set()
            while not self.stopping.is_set():
                for notify in conn.notifies(timeout=0.5):
                    self.on_wake(notify.payload)


def _connection_kwargs() -> dict[str, Any]:
    settings_dict = connection.settings_dict
    kwargs: dict[str, Any] = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "connect_timeout": 10,
    }
    options = dict(settings_dict.get("OPTIONS") or {})
    options.pop("pool", None)
    options.pop("server_side_binding", None)
    options.pop("isolation_level", None)
    options.pop("assume_role", None)
    kwargs.update(options)
    return {key: value for key, value in kwargs.items() if value is not None}
