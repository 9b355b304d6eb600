"""An authority system acknowledges a change of shared data with a status event
``shared_data_acknowledged`` naming the change (the ``submission`` of the
``shared_data_changed`` message): through the same act as an official's button."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import pytest

from luvat.integrations.models import InboundEvent, OutboxKind, OutboxMessage
from luvat.integrations.signing import sign
from luvat.projects.models import Submission
from luvat.projects.services import shared_data_change_propagate, shared_data_set
from luvat.projects.status import Status
from tests.integrations.conftest import AUTHORITY, issue_api_key
from tests.integrations.factories import make_endpoint
from tests.projects.factories import CUSTOMER_A, AuthorityFactory

pytestmark = pytest.mark.django_db
SECRET = "inbound-secret-of-the-police-0123456789"
AT = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)


def changed(application) -> str:
    """Change the shared data and send it: the id of the change the system was told of."""
    shared_data_set(
        project=application.project, values={"start_date": "2027-07-01"}, actor=CUSTOMER_A
    )
    [change] = shared_data_change_propagate(project=application.project, actor=CUSTOMER_A)
    message = OutboxMessage.objects.get(
        application=application, kind=OutboxKind.SHARED_DATA_CHANGED
    )
    assert message.payload["submission"] == str(change.public_id)
    return str(change.public_id)


def post(client, application, body, key, *, secret=SECRET):
    data = json.dumps(body).encode()
    return client.post(
        f"/api/v1/applications/{application.public_id}/events",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_X_LUVAT_SIGNATURE=sign(secret, data, int(time.time())),
    )


def acknowledgement(change_id: str, event_id: str = "ack-1") -> dict[str, str]:
    return {
        "event_id": event_id,
        "type": "shared_data_acknowledged",
        "occurred_at": AT.isoformat(),
        "change_id": change_id,
    }


def test_the_authority_system_acknowledges_the_change(client, submitted) -> None:
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/", signing_secret=SECRET)
    key = issue_api_key(AUTHORITY)
    change_id = changed(submitted)

    response = post(client, submitted, acknowledgement(change_id), key)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == Status.SUBMITTED, "not a status: it stays where it was"
    change = Submission.objects.get(public_id=change_id)
    assert change.acknowledged_at == AT
    assert InboundEvent.objects.get().outcome == "applied"

    again = post(client, submitted, acknowledgement(change_id), key)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    other_id = post(client, submitted, acknowledgement(change_id, "ack-2"), key)
    assert other_id.status_code == 201 and other_id.json()["outcome"] == "unchanged"

    # Later status events are not ordered against the acknowledgement (not a status).
    received = {
        "event_id": "received-1",
        "type": "received",
        "occurred_at": datetime(2026, 12, 2, 9, 0, tzinfo=UTC).isoformat(),
    }
    assert post(client, submitted, received, key).json()["outcome"] == "applied"


def test_an_acknowledgement_of_no_such_change_is_refused(client, submitted) -> None:
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/", signing_secret=SECRET)
    key = issue_api_key(AUTHORITY)
    changed(submitted)
    response = post(client, submitted, acknowledgement(str(uuid.uuid4())), key)
    assert response.status_code == 404
    assert response.json()["type"].endswith("/problems/unknown-change")
    missing = {k: v for k, v in acknowledgement("x").items() if k != "change_id"}
    assert post(client, submitted, missing, key).status_code == 422


def test_another_authority_system_cannot_acknowledge(client, submitted) -> None:
    AuthorityFactory(code="TRE-POLICE")
    make_endpoint(authority_code="TRE-POLICE", url="http://127.0.0.1:9/", signing_secret=SECRET)
    stranger = issue_api_key("TRE-POLICE", name="someone else's case system")
    change_id = changed(submitted)
    response = post(client, submitted, acknowledgement(change_id), stranger)
    assert response.status_code == 404
    assert Submission.objects.get(public_id=change_id).acknowledged_at is None
