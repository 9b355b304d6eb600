"""The summary and the project list show the nearest deadline of any kind, labelled: a
supplement's due date, the last day to submit, the expected decision."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from luvat.backoffice.services import application_mark_received, supplement_request_create
from luvat.projects.deadlines import ApplicationDeadlines, DeadlineKind, DeadlineWarning
from luvat.projects.selectors import company_projects, project_summary
from tests.backoffice.factories import RESCUE, event_project, official
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company

days = st.one_of(st.none(), st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)))


@given(supplement=days, submission=days, decision=days)
def test_the_nearest_is_the_earliest_of_the_known_dates_with_its_kind(
    supplement, submission, decision
):
    deadlines = ApplicationDeadlines(
        latest_submission=submission,
        expected_decision=decision,
        clock_stopped=False,
        paused_days=0,
        warning=DeadlineWarning.NONE,
        supplement_due=supplement,
    )
    known = [d for d in (supplement, submission, decision) if d is not None]
    if not known:
        assert deadlines.nearest is None
        return
    assert deadlines.nearest is not None
    day, kind = deadlines.nearest
    assert day == min(known)
    assert {
        DeadlineKind.SUPPLEMENT: supplement,
        DeadlineKind.SUBMISSION: submission,
        DeadlineKind.DECISION: decision,
    }[kind] == day


@pytest.mark.django_db
def test_a_supplement_due_date_is_the_nearest_deadline_in_the_summary_and_the_list():
    case = event_project()
    riikka = official(RESCUE, "Riikka", "Pelastaja")
    application_mark_received(application=case.rescue_plan, actor=riikka)
    due = timezone.localdate() + timedelta(days=3)
    supplement_request_create(
        application=case.rescue_plan, actor=riikka, text="Kartta.", due_on=due
    )
    rows = {row.application.pk: row for row in project_summary(project=case.project).rows}
    assert rows[case.rescue_plan.pk].deadlines.nearest == (due, DeadlineKind.SUPPLEMENT)
    (item,) = company_projects(business_id=FESTIVAALI)
    assert item.nearest == (due, DeadlineKind.SUPPLEMENT)

    client = Client()
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    shown = f"supplement due {due.day}.{due.month}.{due.year}"
    summary = client.get(f"/en/projects/{case.project.public_id}/").content.decode()
    assert shown in summary
    listing = client.get("/en/projects/").content.decode()
    assert "Nearest deadline" in listing and shown in listing
