"""Multi-node topology on one machine: HAProxy → two web processes, two workers, PostgreSQL,
RabbitMQ; customers submit while an authority system posts status events, and one web
process and one worker are killed (SIGKILL) mid-load and restarted.

LUVAT_AMQP_URL=amqp://…/vhost .venv/bin/python -m bench topology [--seconds 40] [--customers 6]

Creates its own PostgreSQL database (dropped afterwards) next to ``--admin-url`` and a fresh
AMQP prefix on the given virtual host. Prints requests sent / succeeded / failed-retryable,
applications lost, duplicate deliveries after de-duplication, events applied once; exits 1
when an application is lost, duplicated, an event is not applied exactly once, a session is
lost or a request fails for good.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench._http import BIN, free_port, report

AUTHORITY = "topo-authority"
SERVICE = "topo-service"
SECRET = "topology-signing-secret-0123456789abcdef"  # noqa: S105 - a benchmark fixture
BUSINESS_ID = "0112038-9"
RETRYABLE_STATUSES = {502, 503, 504}
HAPROXY_CONFIG = """
global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch
    # Only a connection never made is retried by the proxy: a request a dying server may have
    # begun is answered 502, and the client decides (submitting is idempotent).
    retry-on conn-failure
frontend luvat
    bind 127.0.0.1:{port}
    # As a production proxy must: append the peer, overwrite the scheme and host
    # (LUVAT_TRUSTED_PROXIES lists this proxy, docs/operations.md "Behind a proxy").
    option forwardfor
    http-request set-header X-Forwarded-Proto http
    http-request set-header X-Forwarded-Host %[req.hdr(host)]
    default_backend web
backend web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /livez ver HTTP/1.1 hdr Host 127.0.0.1
    timeout check 2s
    default-server inter 500ms fall 2 rise 2
{servers}
"""


# -- processes -----------------------------------------------------------------------------


class Node:
    """One process of the topology that can be killed and started again."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def wait_http(port: int, path: str = "/livez", seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


# -- the customers -------------------------------------------------------------------------


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    succeeded: int = 0
    failed_retryable: int = 0
    failed_for_good: int = 0
    sessions_lost: int = 0
    gave_up: int = 0
    causes: Counter[str] = field(default_factory=Counter)
    submitted: dict[str, str] = field(default_factory=dict)  # application id → receipt id

    def count(self, outcome: str, cause: str = "") -> None:
        with self.lock:
            self.sent += 1
            if outcome == "ok":
                self.succeeded += 1
            elif outcome == "retryable":
                self.failed_retryable += 1
                self.causes[cause] += 1
            elif outcome == "session":
                self.sessions_lost += 1
                self.failed_for_good += 1
            else:
                self.failed_for_good += 1
                self.causes[cause] += 1


class Customer(threading.Thread):
    """Logs in once (a database session), then creates projects and submits them, through
    HAProxy, retrying what fails retryably (connection errors, 502/503/504)."""

    def __init__(self, port: int, session_key: str, tally: Tally, stop_at: float) -> None:
        super().__init__(daemon=True)
        self.port, self.tally, self.stop_at = port, tally, stop_at
        csrf = uuid.uuid4().hex
        self.headers = {
            "Content-Type": "application/json",
            "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
        }
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """The JSON answer of a 2xx; ``None`` once retries are exhausted or on a refusal."""
        for attempt in range(30):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
            try:
                self.conn.request(method, path, body=json.dumps(body), headers=self.headers)
                response = self.conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.conn.close()
                self.conn = None
                self.tally.count("retryable", f"connection: {type(exc).__name__}")
                time.sleep(min(2.0, 0.05 * 2**attempt))
                continue
            if response.status in RETRYABLE_STATUSES:
                self.tally.count("retryable", f"HTTP {response.status}")
                time.sleep(min(2.0, 0.05 * 2**attempt))
                continue
            if response.status in (401, 403):
                self.tally.count("session", f"HTTP {response.status}")
                return None
            if response.status >= 300:
                self.tally.count("error", f"HTTP {response.status}: {data[:200]!r}")
                return None
            self.tally.count("ok")
            return dict(json.loads(data))
        with self.tally.lock:
            self.tally.gave_up += 1
        return None

    def run(self) -> None:
        n = 0
        while time.monotonic() < self.stop_at:
            n += 1
            project = self.request(
                "POST", "/api/v1/projects/", {"name": f"Topo {n}", "service_codes": [SERVICE]}
            )
            if project is None:
                continue
            application = project["applications"][0]
            path = f"/api/v1/projects/{project['id']}/applications/{application['id']}/submit"
            receipt = self.request("POST", path, {})
            if receipt is not None:
                with self.tally.lock:
                    self.tally.submitted[str(application["id"])] = str(receipt["id"])


