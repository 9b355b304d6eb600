# mypy: disable-error-code="union-attr, operator, arg-type, type-var"
"""What is blocking the company: one list over all its projects, nearest deadline first
(a supplement due, a submission window, a decision a draft must wait for); another company's
items never appear and other kinds of actor are refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from luvat.backoffice.services import application_mark_received, supplement_request_create
from luvat.projects.blocking import BlockingKind, company_blocking
from luvat.projects.deadlines import DeadlineKind
from luvat.projects.services import application_submit, project_create, shared_data_set
from tests.backoffice.factories import RESCUE, customer, event_project, official
from tests.identity.factories import FESTIVAALI, TERAS, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.projects.factories import ServiceFactory


def plain(code: str, name: str, **kwargs):
    return ServiceFactory.create(
        code=code,
        name_fi=name,
        name_en=name,
        form_schema={},
        shared_data_mapping={},
        attachments=[],
        authority_kind="rescue",
        **kwargs,
    )


@pytest.fixture
def three_projects(db):
    """Three projects of Festivaali whose deadlines interleave, and one of another company
    with the nearest deadline of all."""
    today = timezone.localdate()
    # Project 1 (created first): a supplement is due in 20 days.
    case = event_project()
    riikka = official(RESCUE, "Riikka", "Pelastaja")
    application_mark_received(application=case.rescue_plan, actor=riikka)
    supplement_request_create(
        application=case.rescue_plan,
        actor=riikka,
        text="Kartta.",
        due_on=today + timedelta(days=20),
    )
    maija = customer(FESTIVAALI)
    # Project 2: a noise notification to submit at least 30 days before a start in 40 days.
    noise = plain("noise", "Meluilmoitus", lead_time_days=30)
    second = project_create(
        actor=maija, business_id=FESTIVAALI, name="Syysmessut", services=[noise]
    )
    shared_data_set(
        project=second,
        values={"start_date": (today + timedelta(days=40)).isoformat()},
        actor=maija,
    )
    # Project 3: a building permit waits for the plan's decision (submitted today, 60 days).
    plan = plain("plan", "Asemakaava", processing_time_days=60, lead_time_days=None)
    building = plain("building", "Rakentamislupa", lead_time_days=None, processing_time_days=30)
    building.depends_on.add(plan)
    third = project_create(
        actor=maija, business_id=FESTIVAALI, name="Tuulipuisto", services=[plan, building]
    )
    application_submit(application=third.applications.get(service=plan), actor=maija)
    # Another company: a window closing in 3 days, never in Festivaali's list.
    teras = customer(TERAS, "Tero")
    urgent = plain("urgent", "Kiireellinen", lead_time_days=10)
    other = project_create(actor=teras, business_id=TERAS, name="Terästehdas", services=[urgent])
    shared_data_set(
        project=other, values={"start_date": (today + timedelta(days=13)).isoformat()}, actor=teras
    )
    return case.project, second, third, other


def test_items_of_three_projects_come_in_deadline_order(three_projects):
    first, second, third, other = three_projects
    items = company_blocking(business_id=FESTIVAALI)
    dated = [item for item in items if item.deadline is not None]
    assert [item.deadline for item in dated] == sorted(item.deadline for item in dated)
    assert {item.project.pk for item in items} == {first.pk, second.pk, third.pk}
    assert other.pk not in {item.project.pk for item in items}
    kinds = [(item.project.pk, item.kind, item.deadline_kind) for item in dated]
    assert kinds[:3] == [
        (second.pk, BlockingKind.ACTION, DeadlineKind.SUBMISSION),  # in about 10 days
        (first.pk, BlockingKind.ACTION, DeadlineKind.SUPPLEMENT),  # in 20 days
        (third.pk, BlockingKind.DEPENDENCY, DeadlineKind.DECISION),  # in about 60 days
    ]
    dependency = dated[2]
    assert dependency.waits_for is not None and dependency.waits_for.service.code == "plan"
    # Undated items (the building permit to fill in, the police e-service) come last.
    assert all(item.deadline is None for item in items[len(dated) :])


def test_the_page_lists_them_in_the_same_order_and_only_the_companys(three_projects):
    first, second, third, other = three_projects
    client = Client()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    page = client.get("/en/projects/blocking/")
    assert page.status_code == 200
    html = page.content.decode()
    order = re.findall(r'<tr data-project="([^"]+)">', html)
    expected = [item.project.reference for item in company_blocking(business_id=FESTIVAALI)]
    assert order == expected
    assert order[:3] == [second.reference, first.reference, third.reference]
    assert other.reference not in html
    assert "Waiting for the decision on Asemakaava" in html
    assert "Send the supplement the authority asked for." in html


def test_another_company_sees_only_its_own_and_others_are_refused(three_projects):
    first, second, third, other = three_projects
    teras = Client()
    act_for_company(teras, LocalMandateFactory.create(business_id=TERAS).person, TERAS)
    html = teras.get("/en/projects/blocking/").content.decode()
    assert re.findall(r'<tr data-project="([^"]+)">', html) == [other.reference]
    for project in (first, second, third):
        assert project.reference not in html
    anonymous = Client().get("/en/projects/blocking/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_list_takes_a_fixed_number_of_queries(three_projects, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        company_blocking(business_id=FESTIVAALI)
