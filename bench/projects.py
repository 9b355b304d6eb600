"""Company's project list and one project's summary on the generated data set: p50/p99, queries.

Needs the data from ``python -m bench projects_data`` in the database DATABASE_URL names
(PostgreSQL). Measures the selectors the views use, in process, after a warm-up; then the two
HTML pages over HTTP on a real ``luvat serve`` (one keep-alive client, logged in as a customer
of the benchmark company: session, policy, access log and template included). Target p99 <
50 ms with 100,000 projects / 1,000,000 applications / 5,000,000 status events.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench._http import compare, load, median_ratio, report, running_server, smoke_argument
from bench.projects_data import BENCH_COMPANY, setup_django


def measure(fn: Callable[[], Any], iterations: int) -> tuple[list[float], int]:
    timings, queries, _sql = measure_with_sql(fn, iterations)
    return timings, queries


def measure_with_sql(fn: Callable[[], Any], iterations: int) -> tuple[list[float], int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(min(20, iterations)):
        fn()
    connection.queries_log.clear()  # a full log (9,000 entries) would capture nothing
    with CaptureQueriesContext(connection) as captured:
        fn()
    statements = [q["sql"] for q in captured.captured_queries]
    timings = []
    for _ in range(iterations):
        began = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - began) * 1000)
    return timings, len(statements), statements


def raw_floor(statements: list[str], iterations: int) -> list[float]:
    """The floor of a selector: the very statements it sent, run raw on a cursor."""
    from django.db import connection

    timings = []
    with connection.cursor() as cursor:
        for _ in range(iterations):
            began = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            timings.append((time.perf_counter() - began) * 1000)
    return timings


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench projects", description=__doc__)
    parser.add_argument("--iterations", type=int, default=500)
    parser.add_argument(
        "--http-seconds", type=float, default=5.0, help="per page; 0 skips the HTTP part"
    )
    parser.add_argument("--rounds", type=int, default=3)
    smoke_argument(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        args.iterations, args.http_seconds, args.rounds = 10, 0.5, 1
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
        timings, queries, statements = measure_with_sql(fn, args.iterations)
        floor = raw_floor(statements, args.iterations)
        compare(
            f"{name}.latency_p50",
            statistics.median(timings),
            "same SQL raw p50",
            statistics.median(floor),
            "ms",
        )
        compare(f"{name}.latency_p99", p99(timings), "same SQL raw p99", p99(floor), "ms")
        report(f"{name}.sql_queries", queries, "queries")

    if args.http_seconds > 0:
        http_pages(public_id, args.http_seconds, args.rounds)


def customer_session() -> str:
    """A session key of a person acting for the benchmark company (made in the database the
    server reads, exactly as the company choice after log-in leaves it)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from luvat.identity.models import Person
    from luvat.identity.sessions import act_for_company

    user, _ = get_user_model().objects.get_or_create(username="bench-customer")
    Person.objects.get_or_create(
        user=user, defaults={"given_name": "Bench", "family_name": "Customer"}
    )
    client = Client()
    client.force_login(user)
    request = type("Request", (), {"session": client.session})()
    act_for_company(request, business_id=BENCH_COMPANY, company_name="Bench Oy")  # type: ignore[arg-type]
    request.session.save()
    return str(request.session.session_key)


def http_pages(public_id: object, seconds: float, rounds: int) -> None:
    """Both pages and the /livez floor on the same server, interleaved over ``rounds``."""
    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={customer_session()}"
    ratios: dict[str, list[float]] = {}
    with running_server() as server:
        for round_no in range(1, rounds + 1):
            for name, path in (
                ("http.project_list", "/fi/projects/"),
                ("http.project_summary", f"/fi/projects/{public_id}/"),
            ):
                result = load(
                    server.port, path, seconds=seconds, concurrency=1, headers={"Cookie": cookie}
                )
                if result.errors or not result.requests:
                    raise RuntimeError(f"{path}: {result.errors} errors of {result.requests}")
                floor = load(server.port, "/livez", seconds=seconds, concurrency=1)
                prefix = f"round_{round_no}.{name}"
                ratios.setdefault(name, []).append(
                    compare(f"{prefix}.latency_p50", result.p50, "/livez p50", floor.p50, "ms")
                )
                compare(
                    f"{prefix}.latency_p99",
                    result.percentile(99),
                    "/livez p99",
                    floor.percentile(99),
                    "ms",
                )
    for name, values in ratios.items():
        median_ratio(f"{name}.latency_p50_vs_livez", values)
