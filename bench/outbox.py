"""Outbox delivery throughput (PostgreSQL): msg/s over HTTP and over AMQP with confirms,
with 1 and 4 `luvat worker` processes, as ratios to the bare-view floor.

DATABASE_URL=postgres://…/luvat_bench_integrations .venv/bin/python -m bench outbox
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from typing import Any

from bench._http import (
    BIN,
    compare,
    free_port,
    load,
    median_ratio,
    report,
    running_server,
    smoke_argument,
)
from bench._integrations import (
    AUTHORITY,
    SECRET,
    endpoint,
    example_payload,
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
        if c1 - c0 < count // 2:  # tiny runs (--smoke): all of it went before the first look
            raise SystemExit(f"{count} messages are too few to measure a rate; use more")
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
    parser.add_argument("--rounds", type=int, default=3, help="AMQP: rounds against raw pika")
    parser.add_argument(
        "--workers",
        type=int,
        action="append",
        help="worker processes to measure with (repeatable; default 1 and 4)",
    )
    smoke_argument(parser)
    args = parser.parse_args(argv)
    counts: tuple[int, ...] = tuple(args.workers or (1, 4))
    if args.smoke:
        # Enough that the steady state outlasts the first look even at AMQP speed.
        args.messages, counts, args.rounds = 5000, (1,), 1
    require_postgres()
    os.environ["LUVAT_AMQP_URL"] = args.amqp_url
    setup_django()

    with running_server() as server:
        floor = load(
            server.port, "/livez", seconds=0.5 if args.smoke else 3, concurrency=4
        ).per_second
    report("bare_view.throughput", floor, "req/s")

    if args.only != "amqp":
        measure_http(args.messages, floor, counts)
    if args.only != "http":
        measure_amqp(args.messages, floor, args.amqp_url, counts, args.rounds)


def measure_http(messages: int, floor: float, counts: tuple[int, ...]) -> None:
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
        time.sleep(1 if messages < 100 else 2)
        endpoint(transport="http", url=f"http://127.0.0.1:{port}/in", read_timeout_seconds=10)
        for workers in counts:
            rate = measure(workers, messages)
            report(f"outbox.http.workers_{workers}.throughput", rate, "msg/s")
            report(f"outbox.http.workers_{workers}.vs_bare_view", rate / floor, "x")
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)


def raw_pika(amqp_url: str, queue: str, count: int, body: bytes, batch: int = 100) -> float:
    """The floor: ``count`` persistent messages published with raw pika to the same durable
    queue, ``batch`` in flight, the next batch after the broker confirmed the last; msg/s."""
    import pika

    state: dict[str, Any] = {"sent": 0, "confirmed": 0, "began": 0.0, "ended": 0.0}
    properties = pika.BasicProperties(delivery_mode=2, content_type="application/json")

    def publish_batch(channel: Any) -> None:
        for _ in range(min(batch, count - state["sent"])):
            channel.basic_publish("", queue, body, properties)
            state["sent"] += 1

    def on_confirm(frame: Any) -> None:
        state["confirmed"] = max(state["confirmed"], frame.method.delivery_tag)
        if state["confirmed"] < state["sent"]:
            return
        if state["sent"] >= count:
            state["ended"] = time.perf_counter()
            connection.close()
        else:
            publish_batch(channel_box[0])

    channel_box: list[Any] = []

    def on_channel(channel: Any) -> None:
        channel_box.append(channel)
        channel.confirm_delivery(on_confirm)
        state["began"] = time.perf_counter()
        publish_batch(channel)

    def on_open(opened: Any) -> None:
        opened.channel(on_open_callback=on_channel)

    connection: Any = pika.SelectConnection(
        pika.URLParameters(amqp_url),
        on_open_callback=on_open,
        on_close_callback=lambda *_args: connection.ioloop.stop(),
    )
    connection.ioloop.start()
    if state["confirmed"] < count:
        raise RuntimeError(f"raw pika: {state['confirmed']} of {count} confirmed")
    return float(count / (state["ended"] - state["began"]))


def measure_amqp(
    messages: int, floor: float, amqp_url: str, counts: tuple[int, ...], rounds: int
) -> None:
    if not amqp_url:
        print("outbox.amqp: skipped (no LUVAT_AMQP_URL)")
        return
    import pika

    queue = "luvat.bench-authority"
    endpoint(transport="amqp", amqp_queue=queue)

    def purge() -> None:
        from luvat.integrations.transports.topology import declare_queue, topology

        connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
        # On a fresh broker nobody has declared the queue yet: declare it as the worker would.
        channel = declare_queue(
            connection, connection.channel(), queue, queue_type=topology().queue_type
        )
        channel.queue_purge(queue=queue)
        connection.close()

    purge()

    body = json.dumps({"data": example_payload(), "id": "x" * 36}).encode()
    ratios = []
    for round_no in range(1, rounds + 1):
        for workers in counts:
            raw = raw_pika(amqp_url, queue, messages, body)
            purge()
            rate = measure(workers, messages)
            purge()
            prefix = f"round_{round_no}.outbox.amqp.workers_{workers}"
            ratio = compare(
                f"{prefix}.throughput", rate, "raw pika, confirms per 100", raw, "msg/s"
            )
            if workers == 1:
                ratios.append(ratio)
            report(f"{prefix}.vs_bare_view", rate / floor, "x")
    if ratios:  # the target is read from one worker's rounds
        median_ratio("outbox.amqp.workers_1.vs_raw_pika", ratios)
