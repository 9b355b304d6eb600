import pytest
from django.utils import timezone

from luvat.integrations.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_livez_answers_without_io(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_migrations_and_worker(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["migrations"] == "applied"
    assert body["worker"] == {"status": "none"}

    WorkerHeartbeat.objects.create(worker_id="test:1", last_seen_at=timezone.now())
    assert client.get("/readyz").json()["worker"]["status"] == "running"


def test_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.amqp
def test_readyz_checks_the_message_broker(client, settings):
    import os

    from luvat.web import health

    health._amqp_cache = (0.0, False)
    settings.LUVAT_AMQP_URL = os.environ["LUVAT_AMQP_URL"]
    body = client.get("/readyz").json()
    assert body["amqp"] == "ok"

    health._amqp_cache = (0.0, False)
    settings.LUVAT_AMQP_URL = "amqp://guest:guest@127.0.0.1:1/%2F"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["amqp"] == "unreachable"
    health._amqp_cache = (0.0, False)
