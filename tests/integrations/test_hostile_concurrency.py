"""Done when (concurrency rows of the table): the same event_id sent at once for different
applications is one 201 and one clean 409, and 20 parallel submits of one application give
one 201, nineteen 200 with the same receipt, and one submission."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from luvat.integrations.models import InboundEvent
from luvat.integrations.signing import sign
from luvat.projects.models import Submission
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company
from tests.integrations.conftest import (
    AUTHORITY,
    issue_api_key,
    ready_application,
    submit_new_application,
)
from tests.integrations.factories import make_endpoint

SECRET = "inbound-secret-of-the-police-0123456789"


def _threaded(count: int, call) -> list[Any]:
    """Run ``call(index)`` in ``count`` threads released together; each closes its connection."""
    barrier = threading.Barrier(count)

    def run(index: int) -> Any:
        try:
            barrier.wait(timeout=30)
            return call(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_event_id_sent_at_once_for_two_applications_is_201_and_409(vocab) -> None:
    first = submit_new_application("Kesäfestivaali")
    second = submit_new_application("Talvifestivaali")
    make_endpoint(authority_code=AUTHORITY, url="http://127.0.0.1:9/", signing_secret=SECRET)
    key = issue_api_key(AUTHORITY)
    body = json.dumps(
        {"event_id": "same-id", "type": "received", "occurred_at": "2026-12-01T09:00:00Z"}
    ).encode()

    def post(index: int) -> tuple[int, str]:
        application = (first, second)[index % 2]
        response = Client().post(
            f"/api/v1/applications/{application.public_id}/events",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
            HTTP_X_LUVAT_SIGNATURE=sign(SECRET, body, int(time.time())),
        )
        return response.status_code, response["Content-Type"]

    for _round in range(3):
        InboundEvent.objects.all().delete()
        answers = _threaded(2, post)
        assert sorted(status for status, _type in answers) == [201, 409], answers
        assert [kind for status, kind in answers if status == 409] == ["application/problem+json"]
        assert InboundEvent.objects.filter(event_id="same-id").count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_submits_give_one_201_and_the_same_receipt(vocab) -> None:
    application = ready_application(business_id=FESTIVAALI)
    project = application.project
    customer = Client()
    act_for_company(customer, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    session = customer.cookies["sessionid"].value
    url = f"/api/v1/projects/{project.public_id}/applications/{application.public_id}/submit"

    def submit(_index: int) -> tuple[int, str]:
        client = Client(raise_request_exception=False)
        client.cookies["sessionid"] = session
        response = client.post(url, {}, content_type="application/json")
        return response.status_code, response.json().get("id", "")

    answers = _threaded(20, submit)

    assert Counter(status for status, _id in answers) == {201: 1, 200: 19}, answers
    assert len({receipt for _status, receipt in answers}) == 1
    assert Submission.objects.filter(application=application).count() == 1
