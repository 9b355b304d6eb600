"""The inbound status API: per-authority keys, signatures, idempotency, ordering, conflicts."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from luvat.audit.models import AuditEvent
from luvat.integrations.models import InboundEvent
from luvat.integrations.signing import sign
from luvat.projects.status import Status
from tests.integrations.conftest import AUTHORITY, issue_api_key
from tests.integrations.factories import make_endpoint

pytestmark = pytest.mark.django_db
SECRET = "inbound-secret-of-the-police-0123456789"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def key(submitted) -> str:
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/", signing_secret=SECRET)
    return issue_api_key(AUTHORITY)


def event(kind: str, minutes: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "event_id": extra.pop("event_id", f"{kind}-{minutes}"),
        "type": kind,
        "occurred_at": (T0 + timedelta(minutes=minutes)).isoformat(),
        **extra,
    }


def post(client, application, body, key, *, secret=SECRET, raw: bytes | None = None, **headers):
    data = raw if raw is not None else json.dumps(body).encode()
    if secret:
        headers.setdefault("HTTP_X_LUVAT_SIGNATURE", sign(secret, data, int(time.time())))
    return client.post(
        f"/api/v1/applications/{application.public_id}/events",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        **headers,
    )


def status_of(application) -> str:
    application.refresh_from_db()
    return str(application.status)


def test_received_with_case_reference(client, submitted, key) -> None:
    response = post(client, submitted, event("received", case_reference="HEL 2026-1234"), key)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == Status.RECEIVED and not response.json()["duplicate"]
    assert status_of(submitted) == Status.RECEIVED
    recorded = InboundEvent.objects.get()
    assert recorded.case_reference == "HEL 2026-1234" and recorded.outcome == "applied"


def test_the_same_event_twice_changes_nothing_the_second_time(client, submitted, key) -> None:
    first = post(client, submitted, event("received"), key)
    again = post(client, submitted, event("received"), key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["duplicate"] is True
    assert InboundEvent.objects.count() == 1
    assert submitted.status_events.filter(status=Status.RECEIVED).count() == 1


def test_late_events_are_placed_in_history_without_moving_backwards(client, submitted, key):
    assert post(client, submitted, event("in_processing", 10), key).status_code == 201
    late = post(client, submitted, event("received", 5, case_reference="HEL-9"), key)
    assert late.status_code == 201 and late.json()["outcome"] == "placed"
    assert status_of(submitted) == Status.IN_PROCESSING
    decision = event("decision", 30, decision={"outcome": "granted", "date": "2026-12-01"})
    assert post(client, submitted, decision, key).status_code == 201
    older = post(
        client,
        submitted,
        event(
            "supplement_requested",
            20,
            supplement_request={"text": "Lisää kartta", "due_date": "2026-12-15"},
        ),
        key,
    )
    assert older.json()["outcome"] == "placed"
    assert status_of(submitted) == Status.DECISION_MADE
    submitted.refresh_from_db()
    assert submitted.outcome == "granted"
    types = list(InboundEvent.objects.order_by("occurred_at").values_list("type", flat=True))
    assert types == ["received", "in_processing", "supplement_requested", "decision"]


def test_forbidden_transition_is_a_conflict_with_the_current_state(client, submitted, key):
    decision = event("decision", 30, decision={"outcome": "refused", "date": "2026-12-01"})
    response = post(client, submitted, decision, key)
    assert response.status_code == 409
    problem = response.json()
    assert problem["current_status"] == Status.SUBMITTED
    assert problem["type"].endswith("status-conflict")
    assert status_of(submitted) == Status.SUBMITTED
    assert not InboundEvent.objects.exists()
    assert AuditEvent.objects.filter(action="status_event.refused").exists()


def test_a_finished_application_never_reopens(client, submitted, key) -> None:
    post(client, submitted, event("received", 1), key)
    post(
        client,
        submitted,
        event("decision", 2, decision={"outcome": "granted", "date": "2026-12-01"}),
        key,
    )
    post(client, submitted, event("closed", 3), key)
    response = post(client, submitted, event("in_processing", 4), key)
    assert response.status_code == 409 and response.json()["current_status"] == Status.CLOSED


def test_another_authority_is_refused(client, submitted, key) -> None:
    other_key = issue_api_key("ESPOO-ENV")
    make_endpoint(authority_code="ESPOO-ENV", url="http://127.0.0.1:9/", signing_secret=SECRET)
    response = post(client, submitted, event("received"), other_key)
    # Another authority's application is answered exactly as an unknown one (issue 12).
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/unknown-application"
    assert status_of(submitted) == Status.SUBMITTED
    document = client.get(
        f"/api/v1/applications/{submitted.public_id}/document",
        HTTP_AUTHORIZATION=f"Bearer {other_key}",
    )
    assert document.status_code == 404


@pytest.mark.parametrize(
    ("secret", "status"),
    [("wrong-secret-0123456789-0123456789", 401), ("", 401)],
)
def test_bad_or_missing_signature_is_refused(client, submitted, key, secret, status) -> None:
    response = post(client, submitted, event("received"), key, secret=secret)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert status_of(submitted) == Status.SUBMITTED
    assert AuditEvent.objects.filter(action="status_event.refused").exists()


@pytest.mark.parametrize("endpoint", ["none", "without a secret", "disabled"])
@pytest.mark.parametrize("path", ["single", "batch"])
def test_an_authority_without_a_signing_secret_cannot_post_unsigned(
    client, submitted, endpoint, path
) -> None:
    if endpoint == "without a secret":
        make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/", signing_secret="")
    elif endpoint == "disabled":
        make_endpoint(
            authority_code=AUTHORITY,
            url="http://127.0.0.1:9/",
            signing_secret=SECRET,
            enabled=False,
        )
    key = issue_api_key(AUTHORITY)
    if path == "single":
        response = post(client, submitted, event("received"), key, secret="")
    else:
        body = {"events": [{**event("received"), "application_id": str(submitted.public_id)}]}
        response = client.post(
            "/api/v1/applications/events",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    assert response.status_code == 403
    assert response.json()["type"] == "/problems/no-signing-secret"
    assert status_of(submitted) == Status.SUBMITTED
    assert not InboundEvent.objects.exists()
    assert AuditEvent.objects.filter(action="status_event.refused").exists()


def test_no_key_no_entry(client, submitted, key) -> None:
    response = client.post(
        f"/api/v1/applications/{submitted.public_id}/events",
        data=json.dumps(event("received")),
        content_type="application/json",
    )
    assert response.status_code == 401


def test_unknown_application(client, submitted, key) -> None:
    body = json.dumps(event("received")).encode()
    response = client.post(
        f"/api/v1/applications/{uuid.uuid4()}/events",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_X_LUVAT_SIGNATURE=sign(SECRET, body, int(time.time())),
    )
    assert response.status_code == 404
    assert response.json()["type"].endswith("unknown-application")


def test_malformed_json_and_missing_details_are_refused(client, submitted, key) -> None:
    assert post(client, submitted, None, key, raw=b"{not json").status_code == 400
    missing = post(client, submitted, event("supplement_requested"), key)
    assert missing.status_code == 422
    naive = post(client, submitted, {**event("received"), "occurred_at": "2026-12-01T09:00"}, key)
    assert naive.status_code == 422
    assert status_of(submitted) == Status.SUBMITTED


def test_oversized_body_is_refused_before_reading(client, submitted, key) -> None:
    body = event("received", note="x" * 70_000)
    response = post(client, submitted, body, key)
    assert response.status_code == 413


def test_document_and_attachment_download(client, submitted, key) -> None:
    response = client.get(
        f"/api/v1/applications/{submitted.public_id}/document",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    document = response.json()
    assert document["application"]["reference"] == submitted.reference
    link = urlsplit(document["attachments"][0]["download_url"])
    download = client.get(f"{link.path}?{link.query}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    tampered = client.get(
        f"{link.path}?{link.query.replace('expires=', 'expires=9')}",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert tampered.status_code == 403
    assert client.get(f"{link.path}?{link.query}").status_code == 401


def test_expired_attachment_link(client, submitted, key, settings) -> None:
    settings.LUVAT_ATTACHMENT_LINK_SECONDS = -1
    document = client.get(
        f"/api/v1/applications/{submitted.public_id}/document",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    ).json()
    link = urlsplit(document["attachments"][0]["download_url"])
    expired = client.get(f"{link.path}?{link.query}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert expired.status_code == 410


def test_an_event_costs_a_fixed_number_of_queries(
    client, submitted, key, django_assert_max_num_queries, settings
) -> None:
    # The event's own cost; the rate limit's database-cache counter (8 more statements per
    # request) is measured apart and is issue 17's to make cheaper.
    settings.RATELIMIT_ENABLE = False
    assert post(client, submitted, event("received"), key).status_code == 201
    # Key and signing secrets are remembered; the rest is the change itself (with savepoints).
    with django_assert_max_num_queries(18):
        assert post(client, submitted, event("in_processing", 1), key).status_code == 201


def test_a_remembered_key_is_forgotten_when_revoked(client, submitted, key) -> None:
    from luvat.identity.models import ApiKey
    from luvat.identity.services import api_key_revoke
    from tests.integrations.factories import ADMIN

    assert post(client, submitted, event("received"), key).status_code == 201
    api_key_revoke(key=ApiKey.objects.get(key_id=key.split("_")[1]), actor=ADMIN)
    refused = post(client, submitted, event("in_processing", 1), key)
    assert refused.status_code == 401 and refused.json()["type"].endswith("credentials-expired")
