"""The authority's acts exist once: each act, done through every door (the official's page, one
status event over HTTP, a batch over HTTP, a message from the AMQP status queue), leaves the
same application, history, case file, supplement request, decision and notice."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pika
import pytest
from django.test import Client
from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.backoffice import services
from luvat.backoffice.models import CaseFile, Decision, SupplementRequest
from luvat.integrations.consumer import StatusConsumer
from luvat.integrations.signing import SIGNATURE_HEADER, sign
from luvat.integrations.tasks import handle_status_messages
from luvat.notifications.models import NotificationEvent, NotificationKind
from luvat.projects.models import Application, StatusEvent
from luvat.projects.status import Status
from tests.backoffice.factories import official, pdf
from tests.integrations.conftest import AUTHORITY, issue_api_key, submit_new_application
from tests.integrations.factories import make_endpoint
from tests.projects.factories import BUSINESS_A

pytestmark = pytest.mark.django_db
SECRET = "acts-signing-secret-0123456789abcdefgh"
CASE_REFERENCE = "HEL 2026-0077"
T0 = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def vocab(db):
    from tests.projects.factories import MunicipalityFactory, vocabulary

    MunicipalityFactory()
    return vocabulary()


@pytest.fixture(autouse=True)
def _forget_remembered_secrets():
    from luvat.integrations.selectors import forget_authority_secrets

    forget_authority_secrets()
    yield
    forget_authority_secrets()


def due() -> Any:
    return timezone.localdate() + timedelta(days=14)


def today() -> Any:
    return timezone.localdate()


# Each act, and the acts before it that bring the application where the act can be done.
SCENARIOS: dict[str, list[str]] = {
    "received": ["received"],
    "processing_started": ["received", "in_processing"],
    "supplement_asked": ["received", "supplement_requested"],
    "decision_made": ["received", "in_processing", "decision"],
    "closed": ["received", "decision", "closed"],
}
FINAL = {
    "received": Status.RECEIVED,
    "in_processing": Status.IN_PROCESSING,
    "supplement_requested": Status.SUPPLEMENT_REQUESTED,
    "decision": Status.DECISION_MADE,
    "closed": Status.CLOSED,
}
NOTICE = {
    "received": NotificationKind.STATUS_CHANGED,
    "in_processing": NotificationKind.STATUS_CHANGED,
    "supplement_requested": NotificationKind.SUPPLEMENT_REQUESTED,
    "decision": NotificationKind.DECISION_MADE,
    "closed": NotificationKind.STATUS_CHANGED,
}


def event(application: Application, kind: str, minute: int) -> dict[str, Any]:
    every: dict[str, dict[str, Any]] = {
        "received": {"case_reference": CASE_REFERENCE},
        "in_processing": {},
        "supplement_requested": {
            "supplement_request": {"text": "Send the site map.", "due_date": due().isoformat()}
        },
        "decision": {
            "decision": {
                "outcome": "granted",
                "date": today().isoformat(),
                "document": {"url": "https://asiat.example.fi/p/1.pdf", "file_name": "p.pdf"},
            }
        },
        "closed": {},
    }
    details = every[kind]
    return {
        "event_id": f"{application.public_id}:{kind}",
        "application_id": str(application.public_id),
        "type": kind,
        "occurred_at": (T0 + timedelta(minutes=minute)).isoformat(),
        **details,
    }


def by_official(application: Application, kinds: list[str], actor: Actor) -> None:
    for kind in kinds:
        if kind == "received":
            services.application_mark_received(
                application=application, actor=actor, case_reference=CASE_REFERENCE
            )
        elif kind == "in_processing":
            services.application_start_processing(application=application, actor=actor)
        elif kind == "supplement_requested":
            services.supplement_request_create(
                application=application, actor=actor, text="Send the site map.", due_on=due()
            )
        elif kind == "decision":
            services.decision_record(
                application=application,
                actor=actor,
                outcome="granted",
                decided_on=today(),
                document=pdf("p.pdf"),
            )
        else:
            services.application_close(application=application, actor=actor)


def signed_post(client: Client, path: str, body: dict[str, Any], key: str) -> Any:
    data = json.dumps(body).encode()
    return client.post(
        path,
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_X_LUVAT_SIGNATURE=sign(SECRET, data, int(time.time())),
    )


def by_http(application: Application, kinds: list[str], key: str) -> None:
    client = Client()
    for minute, kind in enumerate(kinds):
        body = event(application, kind, minute)
        del body["application_id"]
        path = f"/api/v1/applications/{application.public_id}/events"
        response = signed_post(client, path, body, key)
        assert response.status_code == 201, response.content


def by_batch(application: Application, kinds: list[str], key: str) -> None:
    events = [event(application, kind, minute) for minute, kind in enumerate(kinds)]
    response = signed_post(Client(), "/api/v1/applications/events", {"events": events}, key)
    assert response.status_code == 200, response.content
    assert response.json()["refused"] == 0, response.content


def by_amqp(application: Application, kinds: list[str], url: str) -> None:
    queue = f"luvat.test-acts-{uuid.uuid4().hex[:10]}"
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.queue_declare(queue=queue, durable=False, auto_delete=False)
    try:
        for minute, kind in enumerate(kinds):
            body = event(application, kind, minute)
            data = json.dumps(body).encode()
            channel.basic_publish(
                exchange="",
                routing_key=queue,
                body=data,
                properties=pika.BasicProperties(
                    message_id=body["event_id"],
                    headers={
                        "authority": AUTHORITY,
                        SIGNATURE_HEADER: sign(SECRET, data, int(time.time())),
                    },
                ),
            )
        consumer = StatusConsumer(url, handle_status_messages, queue=queue, batch_size=10)
        try:
            assert consumer.drain(max_messages=20) == len(kinds)
        finally:
            consumer.close()
    finally:
        channel.queue_delete(queue=queue)
        connection.close()


SOURCES = [
    "official",
    "http",
    "batch",
    pytest.param("amqp", marks=pytest.mark.amqp),
]


def door(source: str) -> Callable[[Application, list[str]], None]:
    """The door of ``source``, with the credentials it needs."""
    if source == "official":
        actor = official(AUTHORITY, "Paula", "Poliisi")
        return lambda application, kinds: by_official(application, kinds, actor)
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/", signing_secret=SECRET)
    if source == "amqp":
        import os

        url = os.environ["LUVAT_AMQP_URL"]
        return lambda application, kinds: by_amqp(application, kinds, url)
    key = issue_api_key(AUTHORITY)
    send = by_http if source == "http" else by_batch
    return lambda application, kinds: send(application, kinds, key)


def case_file_of(application: Application) -> dict[str, Any]:
    values = CaseFile.objects.filter(application=application).values(
        "authority_code", "service_code", "status", "due_on", "due_kind", "case_reference"
    )
    return dict(values.get())


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_each_act_through_each_door_leaves_the_same_case(vocab, source, scenario) -> None:
    send = door(source)
    application = submit_new_application()
    kinds = SCENARIOS[scenario]
    send(application, kinds)

    application.refresh_from_db()
    final = FINAL[kinds[-1]]
    assert application.status == final
    history = list(
        StatusEvent.objects.filter(application=application)
        .order_by("id")
        .values_list("status", flat=True)
    )
    assert history == [Status.DRAFT, Status.SUBMITTED, *(FINAL[kind] for kind in kinds)]

    case_file = case_file_of(application)
    assert case_file["status"] == final
    assert case_file["case_reference"] == CASE_REFERENCE
    assert case_file["authority_code"] == AUTHORITY

    requests = list(SupplementRequest.objects.filter(application=application))
    if "supplement_requested" in kinds:
        [request] = requests
        assert (request.text, request.due_on, request.answered_at) == (
            "Send the site map.",
            due(),
            None,
        )
        assert (case_file["due_on"], case_file["due_kind"]) == (due(), "supplement")
    else:
        assert requests == []

    decisions = list(Decision.objects.filter(application=application))
    if "decision" in kinds:
        [decision] = decisions
        assert (decision.outcome, decision.decided_on) == ("granted", today())
        assert application.outcome == "granted"
        assert bool(decision.document.name) or bool(decision.document_url)
    else:
        assert decisions == []

    told = [
        notice
        for notice in NotificationEvent.objects.filter(kind=NOTICE[kinds[-1]])
        if notice.audience["business_ids"] == [BUSINESS_A]
    ]
    assert told, f"the company was not told of {kinds[-1]}"


@pytest.mark.parametrize("source", ["http", "batch"])
def test_an_inbound_received_and_an_officials_mark_received_leave_the_same_case_file(
    vocab, source
) -> None:
    by_hand = submit_new_application("Käsin")
    by_system = submit_new_application("Järjestelmästä")
    by_official(by_hand, ["received"], official(AUTHORITY, "Paula", "Poliisi"))
    door(source)(by_system, ["received"])
    assert case_file_of(by_hand) == case_file_of(by_system)
    assert case_file_of(by_system)["case_reference"] == CASE_REFERENCE
