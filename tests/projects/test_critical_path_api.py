"""The critical path over /api/v1/projects/: the same dates as the summary page (one selector),
a fixed number of queries whatever the size, and another company refused as a missing project."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luvat import workdays
from luvat.catalogue.models import Service
from luvat.projects.models import Project
from luvat.projects.selectors import project_summary
from luvat.projects.services import application_status_change, project_create, shared_data_set
from luvat.projects.status import Outcome, Status
from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import OFFICIAL, AuthorityFactory
from tests.projects.test_critical_path_pages import FESTIVAALI_CUSTOMER, plain_service

API = "/api/v1/projects"
# The log-in session, the access check and log, then the summary's five queries: the same
# for one application or eight.
FIXED_QUERIES = 10


@pytest.fixture
def api(client, vocab):
    AuthorityFactory.create(code="HKI-POLICE")
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    return client


def chain_project(length: int, *, opening: date | None) -> Project:
    """``length`` permits, each following the decision of the one before, 30 days each."""
    services: list[Service] = []
    for i in range(length):
        service = plain_service(f"step-{i}", f"Vaihe {i}", processing_time_days=30)
        if services:
            service.depends_on.add(services[-1])
        services.append(service)
    project = project_create(
        actor=FESTIVAALI_CUSTOMER, business_id=FESTIVAALI, name="Ketju", services=services
    )
    if opening is not None:
        shared_data_set(
            project=project, values={"start_date": opening.isoformat()}, actor=FESTIVAALI_CUSTOMER
        )
    project.refresh_from_db()
    return project


def by_code(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["service_code"]: a for a in document["applications"]}


def test_the_api_gives_the_summary_pages_dates(api):
    today = timezone.localdate()
    first = workdays.statutory_deadline(today, 30)
    second = workdays.statutory_deadline(first, 30)
    opening = second + timedelta(days=100)
    project = chain_project(2, opening=opening)

    response = api.get(f"{API}/{project.public_id}")
    assert response.status_code == 200, response.content
    document = response.json()
    applications = by_code(document)
    assert applications["step-0"]["critical_path"]["earliest_submission"] == today.isoformat()
    assert applications["step-0"]["critical_path"]["expected_decision"] == first.isoformat()
    assert applications["step-1"]["critical_path"]["earliest_submission"] == first.isoformat()
    assert applications["step-1"]["critical_path"]["expected_decision"] == second.isoformat()
    assert applications["step-1"]["critical_path"]["decision_needed_by"] == opening.isoformat()
    assert document["critical_path"] == {
        "planned_opening": opening.isoformat(),
        "feasible": True,
        "earliest_opening": second.isoformat(),
        "expected_end": second.isoformat(),
        "longest_path": [applications["step-0"]["id"], applications["step-1"]["id"]],
    }
    # Field by field what the summary page shows: one rule, one place.
    summary = project_summary(project=project)
    for row in summary.live_rows:
        assert row.path is not None and row.latest is not None
        assert row.path.earliest_submission and row.path.expected_decision
        assert row.latest.latest_submission and row.latest.latest_decision
        path = applications[row.application.service.code]["critical_path"]
        assert path == {
            "earliest_submission": row.path.earliest_submission.isoformat(),
            "latest_submission": row.latest.latest_submission.isoformat(),
            "expected_decision": row.path.expected_decision.isoformat(),
            "decision_needed_by": row.latest.latest_decision.isoformat(),
            "slack_days": row.latest.slack,
            "submitted": False,
            "decided": False,
            "on_longest_path": True,
        }
        assert path["slack_days"] >= 100


def test_an_opening_too_early_is_not_feasible_and_says_by_how_much(api):
    today = timezone.localdate()
    project = chain_project(2, opening=today + timedelta(days=40))
    document = api.get(f"{API}/{project.public_id}").json()
    assert document["critical_path"]["feasible"] is False
    applications = by_code(document)
    assert applications["step-1"]["critical_path"]["slack_days"] < 0
    assert applications["step-0"]["critical_path"]["slack_days"] < 0
    earliest = date.fromisoformat(document["critical_path"]["earliest_opening"])
    assert earliest > today + timedelta(days=40)


def test_without_an_opening_the_latest_dates_are_null_and_a_dropped_one_has_no_path(api):
    project = chain_project(2, opening=None)
    loose = plain_service("tent-notice", "Telttailmoitus", processing_time_days=None)
    document = api.post(
        f"{API}/{project.public_id}/applications",
        {"service_code": loose.code},
        content_type="application/json",
    ).json()
    assert document["critical_path"]["expected_decision"] is None  # no processing time
    assert document["critical_path"]["on_longest_path"] is False
    drop = api.delete(f"{API}/{project.public_id}/applications/{document['id']}")
    assert drop.status_code == 204
    project_document = api.get(f"{API}/{project.public_id}").json()
    assert project_document["critical_path"]["planned_opening"] is None
    assert project_document["critical_path"]["feasible"] is None
    applications = by_code(project_document)
    assert applications["tent-notice"]["status"] == Status.CANCELLED
    assert applications["tent-notice"]["critical_path"] is None
    for code in ("step-0", "step-1"):
        path = applications[code]["critical_path"]
        assert path["latest_submission"] is None
        assert path["decision_needed_by"] is None
        assert path["slack_days"] is None
        assert path["expected_decision"] is not None


def test_a_decided_application_shows_its_decision_day(api):
    project = chain_project(2, opening=timezone.localdate() + timedelta(days=365))
    first = project.applications.get(service__code="step-0")
    for status in (Status.SUBMITTED, Status.RECEIVED, Status.DECISION_MADE):
        application_status_change(
            application=first, status=status, actor=OFFICIAL, outcome=Outcome.GRANTED
        )
        first.refresh_from_db()
    applications = by_code(api.get(f"{API}/{project.public_id}").json())
    today = timezone.localdate().isoformat()
    assert applications["step-0"]["critical_path"]["decided"] is True
    assert applications["step-0"]["critical_path"]["expected_decision"] == today
    assert applications["step-1"]["critical_path"]["earliest_submission"] == today


def test_another_company_gets_the_project_refused_as_missing(api):
    project = chain_project(2, opening=timezone.localdate() + timedelta(days=200))
    other = Client()
    act_for_company(other, LocalMandateFactory.create(business_id=TERAS).person, TERAS)
    refused = other.get(f"{API}/{project.public_id}")
    assert refused.status_code == 404  # as a missing one: ids cannot be probed
    assert refused["Content-Type"] == "application/problem+json"
    assert "critical_path" not in refused.json()
    assert Client().get(f"{API}/{project.public_id}").status_code == 401


def _queries(client: Client, project: Project) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{API}/{project.public_id}")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_project_document_takes_a_fixed_number_of_queries(api):
    opening = timezone.localdate() + timedelta(days=300)
    small = chain_project(1, opening=opening)
    _queries(api, small)  # the session and the company register are warm from here on
    counts = {_queries(api, small)}
    services = [plain_service(f"big-{i}", f"Iso {i}", processing_time_days=20) for i in range(8)]
    large = project_create(
        actor=FESTIVAALI_CUSTOMER, business_id=FESTIVAALI, name="Iso", services=services
    )
    shared_data_set(
        project=large, values={"start_date": opening.isoformat()}, actor=FESTIVAALI_CUSTOMER
    )
    for application in large.applications.order_by("id")[:3]:
        application_status_change(application=application, status=Status.SUBMITTED, actor=OFFICIAL)
    counts.add(_queries(api, large))
    assert len(counts) == 1, counts
    assert counts == {FIXED_QUERIES}
