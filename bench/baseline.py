"""Framework floor: requests/s and p50/p99 of /healthz and of the bare /livez view.

Both run on the same `luvat serve` (waitress, embedded SQLite unless DATABASE_URL
is set). Later benchmarks report their figures as ratios against these.
"""

from __future__ import annotations

import argparse

from bench._http import load, report, running_server


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench baseline")
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per endpoint")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel keep-alive clients")
    args = parser.parse_args(argv)
    with running_server() as server:
        results = {}
        for name, path in (("bare_view", "/livez"), ("healthz", "/healthz")):
            result = load(server.port, path, seconds=args.seconds, concurrency=args.concurrency)
            results[name] = result
            report(f"{name}.throughput", result.per_second, "req/s")
            report(f"{name}.latency_p50", result.p50, "ms")
            report(f"{name}.latency_p99", result.percentile(99), "ms")
            report(f"{name}.errors", result.errors, "requests")
        ratio = results["healthz"].per_second / results["bare_view"].per_second
        report("healthz.throughput_vs_bare_view", ratio, "x")
