# mypy: disable-error-code="union-attr, operator, arg-type"
"""The critical path's backward pass on the project summary: latest submission, decision
needed by and slack per application, the banner when the planned opening cannot be kept
(with the earliest feasible date), and the schedule as an ordered list with bars drawn
without inline styles; recomputed on every render, so status events move it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from luvat import workdays
from luvat.projects.deadlines import latest_receipt_date
from luvat.projects.models import Project
from luvat.projects.selectors import project_summary
from luvat.projects.services import application_status_change, project_create
from luvat.projects.status import Outcome, Status
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import OFFICIAL, AuthorityFactory
from tests.projects.test_critical_path_pages import FESTIVAALI_CUSTOMER, plain_service, url


def shown(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


@pytest.fixture
def customer(client, vocab):
    AuthorityFactory.create(code="HKI-POLICE")
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    return client


def two_step_project(*, opening: date | None) -> Project:
    """A building permit (60 days) that must follow the land-use plan (90 days)."""
    plan = plain_service("landuse-plan", "Asemakaava", processing_time_days=90)
    building = plain_service("building-permit", "Rakentamislupa", processing_time_days=60)
    building.depends_on.add(plan)
    return project_create(
        actor=FESTIVAALI_CUSTOMER,
        business_id=FESTIVAALI,
        name="Tuulipuisto",
        services=[building, plan],
        shared_data={"start_date": opening.isoformat()} if opening else None,
    )


def earliest_opening(today: date) -> date:
    return workdays.statutory_deadline(workdays.statutory_deadline(today, 90), 60)


def section(page: str, element_id: str) -> str:
    match = re.search(rf'<section [^>]*id="{element_id}".*?</section>', page, re.S)
    assert match, element_id
    return match.group(0)


def test_an_opening_too_early_shows_the_banner_with_the_earliest_feasible_date(customer):
    today = timezone.localdate()
    opening = today + timedelta(days=100)
    project = two_step_project(opening=opening)
    assert project.starts_on == opening
    end = earliest_opening(today)

    summary = project_summary(project=project)
    assert summary.path.feasible is False
    assert summary.path.earliest_opening == end
    late = {row.application.service.code: row.latest.late_by for row in summary.late_rows}
    building_latest = latest_receipt_date(decided_by=opening, processing_days=60)
    plan_latest = latest_receipt_date(decided_by=building_latest, processing_days=90)
    assert late == {
        "landuse-plan": (today - plan_latest).days,
        "building-permit": (workdays.statutory_deadline(today, 90) - building_latest).days,
    }

    page = customer.get(url(project)).content.decode()
    assert 'id="plan-infeasible"' in page
    assert (
        f"The planned opening date {shown(opening)} cannot be kept; "
        f"the earliest feasible date is {shown(end)}."
    ) in page
    assert f"Asemakaava: {late['landuse-plan']} days too late." in page
    # The table's new columns, and the slack as days late.
    for header in ("Latest submission", "Decision needed by", "Slack"):
        assert f'<th scope="col">{header}</th>' in page
    assert shown(building_latest) in page and shown(plan_latest) in page
    assert f"{late['building-permit']} days late" in page


def test_the_schedule_is_an_ordered_list_in_path_order_with_bars_and_no_inline_styles(
    customer,
):
    today = timezone.localdate()
    opening = earliest_opening(today) + timedelta(days=30)
    project = two_step_project(opening=opening)
    page = customer.get(url(project)).content.decode()
    assert 'id="plan-infeasible"' not in page

    gantt = section(page, "gantt")
    assert "Schedule to the planned opening" in gantt
    assert f"Planned opening {shown(opening)}: every permit must be decided by then." in gantt
    items = re.findall(r'<li class="gantt-row[^"]*"[^>]*>(.*?)</li>', gantt, re.S)
    # Path order: the plan first, although the building permit was added first.
    assert ["Asemakaava" in items[0], "Rakentamislupa" in items[1]] == [True, True]
    plan_decision = workdays.statutory_deadline(today, 90)
    building_latest = latest_receipt_date(decided_by=opening, processing_days=60)
    assert f"Earliest submission {shown(today)}." in items[0]
    assert f"Decision expected {shown(plan_decision)}." in items[0]
    assert f"Decision needed by {shown(building_latest)}." in items[0]
    # A draft's slack: how much later than its earliest submission it may still be sent.
    plan_latest = latest_receipt_date(decided_by=building_latest, processing_days=90)
    assert f"Latest submission {shown(plan_latest)}." in items[0]
    assert f"Slack {(plan_latest - today).days} days." in items[0]
    assert f"Slack {(building_latest - plan_decision).days} days." in items[1]
    assert "On the longest path." in items[0] and "On the longest path." in items[1]
    # Bars as SVG geometry (the CSP allows no style attributes), hidden behind the text.
    assert "style=" not in gantt
    assert gantt.count('aria-hidden="true"') >= 3
    plan_bars = re.findall(r'<rect class="gantt-bar gantt-(\w+)" x="([\d.]+)"', items[0])
    assert [kind for kind, _ in plan_bars] == ["planned", "slack"]
    building_bars = re.findall(r'<rect class="gantt-bar gantt-(\w+)" x="([\d.]+)"', items[1])
    # The building permit's bar starts where the plan's decision is expected.
    assert float(building_bars[0][1]) > float(plan_bars[0][1])


def test_a_status_event_is_reflected_on_the_next_render(customer):
    today = timezone.localdate()
    opening = today + timedelta(days=75)
    project = two_step_project(opening=opening)
    assert 'id="plan-infeasible"' in customer.get(url(project)).content.decode()

    # The plan is decided today: the building permit can be submitted now and be decided
    # within 60 days (plus a weekend at most), before the opening.
    plan = project.applications.get(service__code="landuse-plan")
    assert customer.post(url(project, plan, "submit/")).status_code == 302
    for status in (Status.RECEIVED, Status.DECISION_MADE):
        plan.refresh_from_db()
        application_status_change(
            application=plan, status=status, actor=OFFICIAL, outcome=Outcome.GRANTED
        )
    page = customer.get(url(project)).content.decode()
    assert 'id="plan-infeasible"' not in page
    gantt = section(page, "gantt")
    assert f"Decided {shown(today)}." in gantt
    summary = project_summary(project=project)
    assert summary.path.feasible is True
    building = next(r for r in summary.live_rows if r.application.service.code != "landuse-plan")
    assert building.path.earliest_submission == today
    assert (
        building.latest.slack
        == (latest_receipt_date(decided_by=opening, processing_days=60) - today).days
    )


def test_without_a_planned_opening_no_latest_dates_are_guessed(customer):
    project = two_step_project(opening=None)
    summary = project_summary(project=project)
    assert summary.path.feasible is None
    assert all(row.latest.latest_submission is None for row in summary.live_rows)
    page = customer.get(url(project)).content.decode()
    assert 'id="plan-infeasible"' not in page
    assert "Latest dates and slack need the planned opening" in page
    assert "No planned opening date is given" in section(page, "gantt")


def test_the_schedule_speaks_finnish_and_swedish(customer):
    today = timezone.localdate()
    project = two_step_project(opening=today + timedelta(days=100))
    end = earliest_opening(today)
    fi = customer.get(url(project).replace("/en/", "/fi/")).content.decode()
    assert f"Suunniteltua aloituspäivää {shown(today + timedelta(days=100))} ei voida pitää" in fi
    assert f"aikaisin mahdollinen päivä on {shown(end)}" in fi
    assert "Aikataulu suunniteltuun aloitukseen" in fi
    sv = customer.get(url(project).replace("/en/", "/sv/")).content.decode()
    assert f"Den planerade startdagen {shown(today + timedelta(days=100))} kan inte hållas" in sv
    assert "Tidsplan fram till den planerade starten" in sv
