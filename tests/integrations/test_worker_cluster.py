"""Several workers on one database: a once-per-cluster job runs once per period, not once per
worker; a committed outbox message wakes the workers at once (PostgreSQL NOTIFY, in-process
on SQLite), and a rolled-back one does not."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from django.db import connection, transaction

from luvat.integrations import wakeup
from luvat.integrations import worker as worker_module
from luvat.integrations.models import JobLease
from luvat.integrations.wakeup import OUTBOX, PostgresListener, wake
from luvat.integrations.worker import Worker, register_job


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(worker_module, "_registry", {})


def run_workers(count: int, seconds: float, **kwargs) -> list[Worker]:
    workers = [Worker(poll_seconds=0.01, listen=False, **kwargs) for _ in range(count)]
    for n, worker in enumerate(workers):
        worker.worker_id = f"test-worker-{n}"
    threads = [threading.Thread(target=worker.run) for worker in workers]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    for worker in workers:
        worker.stop()
    for thread in threads:
        thread.join(timeout=10)
    return workers


@pytest.mark.django_db(transaction=True)
def test_a_once_per_cluster_job_runs_once_per_period_with_two_workers(clean_registry) -> None:
    runs: list[tuple[float, str]] = []
    lock = threading.Lock()

    def job() -> int:
        with lock:
            runs.append((time.monotonic(), threading.current_thread().name))
        return 1

    interval = 0.5
    register_job("test.reminders", job, interval_seconds=interval, once_per_cluster=True)
    started = time.monotonic()
    run_workers(2, seconds=2.6)
    elapsed = time.monotonic() - started

    # 2.6 s of 0.5 s periods: at most 6 periods begin (0, 0.5 … 2.5); a period per worker
    # would be 12. A loaded machine may skip periods (a late worker does not catch up), so
    # the floor is only that the job ran again in a later period.
    periods = int(elapsed / interval) + 1
    assert 2 <= len(runs) <= periods, runs
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(runs)]
    assert all(gap >= interval * 0.8 for gap in gaps), gaps
    lease = JobLease.objects.get(name="test.reminders")
    assert lease.holder.startswith("test-worker-")


@pytest.mark.django_db(transaction=True)
def test_a_work_sharing_job_runs_in_every_worker(clean_registry) -> None:
    runs: list[str] = []

    def job() -> None:
        runs.append("x")

    register_job("test.drain", job, interval_seconds=10)
    run_workers(2, seconds=0.5)
    assert len(runs) == 2  # once in each: its rows are shared by locks, not by the schedule


@pytest.mark.django_db(transaction=True)
def test_a_period_taken_by_one_worker_is_not_taken_again(clean_registry) -> None:
    register_job("test.once", lambda: 1, interval_seconds=3600, once_per_cluster=True)
    first, second = Worker(poll_seconds=0.01), Worker(poll_seconds=0.01)
    first.worker_id, second.worker_id = "first", "second"
    assert first.run_due_jobs() == 1
    second._next_run.clear()
    assert second.run_due_jobs() == 0
    assert JobLease.objects.get(name="test.once").holder == "first"


@pytest.mark.django_db(transaction=True)
def test_a_committed_wake_up_reaches_the_worker_and_a_rolled_back_one_does_not(
    clean_registry,
) -> None:
    heard: list[str] = []
    got = threading.Event()

    def on_wake(channel: str) -> None:
        heard.append(channel)
        got.set()

    listener: PostgresListener | None = None
    if connection.vendor == "postgresql":
        listener = PostgresListener(on_wake)
        listener.start()
        assert listener.listening.wait(10)
    else:
        wakeup.subscribe(on_wake)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            wake(OUTBOX)
            raise RuntimeError("rolled back")
        assert not got.wait(0.5)
        with transaction.atomic():
            wake(OUTBOX)
            wake(OUTBOX)
            assert not got.wait(0.3)  # not before the commit
        assert got.wait(5)
        time.sleep(0.2)
        assert heard == [OUTBOX] if listener else heard == [OUTBOX, OUTBOX]
    finally:
        if listener is not None:
            listener.stop()
            listener.join(timeout=5)
        else:
            wakeup.unsubscribe(on_wake)


@pytest.mark.django_db(transaction=True)
def test_a_woken_worker_runs_the_channels_job_before_its_interval(clean_registry) -> None:
    runs: list[float] = []

    def job() -> None:
        runs.append(time.monotonic())

    register_job(
        "test.outbox",
        job,
        interval_seconds=3600,
        wake_channel=OUTBOX,
    )
    worker = Worker(poll_seconds=30, listen=True)
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not runs and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(runs) == 1  # the first turn
        if connection.vendor == "postgresql":
            time.sleep(0.5)  # the listener connects
        woke_at = time.monotonic()
        with transaction.atomic():
            wake(OUTBOX)
        while len(runs) < 2 and time.monotonic() < deadline + 5:
            time.sleep(0.005)
        assert len(runs) == 2
        assert runs[1] - woke_at < 1.0  # the poll would have been 30 s, the interval an hour
    finally:
        worker.stop()
        thread.join(timeout=10)