# -- setting up ----------------------------------------------------------------------------


def create_database(admin_url: str) -> str:
    import psycopg

    name = f"luvat_topology_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(admin_url: str, url: str) -> None:
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed() -> list[str]:
    """The authority, its API-joined service, its AMQP endpoint and API key; customer
    sessions are made by :func:`customer_session`."""
    from luvat.audit.actors import Actor
    from luvat.catalogue.models import Authority, AuthorityResolution, JoiningMode, Service
    from luvat.identity.models import ApiClient
    from luvat.identity.services import api_key_issue
    from luvat.integrations.endpoints import authority_endpoint_save
    from luvat.integrations.models import AuthorityEndpoint

    Authority.objects.create(code=AUTHORITY, name_fi="Topologia", kind="police", nationwide=True)
    Service.objects.create(
        code=SERVICE,
        name_fi="Topologiapalvelu",
        kind="notification",
        authority_kind="police",
        authority_resolution=AuthorityResolution.NATIONAL,
        joining_mode=JoiningMode.API,
    )
    authority_endpoint_save(
        endpoint=AuthorityEndpoint(
            code=f"{AUTHORITY}-amqp", authority_code=AUTHORITY, transport="amqp"
        ),
        actor=Actor.system("bench"),
        signing_secret=SECRET,
    )
    client = ApiClient.objects.create(name="topology", authority_code=AUTHORITY)
    return [api_key_issue(client=client, actor=Actor.system("bench")).token]


def customer_session(n: int) -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from luvat.identity.models import LocalMandate, Person
    from luvat.identity.sessions import act_for_company

    user = get_user_model().objects.create(username=f"topology-customer-{n}")
    person = Person.objects.create(user=user, given_name="Topo", family_name=f"Customer {n}")
    # Every unsafe request re-checks the mandate at its source (the local stand-in here).
    LocalMandate.objects.create(person=person, business_id=BUSINESS_ID, company_name="Topologia Oy")
    client = Client()
    client.force_login(user)
    request = type("Request", (), {"session": client.session})()
    act_for_company(request, business_id=BUSINESS_ID, company_name="Topologia Oy")  # type: ignore[arg-type]
    request.session.save()
    return str(request.session.session_key)


def delete_broker_names(amqp_url: str, prefix: str) -> None:
    import pika

    from luvat.integrations.transports.topology import Topology

    names = Topology(prefix=prefix)
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    for queue in (names.status_queue, names.dead_status_queue, names.authority_queue(AUTHORITY)):
        channel.queue_delete(queue=queue)
    for exchange in (names.applications_exchange, names.status_exchange, names.dead_exchange):
        channel.exchange_delete(exchange=exchange)
    connection.close()


# -- checking ------------------------------------------------------------------------------


@dataclass
class Outcome:
    submitted: int
    in_database: int
    delivered: int
    received: int
    lost: int
    redelivered: int
    duplicates: int
    events_expected: int
    events_applied_once: int
    events_applied_twice: int
    events_missing: int
    events_placed_late: int

    def events_twice_or_missing(self) -> int:
        return self.events_applied_twice + self.events_missing


def outcome(tally: Tally, ledger: dict[str, Any], per_application_events: int) -> Outcome:
    from luvat.integrations.models import (
        InboundEvent,
        InboundOutcome,
        OutboxMessage,
        OutboxStatus,
    )
    from luvat.projects.models import Application, EventSource, StatusEvent

    ids = set(tally.submitted)
    in_database = set(
        str(pid)
        for pid in Application.objects.filter(
            public_id__in=ids, submitted_at__isnull=False
        ).values_list("public_id", flat=True)
    )
    delivered = set(
        str(pid)
        for pid in OutboxMessage.objects.filter(
            application__public_id__in=ids, status=OutboxStatus.DELIVERED
        ).values_list("application__public_id", flat=True)
    )
    received_apps = Counter(
        message["application"]
        for message in ledger["messages"].values()
        if message["kind"] == "application.submitted"
    )
    received = {app for app in received_apps if app in ids}
    lost = ids - (in_database & delivered & received)
    # Each event the authority system sent is recorded once per event id (applied, or placed
    # in the history when it arrived after a later one), and moves the status at most once.
    recorded = Counter(
        (str(pid), kind)
        for pid, kind in InboundEvent.objects.filter(application__public_id__in=ids).values_list(
            "application__public_id", "type"
        )
    )
    placed = InboundEvent.objects.filter(
        application__public_id__in=ids, outcome=InboundOutcome.PLACED
    ).count()
    status_changes = Counter(
        (str(pid), status)
        for pid, status in StatusEvent.objects.filter(
            application__public_id__in=ids, source=EventSource.AUTHORITY_SYSTEM
        ).values_list("application__public_id", "status")
    )
    expected = len(ids) * per_application_events
    once = sum(1 for count in recorded.values() if count == 1)
    twice = sum(1 for count in recorded.values() if count > 1) + sum(
        1 for count in status_changes.values() if count > 1
    )
    return Outcome(
        submitted=len(ids),
        in_database=len(in_database),
        delivered=len(delivered),
        received=len(received),
        lost=len(lost),
        redelivered=int(ledger["duplicates"]),
        duplicates=sum(1 for app, count in received_apps.items() if count > 1),
        events_expected=expected,
        events_applied_once=once,
        events_applied_twice=twice,
        events_missing=expected - len(recorded),
        events_placed_late=placed,
    )


