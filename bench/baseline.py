"""Framework floor: requests/s and p50/p99 of /healthz beside the bare /livez view.

Both run on the same `luvat serve` (waitress, embedded SQLite unless DATABASE_URL is set),
interleaved over ``--rounds`` rounds; the ratio is the median of the per-round ratios
(target: /healthz ≥ 0.8x /livez). Later benchmarks report their figures against /livez too.
"""

from __future__ import annotations

import argparse

from bench._http import compare, load, median_ratio, report, running_server, smoke_argument


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench baseline")
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per endpoint")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel keep-alive clients")
    parser.add_argument("--rounds", type=int, default=3)
    smoke_argument(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        args.seconds, args.rounds = 0.5, 1
    ratios = []
    with running_server() as server:
        for round_no in range(1, args.rounds + 1):
            results = {}
            for name, path in (("bare_view", "/livez"), ("healthz", "/healthz")):
                result = load(
                    server.port,
                    path,
                    seconds=args.seconds,
                    concurrency=args.concurrency,
                    warmup_seconds=0.2 if args.smoke else 1.0,
                )
                if result.errors or not result.requests:
                    raise SystemExit(f"{path}: {result.errors} errors of {result.requests}")
                results[name] = result
            bare, health = results["bare_view"], results["healthz"]
            prefix = f"round_{round_no}.healthz"
            ratios.append(
                compare(
                    f"{prefix}.throughput", health.per_second, "/livez", bare.per_second, "req/s"
                )
            )
            compare(f"{prefix}.latency_p50", health.p50, "/livez", bare.p50, "ms")
            report(f"{prefix}.latency_p99", health.percentile(99), "ms")
    median_ratio("healthz.throughput_vs_bare_view", ratios)
