"""The background worker: runs registered periodic jobs until told to stop.

Apps register their jobs (outbox delivery, queue consumers, reminders) with
:func:`register_job` in ``AppConfig.ready``. The same loop runs standalone
(``luvat worker``) or in a thread of ``luvat serve``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import structlog
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

log = structlog.get_logger(__name__)

HEARTBEAT_SECONDS = 10.0

JobFunction = Callable[[], int | None]
"""A job does one bounded batch of work and returns how many items it handled."""


@dataclass
class Job:
    name: str
    function: JobFunction
    interval_seconds: float
    next_run: float = field(default=0.0)


_registry: dict[str, Job] = {}


def register_job(name: str, function: JobFunction, *, interval_seconds: float) -> None:
    """Run ``function`` every ``interval_seconds`` in every worker. Re-registering replaces."""
    _registry[name] = Job(name=name, function=function, interval_seconds=interval_seconds)


def registered_jobs() -> list[str]:
    return sorted(_registry)


def worker_identity(in_process: bool) -> str:
    suffix = f"-{threading.get_ident()}" if in_process else ""
    return f"{socket.gethostname()}:{os.getpid()}{suffix}"


class Worker:
    def __init__(self, *, poll_seconds: float, in_process: bool = False) -> None:
        self.poll_seconds = poll_seconds
        self.in_process = in_process
        self.stop_event = threading.Event()
        self.worker_id = worker_identity(in_process)
        self.jobs_run = 0

    def stop(self) -> None:
        self.stop_event.set()

    def run_due_jobs(self) -> int:
        """Run every job that is due once; return how many ran."""
        ran = 0
        for job in list(_registry.values()):
            now = time.monotonic()
            if job.next_run > now:
                continue
            job.next_run = now + job.interval_seconds
            try:
                handled = job.function()
            except Exception:
                log.exception("worker.job_failed", job=job.name)
            else:
                if handled:
                    log.info("worker.job_done", job=job.name, handled=handled)
            ran += 1
            self.jobs_run += 1
        return ran

    def run(self) -> None:
        log.info("worker.started", worker=self.worker_id, jobs=registered_jobs())
        self.heartbeat(starting=True)
        next_heartbeat = time.monotonic() + HEARTBEAT_SECONDS
        try:
            while not self.stop_event.is_set():
                # Drop broken or expired connections between rounds, as Django does per request.
                close_old_connections()
                self.run_due_jobs()
                if time.monotonic() >= next_heartbeat:
                    self.heartbeat()
                    next_heartbeat = time.monotonic() + HEARTBEAT_SECONDS
                self.stop_event.wait(self.poll_seconds)
        finally:
            close_old_connections()
            log.info("worker.stopped", worker=self.worker_id)

    def heartbeat(self, starting: bool = False) -> None:
        """Record that this worker is alive; on start, forget workers gone for a day."""
        from luvat.integrations.models import WorkerHeartbeat

        now = timezone.now()
        if starting:
            WorkerHeartbeat.objects.filter(last_seen_at__lt=now - timedelta(days=1)).delete()
        defaults: dict[str, object] = {
            "last_seen_at": now,
            "in_process": self.in_process,
            "jobs_run": self.jobs_run,
        }
        if starting:
            defaults["started_at"] = now
        try:
            WorkerHeartbeat.objects.update_or_create(worker_id=self.worker_id, defaults=defaults)
        except DatabaseError:
            log.exception("worker.heartbeat_failed", worker=self.worker_id)


def start_in_thread(*, poll_seconds: float) -> Worker:
    """Start a worker in a daemon thread of this process (``luvat serve``)."""
    worker = Worker(poll_seconds=poll_seconds, in_process=True)
    thread = threading.Thread(target=worker.run, name="luvat-worker", daemon=True)
    thread.start()
    return worker
