"""Cost of each middleware: GET /livez in process through the whole chain, and with each one
middleware left out, interleaved over ``--rounds``; the floor is the chain with none at all.

.venv/bin/python -m bench middleware [--requests 3000] [--rounds 3]

In process (Django's test client, no server, no network): what each layer adds to every
request before any view work. Pages need the session, locale, CSRF and authentication
layers, so leaving one out is a measurement, not a proposal.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from bench._http import compare, report, smoke_argument


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luvat.config.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["LUVAT_VAR_DIR"] = tempfile.mkdtemp(prefix="luvat-bench-")
    os.environ.setdefault("LUVAT_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def per_request_us(middleware: list[str], requests: int) -> float:
    """Median microseconds of GET /livez through ``middleware`` (after a warm-up)."""
    from django.test import Client, override_settings

    with override_settings(MIDDLEWARE=middleware):
        client = Client()
        for _ in range(50):
            client.get("/livez")
        timings = []
        for _ in range(requests):
            began = time.perf_counter()
            client.get("/livez")
            timings.append((time.perf_counter() - began) * 1e6)
    return statistics.median(timings)


# Left out together with the session layer: they cannot run without it.
NEEDS_SESSION = {
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
}


def without(chain: list[str], name: str) -> list[str]:
    dropped = {name} | (NEEDS_SESSION if name.endswith("SessionMiddleware") else set())
    return [m for m in chain if m not in dropped]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench middleware", description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    smoke_argument(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        args.requests, args.rounds = 100, 1
    _setup()
    from django.conf import settings

    chain = list(settings.MIDDLEWARE)
    costs: dict[str, list[float]] = {name: [] for name in chain}
    for round_no in range(1, args.rounds + 1):
        bare = per_request_us([], args.requests)
        full = per_request_us(chain, args.requests)
        compare(f"round_{round_no}.middleware.all", full, "no middleware", bare, "us")
        for name in chain:
            costs[name].append(full - per_request_us(without(chain, name), args.requests))
    for name, values in costs.items():
        label = name.rsplit(".", 1)[-1] + (
            "+auth+messages" if name.endswith("Session" + "Middleware") else ""
        )
        report(f"middleware.{label}.cost_median", statistics.median(values), "us")
