"""What an authority system's status events do beyond the status: the customer hears of them
as of the back office's changes, a supplement request can be answered in Luvat and the answer
goes back to the authority system; services not joined by API queue nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from luvat.audit.actors import Actor, ActorKind
from luvat.backoffice.models import SupplementRequest
from luvat.backoffice.services import supplement_answer
from luvat.catalogue.models import JoiningMode, Service
from luvat.integrations.documents import envelope
from luvat.integrations.inbound import StatusEventIn, status_event_receive
from luvat.integrations.models import OutboxKind, OutboxMessage
from luvat.notifications.models import NotificationEvent, NotificationKind
from luvat.projects.models import Application
from luvat.projects.services import application_submit, project_create
from luvat.projects.status import Status
from tests.integrations.conftest import AUTHORITY, PDF
from tests.integrations.test_message_schemas import validator
from tests.projects.factories import BUSINESS_A, CUSTOMER_A, AuthorityFactory, ServiceFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SYSTEM = Actor(
    kind=ActorKind.AUTHORITY_SYSTEM, ref="api-client:1", label="case system", on_behalf_of=AUTHORITY
)


def receive(application: Application, kind: str, minutes: int, **details: object) -> None:
    event = StatusEventIn.model_validate(
        {
            "event_id": f"{kind}-{minutes}",
            "type": kind,
            "occurred_at": (T0 + timedelta(minutes=minutes)).isoformat(),
            **details,
        }
    )
    status_event_receive(application=application, event=event, actor=SYSTEM)


def company_notifications(kind: NotificationKind) -> list[NotificationEvent]:
    return [
        event
        for event in NotificationEvent.objects.filter(kind=kind)
        if event.audience["business_ids"] == [BUSINESS_A]
    ]


def test_the_company_hears_of_each_applied_event(submitted) -> None:
    receive(submitted, "received", 1)
    receive(submitted, "received", 1)  # the same event again: no second notification
    receive(submitted, "in_processing", 2)
    [received, processing] = company_notifications(NotificationKind.STATUS_CHANGED)
    assert "/applications/" in received.url
    assert received.params["texts"] != processing.params["texts"]
    receive(
        submitted,
        "decision",
        3,
        decision={"outcome": "granted", "date": "2026-12-01"},
    )
    [decision] = company_notifications(NotificationKind.DECISION_MADE)
    assert decision.url == received.url


def test_a_late_event_placed_in_history_tells_nobody(submitted) -> None:
    receive(submitted, "in_processing", 5)
    receive(submitted, "received", 1)
    assert len(company_notifications(NotificationKind.STATUS_CHANGED)) == 1


def test_a_supplement_request_is_answered_in_luvat_and_goes_back_to_the_system(
    submitted,
) -> None:
    due = timezone.localdate() + timedelta(days=14)
    receive(submitted, "received", 1)
    receive(
        submitted,
        "supplement_requested",
        2,
        supplement_request={"text": "Lähetä pelastussuunnitelma.", "due_date": due.isoformat()},
    )
    request = SupplementRequest.objects.get(application=submitted)
    assert (request.text, request.due_on, request.answered_at) == (
        "Lähetä pelastussuunnitelma.",
        due,
        None,
    )
    [told] = company_notifications(NotificationKind.SUPPLEMENT_REQUESTED)
    assert str(request.public_id) in told.url

    supplement_answer(
        request=request,
        actor=CUSTOMER_A,
        answer="Suunnitelma liitteenä.",
        upload=SimpleUploadedFile("suunnitelma.pdf", PDF, content_type="application/pdf"),
        attachment_code="site_map",
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_PROCESSING
    message = OutboxMessage.objects.get(kind=OutboxKind.APPLICATION_SUPPLEMENT)
    assert message.authority_code == AUTHORITY
    assert message.payload["text"] == "Suunnitelma liitteenä."
    [sent] = message.payload["attachments"]
    assert sent["file_name"] == "suunnitelma.pdf" and sent["code"] == "site_map"
    document = envelope(
        message_id=str(message.message_id),
        kind=message.kind,
        created_at=message.created_at,
        authority_code=message.authority_code,
        application_id=str(submitted.public_id),
        application_reference=message.application_reference,
        payload=message.payload,
    )
    validator("application.supplement").validate(document)


def test_a_light_e_service_queues_nothing_for_an_authority_system(vocab) -> None:
    AuthorityFactory(code=AUTHORITY)
    service = cast(
        Service,
        ServiceFactory(
            code="light-service",
            joining_mode=JoiningMode.LIGHT,
            form_schema={"type": "object", "properties": {}},
            shared_data_mapping={},
            attachments=[],
        ),
    )
    project = project_create(
        actor=CUSTOMER_A, business_id=BUSINESS_A, name="Ilman rajapintaa", services=[service]
    )
    application = project.applications.get()
    application_submit(application=application, actor=CUSTOMER_A)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.submissions.count() == 1
    assert not OutboxMessage.objects.exists()
