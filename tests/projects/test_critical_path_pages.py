# mypy: disable-error-code="union-attr, operator, arg-type, type-var"
"""Fees, processing times and expected dates on the project pages; the warning when a
dependent application is submitted before the one it needs was decided (shown, never
blocking); another company never sees them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from luvat import workdays
from luvat.audit.actors import Actor, ActorKind
from luvat.projects.models import Project
from luvat.projects.selectors import project_summary
from luvat.projects.services import (
    application_add,
    application_status_change,
    project_create,
    shared_data_set,
)
from luvat.projects.status import Outcome, Status
from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import OFFICIAL, AuthorityFactory, ServiceFactory

FESTIVAALI_CUSTOMER = Actor(
    kind=ActorKind.CUSTOMER, ref="user:1", label="Aino Asiakas", on_behalf_of=FESTIVAALI
)


def plain_service(code: str, name: str, **kwargs):
    """A service whose application needs no form fields nor attachments to be submitted."""
    return ServiceFactory.create(
        code=code,
        name_fi=name,
        name_en=name,
        form_schema={},
        shared_data_mapping={},
        attachments=[],
        **kwargs,
    )


@pytest.fixture
def customer(client, vocab):
    AuthorityFactory.create(code="HKI-POLICE")
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    return client


@pytest.fixture
def two_step_project(customer) -> Project:
    """A building permit that must follow the decision of the land-use plan."""
    plan = plain_service(
        "landuse-plan",
        "Asemakaava",
        processing_time_days=90,
        fee_amount_eur=Decimal("1200.00"),
        fact_sources={
            "processing_time": "https://example.fi/kaava",
            "fee": "https://example.fi/taksa",
        },
    )
    building = plain_service(
        "building-permit",
        "Rakentamislupa",
        processing_time_days=60,
        fee_fi="Taksan mukaan",
        fee_en="By the tariff",
    )
    plain_service("tent-notice", "Telttailmoitus", processing_time_days=None)
    building.depends_on.add(plan)
    project = project_create(
        actor=FESTIVAALI_CUSTOMER,
        business_id=FESTIVAALI,
        name="Tuulipuisto",
        services=[plan, building],
    )
    return project


def url(project, application=None, tail=""):
    base = f"/en/projects/{project.public_id}/"
    return base + (f"applications/{application.public_id}/{tail}" if application else tail)


def test_summary_shows_expected_dates_longest_path_and_fees_with_sources(
    customer, two_step_project
):
    project = two_step_project
    today = timezone.localdate()
    plan_decision = workdays.statutory_deadline(today, 90)
    building_decision = workdays.statutory_deadline(plan_decision, 60)
    summary = project_summary(project=project)
    by_code = {row.application.service.code: row for row in summary.live_rows}
    assert by_code["building-permit"].path.earliest_submission == plan_decision
    assert by_code["building-permit"].path.expected_decision == building_decision
    assert [r.application.service.code for r in summary.longest_path] == [
        "landuse-plan",
        "building-permit",
    ]
    assert summary.fees.known_sum == Decimal("1200.00")
    assert [s.code for s in summary.fees.by_tariff] == ["building-permit"]

    page = customer.get(url(project)).content.decode()
    assert "Expected dates, processing times and fees" in page
    assert f"{building_decision.day}.{building_decision.month}.{building_decision.year}" in page
    assert "Asemakaava → Rakentamislupa" in page
    assert "1200.00 €" in page
    assert "tariff, amount not published:" in page
    assert 'href="https://example.fi/kaava"' in page
    assert 'href="https://example.fi/taksa"' in page


def test_an_unknown_fee_and_processing_time_say_so(customer, vocab):
    unknown = plain_service("unknown-fee", "Ilmoitus", processing_time_days=None)
    project = project_create(
        actor=FESTIVAALI_CUSTOMER, business_id=FESTIVAALI, name="Pieni", services=[unknown]
    )
    page = customer.get(url(project)).content.decode()
    assert "Fee not found:" in page
    assert "No fixed fee is published for these permits." in page
    assert "No expected decision date can be computed" in page
    application = project.applications.get()
    page = customer.get(url(project, application)).content.decode()
    assert "No fee information was found." in page


def test_submitting_the_dependent_first_warns_on_the_form_the_receipt_and_the_summary(
    customer, two_step_project
):
    project = two_step_project
    building = project.applications.get(service__code="building-permit")
    form = customer.get(url(project, building)).content.decode()
    assert "needs a decision that has not been made yet" in form
    assert "Asemakaava" in form

    response = customer.post(url(project, building, "submit/"))
    assert response.status_code == 302  # submitted, not blocked
    building.refresh_from_db()
    assert building.status == Status.SUBMITTED
    receipt = customer.get(response["Location"]).content.decode()
    assert "was submitted before the decision it needs was made" in receipt
    summary = customer.get(url(project)).content.decode()
    assert 'id="submitted-early"' in summary
    assert "submitted before its decision" in summary


def test_no_warning_once_the_needed_decision_was_made_first(customer, two_step_project):
    project = two_step_project
    plan = project.applications.get(service__code="landuse-plan")
    building = project.applications.get(service__code="building-permit")
    assert customer.post(url(project, plan, "submit/")).status_code == 302
    plan.refresh_from_db()
    for status in (Status.RECEIVED, Status.DECISION_MADE):
        application_status_change(
            application=plan, status=status, actor=OFFICIAL, outcome=Outcome.GRANTED
        )
        plan.refresh_from_db()
    form = customer.get(url(project, building)).content.decode()
    assert "needs a decision that has not been made yet" not in form
    response = customer.post(url(project, building, "submit/"))
    receipt = customer.get(response["Location"]).content.decode()
    assert "was submitted before the decision it needs was made" not in receipt
    summary = project_summary(project=project)
    assert summary.submitted_early == []
    row = next(r for r in summary.live_rows if r.application.pk == building.pk)
    assert row.path.earliest_submission == timezone.localdate()
    assert row.path.expected_decision is not None
    assert row.path.expected_decision >= timezone.localdate() + timedelta(days=60)


def test_another_company_sees_none_of_it(customer, two_step_project):
    project = two_step_project
    building = project.applications.get(service__code="building-permit")
    other = Client()
    act_for_company(other, LocalMandateFactory.create(business_id=TERAS).person, TERAS)
    assert other.get(url(project)).status_code == 404
    assert other.get(url(project, building)).status_code == 404
    assert other.post(url(project, building, "submit/")).status_code == 404
    building.refresh_from_db()
    assert building.status == Status.DRAFT


def test_the_application_page_lists_its_latest_dates_slack_and_the_longest_path(
    customer, two_step_project
):
    project = two_step_project
    today = timezone.localdate()
    plan_decision = workdays.statutory_deadline(today, 90)
    building_decision = workdays.statutory_deadline(plan_decision, 60)
    opening = building_decision + timedelta(days=30)
    shared_data_set(
        project=project, values={"start_date": opening.isoformat()}, actor=FESTIVAALI_CUSTOMER
    )
    project.refresh_from_db()
    building = project.applications.get(service__code="building-permit")
    row = next(r for r in project_summary(project=project).live_rows if r.application == building)
    latest = row.latest.latest_submission

    page = customer.get(url(project, building)).content.decode()
    facts = page[
        page.index('id="facts-title"') : page.index("</dl>", page.index('id="facts-title"'))
    ]
    assert f"Latest submission</dt><dd>{latest.day}.{latest.month}.{latest.year}</dd>" in facts
    assert f"Decision needed by</dt><dd>{opening.day}.{opening.month}.{opening.year}</dd>" in facts
    assert f"Slack</dt><dd>{row.latest.slack} days</dd>" in facts
    assert "On the longest expected path</dt><dd>yes</dd>" in facts

    loose = plain_service("tent-notice-2", "Telttailmoitus", processing_time_days=None)
    tent = application_add(project=project, service=loose, actor=FESTIVAALI_CUSTOMER)
    page = customer.get(url(project, tent)).content.decode()
    assert "On the longest expected path</dt><dd>no</dd>" in page
    assert "Slack</dt><dd>not known</dd>" in page
    finnish = customer.get(url(project, building).replace("/en/", "/fi/")).content.decode()
    assert "Pisimmällä odotetulla polulla</dt><dd>kyllä</dd>" in finnish
