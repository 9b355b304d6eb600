"""The inbox (fixed queries, urgent first, filters), the official's application page and its
refusals, the customer's answer page, and the submission-window reminder job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from luvat.audit.models import AccessEvent
from luvat.backoffice.models import CaseFile, SubmissionWindowReminder
from luvat.backoffice.reminders import remind_submission_windows
from luvat.backoffice.selectors import InboxFilters, inbox
from luvat.backoffice.services import application_mark_received, supplement_request_create
from luvat.notifications.models import NotificationEvent, NotificationKind
from luvat.projects.models import Project
from tests.backoffice.factories import POLICE, RESCUE, event_project, official
from tests.identity.factories import FESTIVAALI, LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_as_official, act_for_company

pytestmark = pytest.mark.django_db


def official_client(code: str) -> Client:
    client = Client()
    act_as_official(client, OfficialRoleFactory.create(authority_code=code).person, code)
    return client


@pytest.mark.parametrize("n_cases", [1, 6])
def test_the_inbox_takes_a_fixed_number_of_queries(n_cases, django_assert_num_queries):
    cases = [event_project() for _ in range(n_cases)]
    riikka = official(RESCUE)
    with django_assert_num_queries(9):
        data = inbox(riikka, InboxFilters())
    assert data.total == n_cases
    with django_assert_num_queries(10):
        assert inbox(riikka, InboxFilters(service="event-rescue-plan")).total == n_cases
    assert {row.application.pk for row in data.rows} == {c.rescue_plan.pk for c in cases}


def test_overdue_and_near_cases_come_first_and_filters_narrow():
    early, late, done = event_project(), event_project(), event_project()
    today = timezone.localdate()
    CaseFile.objects.filter(application=late.rescue_plan).update(due_on=today + timedelta(days=30))
    CaseFile.objects.filter(application=early.rescue_plan).update(due_on=today - timedelta(days=2))
    CaseFile.objects.filter(application=done.rescue_plan).update(status="closed")
    riikka = official(RESCUE)
    data = inbox(riikka, InboxFilters())
    assert [r.application.pk for r in data.rows] == [early.rescue_plan.pk, late.rescue_plan.pk]
    assert data.rows[0].overdue and not data.rows[1].overdue
    assert data.counts == {"submitted": 2, "closed": 1}
    assert inbox(riikka, InboxFilters(due="overdue")).total == 1
    assert inbox(riikka, InboxFilters(status="closed")).total == 1
    assert inbox(riikka, InboxFilters(status="")).total == 3
    assert inbox(riikka, InboxFilters(municipality="837")).total == 0
    assert inbox(riikka, InboxFilters(service="event-rescue-plan")).total == 2
    assert inbox(official(POLICE), InboxFilters()).total == 0


def test_the_official_reads_their_case_and_every_read_is_logged():
    case = event_project()
    client = official_client(RESCUE)
    inbox_page = client.get("/fi/backoffice/")
    assert inbox_page.status_code == 200
    assert case.rescue_plan.reference in inbox_page.content.decode()
    page = client.get(f"/fi/backoffice/applications/{case.rescue_plan.public_id}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "alueen-kartta.pdf" in body and "Kesäfestivaali" in body
    assert AccessEvent.objects.filter(
        purpose="backoffice:application", object_id=str(case.rescue_plan.public_id)
    ).exists()
    attachment = case.rescue_plan.attachments.get()
    download = client.get(
        f"/fi/backoffice/applications/{case.rescue_plan.public_id}/attachments/{attachment.public_id}/"
    )
    assert download.status_code == 200


def test_another_authority_cannot_change_the_status_over_http():
    case = event_project()
    client = official_client(POLICE)
    url = f"/fi/backoffice/applications/{case.rescue_plan.public_id}/receive/"
    assert client.post(url, {"case_reference": "X"}).status_code == 403
    case.rescue_plan.refresh_from_db()
    assert case.rescue_plan.status == "submitted"
    assert AccessEvent.objects.filter(outcome="denied", purpose="backoffice:receive").exists()


def test_an_unrelated_authority_sees_nothing_of_the_project():
    case = event_project()
    client = official_client("TUKES")
    page = client.get(f"/fi/backoffice/applications/{case.rescue_plan.public_id}/")
    assert page.status_code == 403
    assert client.get(f"/fi/decisions/{case.rescue_plan.public_id}/document/").status_code == 403


def test_bad_supplement_input_is_shown_next_to_the_field_and_nothing_is_saved():
    case = event_project()
    client = official_client(RESCUE)
    base = f"/fi/backoffice/applications/{case.rescue_plan.public_id}/"
    client.post(f"{base}receive/", {"case_reference": ""})
    response = client.post(
        f"{base}supplement/", {"text": "", "due_on": timezone.localdate().isoformat()}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'href="#supplement-text"' in body and 'id="supplement-due_on-error"' in body
    case.rescue_plan.refresh_from_db()
    assert case.rescue_plan.status == "received"


def test_the_customer_answers_on_a_page_and_another_company_cannot_see_it():
    case = event_project()
    riikka = official(RESCUE)
    application_mark_received(application=case.rescue_plan, actor=riikka)
    request = supplement_request_create(
        application=case.rescue_plan,
        actor=riikka,
        text="Lisää <b>kartta</b>.",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    maija = Client()
    act_for_company(maija, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    app_page = maija.get(
        f"/fi/projects/{case.project.public_id}/applications/{case.rescue_plan.public_id}/"
    ).content.decode()
    assert f"/fi/supplements/{request.public_id}/" in app_page
    assert "&lt;b&gt;kartta&lt;/b&gt;" in app_page
    empty = maija.post(f"/fi/supplements/{request.public_id}/", {"answer": " "})
    assert empty.status_code == 422
    done = maija.post(f"/fi/supplements/{request.public_id}/", {"answer": "Lisätty."})
    assert done.status_code == 302
    case.rescue_plan.refresh_from_db()
    assert case.rescue_plan.status == "in_processing"
    teemu = Client()
    act_for_company(teemu, LocalMandateFactory.create(business_id="2718282-8").person, "2718282-8")
    assert teemu.get(f"/fi/supplements/{request.public_id}/").status_code == 404


def test_the_company_is_told_once_when_a_submission_window_closes_soon():
    case = event_project(submit=False)
    project = Project.objects.get(pk=case.project.pk)
    project.starts_on = timezone.localdate() + timedelta(days=14 + 3)
    project.save(update_fields=["starts_on"])
    assert remind_submission_windows() == 2
    assert remind_submission_windows() == 0
    assert SubmissionWindowReminder.objects.count() == 2
    assert (
        NotificationEvent.objects.filter(kind=NotificationKind.SUBMISSION_WINDOW_CLOSING).count()
        == 2
    )
