"""Permit-need assessment: rule evaluation p50/p99 over random valid answer sets, and the
POST /api/v1/assessments round trip p50/p99 on a real `luvat serve` (embedded SQLite
unless DATABASE_URL is set), interleaved with GET /livez on the same server and connection
over ``--rounds`` rounds. Targets: rule evaluation p99 < 2 ms; round trip p50 ≤ 5x /livez,
p99 < 20 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import tempfile
import time
from datetime import date
from typing import Any

from bench._http import compare, median_ratio, report, running_server, smoke_argument


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luvat.config.settings")
    prepared = os.environ.get("BENCH_PREPARED") and os.environ.get("DATABASE_URL")
    if not prepared:
        os.environ["LUVAT_VAR_DIR"] = tempfile.mkdtemp(prefix="luvat-bench-")
        os.environ.pop("DATABASE_URL", None)  # the in-process part uses its own SQLite file
    import django

    django.setup()
    if prepared:
        return  # the smoke runner migrated and loaded the catalogue
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_catalogue", stdout=quiet)


def rule_evaluation(package_code: str, sets: int, seed: int) -> list[dict[str, Any]]:
    """Time clean_answers + evaluate_rules (visibility, checks and JSON Logic rules) per
    random valid answer set; return the sets for the round trip."""
    from luvat.assessment.questionnaire import clean_answers, compiled_package, evaluate_rules
    from luvat.assessment.sampling import random_answers
    from luvat.assessment.selectors import package_by_code
    from luvat.catalogue.models import Municipality

    package = package_by_code(package_code)
    if package is None:
        raise SystemExit(f"no package {package_code!r}")
    compiled = compiled_package(package)
    municipalities = sorted(Municipality.objects.values_list("code", flat=True))
    known = set(municipalities)
    today = date.today()  # noqa: DTZ011  (a calendar day, like the server's localdate)
    rng = random.Random(seed)
    answer_sets = [
        random_answers(compiled, rng, today=today, municipalities=municipalities)
        for _ in range(sets)
    ]
    timings = []
    for answers in answer_sets:
        began = time.perf_counter()
        clean = clean_answers(compiled, answers, today=today, municipalities=known)
        evaluate_rules(compiled, clean.values)
        timings.append((time.perf_counter() - began) * 1000)
        if clean.errors:
            raise SystemExit(f"generated answers were refused: {clean.errors}")
    report(f"rules.{package_code}.p50", statistics.median(timings), "ms")
    report(f"rules.{package_code}.p99", _percentile(timings, 99), "ms")
    return answer_sets


def _timed(
    conn: http.client.HTTPConnection, method: str, path: str, **kwargs: Any
) -> tuple[float, int]:
    began = time.perf_counter()
    conn.request(method, path, **kwargs)
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - began) * 1000, response.status


def round_trip(
    package_code: str, answer_sets: list[dict[str, Any]], requests: int, rounds: int
) -> None:
    """Per round: ``requests`` POSTs one after another over a keep-alive connection, then as
    many GET /livez on the same connection (the floor); 50 warm-up POSTs first."""
    ratios = []
    # The per-address limit (60/min by default) stays on, counter included, but high enough
    # not to answer 429 to one client sending as fast as it can.
    limits = {"LUVAT_RATE_ASSESSMENT": "1000000/m"}
    with running_server(limits, prepare=(("load-catalogue",),)) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        headers = {"Content-Type": "application/json"}
        sent = 0
        for round_no in range(0, rounds + 1):
            timings, floor, errors = [], [], 0
            for _ in range(requests if round_no else 50):
                body = {"package": package_code, "answers": answer_sets[sent % len(answer_sets)]}
                sent += 1
                elapsed, status = _timed(
                    conn, "POST", "/api/v1/assessments", body=json.dumps(body), headers=headers
                )
                timings.append(elapsed)
                errors += status != 201
                floor.append(_timed(conn, "GET", "/livez")[0])
            if not round_no:
                continue
            name = f"round_{round_no}.api.{package_code}"
            ratios.append(
                compare(
                    f"{name}.round_trip_p50",
                    statistics.median(timings),
                    "/livez p50",
                    statistics.median(floor),
                    "ms",
                )
            )
            compare(
                f"{name}.round_trip_p99",
                _percentile(timings, 99),
                "/livez p99",
                _percentile(floor, 99),
                "ms",
            )
            report(f"{name}.errors", errors, "requests")
            if errors:
                raise SystemExit(f"{errors} assessment requests failed")
        conn.close()
    median_ratio(f"api.{package_code}.round_trip_p50_vs_livez", ratios)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench assessment")
    parser.add_argument("--package", default="event")
    parser.add_argument("--sets", type=int, default=10_000, help="random valid answer sets")
    parser.add_argument("--requests", type=int, default=1_000, help="API round trips")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--rounds", type=int, default=3)
    smoke_argument(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        args.sets, args.requests, args.rounds = 50, 30, 1
    database_url = os.environ.get("DATABASE_URL")
    _setup_django()
    answer_sets = rule_evaluation(args.package, args.sets, args.seed)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    round_trip(args.package, answer_sets, args.requests, args.rounds)
