"""The company's project list and one project's summary: contents and a constant query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from luvat.catalogue.models import JoiningMode
from luvat.projects.deadlines import DeadlineWarning
from luvat.projects.selectors import company_projects, project_of_company, project_summary
from luvat.projects.services import (
    application_status_change,
    project_create,
    shared_data_set,
)
from luvat.projects.status import Outcome, Status
from tests.projects.factories import (
    BUSINESS_A,
    BUSINESS_B,
    CUSTOMER_A,
    OFFICIAL,
    AuthorityFactory,
    ServiceFactory,
)


def make_project(n_apps: int, *, business_id: str = BUSINESS_A, starts_on: date | None = None):
    services = [
        ServiceFactory.create(code=f"svc-{i}", lead_time_days=14 + i) for i in range(n_apps)
    ]
    project = project_create(
        actor=CUSTOMER_A, business_id=business_id, name="Festari", services=services
    )
    if starts_on:
        shared_data_set(
            project=project, values={"start_date": starts_on.isoformat()}, actor=CUSTOMER_A
        )
    project.refresh_from_db()
    return project


@pytest.fixture
def authority(vocab):
    return AuthorityFactory.create(code="HKI-POLICE")


@pytest.mark.parametrize("n_apps", [1, 10])
def test_summary_takes_five_queries_whatever_the_size(authority, n_apps, django_assert_num_queries):
    project = make_project(n_apps, starts_on=timezone.localdate() + timedelta(days=40))
    for application in project.applications.all()[:3]:
        application_status_change(application=application, status=Status.SUBMITTED, actor=OFFICIAL)
        application_status_change(application=application, status=Status.RECEIVED, actor=OFFICIAL)
    with django_assert_num_queries(5):
        summary = project_summary(project=project)
        assert len(summary.rows) == n_apps
        assert {getattr(row.application.authority, "code", None) for row in summary.rows} == {
            "HKI-POLICE"
        }
        assert summary.timeline.rows


@pytest.mark.parametrize("n_projects", [1, 20])
def test_company_list_takes_two_queries(authority, n_projects, django_assert_num_queries):
    for _ in range(n_projects):
        make_project(3)
    make_project(2, business_id=BUSINESS_B)
    with django_assert_num_queries(2):
        items = company_projects(business_id=BUSINESS_A)
    assert len(items) == n_projects
    assert all(item.applications == 3 and item.drafts == 3 for item in items)


def test_summary_shows_status_deadlines_next_action_and_warnings(authority):
    today = timezone.localdate()
    project = make_project(3, starts_on=today + timedelta(days=20))
    soon, pending, decided = project.applications.order_by("id")
    application_status_change(application=pending, status=Status.SUBMITTED, actor=OFFICIAL)
    application_status_change(application=pending, status=Status.RECEIVED, actor=OFFICIAL)
    for status in (Status.SUBMITTED, Status.RECEIVED, Status.IN_PROCESSING):
        application_status_change(application=decided, status=status, actor=OFFICIAL)
    application_status_change(
        application=decided, status=Status.DECISION_MADE, actor=OFFICIAL, outcome=Outcome.GRANTED
    )
    rows = {row.application.pk: row for row in project_summary(project=project).rows}

    draft_row = rows[soon.pk]
    assert draft_row.next_action.code == "fill_in"
    assert draft_row.deadlines.latest_submission is not None
    assert draft_row.deadlines.warning == DeadlineWarning.CLOSES_SOON

    pending_row = rows[pending.pk]
    assert pending_row.deadlines.expected_decision is not None
    assert pending_row.deadlines.expected_decision >= today + timedelta(days=30)
    assert pending_row.next_action.code == "wait"

    assert rows[decided.pk].next_action.code == "read_decision"
    assert rows[decided.pk].application.outcome == "granted"


def test_closed_window_and_redirect_actions(authority):
    project = make_project(1, starts_on=timezone.localdate() + timedelta(days=3))
    redirect = ServiceFactory.create(
        code="redirected", joining_mode=JoiningMode.REDIRECT, redirect_url="https://e.example.fi/"
    )
    from luvat.projects.services import application_add

    application_add(project=project, service=redirect, actor=CUSTOMER_A)
    rows = project_summary(project=project).rows
    assert rows[0].deadlines.warning == DeadlineWarning.CLOSED
    assert rows[0].next_action.code == "fill_in_late"
    assert rows[1].next_action.code == "continue_elsewhere"


def test_another_company_cannot_fetch_the_project(authority):
    from django.http import Http404

    project = make_project(1)
    assert project_of_company(business_id=BUSINESS_A, public_id=project.public_id) == project
    with pytest.raises(Http404):
        project_of_company(business_id=BUSINESS_B, public_id=project.public_id)
    with pytest.raises(Http404):
        project_of_company(business_id=BUSINESS_A, public_id="not-a-uuid")
