"""An authority's back-office inbox with 50,000 open applications on PostgreSQL: p50/p99, queries.

Creates (if missing) and fills a dedicated database (default ``luvat_bench_inbox`` on the
server of ``BENCH_ADMIN_URL``, default ``postgres://postgres@127.0.0.1:5432/postgres``) with
server-side INSERT … SELECT generate_series: 5,000 projects x 10 open applications addressed to
one authority, their case files with due dates spread over ±60 days, and 50,000 applications
of another authority. Then measures ``backoffice.selectors.inbox`` for an official of the
authority (default view, a service + past-due filter, and a deep page) after a warm-up.
Target: p99 < 100 ms with a constant number of queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench._http import compare, report, smoke_argument
from bench.projects import measure, p99

AUTHORITY = "BENCH-INBOX"
OTHER = "BENCH-OTHER"
SERVICES = 10


def _database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _catalogue() -> tuple[list[int], int, int]:
    from luvat.catalogue.models import Authority, Service

    mine, _ = Authority.objects.get_or_create(
        code=AUTHORITY,
        defaults={"name_fi": "Benchmark-pelastus", "kind": "rescue", "nationwide": True},
    )
    other, _ = Authority.objects.get_or_create(
        code=OTHER,
        defaults={"name_fi": "Toinen viranomainen", "kind": "police", "nationwide": True},
    )
    ids = []
    for n in range(1, SERVICES + 1):
        service, _ = Service.objects.get_or_create(
            code=f"bench-inbox-{n}",
            defaults={
                "name_fi": f"Palvelu {n}",
                "kind": "permit",
                "authority_kind": "rescue",
                "authority_resolution": "national",
                "processing_time_days": 30,
                "joining_mode": "light",
            },
        )
        ids.append(service.pk)
    return ids, mine.pk, other.pk


def generate(per_authority: int) -> int:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    services, mine, other = _catalogue()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM backoffice_casefile WHERE authority_code = %s", [AUTHORITY]
        )
        if cursor.fetchone()[0] == per_authority:
            return per_authority
        cursor.execute(
            "TRUNCATE backoffice_casefile, projects_statusevent, projects_application, "
            "projects_project RESTART IDENTITY CASCADE"
        )
        projects = 2 * per_authority // SERVICES
        cursor.execute(
            """
            INSERT INTO projects_project (public_id, reference, business_id, company_name, name,
                description, assessment_answers, municipality_code, version, created_by,
                created_at, updated_at)
            SELECT gen_random_uuid(), 'I-' || lpad(g::text, 9, '0'),
                lpad((g %% 9000)::text, 7, '0') || '-9', 'Yritys ' || g, 'Hanke ' || g, '', '{}',
                (ARRAY['091', '837', '049', '092'])[1 + g %% 4], 1, 'bench', now(), now()
            FROM generate_series(1, %(projects)s) AS g
            """,
            {"projects": projects},
        )
        cursor.execute(
            """
            INSERT INTO projects_application (public_id, reference, project_id, service_id,
                authority_id, status, status_changed_at, outcome, form_data, shared_data_sent,
                version, submitted_at, created_at, joining_mode, elsewhere_reference,
                prior_exchange)
            SELECT gen_random_uuid(), p.reference || '-' || lpad(n::text, 2, '0'), p.id,
                (%(services)s::bigint[])[n],
                CASE WHEN p.id %% 2 = 0 THEN %(mine)s ELSE %(other)s END,
                (%(statuses)s::text[])[1 + (p.id + n) %% 4], now(), '', '{}', '{}', 1,
                now() - make_interval(days => ((p.id + n) %% 90)::int), now(), 'light', '', '{}'
            FROM projects_project p CROSS JOIN generate_series(1, %(apps)s) AS n
            """,
            {
                "services": services,
                "mine": mine,
                "other": other,
                "apps": SERVICES,
                "statuses": ["submitted", "received", "in_processing", "supplement_requested"],
            },
        )
        cursor.execute(
            """
            INSERT INTO backoffice_casefile (application_id, authority_code, service_code,
                municipality_code, status, arrived_at, due_on, due_kind, case_reference, updated_at)
            SELECT a.id, au.code, s.code, p.municipality_code, a.status, a.submitted_at,
                current_date + ((a.id * 7919) % 121 - 60)::int,
                CASE WHEN a.status = 'supplement_requested' THEN 'supplement' ELSE 'decision' END,
                '', now()
            FROM projects_application a
            JOIN projects_project p ON p.id = a.project_id
            JOIN catalogue_service s ON s.id = a.service_id
            JOIN catalogue_authority au ON au.id = a.authority_id
            """
        )
        cursor.execute("VACUUM ANALYZE backoffice_casefile")
        cursor.execute("ANALYZE projects_application, projects_project")
    from luvat.backoffice.models import CaseFile

    return CaseFile.objects.filter(authority_code=AUTHORITY).count()


def _official():  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    from luvat.audit.actors import Actor, ActorKind
    from luvat.identity.models import OfficialRole, Person

    user, _ = User.objects.get_or_create(username="bench-official")
    person, _ = Person.objects.get_or_create(user=user, defaults={"given_name": "Bench"})
    OfficialRole.objects.get_or_create(person=person, authority_code=AUTHORITY)
    return Actor(
        kind=ActorKind.OFFICIAL, ref=f"person:{person.pk}", label="Bench", on_behalf_of=AUTHORITY
    )


FLOOR_SQL = """
    SELECT id FROM backoffice_casefile
    WHERE authority_code = %s AND status = ANY(%s)
      AND (COALESCE(due_on, '9999-12-31'::date), id) > (%s, %s)
    ORDER BY COALESCE(due_on, '9999-12-31'::date), id LIMIT 51
