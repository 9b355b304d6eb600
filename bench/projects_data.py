"""Generate the projects benchmark data set on PostgreSQL (not a benchmark itself).

100,000 projects / 1,000,000 applications / ~5,000,000 status events by default, written with
server-side INSERT … SELECT generate_series (no Python loop over rows), plus one company
(BENCH_COMPANY) holding 20 projects x 10 applications in mixed states. Refuses to touch a
database whose name does not contain "bench". Idempotent: when the counts already match it
does nothing; otherwise it empties the project tables first.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luvat_bench \\
        .venv/bin/python -m bench projects_data
"""

from __future__ import annotations

import argparse
import os
import time

BENCH_COMPANY = "2345678-0"
COMPANY_PROJECTS = 20
STATUSES = ["draft", "submitted", "received", "in_processing", "decision_made"]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luvat.config.settings")
    import django

    django.setup()


def _catalogue(apps_per_project: int) -> tuple[list[int], int]:
    from luvat.catalogue.models import Authority, Service

    authority, _ = Authority.objects.get_or_create(
        code="BENCH-AUTH", defaults={"name_fi": "Benchmark-viranomainen", "kind": "police"}
    )
    ids = []
    for n in range(1, apps_per_project + 1):
        service, _ = Service.objects.get_or_create(
            code=f"bench-service-{n}",
            defaults={
                "name_fi": f"Benchmark-palvelu {n}",
                "kind": "notification",
                "authority_kind": "police",
                "authority_resolution": "national",
                "lead_time_days": 5 + 3 * n,
                "processing_time_days": 20 + 5 * n,
                "joining_mode": "light",
            },
        )
        ids.append(service.pk)
    return ids, authority.pk


def generate(
    *, projects: int, apps_per_project: int, events_per_app: int, force: bool = False
) -> dict[str, int]:
    """Fill the database; returns the row counts."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("the generator needs PostgreSQL (DATABASE_URL=postgres://…)")
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name and not force:  # the smoke runner's database is *bench_smoke*
        raise SystemExit(f"refusing to fill {name!r}: use a dedicated database named *bench*")
    call_command("migrate", verbosity=0)
    service_ids, authority_id = _catalogue(apps_per_project)
    expected_events = projects * apps_per_project * events_per_app
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM projects_project")
        have_projects = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM projects_statusevent")
        have_events = cursor.fetchone()[0]
        if have_projects == projects and abs(have_events - expected_events) < projects:
            return counts()
        cursor.execute(
            "TRUNCATE integrations_outboxmessage, projects_submission, projects_attachment, "
            "projects_statusevent, projects_shareddatavalue, projects_application, "
            "projects_project RESTART IDENTITY CASCADE"
        )
        # Projects 1..20 belong to the benchmark company; the rest to 20,000 other companies.
        cursor.execute(
            """
            INSERT INTO projects_project (public_id, reference, business_id, company_name, name,
                description, assessment_answers, starts_on, ends_on, municipality_code, version,
                created_by, created_at, updated_at)
            SELECT gen_random_uuid(), 'B-' || lpad(g::text, 9, '0'),
                CASE WHEN g <= %(company_projects)s THEN %(company)s
                     ELSE lpad((g %% 20000)::text, 7, '0') || '-9' END,
                'Yritys ' || (g %% 20000), 'Hanke ' || g, '', '{}',
                current_date + ((g %% 200) - 50), current_date + ((g %% 200) - 45), '091', 1,
                'bench', now() - make_interval(days => (g %% 700)::int),
                now() - make_interval(days => (g %% 700)::int)
            FROM generate_series(1, %(projects)s) AS g
            """,
            {"projects": projects, "company": BENCH_COMPANY, "company_projects": COMPANY_PROJECTS},
        )
        # Other companies' applications have every status event; the benchmark company's are
        # spread over the states so its summary has drafts, pending and decided applications.
        cursor.execute(
            """
            INSERT INTO projects_application (public_id, reference, project_id, service_id,
                authority_id, status, status_changed_at, outcome, form_data, shared_data_sent,
                version, submitted_at, received_at, decided_at, redirected_at, created_at,
                joining_mode, elsewhere_reference, prior_exchange)
            SELECT gen_random_uuid(), p.reference || '-' || lpad(n::text, 2, '0'), p.id,
                (%(services)s::bigint[])[n], %(authority)s, s.status,
                p.created_at + make_interval(days => s.steps::int), '', '{}', '{}', 1,
                CASE WHEN s.steps >= 1 THEN p.created_at + interval '1 day' END,
                CASE WHEN s.steps >= 2 THEN p.created_at + interval '2 days' END,
                CASE WHEN s.steps >= 4 THEN p.created_at + interval '4 days' END,
                NULL, p.created_at, 'light', '', '{}'
            FROM projects_project p
            CROSS JOIN generate_series(1, %(apps)s) AS n
            CROSS JOIN LATERAL (
                SELECT CASE WHEN p.business_id = %(company)s
                            THEN ((p.id + n) %% %(events)s) ELSE %(events)s - 1 END AS steps
            ) AS k
            CROSS JOIN LATERAL (SELECT (%(statuses)s::text[])[k.steps + 1] AS status, k.steps) AS s
            """,
            {
                "services": service_ids,
                "authority": authority_id,
                "apps": apps_per_project,
                "company": BENCH_COMPANY,
                "events": events_per_app,
                "statuses": STATUSES[:events_per_app],
            },
        )
        cursor.execute(
            """
            INSERT INTO projects_statusevent (application_id, status, previous_status, outcome,
                occurred_at, source, actor_ref, actor_label, on_behalf_of, note)
            SELECT a.id, (%(statuses)s::text[])[k],
                COALESCE((%(statuses)s::text[])[k - 1], ''),
                CASE WHEN (%(statuses)s::text[])[k] = 'decision_made' THEN 'granted' ELSE '' END,
                a.created_at + make_interval(days => (k - 1)::int),
                CASE WHEN k <= 2 THEN 'customer' ELSE 'official' END, 'bench', '', '', ''
            FROM projects_application a
            CROSS JOIN generate_series(1, %(events)s) AS k
            WHERE k <= array_position(%(statuses)s::text[], a.status::text)
            """,
            {"statuses": STATUSES[:events_per_app], "events": events_per_app},
        )
        cursor.execute(
            "UPDATE projects_application SET outcome = 'granted' WHERE status = 'decision_made'"
        )
        cursor.execute("ANALYZE projects_project, projects_application, projects_statusevent")
    return counts()


def counts() -> dict[str, int]:
    from luvat.projects.models import Application, Project, StatusEvent

    return {
        "projects": Project.objects.count(),
        "applications": Application.objects.count(),
        "status_events": StatusEvent.objects.count(),
        "company_projects": Project.objects.filter(business_id=BENCH_COMPANY).count(),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench projects_data", description=__doc__)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--apps-per-project", type=int, default=10)
    parser.add_argument("--events-per-app", type=int, default=5, choices=range(1, 6))
    parser.add_argument("--force", action="store_true", help="allow a database not named *bench*")
    parser.add_argument(
        "--smoke", action="store_true", help="200 projects (CI checks that the generator runs)"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.projects = 200
    setup_django()
    began = time.perf_counter()
    result = generate(
        projects=args.projects,
        apps_per_project=args.apps_per_project,
        events_per_app=args.events_per_app,
        force=args.force,
    )
    for name, value in result.items():
        print(f"projects_data.{name}: {value} rows", flush=True)
    print(f"projects_data.seconds: {time.perf_counter() - began:.1f} s", flush=True)
