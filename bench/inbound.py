"""Inbound status events/s with p50/p99 (PostgreSQL) on 4 `luvat serve` processes, with the
bare view on the same processes as the floor.

DATABASE_URL=postgres://…/luvat_bench_integrations .venv/bin/python -m bench inbound
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from bench._http import BIN, free_port, report, smoke_argument
from bench._integrations import (
    AUTHORITY,
    SECRET,
    api_key,
    endpoint,
    require_postgres,
    seed,
    setup_django,
)
from bench._rawfloor import floor_rate, row_counts

STEPS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("received", {"case_reference": "BENCH-1"}),
    ("in_processing", {}),
    ("decision", {"decision": {"outcome": "granted", "date": "2026-12-01"}}),
)


@contextmanager
def server_process(port: int) -> Iterator[None]:
    env = {**os.environ, "LUVAT_LOG_LEVEL": "WARNING", "LUVAT_DEBUG": "false"}
    process = subprocess.Popen(
        [str(BIN / "luvat"), "serve", "--no-worker", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("luvat serve did not start") from None
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)


def run_load(
    ports: list[int], seconds: float, concurrency: int, make_request
) -> tuple[int, int, list[float]]:
    """Each client sends ``make_request(client_no)`` (method, path, body, headers) repeatedly."""
    latencies: list[float] = []
    totals = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def connect(port: int) -> http.client.HTTPConnection:
        # As urllib3 and requests do: no Nagle delay between the headers and the body.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.connect()
        assert conn.sock is not None
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def client(number: int) -> None:
        port = ports[number % len(ports)]
        conn = connect(port)
        mine: list[float] = []
        ok = errors = 0
        requests = make_request(number)
        while time.perf_counter() < stop_at:
            try:
                method, path, body, headers = next(requests)
            except StopIteration:
                break
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                good = response.status < 300
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = connect(port)
                good = False
            mine.append((time.perf_counter() - began) * 1000)
            ok, errors = (ok + 1, errors) if good else (ok, errors + 1)
        conn.close()
        with lock:
            latencies.extend(mine)
            totals["ok"] += ok
            totals["errors"] += errors

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return totals["ok"], totals["errors"], latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench inbound")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--applications", type=int, default=6000)
    parser.add_argument(
        "--batch", type=int, default=120, help="events per batch request (0: no batch run)"
    )
    parser.add_argument("--batch-applications", type=int, default=12000)
    smoke_argument(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        args.seconds, args.concurrency, args.processes = 1.0, 2, 1
        args.applications, args.batch, args.batch_applications = 40, 30, 40
    require_postgres()
    setup_django()
    from luvat.integrations.signing import sign

    batch_ids = seed(args.batch_applications) if args.batch else []
    application_ids = seed(args.applications, clear=False)
    endpoint(transport="http", url="http://127.0.0.1:9/unused")
    token = api_key()
    ports = [free_port() for _ in range(args.processes)]
    with ExitStack() as stack:
        for port in ports:
            stack.enter_context(server_process(port))

        def bare(_number: int):
            while True:
                yield "GET", "/livez", None, {}

        run_load(ports, 1.0, args.concurrency, bare)  # warm-up
        ok, _errors, _lat = run_load(ports, args.seconds, args.concurrency, bare)
        floor = ok / args.seconds
        report("bare_view.throughput", floor, "req/s")

        shares = [application_ids[n :: args.concurrency] for n in range(args.concurrency)]
        base = datetime(2026, 12, 1, tzinfo=UTC)

        def events(number: int):
            for application_id in shares[number]:
                for step, (kind, extra) in enumerate(STEPS):
                    body = json.dumps(
                        {
                            "event_id": f"{application_id}:{kind}",
                            "type": kind,
                            "occurred_at": (base + timedelta(minutes=step)).isoformat(),
                            **extra,
                        }
                    ).encode()
                    headers = {
                        "Content-Type": "application/json",
                        "Authorization": f"Bearer {token}",
                        "X-Luvat-Signature": sign(SECRET, body, int(time.time())),
                    }
                    yield "POST", f"/api/v1/applications/{application_id}/events", body, headers

        before = row_counts()
        ok, errors, latencies = run_load(ports, args.seconds, args.concurrency, events)
        rate = ok / args.seconds
        after = row_counts()
        report("inbound.events.throughput", rate, "events/s")
        report("inbound.events.latency_p50", statistics.median(latencies), "ms")
        report("inbound.events.latency_p99", percentile(latencies, 99), "ms")
        report("inbound.events.errors", errors, "requests")
        report("inbound.events.vs_bare_view", rate / floor, "x")
        raw = raw_floor(args, application_ids, before, after, ok, rate)
        if args.batch:
            batch_run(ports, args, batch_ids, token, floor, raw)


def raw_floor(args, public_ids: list[str], before, after, events: int, rate: float) -> float:
    """The same rows written with raw psycopg, one transaction per event (bench/_rawfloor.py)."""
    from luvat.projects.models import Application

    ids = list(Application.objects.filter(public_id__in=public_ids).values_list("id", flat=True))
    connections = args.processes
    floor, per_event = floor_rate(
        os.environ["DATABASE_URL"], before, after, max(1, events), ids, connections, args.seconds
    )
    for table, count in sorted(per_event.items()):
        report(f"inbound.rows_inserted_per_event.{table}", count, "rows")
    report(f"inbound.raw_write_floor_{connections}_connections", floor, "events/s")
    report("inbound.events.vs_raw_write_floor", rate / floor if floor else 0.0, "x")
    return floor


def batch_run(
    ports: list[int], args: argparse.Namespace, ids: list[str], token: str, floor, raw: float
):
    """The same three events per application, sent ``args.batch`` at a time."""
    from luvat.integrations.signing import sign

    per_batch = max(1, args.batch // len(STEPS))
    sent: list[str] = []
    shares = [ids[n :: args.concurrency] for n in range(args.concurrency)]
    base = datetime(2026, 12, 1, tzinfo=UTC)

    def batches(number: int):
        share = shares[number]
        for start in range(0, len(share), per_batch):
            events = [
                {
                    "event_id": f"{application_id}:{kind}",
                    "application_id": application_id,
                    "type": kind,
                    "occurred_at": (base + timedelta(minutes=step)).isoformat(),
                    **extra,
                }
                for application_id in share[start : start + per_batch]
                for step, (kind, extra) in enumerate(STEPS)
            ]
            sent.extend(event["event_id"] for event in events)
            body = json.dumps({"events": events}).encode()
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {token}",
                "X-Luvat-Signature": sign(SECRET, body, int(time.time())),
            }
            yield "POST", "/api/v1/applications/events", body, headers

    ok, errors, latencies = run_load(ports, args.seconds, args.concurrency, batches)
    size = per_batch * len(STEPS)
    rate = ok * size / args.seconds
    name = f"inbound.batch_{size}"
    report(f"{name}.events_throughput", rate, "events/s")
    report(f"{name}.request_latency_p50", statistics.median(latencies), "ms")
    report(f"{name}.request_latency_p99", percentile(latencies, 99), "ms")
    report(f"{name}.errors", errors, "requests")
    report(f"{name}.vs_bare_view", rate / floor, "x")
    report(f"{name}.vs_raw_write_floor", rate / raw if raw else 0.0, "x")
    from luvat.integrations.models import InboundEvent

    # Every event answered in an accepted batch was recorded (none refused inside a batch).
    recorded = InboundEvent.objects.filter(authority_code=AUTHORITY, event_id__in=sent).count()
    report(f"{name}.events_recorded_of_sent", recorded / max(1, len(sent)), "x")
