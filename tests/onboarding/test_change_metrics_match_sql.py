"""Done when: the metrics page of a demo authority shows figures computed from the status
events of the demo data, equal to what a direct SQL query over the same tables gives."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from luvat.identity.models import Person
from luvat.onboarding.metrics import months_between
from tests.identity.helpers import act_as_official

pytestmark = pytest.mark.django_db

APPS = """
SELECT a.id AS id, s.processing_time_days AS target,
  MIN(CASE WHEN e.status = 'submitted' THEN e.occurred_at END) AS submitted,
  MIN(CASE WHEN e.status = 'received' THEN e.occurred_at END) AS received,
  MIN(CASE WHEN e.status = 'decision_made' THEN e.occurred_at END) AS decided,
  SUM(CASE WHEN e.status = 'supplement_requested' THEN 1 ELSE 0 END) AS supplements
FROM projects_application a
JOIN catalogue_authority au ON au.id = a.authority_id
JOIN catalogue_service s ON s.id = a.service_id
JOIN projects_statusevent e ON e.application_id = a.id
WHERE au.code = %s
GROUP BY a.id, s.processing_time_days
"""


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"
    return f"(julianday({later}) - julianday({earlier}))"


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM')"
    # SQLite has no time zones; the demo's submissions are at mid-day, far from midnight.
    return f"strftime('%%Y-%%m', {column})"


def sql_figures(code: str, start: date, end: date) -> dict[str, float | None]:
    period = "submitted >= %s AND submitted < %s"
    low = timezone.make_aware(datetime.combine(start, time.min))
    high = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    params: list[Any] = [code, low, high]
    figures: dict[str, float | None] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH apps AS ({APPS}) SELECT COUNT(*), "  # noqa: S608  (no user input)
            f"SUM(CASE WHEN supplements > 0 THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN decided IS NOT NULL AND target IS NOT NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN decided IS NOT NULL AND target IS NOT NULL AND "
            f"{_days('decided', 'submitted')} <= target THEN 1 ELSE 0 END) "
            f"FROM apps WHERE {period}",
            params,
        )
        count, supplemented, with_target, within = cursor.fetchone()
        months = len(months_between(start, end))
        figures["applications_per_month"] = count / months if count else None
        figures["supplement_rate"] = 100.0 * supplemented / count if count else None
        figures["share_within_target"] = 100.0 * within / with_target if with_target else None
        for name, column in (("received", "received"), ("decision", "decided")):
            ranked = (
                f"WITH apps AS ({APPS}), d AS (SELECT {_days(column, 'submitted')} AS v "  # noqa: S608
                f"FROM apps WHERE {period} AND {column} IS NOT NULL), "
                "r AS (SELECT v, ROW_NUMBER() OVER (ORDER BY v) AS rn, COUNT(*) OVER () AS n "
                "FROM d) "
            )
            median_sql = "SELECT AVG(v) FROM r WHERE rn IN ((n + 1) / 2, (n + 2) / 2)"
            cursor.execute(ranked + median_sql, params)
            median_value = cursor.fetchone()[0]  # PostgreSQL answers numeric: a Decimal
            figures[f"median_days_to_{name}"] = (
                None if median_value is None else float(median_value)
            )
            p90_sql = "SELECT v FROM r WHERE rn = (9 * n + 9) / 10"
            cursor.execute(ranked + p90_sql, params)
            row = cursor.fetchone()
            figures[f"p90_days_to_{name}"] = float(row[0]) if row else None
        cursor.execute(
            f"WITH apps AS ({APPS}) SELECT {_month('submitted')} AS m, COUNT(*) "  # noqa: S608
            f"FROM apps WHERE {period} GROUP BY m",
            params,
        )
        for month, n in cursor.fetchall():
            figures[f"month:{month}"] = n
    return figures


def page_figures(html: str) -> dict[str, float | None]:
    figures: dict[str, float | None] = {}
    for key, text in re.findall(r'data-metric="(\w+)">([^<]*)<', html):
        figures[key] = None if text == "no data" else float(text.replace(",", "."))
    for month, text in re.findall(r'data-month="([\d-]+)">(\d+)<', html):
        figures[f"month:{month}"] = int(text)
    return figures


@pytest.fixture
def demo_official() -> Client:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = Client()
    act_as_official(client, Person.objects.get(demo_key="ville"), "HKI-ENV")
    return client


def test_metrics_page_equals_sql_over_the_demo_data(demo_official):
    end = timezone.localdate()
    start = (end - timedelta(days=365)).replace(day=1)
    response = demo_official.get(
        f"/en/onboarding/HKI-ENV/metrics/?start={start}&end={end}&service=noise-notification"
    )
    assert response.status_code == 200
    shown = page_figures(response.content.decode())
    expected = sql_figures("HKI-ENV", start, end)
    assert expected["applications_per_month"]  # the demo data has history to measure
    assert shown["median_days_to_decision"] is not None
    for key, value in expected.items():
        if key.startswith("month:"):
            assert shown[key] == value, key
        elif value is None:
            assert shown[key] is None, key
        else:
            assert shown[key] == pytest.approx(value, abs=0.05 + 1e-9), key
    months = [k for k in shown if k.startswith("month:")]
    assert sum(shown[k] or 0 for k in months) == sum(
        v or 0 for k, v in expected.items() if k.startswith("month:")
    )
    assert b'role="img"' in response.content  # the charts are there, with the tables

    # The CSV export carries the same figures (loading the demo is slow: one test).
    start = end - timedelta(days=200)
    page = demo_official.get(f"/en/onboarding/HKI-ENV/metrics/?start={start}&end={end}")
    exported = demo_official.get(f"/en/onboarding/HKI-ENV/metrics.csv?start={start}&end={end}")
    assert exported["Content-Type"].startswith("text/csv")
    rows = [line.split(",") for line in exported.content.decode().splitlines()[1:]]
    shown = page_figures(page.content.decode())
    for row in rows:
        after = row[-4]
        assert (float(after) if after else None) == shown[row[0]], row[0]

    # A period without applications says so instead of showing zeros.
    response = demo_official.get("/en/onboarding/HKI-ENV/metrics/?start=2001-01-01&end=2001-03-31")
    assert b"nothing to measure yet" in response.content
    assert set(page_figures(response.content.decode()).values()) == {None}
