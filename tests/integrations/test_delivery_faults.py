"""Fault injection: workers killed with SIGKILL, a broker connection cut mid-stream, a slow
endpoint. Whatever happens, every application reaches the authority and none twice as new."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import pika
import pytest
from django.db import connection
from django.utils import timezone

from luvat.integrations.delivery import deliver_round
from luvat.integrations.models import OutboxMessage, OutboxStatus, TransportKind
from luvat.integrations.simulator import SimulatorConfig
from tests.integrations.bulk import bulk_submitted
from tests.integrations.conftest import AUTHORITY, submit_new_application
from tests.integrations.factories import make_endpoint
from tests.integrations.servers import running_simulator
from tests.integrations.tcp_proxy import CuttableProxy

SECRET = "fault-injection-secret-0123456789abcdef"
KILLS = 8
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker() -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "LUVAT_AMQP_URL": "",
        "LUVAT_WORKER_POLL_SECONDS": "0.05",
        # Small parallel sends to a slowish receiver: a batch of 100 takes ~4 s (inside the
        # lease), so the 1,000 deliveries outlast every planned kill on a fast machine too.
        "LUVAT_DELIVERY_CONCURRENCY": "4",
        "LUVAT_DELIVERY_LEASE_SECONDS": "6",
        "LUVAT_DELIVERY_BACKOFF_SECONDS": "0.05",
        "LUVAT_DELIVERY_BACKOFF_CAP_SECONDS": "0.5",
        "LUVAT_DELIVERY_MAX_ATTEMPTS": "1000",
        "LUVAT_CIRCUIT_FAILURE_THRESHOLD": "1000",
        "LUVAT_LOG_LEVEL": "ERROR",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "luvat.cli", "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_exactly_once_effect_for_1000_applications_with_workers_killed(vocab) -> None:
    template = submit_new_application()
    bulk_submitted(template, 999)
    rng = random.Random(20261129)
    config = SimulatorConfig(AUTHORITY, secret=SECRET, fail_rate=0.05, slow_seconds=0.15)
    with running_simulator(config) as (simulator, url):
        make_endpoint(authority_code=AUTHORITY, url=url, signing_secret=SECRET)
        workers = [(start_worker(), time.monotonic()) for _ in range(3)]
        kills = 0
        deadline = time.monotonic() + 150
        try:
            while OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists():
                assert time.monotonic() < deadline, "deliveries did not finish in time"
                time.sleep(rng.uniform(0.3, 1.0))
                # Kill a worker that has had time to start and is busy with a batch.
                busy = [n for n, (_p, t) in enumerate(workers) if time.monotonic() - t > 2.5]
                if kills >= KILLS or not busy:
                    continue
                victim = rng.choice(busy)
                workers[victim][0].send_signal(signal.SIGKILL)
                workers[victim][0].wait()
                kills += 1
                workers[victim] = (start_worker(), time.monotonic())
        finally:
            for worker, _started in workers:
                worker.send_signal(signal.SIGKILL)
                worker.wait()
        state = simulator.ledger.snapshot()
    assert kills == KILLS
    assert OutboxMessage.objects.filter(status=OutboxStatus.DELIVERED).count() == 1000
    ids = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert {str(i) for i in ids} == set(state["messages"]), "a message was lost"
    assert state["applications"] == 1000
    assert state["applications_received_twice"] == []


@pytest.mark.amqp
@pytest.mark.django_db
def test_broker_connection_cut_mid_stream_loses_nothing(vocab, settings) -> None:
    url = urlsplit(os.environ["LUVAT_AMQP_URL"])
    proxy = CuttableProxy(url.hostname or "127.0.0.1", url.port or 5672)
    settings.LUVAT_AMQP_URL = os.environ["LUVAT_AMQP_URL"].replace(
        f"{url.hostname}:{url.port or 5672}", f"127.0.0.1:{proxy.port}"
    )
    settings.LUVAT_DELIVERY_BACKOFF_SECONDS = 0.01
    settings.LUVAT_DELIVERY_BACKOFF_CAP_SECONDS = 0.02
    settings.LUVAT_CIRCUIT_FAILURE_THRESHOLD = 1000
    code = f"cut{random.randrange(10**8)}"
    template = submit_new_application()
    OutboxMessage.objects.update(authority_code=code)
    bulk_submitted(template, 199)
    make_endpoint(authority_code=code, transport=TransportKind.AMQP, signing_secret=SECRET)
    try:
        rounds = 0
        while OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists():
            rounds += 1
            assert rounds < 200
            if rounds in (2, 4):
                proxy.cut()
            deliver_round(limit=40, now=timezone.now() + timedelta(seconds=1))
        connection_ = pika.BlockingConnection(pika.URLParameters(os.environ["LUVAT_AMQP_URL"]))
        channel = connection_.channel()
        seen: list[str] = []
        while True:
            method, properties, _body = channel.basic_get(queue=f"luvat.{code}", auto_ack=True)
            if method is None:
                break
            seen.append(properties.message_id)
        channel.queue_delete(queue=f"luvat.{code}")
        connection_.close()
        cuts = proxy.cuts
    finally:
        proxy.close()
    assert cuts == 2
    expected = {str(i) for i in OutboxMessage.objects.values_list("message_id", flat=True)}
    assert set(seen) == expected and len(expected) == 200


@pytest.mark.django_db
def test_slow_endpoint_times_out_then_delivers_when_it_recovers(vocab) -> None:
    submit_new_application()
    config = SimulatorConfig(AUTHORITY, secret=SECRET, slow_seconds=0.5)
    with running_simulator(config) as (simulator, url):
        make_endpoint(
            authority_code=AUTHORITY, url=url, signing_secret=SECRET, read_timeout_seconds=0.1
        )
        assert deliver_round() == {"retry": 1}
        message = OutboxMessage.objects.get()
        assert "timed out" in message.last_error
        simulator.config.slow_seconds = 0
        assert deliver_round(now=timezone.now() + timedelta(minutes=1)) == {"delivered": 1}
        state = simulator.ledger.snapshot()
    # The slow first attempt may have been processed after we gave up: still one effect.
    assert state["unique_messages"] == 1 and state["applications_received_twice"] == []
