"""Company's project list and one project's summary on the generated data set: p50/p99, queries.

Needs the data from ``python -m bench projects_data`` in the database DATABASE_URL names
(PostgreSQL). Measures the selectors the views use, in process, after a warm-up; target p99 <
50 ms with 100,000 projects / 1,000,000 applications / 5,000,000 status events.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench._http import report
from bench.projects_data import BENCH_COMPANY, setup_django


def measure(fn: Callable[[], Any], iterations: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(min(20, iterations)):
        fn()
    with CaptureQueriesContext(connection) as captured:
        fn()
    queries = len(captured.captured_queries)
    timings = []
    for _ in range(iterations):
        began = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - began) * 1000)
    return timings, queries


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench projects", description=__doc__)
    parser.add_argument("--iterations", type=int, default=500)
    args = parser.parse_args(argv)
    setup_django()
    from luvat.projects.models import Project
    from luvat.projects.selectors import company_projects, project_of_company, project_summary

    public_id = (
        Project.objects.filter(business_id=BENCH_COMPANY)
        .order_by("id")
        .values_list("public_id", flat=True)[0]
    )

    def project_list() -> None:
        items = company_projects(business_id=BENCH_COMPANY)
        assert len(items) == 20

    def summary() -> None:
        project = project_of_company(business_id=BENCH_COMPANY, public_id=public_id)
        result = project_summary(project=project)
        assert len(result.rows) == 10

    report("database.projects", Project.objects.count(), "rows")
    for name, fn in (("project_list", project_list), ("project_summary", summary)):
        timings, queries = measure(fn, args.iterations)
        report(f"{name}.latency_p50", statistics.median(timings), "ms")
        report(f"{name}.latency_p99", p99(timings), "ms")
        report(f"{name}.sql_queries", queries, "queries")
