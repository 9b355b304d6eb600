"""WSGI servers on this machine: waitress (`luvat serve`) against gunicorn gthread
(`luvat serve --processes N`), in the same run: req/s and p50/p99 of the bare view (/livez)
and of a real page (the authorities list, rendered from the catalogue in the database).

.venv/bin/python -m bench wsgi [--seconds 8] [--concurrency 8]   (DATABASE_URL optional)
"""

from __future__ import annotations

import argparse

from bench._http import compare, load, report, running_server, smoke_argument

PAGES = (("bare_view", "/livez"), ("page", "/fi/authorities/"))


def servers(processes: int, threads: int) -> list[tuple[str, dict[str, str], tuple[str, ...]]]:
    return [
        ("waitress_1x8", {"LUVAT_SERVE_THREADS": "8"}, ()),
        (
            f"gunicorn_{processes}x{threads}",
            {"LUVAT_SERVE_THREADS": str(threads)},
            ("--processes", str(processes)),
        ),
        ("gunicorn_4x2", {"LUVAT_SERVE_THREADS": "2"}, ("--processes", "4")),
    ]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench wsgi")
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring time per page")
    parser.add_argument("--concurrency", type=int, default=8, help="parallel keep-alive clients")
    parser.add_argument("--processes", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per process")
    smoke_argument(parser)
    args = parser.parse_args(argv)
    chosen = servers(args.processes, args.threads)
    warmup = 1.0
    if args.smoke:
        args.seconds, args.concurrency, warmup, chosen = 1.0, 2, 0.3, chosen[:2]
    for name, env, serve_args in chosen:
        with running_server(env, prepare=(("load-catalogue",),), serve_args=serve_args) as server:
            bare = 0.0
            for page, path in PAGES:
                load(server.port, path, seconds=warmup, concurrency=args.concurrency)  # warm up
                result = load(server.port, path, seconds=args.seconds, concurrency=args.concurrency)
                if not result.requests:
                    raise SystemExit(f"{name} {path}: no request answered in {args.seconds} s")
                if page == "bare_view":
                    bare = result.per_second
                    report(f"wsgi.{name}.{page}.throughput", result.per_second, "req/s")
                else:
                    compare(
                        f"wsgi.{name}.{page}.throughput",
                        result.per_second,
                        "/livez same server",
                        bare,
                        "req/s",
                    )
                report(f"wsgi.{name}.{page}.latency_p50", result.p50, "ms")
                report(f"wsgi.{name}.{page}.latency_p99", result.percentile(99), "ms")
                report(f"wsgi.{name}.{page}.errors", result.errors, "requests")
