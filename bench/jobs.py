"""Job runner (PostgreSQL): outbox pickup latency polling only vs LISTEN/NOTIFY, and the
cost of the once-per-cluster lease.

DATABASE_URL=postgres://…/luvat_bench_jobs .venv/bin/python -m bench jobs [--messages 30]

Pickup latency is from a message's creation (inside the committing transaction) to its
recorded delivery to a local stand-in authority system over HTTP, one message at a time at
random moments, with one `luvat worker` at the default poll of 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import time

from bench._http import BIN, free_port, report, smoke_argument
from bench._integrations import (
    AUTHORITY,
    SECRET,
    endpoint,
    require_postgres,
    seed,
    setup_django,
    wait_until,
)


def start_worker(*, listen: bool, poll_seconds: float) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LUVAT_WORKER_POLL_SECONDS": str(poll_seconds),
        "LUVAT_WORKER_LISTEN": "true" if listen else "false",
        "LUVAT_LOG_LEVEL": "WARNING",
        "LUVAT_WORKER_IN_PROCESS": "false",
    }
    return subprocess.Popen([str(BIN / "luvat"), "worker"], env=env, stdout=subprocess.DEVNULL)


def pickup_latencies(
    count: int, *, listen: bool, poll_seconds: float, startup_seconds: float = 3.0
) -> list[float]:
    """Milliseconds from creation to delivery of ``count`` messages sent one at a time."""
    from django.db import transaction

    from luvat.integrations.models import OutboxMessage, OutboxStatus
    from luvat.integrations.wakeup import OUTBOX, wake

    seed(0)  # clears the earlier runs' messages
    rng = random.Random(7)  # spacing of the samples
    from django.utils import timezone

    from luvat.integrations.models import WorkerHeartbeat

    launched = timezone.now()
    worker = start_worker(listen=listen, poll_seconds=poll_seconds)
    latencies: list[float] = []
    try:
        # The worker writes its starting heartbeat just before it connects its listener; on a
        # loaded machine the start takes many seconds, so wait for it, not for a fixed time.
        if not wait_until(
            lambda: WorkerHeartbeat.objects.filter(started_at__gte=launched).exists(), 120
        ):
            raise RuntimeError("the worker did not start within 120 s")
        time.sleep(startup_seconds)  # the listener connects
        for _ in range(count):
            with transaction.atomic():
                (public_id,) = seed(1, clear=False)
                wake(OUTBOX)  # as outbox_enqueue does; seed() writes the rows in bulk
            row = OutboxMessage.objects.filter(application__public_id=public_id)
            if not wait_until(
                lambda row=row: row.filter(status=OutboxStatus.DELIVERED).exists(), 30
            ):
                raise RuntimeError("a message was not delivered within 30 s")
            message = row.get()
            assert message.delivered_at is not None
            latencies.append((message.delivered_at - message.created_at).total_seconds() * 1e3)
            time.sleep(rng.uniform(0.05, 0.4))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return latencies


def lease_cost(rounds: int) -> float:
    """Milliseconds per once-per-cluster check (the conditional UPDATE every worker makes)."""
    from luvat.integrations.worker import Job, take_period

    job = Job(name="bench.lease", function=lambda: None, interval_seconds=3600)
    started = time.perf_counter()
    for _ in range(rounds):
        take_period(job, "bench")
    return (time.perf_counter() - started) / rounds * 1e3


def accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench jobs")
    parser.add_argument("--messages", type=int, default=30)
    parser.add_argument("--poll-seconds", type=float, default=1.0)
    smoke_argument(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        args.messages, args.poll_seconds = 2, 0.3
    require_postgres()
    setup_django()
    port = free_port()
    receiver = subprocess.Popen(
        [
            *(str(BIN / "luvat"), "simulate-authority", "--authority", AUTHORITY),
            *("--port", str(port), "--secret", SECRET, "--no-events"),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        if not wait_until(lambda: accepts(port), 60):
            raise RuntimeError("the stand-in authority system did not start within 60 s")
        endpoint(transport="http", url=f"http://127.0.0.1:{port}/in", read_timeout_seconds=10)
        for name, listen in (("poll_only", False), ("listen_notify", True)):
            latencies = pickup_latencies(
                args.messages,
                listen=listen,
                poll_seconds=args.poll_seconds,
                startup_seconds=1.0 if args.smoke else 3.0,
            )
            ordered = sorted(latencies)
            report(f"jobs.pickup.{name}.p50", statistics.median(ordered), "ms")
            report(f"jobs.pickup.{name}.p95", ordered[int(0.95 * (len(ordered) - 1))], "ms")
            report(f"jobs.pickup.{name}.max", ordered[-1], "ms")
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
    report("jobs.once_per_cluster.lease_check", lease_cost(20 if args.smoke else 500), "ms")