"""


def floor_after(row_number: int) -> tuple[Any, int]:
    """The inbox key (due date, id) of the ``row_number``-th open case in the inbox order: the
    key the "next" link of the page before carries. Found once, with OFFSET, outside the
    measurement."""
    from django.db import connection

    from luvat.projects.status import PENDING_AT_AUTHORITY

    if row_number <= 0:
        return (date(1, 1, 1), 0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(due_on, '9999-12-31'::date), id FROM backoffice_casefile "
            "WHERE authority_code = %s AND status = ANY(%s) "
            "ORDER BY COALESCE(due_on, '9999-12-31'::date), id OFFSET %s LIMIT 1",
            [AUTHORITY, sorted(PENDING_AT_AUTHORITY), row_number - 1],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (date(9999, 12, 31), 0)


def floor_query(after: tuple[Any, int]) -> None:
    """The floor: the page's 50 ids by a raw keyset query on the inbox index."""
    from django.db import connection

    from luvat.projects.status import PENDING_AT_AUTHORITY

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [AUTHORITY, sorted(PENDING_AT_AUTHORITY), *after])
        cursor.fetchall()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench inbox", description=__doc__)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--database", default="luvat_bench_inbox")
    parser.add_argument("--rounds", type=int, default=3)
    smoke_argument(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        args.iterations, args.applications, args.rounds = 10, 300, 1
    if not (args.smoke and os.environ.get("BENCH_PREPARED") and os.environ.get("DATABASE_URL")):
        admin = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        os.environ["DATABASE_URL"] = _database(admin, args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luvat.config.settings")
    import django

    django.setup()
    from luvat.backoffice.selectors import COUNT_CAP, PAGE_SIZE, InboxFilters, PageKey, inbox

    began = time.perf_counter()
    open_cases = generate(args.applications)
    report("inbox.generate_or_check", time.perf_counter() - began, "s")
    actor = _official()
    report("inbox.open_applications", open_cases, "rows")
    last_page = max(1, -(-open_cases // PAGE_SIZE))
    deep = (min(400, last_page) - 1) * PAGE_SIZE
    # Page 400 is reached by its "next" link: the key of the case before it. The last page by
    # the "last" link (the same index read backwards); its floor is the keyset read from the
    # last page's first key.
    deep_key = floor_after(deep)
    views = {
        "inbox_default": (InboxFilters(), (date(1, 1, 1), 0)),
        "inbox_service_overdue": (InboxFilters(service="bench-inbox-3", due="overdue"), None),
        "inbox_page_400": (
            InboxFilters(after=PageKey(due=deep_key[0], id=deep_key[1]))
            if deep
            else InboxFilters(),
            deep_key,
        ),
        "inbox_page_last": (
            InboxFilters(last=True),
            floor_after(max(0, open_cases - PAGE_SIZE)),
        ),
    }
    report("inbox.count_cap", COUNT_CAP, "cases")
    for round_no in range(1, args.rounds + 1):
        for name, (filters, after) in views.items():

            def run(filters: InboxFilters = filters, name: str = name) -> None:
                result = inbox(actor, filters)
                assert result.rows, name

            timings, queries = measure(run, args.iterations)

            def raw(after: tuple[Any, int] = after or (date(1, 1, 1), 0)) -> None:
                floor_query(after)

            floor, _ = measure(raw, args.iterations)
            prefix = f"round_{round_no}.{name}"
            compare(
                f"{prefix}.latency_p50",
                statistics.median(timings),
                "raw keyset SQL p50",
                statistics.median(floor),
                "ms",
            )
            compare(f"{prefix}.latency_p99", p99(timings), "raw keyset SQL p99", p99(floor), "ms")
            report(f"{prefix}.sql_queries", queries, "queries")
