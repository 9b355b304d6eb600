"""Authorities' own statuses: an authority declares its status codes with fi/sv/en labels, each
standing for one public status; a status event may name one.

Done when: a status event with an authority's own code shows the authority's label to the
customer and the mapped public status.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from luvat.audit.actors import Actor, ActorKind
from luvat.catalogue.models import Authority, PublicStatus
from luvat.catalogue.statuses import authority_status_declare
from luvat.identity.policy import Denied
from luvat.integrations.consumer import IncomingMessage, Verdict
from luvat.integrations.models import InboundEvent
from luvat.integrations.signing import SIGNATURE_HEADER, sign
from luvat.integrations.tasks import handle_status_messages
from luvat.projects.status import Status
from tests.identity.factories import LocalMandateFactory, OfficialRoleFactory
from tests.identity.helpers import act_for_company
from tests.integrations.conftest import AUTHORITY, issue_api_key
from tests.integrations.factories import make_endpoint
from tests.integrations.test_status_events_api import SECRET, event, post
from tests.projects.factories import BUSINESS_A, AuthorityFactory

pytestmark = pytest.mark.django_db
ADMIN = Actor(kind=ActorKind.ADMINISTRATOR, ref="person:admin", label="Admin")


@pytest.fixture
def key(submitted) -> str:
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/", signing_secret=SECRET)
    return issue_api_key(AUTHORITY)


@pytest.fixture
def vocabulary(submitted) -> None:
    police = Authority.objects.get(code=AUTHORITY)
    authority_status_declare(
        actor=ADMIN,
        authority=police,
        code="statement-rescue",
        public_status=PublicStatus.IN_PROCESSING,
        label_fi="Lausunto pyydetty pelastuslaitokselta",
        label_sv="Utlåtande begärt av räddningsverket",
        label_en="Statement requested from the rescue department",
    )
    authority_status_declare(
        actor=ADMIN,
        authority=police,
        code="neighbours-heard",
        public_status=PublicStatus.IN_PROCESSING,
        label_fi="Naapurien kuuleminen",
        label_sv="Hörande av grannar",
        label_en="Hearing of neighbours",
    )


@pytest.fixture
def customer(client) -> Client:
    customer = Client()
    act_for_company(customer, LocalMandateFactory.create(business_id=BUSINESS_A).person, BUSINESS_A)
    return customer


def seen_by(customer: Client, application: Any, language: str) -> dict[str, Any]:
    response = customer.get(
        f"/api/v1/projects/{application.project.public_id}", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200, response.content
    [seen] = response.json()["applications"]
    return dict(seen)


def test_an_event_with_the_authoritys_own_code_shows_its_label_and_the_public_status(
    client, submitted, key, vocabulary, customer
):
    assert post(client, submitted, event("received", 1), key).status_code == 201
    answer = post(
        client, submitted, event("in_processing", 2, authority_status="statement-rescue"), key
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == Status.IN_PROCESSING

    seen = seen_by(customer, submitted, "en")
    assert seen["status"] == "in_processing"
    assert seen["authority_status"] == {
        "code": "statement-rescue",
        "label": "Statement requested from the rescue department",
        "public_status": "in_processing",
    }
    assert seen_by(customer, submitted, "fi")["authority_status"]["label"] == (
        "Lausunto pyydetty pelastuslaitokselta"
    )
    assert seen_by(customer, submitted, "sv")["authority_status"]["label"] == (
        "Utlåtande begärt av räddningsverket"
    )

    # The authority's status moves on within the same public status: the label follows.
    again = post(
        client, submitted, event("in_processing", 3, authority_status="neighbours-heard"), key
    )
    assert again.status_code == 201 and again.json()["outcome"] == "unchanged"
    seen = seen_by(customer, submitted, "en")
    assert (seen["status"], seen["authority_status"]["label"]) == (
        "in_processing",
        "Hearing of neighbours",
    )
    # The metrics' public model has one in_processing event; the project page shows the label.
    assert submitted.status_events.filter(status=Status.IN_PROCESSING).count() == 1
    page = customer.get(f"/en/projects/{submitted.project.public_id}/")
    assert "The authority: Hearing of neighbours" in page.content.decode()

    # A change of public status without a code clears the finer status.
    decision = event("decision", 4, decision={"outcome": "granted", "date": "2026-12-01"})
    assert post(client, submitted, decision, key).status_code == 201
    seen = seen_by(customer, submitted, "en")
    assert (seen["status"], seen["authority_status"]) == ("decision_made", None)


def test_unknown_or_mismatched_codes_are_problems_and_change_nothing(
    client, submitted, key, vocabulary
):
    unknown = post(client, submitted, event("received", 1, authority_status="no-such"), key)
    assert unknown.status_code == 422
    assert unknown["Content-Type"].startswith("application/problem+json")
    assert unknown.json()["type"] == "/problems/unknown-authority-status"
    mismatch = post(
        client, submitted, event("received", 1, authority_status="statement-rescue"), key
    )
    assert mismatch.status_code == 422
    assert mismatch.json()["type"] == "/problems/authority-status-mismatch"
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and not InboundEvent.objects.exists()


def test_another_authoritys_codes_are_unknown(client, submitted, key, vocabulary):
    rescue = AuthorityFactory.create(code="HKI-RESCUE")
    authority_status_declare(
        actor=ADMIN,
        authority=rescue,
        code="rescue-only",
        public_status=PublicStatus.RECEIVED,
        label_fi="Pelastuslaitoksen oma",
    )
    refused = post(client, submitted, event("received", 1, authority_status="rescue-only"), key)
    assert refused.status_code == 422
    assert refused.json()["type"] == "/problems/unknown-authority-status"


def test_the_batch_answers_422_for_the_refused_one(client, submitted, key, vocabulary):
    body = {
        "events": [
            {**event("received", 1), "application_id": str(submitted.public_id)},
            {
                **event("in_processing", 2, authority_status="nope"),
                "application_id": str(submitted.public_id),
            },
        ]
    }
    data = json.dumps(body).encode()
    response = client.post(
        "/api/v1/applications/events",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_X_LUVAT_SIGNATURE=sign(SECRET, data, int(time.time())),
    )
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["result"] for r in results] == [201, 422]
    assert results[1]["problem"] == "unknown-authority-status"


def test_an_unknown_code_over_amqp_is_dead_lettered(submitted, key, vocabulary):
    body = json.dumps(
        {
            **event("received", 1, authority_status="nope"),
            "application_id": str(submitted.public_id),
        }
    ).encode()
    message = IncomingMessage(
        body=body,
        message_id="m-1",
        headers={"authority": AUTHORITY, SIGNATURE_HEADER: sign(SECRET, body, int(time.time()))},
    )
    assert handle_status_messages([message]) == [Verdict.REJECT]
    good = json.dumps(
        {
            **event("received", 2, event_id="ok", authority_status=""),
            "application_id": str(submitted.public_id),
        }
    ).encode()
    ok = IncomingMessage(
        body=good,
        message_id="m-2",
        headers={"authority": AUTHORITY, SIGNATURE_HEADER: sign(SECRET, good, int(time.time()))},
    )
    assert handle_status_messages([ok]) == [Verdict.ACK]


def test_only_the_authoritys_administrator_declares_its_statuses(submitted):
    police = Authority.objects.get(code=AUTHORITY)
    role = OfficialRoleFactory.create(authority_code=AUTHORITY, is_authority_admin=False)
    official = Actor(
        kind=ActorKind.OFFICIAL, ref=f"person:{role.person_id}", label="O", on_behalf_of=AUTHORITY
    )
    with pytest.raises(Denied):
        authority_status_declare(
            actor=official,
            authority=police,
            code="x",
            public_status=PublicStatus.RECEIVED,
            label_fi="X",
        )
    admin_role = OfficialRoleFactory.create(authority_code=AUTHORITY, is_authority_admin=True)
    authority_admin = Actor(
        kind=ActorKind.OFFICIAL,
        ref=f"person:{admin_role.person_id}",
        label="A",
        on_behalf_of=AUTHORITY,
    )
    declared = authority_status_declare(
        actor=authority_admin,
        authority=police,
        code="x",
        public_status=PublicStatus.RECEIVED,
        label_fi="X",
    )
    assert declared.label == "X"
    with pytest.raises(ValidationError):
        authority_status_declare(
            actor=authority_admin, authority=police, code="Bad Code", public_status="?", label_fi=""
        )


def test_the_public_statuses_are_the_status_models():
    assert set(PublicStatus.values) <= set(Status.values)
