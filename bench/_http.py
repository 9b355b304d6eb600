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

BIN = Path(sys.executable).parent


def report(name: str, value: float, unit: str) -> None:
    """One figure, in the format every benchmark prints."""
    print(f"{name}: {value:.2f} {unit}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base_url: str
    port: int
    env: dict[str, str]


@contextmanager
def running_server(
    extra_env: dict[str, str] | None = None, *, prepare: tuple[tuple[str, ...], ...] = ()
) -> Iterator[Server]:
    """Migrate a database (a temporary SQLite one unless DATABASE_URL is set), run the
    ``prepare`` luvat commands, and serve it with ``luvat serve --no-worker``."""
    with tempfile.TemporaryDirectory(prefix="luvat-bench-") as var_dir:
        env = dict(os.environ)
        env.update({"LUVAT_VAR_DIR": var_dir, "LUVAT_LOG_LEVEL": "WARNING", "LUVAT_DEBUG": "false"})
        env.update(extra_env or {})
        luvat = str(BIN / "luvat")
        for command in (("migrate", "-v0"), *prepare):
            subprocess.run([luvat, *command], env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        process = subprocess.Popen(
            [luvat, "serve", "--no-worker", "--port", str(port)],
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
) -> LoadResult:
    """GET ``path`` from ``concurrency`` keep-alive connections for ``seconds``."""
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
            if began >= stop_at[0]:
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
    return LoadResult(
        requests=counts["ok"], errors=counts["errors"], seconds=seconds, latencies_ms=latencies
    )
