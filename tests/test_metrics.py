"""/metrics: bearer token, every listed series, figures that follow the database."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from luvat.integrations.models import WorkerHeartbeat
from luvat.integrations.worker import Job, Worker, _registry
from tests.integrations.conftest import ready_application
from tests.projects.factories import CUSTOMER_A, MunicipalityFactory, vocabulary

pytestmark = pytest.mark.django_db
TOKEN = "scraper-token-0123456789abcdef"

SERIES = (
    "luvat_http_requests_total",
    "luvat_http_request_duration_seconds_bucket",
    "luvat_outbox_depth",
    "luvat_outbox_oldest_undelivered_age_seconds",
    "luvat_outbox_messages",
    "luvat_outbox_failed_attempts",
    "luvat_outbox_dead_letters",
    "luvat_delivery_attempts_total",
    "luvat_inbound_status_events",
    "luvat_worker_heartbeat_age_seconds",
    "luvat_job_duration_seconds_bucket",
)


@pytest.fixture(autouse=True)
def metrics_token(settings, tmp_path):
    settings.LUVAT_METRICS_TOKEN = TOKEN
    settings.MEDIA_ROOT = tmp_path / "media"


def scrape(client: Client) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def sample(text: str, name: str, **labels: str) -> float:
    """The sum of the samples with these labels; 0 when the series has none yet."""
    return sum(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong-token", f"Basic {TOKEN}", f"bearer {TOKEN}x", "Bearer "],
)
def test_metrics_refuse_a_missing_or_wrong_token(client, header) -> None:
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = client.get("/metrics", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "luvat_" not in response.content.decode()


def test_metrics_do_not_exist_without_a_configured_token(client, settings) -> None:
    settings.LUVAT_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


def test_metrics_expose_every_listed_series(client) -> None:
    # A worker that ran a job and wrote its heartbeat; a request already answered.
    _registry["metrics-test-job"] = Job("metrics-test-job", lambda: 1, interval_seconds=60)
    try:
        worker = Worker(poll_seconds=1)
        assert worker.run_due_jobs() >= 1
        worker.heartbeat(starting=True)
    finally:
        del _registry["metrics-test-job"]
    from luvat.integrations.metrics import DELIVERY_ATTEMPTS

    DELIVERY_ATTEMPTS.labels(endpoint="metrics-test", outcome="accepted")  # series exists
    client.get("/livez")

    text = scrape(client)
    # A labelled series with no rows yet is announced (HELP/TYPE) with no samples.
    families = list(text_string_to_metric_families(text))
    names = {f.name for f in families} | {s.name for f in families for s in f.samples}
    missing = [name for name in SERIES if name not in names]
    assert missing == []
    assert sample(text, "luvat_job_duration_seconds_count", job="metrics-test-job") >= 1
    assert sample(text, "luvat_worker_heartbeat_age_seconds", worker=worker.worker_id) < 60
    assert WorkerHeartbeat.objects.filter(worker_id=worker.worker_id).exists()


def test_outbox_depth_follows_an_enqueue(client) -> None:
    from luvat.projects.services import application_submit

    MunicipalityFactory()
    vocabulary()
    application = ready_application()
    before = scrape(client)
    assert sample(before, "luvat_outbox_depth") == 0
    assert sample(before, "luvat_outbox_oldest_undelivered_age_seconds") == 0

    submitted_at = timezone.now()
    application_submit(application=application, actor=CUSTOMER_A)
    after = scrape(client)
    assert sample(after, "luvat_outbox_depth") == 1
    age = sample(after, "luvat_outbox_oldest_undelivered_age_seconds")
    assert 0 < age <= (timezone.now() - submitted_at).total_seconds() + 1
    authority = application.authority
    assert authority is not None
    assert sample(after, "luvat_outbox_messages", authority=authority.code, status="pending") == 1


def test_request_counter_counts_by_route_not_by_path(client) -> None:
    def livez_count(text: str) -> float:
        return sample(text, "luvat_http_requests_total", route="livez", method="GET", status="200")

    before = livez_count(scrape(client))
    assert client.get("/livez").status_code == 200
    assert client.get("/livez?probe=1").status_code == 200
    text = scrape(client)
    assert livez_count(text) == before + 2
    # Addresses that match no route are counted together, never one series per path.
    client.get("/no-such-page-a1")
    client.get("/no-such-page-b2")
    text = scrape(client)
    assert not re.search(r'route="[^"]*no-such-page', text)
    assert sample(text, "luvat_http_requests_total", route="<unmatched>") >= 2
