"""Shared pieces for HTTP benchmarks: a real `luvat serve` and a keep-alive load generator."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


def report(name: str, value: float, unit: str) -> None:
    """One figure, in the format every benchmark prints."""
    print(f"{name}: {value:.2f} {unit}", flush=True)


def compare(name: str, value: float, floor_name: str, floor: float, unit: str) -> float:
    """A figure beside its floor measured in the same run, and their ratio (value / floor):
    for a rate, 1.0x is as fast as the floor; for a latency, 1.0x is as short."""
    ratio = value / floor if floor else float("nan")
    print(
        f"{name}: {value:.2f} {unit} | floor {floor_name}: {floor:.2f} {unit} | "
        f"ratio: {ratio:.2f} x",
        flush=True,
    )
    return ratio


def median_ratio(name: str, ratios: list[float]) -> None:
    """The median of the per-round ratios (the figure the targets are read against)."""
    print(
        f"{name}.median_ratio: {statistics.median(ratios):.2f} x "
        f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)})",
        flush=True,
    )


def smoke_argument(parser: Any) -> None:
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny data and short runs (seconds): CI checks that the benchmark still runs",
    )


PORT_BASE = int(os.environ.get("BENCH_PORT_BASE", "18700"))
_ports_lock = threading.Lock()
_ports_given: set[int] = set()


def free_port() -> int:
    """The first port from ``BENCH_PORT_BASE`` (default 18700) upwards that this process has
    not handed out yet and that binds on 127.0.0.1 now: the same scan every time it is asked.
    The range is below Linux's ephemeral ports (32768-60999), so a port chosen here is never
    one the kernel may be handing to some client socket meanwhile."""
    with _ports_lock:
        for port in range(PORT_BASE, PORT_BASE + 2000):
            if port in _ports_given:
                continue
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    continue
            _ports_given.add(port)
            return port
    raise RuntimeError(f"no free port in {PORT_BASE}-{PORT_BASE + 1999}")


@dataclass
class Server:
    base_url: str
    port: int
    env: dict[str, str]


@contextmanager
def running_server(
    extra_env: dict[str, str] | None = None,
    *,
    prepare: tuple[tuple[str, ...], ...] = (),
    serve_args: tuple[str, ...] = (),
) -> Iterator[Server]:
    """Migrate a database (a temporary SQLite one unless DATABASE_URL is set), run the
    ``prepare`` luvat commands, and serve it with ``luvat serve --no-worker [serve_args]``."""
    with tempfile.TemporaryDirectory(prefix="luvat-bench-") as var_dir:
        env = dict(os.environ)
        env.update({"LUVAT_VAR_DIR": var_dir, "LUVAT_LOG_LEVEL": "WARNING", "LUVAT_DEBUG": "false"})
        env.update(extra_env or {})
        luvat = str(BIN / "luvat")
        # The smoke runner (python -m bench --smoke) migrates and loads the catalogue once.
        prepared = env.get("BENCH_PREPARED") and env.get("DATABASE_URL")
        steps = () if prepared else (("migrate", "-v0"), *prepare)
        for command in steps:
            subprocess.run([luvat, *command], env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        process = subprocess.Popen(
            [luvat, "serve", "--no-worker", "--port", str(port), *serve_args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/livez", timeout=2).close()  # noqa: S310
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("luvat serve did not start") from None
                    time.sleep(0.2)
            yield Server(base_url=base, port=port, env=env)
        finally:
            process.terminate()
            process.wait(timeout=20)


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms)


def load(
    port: int,
    path: str,
    *,
    seconds: float,
    concurrency: int,
    headers: dict[str, str] | None = None,
    warmup_seconds: float = 1.0,
    min_per_connection: int = 2,
) -> LoadResult:
    """GET ``path`` from ``concurrency`` keep-alive connections for ``seconds``.

    Each connection measures at least ``min_per_connection`` requests, however long they
    take: on a loaded machine a short smoke window may otherwise see no request begin in
    it (and a figure of 0 requests is no figure). The rate uses the real measured time."""
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    start_barrier = threading.Barrier(concurrency + 1)
    measure_from = [0.0]
    stop_at = [0.0]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        ok = errors = 0
        start_barrier.wait()
        while True:
            began = time.perf_counter()
            if began >= stop_at[0] and len(mine) >= min_per_connection:
                break
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                good = response.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                good = False
            elapsed = time.perf_counter() - began
            if began >= measure_from[0]:
                mine.append(elapsed * 1000)
                if good:
                    ok += 1
                else:
                    errors += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            counts["ok"] += ok
            counts["errors"] += errors

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    now = time.perf_counter()
    measure_from[0] = now + warmup_seconds
    stop_at[0] = now + warmup_seconds + seconds
    start_barrier.wait()
    for thread in threads:
        thread.join()
    measured = max(seconds, time.perf_counter() - measure_from[0])
    return LoadResult(
        requests=counts["ok"], errors=counts["errors"], seconds=measured, latencies_ms=latencies
    )
