"""Administrators see no customer content unlogged (luvat.web.admin_content): the outbox and
inbound-event admins show envelopes (kind, destination, status, attempts, times), never the
payload; the explicit "show content" page or action shows it and writes one access-log entry
naming the administrator and the object, in the company's log."""

from __future__ import annotations

import pytest
from django.utils import timezone

from luvat.audit.models import AccessEvent
from luvat.integrations.models import InboundEvent, OutboxKind, OutboxMessage
from tests.backoffice.factories import event_project

pytestmark = pytest.mark.django_db

PERSONAL = "maija.meikalainen@example.invalid"
ADMIN = "/en/admin/integrations"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def message():
    application = event_project().rescue_plan
    return OutboxMessage.objects.create(
        kind=OutboxKind.APPLICATION_SUBMITTED,
        authority_code="RESCUE-HKI",
        application=application,
        application_reference=application.reference,
        payload={"applicant": {"name": "Maija Meikäläinen", "email": PERSONAL}},
        attempts=3,
        last_error="HTTP 503",
    )


def content_reads() -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(purpose__endswith=".show-content"))


def test_the_outbox_list_and_page_show_the_envelope_not_the_payload(admin_client, message):
    listing = admin_client.get(f"{ADMIN}/outboxmessage/").content.decode()
    assert message.application_reference in listing and "HTTP 503" in listing
    page = admin_client.get(f"{ADMIN}/outboxmessage/{message.pk}/change/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "RESCUE-HKI" in text and "application.submitted" in text  # destination, kind
    assert PERSONAL not in text and "Meikäläinen" not in text
    assert "Show content" in text
    assert content_reads() == []  # looking at envelopes is not a read of content


def test_searching_the_outbox_does_not_search_the_payload(admin_client, message):
    found = admin_client.get(f"{ADMIN}/outboxmessage/", {"q": PERSONAL}).content.decode()
    assert message.application_reference not in found


def test_show_content_shows_the_payload_and_logs_the_administrator(
    admin_client, admin_user, message
):
    page = admin_client.get(f"{ADMIN}/outboxmessage/{message.pk}/content/")
    assert page.status_code == 200
    assert PERSONAL in page.content.decode()
    [read] = content_reads()
    assert read.actor_kind == "administrator"
    assert read.actor_ref == f"user:{admin_user.pk}" and read.actor_label == admin_user.username
    assert read.object_type == "integrations.outboxmessage" and read.object_id == str(message.pk)
    assert read.subject_business_id == message.application.project.business_id
    assert read.outcome == "allowed"


def test_the_show_content_action_logs_each_selected_message(admin_client, message):
    other = OutboxMessage.objects.create(
        kind=OutboxKind.APPLICATION_WITHDRAWN,
        authority_code="RESCUE-HKI",
        application=message.application,
        application_reference=message.application_reference,
        payload={"email": PERSONAL},
    )
    page = admin_client.post(
        f"{ADMIN}/outboxmessage/",
        {"action": "show_content", "_selected_action": [message.pk, other.pk]},
    )
    assert page.status_code == 200 and PERSONAL in page.content.decode()
    assert sorted(read.object_id for read in content_reads()) == sorted(
        [str(message.pk), str(other.pk)]
    )


def test_an_inbound_events_body_is_shown_only_through_the_logged_page(admin_client, message):
    event = InboundEvent.objects.create(
        authority_code="RESCUE-HKI",
        event_id="e-1",
        application=message.application,
        type="decision_made",
        occurred_at=timezone.now(),
        outcome="applied",
        status_before="in_processing",
        status_after="decision_made",
        body={"note": f"Soitettu hakijalle {PERSONAL}"},
    )
    page = admin_client.get(f"{ADMIN}/inboundevent/{event.pk}/change/").content.decode()
    assert PERSONAL not in page and "decision_made" in page
    assert content_reads() == []
    shown = admin_client.get(f"{ADMIN}/inboundevent/{event.pk}/content/").content.decode()
    assert PERSONAL in shown
    [read] = content_reads()
    assert read.object_type == "integrations.inboundevent"
    assert read.subject_business_id == message.application.project.business_id


def test_someone_not_staff_cannot_open_the_content_page(client, message):
    response = client.get(f"{ADMIN}/outboxmessage/{message.pk}/content/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert content_reads() == []