# -- the run -------------------------------------------------------------------------------


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench topology", description=__doc__)
    parser.add_argument("--seconds", type=float, default=40.0, help="length of the load")
    parser.add_argument("--customers", type=int, default=6, help="parallel customers")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "LUVAT_TOPOLOGY_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        help="PostgreSQL server (any database) where the run's database is created",
    )
    parser.add_argument("--amqp-url", default=os.environ.get("LUVAT_AMQP_URL", ""))
    parser.add_argument("--settle-seconds", type=float, default=120.0)
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    args = parser.parse_args(argv)
    if not args.amqp_url:
        sys.exit("set LUVAT_AMQP_URL (or --amqp-url) to a RabbitMQ virtual host")
    haproxy = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else ""
    )
    if not haproxy:
        sys.exit("HAProxy is not installed: apt-get install haproxy")

    work = Path(tempfile.mkdtemp(prefix="luvat-topology-"))
    database_url = create_database(args.admin_url)
    prefix = f"topo{uuid.uuid4().hex[:8]}"
    front = free_port()
    web_ports = [free_port(), free_port()]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LUVAT_AMQP_URL": args.amqp_url,
        "LUVAT_AMQP_PREFIX": prefix,
        "LUVAT_WORKER_IN_PROCESS": "false",
        "LUVAT_WORKER_POLL_SECONDS": "0.5",
        "LUVAT_DELIVERY_LEASE_SECONDS": "5",
        "LUVAT_DELIVERY_BACKOFF_SECONDS": "0.5",
        "LUVAT_DELIVERY_BACKOFF_CAP_SECONDS": "2",
        "LUVAT_LOG_LEVEL": "WARNING",
        "LUVAT_DEBUG": "false",
        "LUVAT_DEMO": "false",
        "LUVAT_VAR_DIR": str(work / "var"),
        "LUVAT_PUBLIC_URL": f"http://127.0.0.1:{front}",
        "LUVAT_SERVE_THREADS": "4",
        "LUVAT_TRUSTED_PROXIES": "127.0.0.1",
        # A load test of failover, not of the rate limits: every client here comes through
        # one HAProxy address and one stand-in authority, far above the production rates.
        "LUVAT_RATE_INBOUND": "100000/m",
        "LUVAT_RATE_LOGIN": "100000/m",
        "LUVAT_RATE_UPLOAD": "100000/m",
        "LUVAT_RATE_ASSESSMENT": "100000/m",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luvat.config.settings")
    nodes: list[Node] = []
    receiver = simulator = None
    started = time.monotonic()
    failed = True
    try:
        luvat = str(BIN / "luvat")
        subprocess.run([luvat, "migrate", "-v0"], env=env, check=True)
        import django

        django.setup()
        (token,) = seed()
        sessions = [customer_session(n) for n in range(args.customers)]

        from luvat.integrations.simulator import AuthoritySimulator, SimulatorConfig
        from luvat.integrations.simulator_amqp import AmqpReceiver

        delays = (0.2, 0.6, 1.2)
        simulator = AuthoritySimulator(
            SimulatorConfig(
                authority_code=AUTHORITY,
                secret=SECRET,
                api_url=env["LUVAT_PUBLIC_URL"],
                api_headers={"Authorization": f"Bearer {token}"},
                delays=delays,
                retry_conflicts=True,
            )
        )
        simulator.start()
        receiver = AmqpReceiver(simulator, args.amqp_url)
        receiver.start()

        webs = [
            Node(
                f"web{n + 1}",
                [luvat, "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)],
                env,
                work / f"web{n + 1}.log",
            )
            for n, port in enumerate(web_ports)
        ]
        workers = [
            Node(f"worker{n + 1}", [luvat, "worker"], env, work / f"worker{n + 1}.log")
            for n in range(2)
        ]
        servers = "\n".join(
            f"    server web{n + 1} 127.0.0.1:{port} check" for n, port in enumerate(web_ports)
        )
        (work / "haproxy.cfg").write_text(HAPROXY_CONFIG.format(port=front, servers=servers))
        proxy = Node(
            "haproxy", [haproxy, "-db", "-f", str(work / "haproxy.cfg")], env, work / "haproxy.log"
        )
        nodes = [*webs, *workers, proxy]
        for node in nodes:
            node.start()
        for port in web_ports:
            wait_http(port)
        wait_http(front)
        if not receiver.ready.wait(30):
            raise RuntimeError("the simulated authority system did not connect to RabbitMQ")
        print(
            f"topology: haproxy :{front} → web :{web_ports[0]}, :{web_ports[1]}; 2 workers; "
            f"amqp prefix {prefix}; {args.customers} customers for {args.seconds:g} s",
            flush=True,
        )

        tally = Tally()
        load_started = time.monotonic()
        stop_at = load_started + args.seconds
        customers = [Customer(front, key, tally, stop_at) for key in sessions]
        for customer in customers:
            customer.start()

        time.sleep(args.seconds / 3)
        print(f"  t={time.monotonic() - load_started:4.1f}s SIGKILL web1 and worker1", flush=True)
        webs[0].kill()
        workers[0].kill()
        time.sleep(min(5.0, args.seconds / 6))
        print(f"  t={time.monotonic() - load_started:4.1f}s restart web1 and worker1", flush=True)
        webs[0].start()
        workers[0].start()
        for customer in customers:
            customer.join()
        print(f"  t={time.monotonic() - load_started:4.1f}s load over; settling", flush=True)

        deadline = time.monotonic() + args.settle_seconds
        result = outcome(tally, simulator.ledger.snapshot(), len(delays))
        while time.monotonic() < deadline and (
            result.lost or result.events_missing or simulator.events.pending()
        ):
            time.sleep(1.0)
            result = outcome(tally, simulator.ledger.snapshot(), len(delays))
        time.sleep(2.0)  # anything late (a redelivery, a second event) shows up too
        result = outcome(tally, simulator.ledger.snapshot(), len(delays))

        report("topology.requests.sent", tally.sent, "requests")
        report("topology.requests.succeeded", tally.succeeded, "requests")
        report("topology.requests.failed_retryable", tally.failed_retryable, "requests")
        report("topology.requests.failed_for_good", tally.failed_for_good, "requests")
        report("topology.requests.given_up_after_retries", tally.gave_up, "requests")
        report("topology.sessions.lost", tally.sessions_lost, "requests")
        report("topology.applications.submitted", result.submitted, "applications")
        report("topology.applications.lost", result.lost, "applications")
        report("topology.deliveries.redelivered_deduplicated", result.redelivered, "messages")
        report("topology.deliveries.duplicates_after_dedup", result.duplicates, "applications")
        report("topology.events.expected", result.events_expected, "events")
        report("topology.events.applied_once", result.events_applied_once, "events")
        report("topology.events.of_which_placed_late", result.events_placed_late, "events")
        report("topology.events.applied_more_than_once", result.events_applied_twice, "events")
        report("topology.events.not_applied", result.events_missing, "events")
        report("topology.run_time", time.monotonic() - started, "s")
        if tally.causes:
            print("  retryable failures:", dict(tally.causes.most_common(6)))
        problems = [
            name
            for name, bad in (
                ("applications lost", result.lost),
                ("duplicate deliveries", result.duplicates),
                ("events not applied exactly once", result.events_twice_or_missing()),
                ("sessions lost", tally.sessions_lost),
                ("requests failed for good", tally.failed_for_good + tally.gave_up),
                ("no application submitted", not result.submitted),
            )
            if bad
        ]
        if problems:
            print(f"topology: FAILED ({', '.join(problems)})")
            raise SystemExit(1)
        print("topology: passed")
        failed = False
    finally:
        if receiver is not None:
            receiver.stop()
        if simulator is not None:
            simulator.stop()
        for node in reversed(nodes):
            node.stop()
        from django.db import connections

        connections.close_all()
        if failed:
            print(f"  logs in {work}; database {database_url}")
        if not args.keep and not failed:
            drop_database(args.admin_url, database_url)
            shutil.rmtree(work, ignore_errors=True)
        try:
            delete_broker_names(args.amqp_url, prefix)
        except Exception as exc:
            print(f"  could not delete the broker names of {prefix}: {exc}")
