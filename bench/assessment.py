"""Permit-need assessment: rule evaluation p50/p99 over random valid answer sets, and the
POST /api/v1/assessments round trip p50/p99 on a real `luvat serve` (embedded SQLite
unless DATABASE_URL is set). Targets: rule evaluation p99 < 2 ms, round trip p99 < 50 ms.
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

from bench._http import report, running_server


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luvat.config.settings")
    os.environ["LUVAT_VAR_DIR"] = tempfile.mkdtemp(prefix="luvat-bench-")
    os.environ.pop("DATABASE_URL", None)  # the in-process part uses its own SQLite file
    import django

    django.setup()
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


def round_trip(package_code: str, answer_sets: list[dict[str, Any]], requests: int) -> None:
    """POST answer sets one after another over a keep-alive connection (after 50 warm-up)."""
    with running_server(prepare=(("load-catalogue",),)) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        timings = []
        errors = 0
        for i in range(requests + 50):
            body = {"package": package_code, "answers": answer_sets[i % len(answer_sets)]}
            began = time.perf_counter()
            conn.request(
                "POST",
                "/api/v1/assessments",
                body=json.dumps(body),
                headers={"Content-Type": "application/json"},
            )
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - began) * 1000
            if i >= 50:
                timings.append(elapsed)
                errors += response.status != 201
        conn.close()
    report(f"api.{package_code}.round_trip_p50", statistics.median(timings), "ms")
    report(f"api.{package_code}.round_trip_p99", _percentile(timings, 99), "ms")
    report(f"api.{package_code}.errors", errors, "requests")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench assessment")
    parser.add_argument("--package", default="event")
    parser.add_argument("--sets", type=int, default=10_000, help="random valid answer sets")
    parser.add_argument("--requests", type=int, default=1_000, help="API round trips")
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args(argv)
    database_url = os.environ.get("DATABASE_URL")
    _setup_django()
    answer_sets = rule_evaluation(args.package, args.sets, args.seed)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    round_trip(args.package, answer_sets, args.requests)
