"""Issue 15 Done-when: a shared-data change after two submissions (one light, one redirect)
appears in both officials' inboxes, is acknowledged by both, and the customer sees both
acknowledgements. Another authority cannot acknowledge."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from luvat.audit.models import AccessEvent, AuditEvent
from luvat.backoffice.acts import ChangeAcknowledged, changes_acknowledge
from luvat.backoffice.selectors import InboxFilters, case_view, inbox
from luvat.backoffice.services import (
    application_mark_received,
    shared_data_change_acknowledge,
)
from luvat.identity.policy import Denied
from luvat.integrations.models import OutboxKind, OutboxMessage
from luvat.notifications.models import Notification, NotificationKind
from luvat.notifications.tasks import fan_out_batch
from luvat.projects.models import Submission, SubmissionKind
from luvat.projects.selectors import project_summary
from luvat.projects.services import shared_data_change_propagate, shared_data_set
from tests.backoffice.factories import POLICE, RESCUE, customer, event_project, official
from tests.identity.factories import OfficialRoleFactory
from tests.identity.helpers import act_as_official
from tests.projects.factories import AuthorityFactory

pytestmark = pytest.mark.django_db


def official_client(code: str) -> Client:
    client = Client()
    act_as_official(client, OfficialRoleFactory.create(authority_code=code).person, code)
    return client


def changed_after_two_submissions():
    case = event_project()
    maija = customer()
    rescue = official(RESCUE, "Riku", "Pelastaja")
    police = official(POLICE, "Pekka", "Poliisi")
    # The redirect-mode notice reached the police in its own e-service.
    application_mark_received(
        application=case.police_notice, actor=police, case_reference="POL-2027-1"
    )
    shared_data_set(project=case.project, values={"start_date": "2027-07-01"}, actor=maija)
    sent = shared_data_change_propagate(project=case.project, actor=maija)
    return case, maija, rescue, police, sent


def test_a_change_after_a_light_and_a_redirect_submission_is_acknowledged_by_both() -> None:
    case, _maija, rescue, police, sent = changed_after_two_submissions()
    assert {change.application_id for change in sent} == {
        case.rescue_plan.pk,
        case.police_notice.pk,
    }
    for change in sent:
        # Only what changed: the redirect notice's baseline is the data when it arrived.
        assert [item["code"] for item in change.snapshot["changes"]] == ["start_date"]
    # Neither is an API-mode service: no message to an authority system.
    assert not OutboxMessage.objects.filter(kind=OutboxKind.SHARED_DATA_CHANGED).exists()

    # Both officials hear of it and find it in their inboxes, as a diff.
    while fan_out_batch():
        pass
    for who in ("Riku Pelastaja", "Pekka Poliisi"):
        told = Notification.objects.filter(
            recipient__person__given_name=who.split()[0], kind=NotificationKind.SHARED_DATA_CHANGED
        )
        assert told.count() == 1, who
    for actor, application in ((rescue, case.rescue_plan), (police, case.police_notice)):
        [row] = inbox(actor, InboxFilters()).to_acknowledge
        assert row.application.pk == application.pk
        assert [(f["code"], f["new_text"]) for f in row.fields] == [("start_date", "1.7.2027")]
        assert row.change.submitted_by_label  # who changed it
        application.refresh_from_db()
        [on_page] = case_view(actor, application).changes_to_acknowledge
        assert on_page.change.pk == row.change.pk

    # Each acknowledges its own (the button's service), once.
    for actor, application in ((rescue, case.rescue_plan), (police, case.police_notice)):
        change = Submission.objects.get(
            application=application, kind=SubmissionKind.SHARED_DATA_CHANGE
        )
        done = shared_data_change_acknowledge(
            application=application, change_id=change.public_id, actor=actor
        )
        assert done is not None and done.acknowledged_at is not None
        assert done.acknowledged_by_label == actor.label
        assert inbox(actor, InboxFilters()).to_acknowledge == []
        first = done.acknowledged_at
        again = shared_data_change_acknowledge(
            application=application, change_id=change.public_id, actor=actor
        )
        assert again is not None and again.acknowledged_at == first, "the first one is kept"
    assert AuditEvent.objects.filter(action="backoffice.shared_data_acknowledge").count() == 2

    # The customer sees, per application, which authority acknowledged which change and when.
    summary = project_summary(project=case.project)
    seen = {
        getattr(row.application.authority, "code", ""): [
            (change.reference, change.acknowledged_at is not None) for change in row.sent_changes
        ]
        for row in summary.rows_with_sent_changes
    }
    assert seen == {
        RESCUE: [(f"{case.rescue_plan.reference}-M1", True)],
        POLICE: [(f"{case.police_notice.reference}-M1", True)],
    }


def test_another_authority_cannot_acknowledge() -> None:
    case, _maija, rescue, _police, _sent = changed_after_two_submissions()
    police_change = Submission.objects.get(
        application=case.police_notice, kind=SubmissionKind.SHARED_DATA_CHANGE
    )
    # The rescue official sees the police notice's status (same project) but does not handle it.
    with pytest.raises(Denied):
        shared_data_change_acknowledge(
            application=case.police_notice, change_id=police_change.public_id, actor=rescue
        )
    AuthorityFactory.create(code="TRE-POLICE", name_fi="Tampereen poliisi")
    stranger = official("TRE-POLICE", "Tiina", "Toinen")
    with pytest.raises(Denied):
        changes_acknowledge(acknowledgements=[ChangeAcknowledged(police_change)], actor=stranger)
    police_change.refresh_from_db()
    assert police_change.acknowledged_at is None
    # A change of another application is not found through this one.
    rescue_change = Submission.objects.get(
        application=case.rescue_plan, kind=SubmissionKind.SHARED_DATA_CHANGE
    )
    assert (
        shared_data_change_acknowledge(
            application=case.police_notice, change_id=rescue_change.public_id, actor=rescue
        )
        is None
    )


def test_over_http_another_authority_is_refused_and_logged() -> None:
    case, _maija, _rescue, _police, _sent = changed_after_two_submissions()
    change = Submission.objects.get(
        application=case.police_notice, kind=SubmissionKind.SHARED_DATA_CHANGE
    )
    url = (
        f"/fi/backoffice/applications/{case.police_notice.public_id}/changes/"
        f"{change.public_id}/acknowledge/"
    )
    # The rescue official may see the notice's status (same project), not acknowledge for it.
    assert official_client(RESCUE).post(url).status_code == 403
    # An authority with nothing in the project: answered as a missing one.
    AuthorityFactory.create(code="TRE-POLICE", name_fi="Tampereen poliisi")
    assert official_client("TRE-POLICE").post(url).status_code == 404
    change.refresh_from_db()
    assert change.acknowledged_at is None
    assert (
        AccessEvent.objects.filter(purpose="backoffice:acknowledge", outcome="denied").count() == 2
    )
    # The police's own official acknowledges with the button.
    police = official_client(POLICE)
    answer = police.post(url, {"next": "inbox"})
    assert answer.status_code == 302 and answer["Location"] == "/fi/backoffice/"
    change.refresh_from_db()
    assert change.acknowledged_at is not None
    # A change id of no change of this application is not found.
    other = url.replace(str(change.public_id), str(uuid.uuid4()))
    assert police.post(other).status_code == 404


def test_the_customer_sees_a_change_not_yet_acknowledged() -> None:
    case, _maija, _rescue, police, _sent = changed_after_two_submissions()
    change = Submission.objects.get(
        application=case.police_notice, kind=SubmissionKind.SHARED_DATA_CHANGE
    )
    shared_data_change_acknowledge(
        application=case.police_notice, change_id=change.public_id, actor=police
    )
    summary = project_summary(project=case.project)
    states = {
        getattr(row.application.authority, "code", ""): row.sent_changes[0].acknowledged_at
        is not None
        for row in summary.rows_with_sent_changes
    }
    assert states == {RESCUE: False, POLICE: True}


@pytest.mark.parametrize("n_changes", [1, 3])
def test_the_inbox_reads_waiting_changes_in_two_more_queries(n_changes, django_assert_num_queries):
    # Six queries with nothing to acknowledge (tests/backoffice/test_inbox_and_pages.py); the
    # counts statement says whether changes wait, then the changes and their fields' labels.
    maija = customer()
    rescue = official(RESCUE, "Riku", "Pelastaja")
    for n in range(n_changes):
        case = event_project()
        shared_data_set(
            project=case.project, values={"start_date": f"2027-07-0{n + 1}"}, actor=maija
        )
        shared_data_change_propagate(project=case.project, actor=maija)
    inbox(rescue, InboxFilters())  # the first read of the catalogue builds its snapshot
    with django_assert_num_queries(8):
        waiting = inbox(rescue, InboxFilters()).to_acknowledge
    assert len(waiting) == n_changes
