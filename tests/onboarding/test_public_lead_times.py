"""Done when: the open lead-time page and API answer without log-in; their figures equal a
SQL query over the demo data; cells with fewer than five decided applications are suppressed."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from luvat.catalogue.models import Authority, Service
from luvat.onboarding.leadtimes import SUPPRESS_BELOW, Quarter, recent_quarters
from luvat.projects.models import Application, EventSource, Project, StatusEvent
from luvat.projects.status import Outcome, Status
from tests.ratelimit_asserts import assert_api_429

pytestmark = pytest.mark.django_db

FIRSTS = """
SELECT au.code AS authority, s.code AS service,
  MIN(CASE WHEN e.status = 'submitted' THEN e.occurred_at END) AS submitted,
  MIN(CASE WHEN e.status = 'decision_made' THEN e.occurred_at END) AS decided
FROM projects_application a
JOIN catalogue_authority au ON au.id = a.authority_id
JOIN catalogue_service s ON s.id = a.service_id
JOIN projects_statusevent e ON e.application_id = a.id
GROUP BY au.code, s.code, a.id
"""


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"
    return f"(julianday({later}) - julianday({earlier}))"


def sql_cells(quarter: Quarter) -> dict[tuple[str, str], dict[str, Any]]:
    """Count, median and nearest-rank 90th percentile per authority and service, in SQL."""
    low = timezone.make_aware(datetime.combine(quarter.start, time.min))
    high = timezone.make_aware(datetime.combine(quarter.end, time.min))
    sql = (
        f"WITH f AS ({FIRSTS}), d AS (SELECT authority, service, "  # noqa: S608  (no user input)
        f"{_days('decided', 'submitted')} AS v FROM f WHERE submitted IS NOT NULL "
        "AND decided >= %s AND decided < %s), "
        "r AS (SELECT authority, service, v, "
        "ROW_NUMBER() OVER (PARTITION BY authority, service ORDER BY v) AS rn, "
        "COUNT(*) OVER (PARTITION BY authority, service) AS n FROM d) "
        "SELECT authority, service, MAX(n), "
        "AVG(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN v END), "
        "MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN v END) "
        "FROM r GROUP BY authority, service"
    )
    # The database's own form of the bounds (UTC text on SQLite), as the ORM would send them.
    bounds = [connection.ops.adapt_datetimefield_value(value) for value in (low, high)]
    with connection.cursor() as cursor:
        cursor.execute(sql, bounds)
        return {
            (a, s): {"n": n, "median": float(m), "p90": float(p)}
            for a, s, n, m, p in cursor.fetchall()
        }


def _decided_application(authority: Authority, service: Service, index: int, days: int) -> None:
    decided = timezone.now() - timedelta(hours=1)
    submitted = decided - timedelta(days=days)
    project = Project.objects.create(
        business_id="2000001-6", company_name="Pieni Oy", name=f"Pieni {index}", created_by="t"
    )
    application = Application.objects.create(
        project=project,
        service=service,
        authority=authority,
        reference=f"SMALL-{index}",
        status=Status.DECISION_MADE,
        status_changed_at=decided,
        outcome=Outcome.GRANTED,
        submitted_at=submitted,
        decided_at=decided,
    )
    previous = ""
    for status, at in ((Status.SUBMITTED, submitted), (Status.DECISION_MADE, decided)):
        StatusEvent.objects.create(
            application=application,
            status=status,
            previous_status=previous,
            occurred_at=at,
            source=EventSource.OFFICIAL,
            actor_label="test",
        )
        previous = status


@pytest.fixture
def demo() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_open_lead_times_equal_sql_over_the_demo_data_and_suppress_small_cells(demo):
    # A small cell: three decided applications of a service no demo history covers.
    authority = Authority.objects.get(code="HKI-RESCUE")
    small = Service.objects.exclude(code__in=["noise-notification", "event-rescue-plan"]).first()
    assert small is not None
    for index in range(SUPPRESS_BELOW - 2):
        _decided_application(authority, small, index, days=10 + index)

    anonymous = Client()
    response = anonymous.get("/api/v1/lead-times?quarters=4")
    assert response.status_code == 200, response.content
    body = response.json()
    quarters = recent_quarters(4)
    assert body["quarters"] == [q.label for q in quarters]
    assert body["threshold"] == SUPPRESS_BELOW

    api = {(c["authority"], c["service"], c["quarter"]): c for c in body["cells"]}
    published = 0
    for quarter in quarters:
        expected = sql_cells(quarter)
        cells = {key[:2]: cell for key, cell in api.items() if key[2] == quarter.label}
        assert set(cells) == set(expected), quarter.label
        for key, figures in expected.items():
            cell = cells[key]
            if figures["n"] < SUPPRESS_BELOW:
                assert cell["suppressed"] is True
                assert cell["decided"] is None and cell["median_days"] is None
                assert cell["p90_days"] is None
            else:
                published += 1
                assert cell["suppressed"] is False
                assert cell["decided"] == figures["n"]
                assert cell["median_days"] == pytest.approx(figures["median"], abs=1e-6)
                assert cell["p90_days"] == pytest.approx(figures["p90"], abs=1e-6)
    assert published >= 2  # the demo history has figures to publish
    current = recent_quarters(1)[0].label
    assert api[("HKI-RESCUE", small.code, current)]["suppressed"] is True

    # The page shows the same figures, to anyone, and the small cell as suppressed.
    page = anonymous.get("/en/lead-times/?quarters=4")
    assert page.status_code == 200
    html = page.content.decode()
    rows = re.findall(r'<tr data-cell="([^"]+)">(.*?)</tr>', html, flags=re.S)
    assert len(rows) == len(api)
    for key, row in rows:
        cell = api[tuple(key.split("/"))]
        if cell["suppressed"]:
            assert 'data-suppressed="true"' in row
            assert "suppressed (fewer than 5)" in row
            assert 'data-figure="' not in row
        else:
            shown = dict(re.findall(r'data-figure="(\w+)">([^<]*)<', row))
            assert int(shown["decided"]) == cell["decided"]
            assert float(shown["median"]) == pytest.approx(cell["median_days"], abs=0.05 + 1e-9)
            assert float(shown["p90"]) == pytest.approx(cell["p90_days"], abs=0.05 + 1e-9)
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]

    # In Finnish and Swedish too, and as CSV.
    assert "Lupien käsittelyajat" in anonymous.get("/fi/lead-times/").content.decode()
    assert "Tillståndens handläggningstider" in anonymous.get("/sv/lead-times/").content.decode()
    exported = anonymous.get("/en/lead-times/lead-times.csv?quarters=4")
    assert exported["Content-Type"].startswith("text/csv")
    assert len(exported.content.decode().splitlines()) == len(api) + 1


def test_the_open_api_is_rate_limited_per_client_address(settings):
    settings.RATELIMIT_ENABLE = True
    settings.LUVAT_RATES = {**settings.LUVAT_RATES, "public": "2/d"}
    client = Client()
    assert client.get("/api/v1/lead-times").status_code == 200
    assert client.get("/api/v1/lead-times").status_code == 200
    assert_api_429(client.get("/api/v1/lead-times"))
    assert client.get("/en/lead-times/").status_code == 429


def test_bad_quarters_are_a_problem_not_a_crash():
    response = Client().get("/api/v1/lead-times?quarters=99")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
