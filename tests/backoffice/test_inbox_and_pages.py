"""The inbox (fixed queries, urgent first, filters), the official's application page and its
refusals, the customer's answer page, and the submission-window reminder job."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone

from luvat.audit.models import AccessEvent
from luvat.backoffice.models import CaseFile, SubmissionWindowReminder
from luvat.backoffice.reminders import remind_submission_windows
from luvat.backoffice.selectors import COUNT_CAP, InboxFilters, Tally, inbox
from luvat.backoffice.services import application_mark_received, supplement_request_create
from luvat.notifications.models import NotificationEvent, NotificationKind
from luvat.projects.models import Application, Project
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
    inbox(riikka, InboxFilters())  # the first read of the catalogue builds its snapshot
    with django_assert_num_queries(6):
        data = inbox(riikka, InboxFilters())
    assert data.total == Tally(n_cases)
    with django_assert_num_queries(6):
        assert inbox(riikka, InboxFilters(service="event-rescue-plan")).total == Tally(n_cases)
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
    assert data.counts == {"submitted": Tally(2), "closed": Tally(1)}
    assert inbox(riikka, InboxFilters(due="overdue")).total == Tally(1)
    assert inbox(riikka, InboxFilters(status="closed")).total == Tally(1)
    assert inbox(riikka, InboxFilters(status="")).total == Tally(3)
    assert inbox(riikka, InboxFilters(municipality="837")).total == Tally(0)
    assert inbox(riikka, InboxFilters(service="event-rescue-plan")).total == Tally(2)
    assert inbox(official(POLICE), InboxFilters()).total == Tally(0)


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
    # Not its application: answered as a missing one (ids cannot be probed), still logged.
    assert client.post(url, {"case_reference": "X"}).status_code == 404
    case.rescue_plan.refresh_from_db()
    assert case.rescue_plan.status == "submitted"
    assert AccessEvent.objects.filter(outcome="denied", purpose="backoffice:receive").exists()


def test_an_unrelated_authority_sees_nothing_of_the_project():
    case = event_project()
    client = official_client("TUKES")
    page = client.get(f"/fi/backoffice/applications/{case.rescue_plan.public_id}/")
    assert page.status_code == 404
    assert client.get(f"/fi/decisions/{case.rescue_plan.public_id}/document/").status_code == 404


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


def clone_cases(n: int, *, due_every: int = 3) -> list[int]:
    """``n`` more open cases of the rescue authority, copies of one submitted rescue plan, with
    due dates shared by groups of ``due_every`` (so ties are broken by id); returns their
    case-file ids."""
    plan = event_project().rescue_plan
    template = CaseFile.objects.get(application=plan)

    def copy(instance, **own):  # type: ignore[no-untyped-def]
        skip = {"id", "public_id", "reference", *own}
        fields = {
            f.attname: getattr(instance, f.attname)
            for f in type(instance)._meta.concrete_fields
            if f.attname not in skip
        }
        return type(instance)(**fields, **own)

    # One project each: a project has one live application per service.
    projects = Project.objects.bulk_create(
        [copy(plan.project, reference=f"C-{i:06d}") for i in range(n)]
    )
    clones = Application.objects.bulk_create(
        [
            copy(plan, project_id=project.pk, reference=f"{plan.reference[:20]}-{i}")
            for i, project in enumerate(projects)
        ]
    )
    today = timezone.localdate()
    files = CaseFile.objects.bulk_create(
        [
            CaseFile(
                application=clone,
                authority_code=template.authority_code,
                service_code=template.service_code,
                municipality_code=template.municipality_code,
                status="received" if i % 2 else "submitted",
                arrived_at=template.arrived_at,
                due_on=today + timedelta(days=i // due_every - 20),
                due_kind=template.due_kind,
            )
            for i, clone in enumerate(clones)
        ]
    )
    return [f.pk for f in files]


def walk(actor, filters: InboxFilters, step) -> list[list[int]]:  # type: ignore[no-untyped-def]
    pages = []
    data = inbox(actor, filters)
    while True:
        pages.append([row.case.pk for row in data.rows])
        following = step(data)
        if following is None:
            return pages
        data = inbox(actor, following)


def test_the_inbox_pages_by_keyset_forwards_and_backwards_without_gaps_or_repeats():
    clone_cases(123)
    riikka = official(RESCUE)
    order = list(
        CaseFile.objects.filter(authority_code=RESCUE, status__in=["submitted", "received"])
        .order_by(F("due_on").asc(nulls_last=True), "id")
        .values_list("id", flat=True)
    )
    assert len(order) == 124
    forwards = walk(
        riikka,
        InboxFilters(),
        lambda data: InboxFilters(after=data.next_key) if data.has_next else None,
    )
    assert [len(p) for p in forwards] == [50, 50, 24]
    assert [pk for page in forwards for pk in page] == order
    backwards = walk(
        riikka,
        InboxFilters(last=True),
        lambda data: InboxFilters(before=data.previous_key) if data.has_previous else None,
    )
    assert [len(p) for p in backwards] == [50, 50, 24]
    assert [pk for page in reversed(backwards) for pk in page] == order
    first = inbox(riikka, InboxFilters())
    assert not first.has_previous and first.has_next
    assert first.total == Tally(124) and first.open_count == Tally(124)


def test_a_case_without_a_due_date_comes_last_and_pages_after_it_stay_whole():
    ids = clone_cases(60)
    CaseFile.objects.filter(pk__in=ids[:2]).update(due_on=None)
    riikka = official(RESCUE)
    second = inbox(riikka, InboxFilters(after=inbox(riikka, InboxFilters()).next_key))
    assert [row.case.pk for row in second.rows][-2:] == ids[:2]
    assert not second.has_next
    # Back from before the first case (handled meanwhile): the first page is shown.
    first_key = inbox(riikka, InboxFilters()).rows[0].key
    back = inbox(riikka, InboxFilters(before=first_key))
    assert back.rows[0].key == first_key and not back.has_previous and back.has_next


def test_every_inbox_page_takes_the_same_queries(django_assert_num_queries):
    clone_cases(120)
    riikka = official(RESCUE)
    first = inbox(riikka, InboxFilters())
    for filters in (
        InboxFilters(),
        InboxFilters(after=first.next_key),
        InboxFilters(before=first.rows[-1].key, service="event-rescue-plan"),
        InboxFilters(last=True, due="overdue"),
    ):
        with django_assert_num_queries(6):
            inbox(riikka, filters)


def test_counts_past_the_cap_are_labelled_not_counted():
    clone_cases(COUNT_CAP + 5)
    riikka = official(RESCUE)
    data = inbox(riikka, InboxFilters())
    assert data.open_count == Tally(COUNT_CAP, more=True)
    assert data.total.more and data.counts["received"] == Tally(COUNT_CAP // 2 + 2)
    client = official_client(RESCUE)
    # Grouped as the language groups thousands (a no-break space in Finnish and Swedish).
    body = client.get("/fi/backoffice/").content.decode().replace("\xa0", " ")
    assert "Avoimet: <strong>yli 1 000</strong>" in body
    assert "Yli 1 000 asiointia" in body
    assert "Över 1 000 ärenden" in client.get("/sv/backoffice/").content.decode().replace(
        "\xa0", " "
    )


def test_the_pages_link_to_each_other_without_javascript_and_keep_the_filters():
    clone_cases(70)
    client = official_client(RESCUE)
    first = client.get("/fi/backoffice/?service=event-rescue-plan").content.decode()
    links = dict(
        (text, href.replace("&amp;", "&"))
        for href, text in re.findall(r'<a href="\?([^"]*)"[^>]*>([^<]+)</a>', first)
    )
    assert "Edellinen" not in links and "Ensimmäinen" not in links
    assert "service=event-rescue-plan" in links["Seuraava"] and "after=" in links["Seuraava"]
    second = client.get(f"/fi/backoffice/?{links['Seuraava']}")
    assert second.status_code == 200
    body = second.content.decode()
    assert "Edellinen" in body and "Ensimmäinen" in body and "Seuraava" not in body
    # The last page is the last 50 cases (of 71), with a way back and none further.
    last = client.get(f"/fi/backoffice/?{links['Viimeinen']}").content.decode()
    assert last.count('<th scope="row">') == 50
    assert "Edellinen" in last and "Seuraava" not in last and "Viimeinen" not in last
    # A hand-edited key is ignored (the first page), never an error.
    assert client.get("/fi/backoffice/?after=yesterday.x").status_code == 200


def test_another_authoritys_official_pages_through_none_of_these_cases():
    clone_cases(60)
    rescue_first = inbox(official(RESCUE), InboxFilters())
    police = official(POLICE)
    for filters in (
        InboxFilters(),
        InboxFilters(after=rescue_first.next_key),
        InboxFilters(last=True),
        InboxFilters(status=""),
    ):
        data = inbox(police, filters)
        assert data.rows == [] and data.total == Tally(0) and data.open_count == Tally(0)
    body = official_client(POLICE).get(f"/fi/backoffice/?after={rescue_first.next_key}")
    assert rescue_first.rows[0].application.reference not in body.content.decode()
