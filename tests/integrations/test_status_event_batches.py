"""Batches of status events: each event answered as if it had been sent alone, the batch in a
fixed number of statements, other authorities' applications refused one by one."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luvat.audit.models import AccessEvent, AuditEvent
from luvat.backoffice.models import CaseFile, SupplementRequest
from luvat.catalogue.models import Authority
from luvat.integrations.models import InboundEvent
from luvat.integrations.signing import sign
from luvat.notifications.models import NotificationEvent
from luvat.projects.models import Application, StatusEvent
from luvat.projects.status import Status
from tests.integrations.bulk import submitted_copies
from tests.integrations.conftest import AUTHORITY, issue_api_key
from tests.integrations.factories import make_endpoint
from tests.projects.factories import AuthorityFactory

pytestmark = pytest.mark.django_db
STEPS = ("received", "in_processing", "decision")
SECRET = "batch-secret-of-the-police-0123456789abc"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DETAILS: dict[str, dict[str, Any]] = {
    "received": {"case_reference": "HEL-1"},
    "in_processing": {},
    "supplement_requested": {
        "supplement_request": {"text": "Lisää kartta", "due_date": "2026-12-20"}
    },
    "decision": {"decision": {"outcome": "granted", "date": "2026-12-10"}},
    "closed": {},
}


@pytest.fixture
def key(submitted) -> str:
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/", signing_secret=SECRET)
    return issue_api_key(AUTHORITY)


def copies(template: Application, count: int, *, authority_id: int | None = None) -> list[Any]:
    made = submitted_copies(template, count, authority_id=authority_id)
    return [Application.objects.get(pk=application.pk) for application in made]


def event(application: Application, kind: str, minutes: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "event_id": extra.pop("event_id", f"{application.public_id}:{kind}:{minutes}"),
        "application_id": str(application.public_id),
        "type": kind,
        "occurred_at": (T0 + timedelta(minutes=minutes)).isoformat(),
        **DETAILS[kind],
        **extra,
    }


def signed(data: bytes, secret: str = SECRET) -> str:
    return sign(secret, data, int(time.time()))


def post_batch(client, events: list[dict[str, Any]], key: str, *, secret: str = SECRET):
    data = json.dumps({"events": events}).encode()
    return client.post(
        "/api/v1/applications/events",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_X_LUVAT_SIGNATURE=signed(data, secret),
    )


def post_one(client, body: dict[str, Any], key: str):
    application_id = body["application_id"]
    data = json.dumps({k: v for k, v in body.items() if k != "application_id"}).encode()
    return client.post(
        f"/api/v1/applications/{application_id}/events",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_X_LUVAT_SIGNATURE=signed(data),
    )


def status_of(application: Application) -> str:
    application.refresh_from_db()
    return str(application.status)


def test_each_event_of_a_batch_gets_its_own_answer(client, submitted, key) -> None:
    a, b = copies(submitted, 2)
    stranger = uuid.uuid4()
    events = [
        event(a, "received"),
        event(b, "received", 1),
        event(a, "decision", 2),  # received -> decision_made is allowed
        event(b, "closed", 3),  # received -> closed is not
        event(a, "received"),  # the first event again
        event(b, "in_processing", 4, event_id=f"{a.public_id}:received:0"),  # id reused
        {**event(b, "received", 5), "application_id": str(stranger)},
        event(b, "received", 6, event_id="again"),  # the same status again: unchanged
        event(b, "in_processing", 0, event_id="late"),  # older than the last applied: placed
    ]
    response = post_batch(client, events, key)
    assert response.status_code == 200, response.content
    body = response.json()
    answers = [(r["result"], r["outcome"] or r["problem"]) for r in body["results"]]
    assert answers == [
        (201, "applied"),
        (201, "applied"),
        (201, "applied"),
        (409, "status-conflict"),
        (200, "applied"),
        (409, "event-id-reused"),
        (404, "unknown-application"),
        (201, "unchanged"),
        (201, "placed"),
    ]
    assert body["results"][3]["current_status"] == Status.RECEIVED
    assert (body["recorded"], body["refused"]) == (6, 3)
    assert (status_of(a), status_of(b)) == (Status.DECISION_MADE, Status.RECEIVED)
    a.refresh_from_db()
    assert a.outcome == "granted" and a.decided_at is not None and a.received_at is not None
    assert list(StatusEvent.objects.filter(application=a).values_list("status", flat=True)) == [
        Status.RECEIVED,
        Status.DECISION_MADE,
    ]
    assert InboundEvent.objects.filter(application__in=[a, b]).count() == 5
    assert set(CaseFile.objects.filter(application__in=[a, b]).values_list("status", flat=True))
    assert CaseFile.objects.get(application=a).status == Status.DECISION_MADE
    kinds = list(NotificationEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == ["status_changed", "status_changed", "decision_made"]
    refused = AuditEvent.objects.filter(action="status_event.refused")
    assert sorted(refused.values_list("details__reason", flat=True)) == [
        "event-id-reused",
        "status-conflict",
        "unknown-application",
    ]


def test_a_supplement_request_in_a_batch_opens_the_request_and_sets_the_due_date(
    client, submitted, key
) -> None:
    (a,) = copies(submitted, 1)
    events = [event(a, "received"), event(a, "supplement_requested", 1)]
    assert post_batch(client, events, key).status_code == 200
    request = SupplementRequest.objects.get(application=a, answered_at__isnull=True)
    assert request.text == "Lisää kartta"
    case_file = CaseFile.objects.get(application=a)
    assert (case_file.status, str(case_file.due_on)) == (Status.SUPPLEMENT_REQUESTED, "2026-12-20")
    notice = NotificationEvent.objects.order_by("-id").first()
    assert notice is not None and notice.kind == "supplement_requested"
    assert str(request.public_id) in notice.url


def test_another_authoritys_application_is_refused_and_the_rest_applied(
    client, submitted, key
) -> None:
    (mine,) = copies(submitted, 1)
    other = cast(Authority, AuthorityFactory(code="ESPOO-ENV"))
    (theirs,) = copies(submitted, 1, authority_id=other.pk)
    response = post_batch(client, [event(theirs, "received"), event(mine, "received")], key)
    results = response.json()["results"]
    assert [(r["result"], r["problem"]) for r in results] == [
        (404, "unknown-application"),
        (201, None),
    ]
    assert (status_of(theirs), status_of(mine)) == (Status.SUBMITTED, Status.RECEIVED)
    assert AccessEvent.objects.filter(outcome="denied", object_id=str(theirs.pk)).exists()
    assert not InboundEvent.objects.filter(application=theirs).exists()


def test_a_batch_needs_its_signature_and_limits(client, submitted, key) -> None:
    (a,) = copies(submitted, 1)
    bad = post_batch(client, [event(a, "received")], key, secret="not-the-secret-0123456789")
    assert bad.status_code == 401 and bad.json()["type"].endswith("bad-signature")
    too_many = [event(a, "received", n, event_id=f"e{n}") for n in range(501)]
    assert post_batch(client, too_many, key).status_code == 422
    empty = post_batch(client, [], key)
    assert empty.status_code == 422
    huge = client.post(
        "/api/v1/applications/events",
        data=b"{" + b" " * (1024 * 1024 + 1) + b"}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert huge.status_code == 413
    assert status_of(a) == Status.SUBMITTED and not InboundEvent.objects.exists()


def test_a_batch_takes_a_fixed_number_of_statements(client, submitted, key) -> None:
    def statements(size: int) -> int:
        applications = copies(submitted, size)
        events = [event(a, kind, n) for a in applications for n, kind in enumerate(STEPS)]
        with CaptureQueriesContext(connection) as captured:
            response = post_batch(client, events, key)
        assert response.json()["recorded"] == len(events)
        return len(captured.captured_queries)

    # (Large batches split into chunks only where the database limits statement parameters.)
    statements(1)  # the first request also reads the API key and signing secrets
    assert statements(3) == statements(10)


# Draws: (application 0-2, event kind, minute); one draw is one event, so the same draw twice
# is the same event sent again.
draws = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(sorted(DETAILS)), st.integers(0, 6)),
    min_size=1,
    max_size=10,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(draws=draws)
def test_a_batch_answers_and_ends_as_the_same_events_sent_one_at_a_time(
    client, submitted, key, draws
) -> None:
    alone, together = copies(submitted, 3), copies(submitted, 3)

    def events_for(applications: list[Application]) -> list[dict[str, Any]]:
        made = []
        for index, kind, minute in draws:
            body = event(applications[index], kind, minute)
            body["event_id"] = f"{applications[index].public_id}:{kind}:{minute}"
            made.append(body)
        return made

    one_by_one = []
    for body in events_for(alone):
        response = post_one(client, body, key)
        payload = response.json()
        outcome = payload.get("outcome") or payload["type"].rsplit("/", 1)[-1]
        one_by_one.append((response.status_code, outcome))
    response = post_batch(client, events_for(together), key)
    batched = [(r["result"], r["outcome"] or r["problem"]) for r in response.json()["results"]]
    assert batched == one_by_one
    for single, batch in zip(alone, together, strict=True):
        assert status_of(single) == status_of(batch)
        assert list(
            StatusEvent.objects.filter(application=single).values_list("status", flat=True)
        ) == list(StatusEvent.objects.filter(application=batch).values_list("status", flat=True))
        single_case = CaseFile.objects.filter(application=single).values("status", "due_on")
        batch_case = CaseFile.objects.filter(application=batch).values("status", "due_on")
        assert list(single_case) == list(batch_case)


def test_a_reported_decision_is_recorded_with_a_link_to_its_document(
    client, submitted, key
) -> None:
    from django.test import Client

    from luvat.backoffice.models import Decision
    from tests.identity.factories import LocalMandateFactory
    from tests.identity.helpers import act_for_company
    from tests.projects.factories import BUSINESS_A

    document = {
        "url": "https://asiointi.example.fi/paatokset/44812.pdf",
        "file_name": "paatos.pdf",
        "sha256": "a" * 64,
    }
    decided = {"outcome": "partly_granted", "date": "2026-12-02", "summary": "Ehdoin."}
    events = [
        event(submitted, "received"),
        event(submitted, "decision", 1, decision={**decided, "document": document}),
    ]
    assert post_batch(client, events, key).json()["recorded"] == 2
    decision = Decision.objects.get(application=submitted)
    assert (decision.outcome, str(decision.decided_on), decision.summary) == (
        "partly_granted",
        "2026-12-02",
        "Ehdoin.",
    )
    assert decision.document_url == document["url"] and not decision.document
    company = Client()
    act_for_company(company, LocalMandateFactory.create(business_id=BUSINESS_A).person, BUSINESS_A)
    page = company.get(
        f"/fi/projects/{submitted.project.public_id}/applications/{submitted.public_id}/"
    ).content.decode()
    assert f'href="{document["url"]}"' in page


def test_the_largest_batch_is_applied_whole(client, submitted, key) -> None:
    applications = copies(submitted, 250)
    events = [event(a, kind, n) for a in applications for n, kind in enumerate(STEPS[:2])]
    assert len(events) == 500
    body = post_batch(client, events, key).json()
    assert (body["recorded"], body["refused"]) == (500, 0)
    assert (
        Application.objects.filter(
            pk__in=[a.pk for a in applications], status=Status.IN_PROCESSING
        ).count()
        == 250
    )


def test_a_batch_without_an_authority_systems_key_is_refused(client, submitted, key) -> None:
    from tests.identity.factories import LocalMandateFactory
    from tests.identity.helpers import act_for_company
    from tests.projects.factories import BUSINESS_A

    (a,) = copies(submitted, 1)
    data = json.dumps({"events": [event(a, "received")]}).encode()
    anonymous = client.post(
        "/api/v1/applications/events",
        data=data,
        content_type="application/json",
        HTTP_X_LUVAT_SIGNATURE=signed(data),
    )
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"
    company = type(client)()
    act_for_company(company, LocalMandateFactory.create(business_id=BUSINESS_A).person, BUSINESS_A)
    as_customer = company.post(
        "/api/v1/applications/events",
        data=data,
        content_type="application/json",
        HTTP_X_LUVAT_SIGNATURE=signed(data),
    )
    assert as_customer.status_code == 401  # a browser session is no authority credential
    assert status_of(a) == Status.SUBMITTED and not InboundEvent.objects.exists()
