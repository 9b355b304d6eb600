"""POST /api/v1/assessments reads the catalogue from the per-process snapshot: its statements
are the rate-limit counter, the catalogue's revision number and the two inserts; a change to
the catalogue (by any process: the number is in the database) is seen at the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luvat.catalogue.models import Service
from luvat.catalogue.snapshot import current_revision, snapshot
from tests.assessment.test_assessment_api import EVENT, post

BODY = {"package": "event", "answers": EVENT, "language": "en"}
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert post(client, BODY).status_code == 201
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].upper().startswith(TRANSACTION_CONTROL)
    ]


@pytest.mark.django_db
def test_an_assessment_takes_three_statements_besides_the_rate_limit_counter(client, catalogue):
    post(client, BODY)  # the snapshot is built on first use
    sql = statements(client)
    counter = [s for s in sql if "luvat_cache" in s]
    assert len(counter) == 1  # the rate-limit counter: one upsert
    rest = [s for s in sql if "luvat_cache" not in s]
    assert len(rest) <= 3, rest
    assert "catalogue_cataloguerevision" in rest[0]
    assert all(s.startswith("INSERT") for s in rest[1:])


@pytest.mark.django_db
def test_a_catalogue_change_is_seen_at_the_next_request(client, catalogue):
    before = post(client, BODY).json()
    old = snapshot()
    service = Service.objects.get(code="event-rescue-plan")
    service.name_en = "Rescue plan (renamed)"
    service.save()  # as the admin does: the revision number goes up
    assert current_revision() > old.revision
    after = post(client, BODY).json()
    names = {i["service"]["code"]: i["service"]["name"] for i in after["result"]["definitely"]}
    assert names["event-rescue-plan"] == "Rescue plan (renamed)"
    assert before["result"]["definitely"] != after["result"]["definitely"]
    assert snapshot() is not old


@pytest.mark.django_db
def test_another_process_raising_the_revision_replaces_the_snapshot(client, catalogue):
    post(client, BODY)
    old = snapshot()
    with connection.cursor() as cursor:  # what another process's bump leaves in the table
        cursor.execute("UPDATE catalogue_cataloguerevision SET number = number + 1 WHERE id = 1")
    assert snapshot() is not old
    assert snapshot() is snapshot()
