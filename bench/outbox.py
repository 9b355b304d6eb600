"""Outbox delivery throughput (PostgreSQL): msg/s over HTTP and over AMQP with confirms,
with 1 and 4 `luvat worker` processes, as ratios to the bare-view floor.

DATABASE_URL=postgres://…/luvat_bench_integrations .venv/bin/python -m bench outbox
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time

from bench._http import BIN, free_port, load, report, running_server
from bench._integrations import (
    AUTHORITY,
    SECRET,
    endpoint,
    require_postgres,
    seed,
    setup_django,
    wait_until,
)


def worker_env() -> dict[str, str]:
    return {
        **os.environ,
        "LUVAT_WORKER_POLL_SECONDS": "0.05",
        "LUVAT_LOG_LEVEL": "WARNING",
        "LUVAT_WORKER_IN_PROCESS": "false",
    }


def vacuum_outbox() -> None:
    """Each run leaves the outbox's claimed and updated rows dead; where autovacuum is off
    (or behind) they slow every later claim, so start each measurement from a clean table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE integrations_outboxmessage")


def measure(workers: int, count: int) -> float:
    """Deliver ``count`` fresh messages with ``workers`` processes; msg/s in steady state."""
    from luvat.integrations.models import OutboxMessage, OutboxStatus

    seed(count)
    vacuum_outbox()
    delivered = OutboxMessage.objects.filter(
        authority_code=AUTHORITY, status=OutboxStatus.DELIVERED
    )
    processes = [
        subprocess.Popen([str(BIN / "luvat"), "worker"], env=worker_env()) for _ in range(workers)
    ]
    try:
        if not wait_until(lambda: delivered.count() >= count * 0.05, 120):
            raise RuntimeError("deliveries did not start")
        t0, c0 = time.perf_counter(), delivered.count()
        if not wait_until(lambda: delivered.count() >= count * 0.95, 600):
            raise RuntimeError("deliveries did not finish")
        t1, c1 = time.perf_counter(), delivered.count()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    return (c1 - c0) / (t1 - t0)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench outbox")
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--amqp-url", default=os.environ.get("LUVAT_AMQP_URL", ""))
    parser.add_argument(
        "--only", choices=("http", "amqp"), help="measure one transport (the floor is always)"
    )
    args = parser.parse_args(argv)
    require_postgres()
    os.environ["LUVAT_AMQP_URL"] = args.amqp_url
    setup_django()

    with running_server() as server:
        floor = load(server.port, "/livez", seconds=3, concurrency=4).per_second
    report("bare_view.throughput", floor, "req/s")

    if args.only != "amqp":
        measure_http(args.messages, floor)
    if args.only != "http":
        measure_amqp(args.messages, floor, args.amqp_url)


def measure_http(messages: int, floor: float) -> None:
    port = free_port()
    receiver = subprocess.Popen(
        [
            str(BIN / "luvat"),
            "simulate-authority",
            "--authority",
            AUTHORITY,
            "--port",
            str(port),
            "--secret",
            SECRET,
            "--no-events",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(2)
        endpoint(transport="http", url=f"http://127.0.0.1:{port}/in", read_timeout_seconds=10)
        for workers in (1, 4):
            rate = measure(workers, messages)
            report(f"outbox.http.workers_{workers}.throughput", rate, "msg/s")
            report(f"outbox.http.workers_{workers}.vs_bare_view", rate / floor, "x")
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)


def measure_amqp(messages: int, floor: float, amqp_url: str) -> None:
    if not amqp_url:
        print("outbox.amqp: skipped (no LUVAT_AMQP_URL)")
        return
    import pika

    endpoint(transport="amqp", amqp_queue="luvat.bench-authority")
    for workers in (1, 4):
        rate = measure(workers, messages)
        report(f"outbox.amqp.workers_{workers}.throughput", rate, "msg/s")
        report(f"outbox.amqp.workers_{workers}.vs_bare_view", rate / floor, "x")
        connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
        connection.channel().queue_purge(queue="luvat.bench-authority")
        connection.close()
