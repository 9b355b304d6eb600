"""The background worker: runs registered periodic jobs until told to stop.

Apps register their jobs (outbox delivery, queue consumers, reminders) with
:func:`register_job` in ``AppConfig.ready``. The same loop runs standalone
(``luvat worker``) or in a thread of ``luvat serve``.

Two kinds of job. A *work-sharing* job (the default: outbox delivery, queue consumers)
runs in every worker on its own timer and shares the work through row locks. A job
registered ``once_per_cluster`` (reminders, retention) runs once per period in the whole
cluster: each period is taken by the one worker whose conditional update of the job's
:class:`~luvat.integrations.models.JobLease` row succeeds (the same on PostgreSQL and
SQLite). A job with a ``wake_channel`` is also run at once when :func:`wakeup.wake` is called
for that channel (PostgreSQL ``LISTEN/NOTIFY`` on commit; in-process on SQLite), instead of
waiting for its next turn; its interval stays the fallback.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from luvat.integrations import wakeup
from luvat.integrations.metrics import JOB_DURATION
from luvat.integrations.wakeup import PostgresListener

log = structlog.get_logger(__name__)

HEARTBEAT_SECONDS = 10.0

JobFunction = Callable[[], int | None]
"""A job does one bounded batch of work and returns how many items it handled."""


@dataclass
class Job:
    name: str
    function: JobFunction
    interval_seconds: float
    once_per_cluster: bool = False
    wake_channel: str = ""


_registry: dict[str, Job] = {}


def register_job(
    name: str,
    function: JobFunction,
    *,
    interval_seconds: float,
    once_per_cluster: bool = False,
    wake_channel: str = "",
) -> None:
    """Run ``function`` every ``interval_seconds`` in every worker, or, ``once_per_cluster``,
    once per interval in the whole cluster; also at once on a wake-up for ``wake_channel``.
    Re-registering replaces."""
    _registry[name] = Job(
        name=name,
        function=function,
        interval_seconds=interval_seconds,
        once_per_cluster=once_per_cluster,
        wake_channel=wake_channel,
    )


def registered_jobs() -> list[str]:
    return sorted(_registry)


def take_period(job: Job, holder: str) -> bool:
    """Whether this worker runs the current period of a once-per-cluster job: the one
    conditional update that moves ``next_run_at`` past now wins; the others update nothing."""
    from luvat.integrations.models import JobLease

    now = timezone.now()
    JobLease.objects.bulk_create([JobLease(name=job.name, next_run_at=now)], ignore_conflicts=True)
    taken = JobLease.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + timedelta(seconds=job.interval_seconds),
        holder=holder[:200],
        last_started_at=now,
    )
    return taken == 1


def worker_identity(in_process: bool) -> str:
    suffix = f"-{threading.get_ident()}" if in_process else ""
    return f"{socket.gethostname()}:{os.getpid()}{suffix}"


class Worker:
    def __init__(
        self, *, poll_seconds: float, in_process: bool = False, listen: bool = True
    ) -> None:
        self.poll_seconds = poll_seconds
        self.in_process = in_process
        self.listen = listen
        self.stop_event = threading.Event()
        self.worker_id = worker_identity(in_process)
        self.jobs_run = 0
        self._next_run: dict[str, float] = {}
        self._woken = threading.Event()
        self._woken_channels: set[str] = set()
        self._woken_lock = threading.Lock()

    def stop(self) -> None:
        self.stop_event.set()
        self._woken.set()

    def wake(self, channel: str) -> None:
        """Run the jobs of ``channel`` at the next turn, without waiting for the poll."""
        with self._woken_lock:
            self._woken_channels.add(channel)
        self._woken.set()

    def _take_wake_ups(self) -> None:
        with self._woken_lock:
            channels, self._woken_channels = self._woken_channels, set()
            self._woken.clear()
        for job in _registry.values():
            if job.wake_channel and job.wake_channel in channels:
                self._next_run[job.name] = 0.0

    def run_due_jobs(self) -> int:
        """Run every job that is due once; return how many ran."""
        self._take_wake_ups()
        ran = 0
        for job in list(_registry.values()):
            if self.stop_event.is_set():
                # SIGTERM: the job that was running has finished its batch; leave the others
                # for the next worker rather than start work that the pod's grace period cuts.
                break
            now = time.monotonic()
            if self._next_run.get(job.name, 0.0) > now:
                continue
            self._next_run[job.name] = now + (
                # A once-per-cluster job asks its lease at the poll: whoever's turn comes first.
                self.poll_seconds if job.once_per_cluster else job.interval_seconds
            )
            try:
                if job.once_per_cluster and not take_period(job, self.worker_id):
                    continue
                started = time.perf_counter()
                try:
                    handled = job.function()
                finally:
                    JOB_DURATION.labels(job=job.name).observe(time.perf_counter() - started)
            except Exception:
                log.exception("worker.job_failed", job=job.name)
            else:
                if handled:
                    log.info("worker.job_done", job=job.name, handled=handled)
            ran += 1
            self.jobs_run += 1
        return ran

    def _start_listening(self) -> PostgresListener | None:
        from django.db import connection

        if not self.listen:
            return None  # polling only (the benchmark's "before")
        wakeup.subscribe(self.wake)
        if connection.vendor != "postgresql":
            return None
        listener = PostgresListener(self.wake)
        listener.start()
        return listener

    def run(self) -> None:
        log.info("worker.started", worker=self.worker_id, jobs=registered_jobs())
        self.heartbeat(starting=True)
        listener = self._start_listening()
        next_heartbeat = time.monotonic() + HEARTBEAT_SECONDS
        try:
            while not self.stop_event.is_set():
                # Drop broken or expired connections between rounds, as Django does per request.
                close_old_connections()
                self.run_due_jobs()
                if time.monotonic() >= next_heartbeat:
                    self.heartbeat()
                    next_heartbeat = time.monotonic() + HEARTBEAT_SECONDS
                self._woken.wait(self.poll_seconds)
        finally:
            wakeup.unsubscribe(self.wake)
            if listener is not None:
                listener.stop()
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


def start_in_thread(*, poll_seconds: float, listen: bool = True) -> Worker:
    """Start a worker in a daemon thread of this process (``luvat serve``)."""
    worker = Worker(poll_seconds=poll_seconds, in_process=True, listen=listen)
    thread = threading.Thread(target=worker.run, name="luvat-worker", daemon=True)
    thread.start()
    return worker
