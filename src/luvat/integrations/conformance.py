"""The conformance kit: checks a joining authority's endpoint end to end before go-live.

It sends synthetic applications (clearly marked as tests) to the endpoint and checks
the whole loop: the application is accepted; sending it again is accepted without a
second case; a delivery with a bad signature is refused; status events come back in
time, signed, in the documented form. Events come back to the kit itself: over HTTP to
a small receiver it runs (the documents' ``links.events`` point there), over AMQP on
the status queue. The report is stored as a :class:`ConformanceRun` for onboarding.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.conf import settings
from django.utils import timezone
from pydantic import ValidationError

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.integrations.consumer import IncomingMessage, StatusConsumer, Verdict, one_at_a_time
from luvat.integrations.documents import encode
from luvat.integrations.inbound import StatusEventIn
from luvat.integrations.models import ConformanceRun
from luvat.integrations.policy import Outcome
from luvat.integrations.signing import SIGNATURE_HEADER, SignatureError, verify
from luvat.integrations.simulator import QuietHTTPServer
from luvat.integrations.transports.amqp import AmqpTransport
from luvat.integrations.transports.base import EndpointConfig, Envelope
from luvat.integrations.transports.http import HttpTransport


@dataclass
class Check:
    name: str
    passed: bool
    detail: str = ""
    seconds: float = 0.0


@dataclass
class EventInbox:
    """Status events the authority system sent back, by application id."""

    secret: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def accept(self, application_id: str, body: bytes, signature: str | None) -> int:
        try:
            verify([self.secret], body, signature, now=time.time())
        except SignatureError as exc:
            self._problem(f"event with a bad signature: {exc}")
            return 401
        try:
            event = StatusEventIn.model_validate(json.loads(body))
        except (ValueError, ValidationError) as exc:
            self._problem(f"event not in the documented form: {str(exc)[:300]}")
            return 422
        with self.lock:
            copies = self.events.setdefault(application_id, [])
            copies.append({**event.model_dump(mode="json"), "arrived": time.monotonic()})
        return 201

    def _problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)

    def of(self, application_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.events.get(application_id, []))


def _events_server(inbox: EventInbox, host: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            parts = self.path.strip("/").split("/")
            body = self.rfile.read(min(int(self.headers.get("Content-Length") or 0), 65536))
            status = 404
            if len(parts) == 5 and parts[:3] == ["api", "v1", "applications"]:
                status = inbox.accept(parts[3], body, self.headers.get(SIGNATURE_HEADER))
            answer = b'{"ok": true}' if status < 300 else b'{"title": "refused"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = QuietHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    return server


def synthetic_document(authority_code: str, events_base: str) -> tuple[str, dict[str, Any]]:
    """A clearly synthetic application.submitted document; its message id."""
    message_id = str(uuid.uuid4())
    application_id = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()
    reference = f"CONFORMANCE-{application_id[:8].upper()}"
    document: dict[str, Any] = {
        "message_id": message_id,
        "kind": "application.submitted",
        "created_at": now,
        "authority_code": authority_code,
        "application": {"id": application_id, "reference": reference},
        "links": {
            "events": f"{events_base}/api/v1/applications/{application_id}/events",
            "document": f"{events_base}/api/v1/applications/{application_id}/document",
        },
        "attachments": [],
        "data": {
            "format": "luvat.application/1",
            "reference": reference,
            "arrived_at": now,
            "conformance_test": True,
            "project": {
                "reference": "CONFORMANCE",
                "name": "Conformance test - not a real application",
                "business_id": "0000000-0",
                "company_name": "Conformance test",
            },
            "application": {"id": application_id, "reference": reference},
            "service": {"code": "conformance", "name": "Conformance test"},
            "authority": {"code": authority_code, "name": authority_code},
            "shared_data": {},
            "form": {},
            "attachments": [],
        },
    }
    snapshot = document["data"]
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    snapshot["sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    snapshot["submission"] = str(uuid.uuid4())
    return message_id, document


@dataclass
class ConformanceOptions:
    authority_code: str
    endpoint_url: str
    transport: str = "http"
    secret: str = field(default="", repr=False)
    events_host: str = "127.0.0.1"
    events_public_url: str = ""  # how the authority reaches the kit's receiver, if not direct
    first_event_seconds: float = 30.0
    decision_seconds: float = 60.0
    xroad_client: str = ""
    xroad_service: str = ""


class Kit:
    def __init__(self, options: ConformanceOptions) -> None:
        self.options = options
        self.checks: list[Check] = []
        self.inbox = EventInbox(secret=options.secret)
        self.http = HttpTransport()
        self.amqp = AmqpTransport()

    def config(self, secret: str) -> EndpointConfig:
        o = self.options
        return EndpointConfig(
            code="conformance",
            authority_code=o.authority_code,
            transport=o.transport,
            url=o.endpoint_url,
            xroad_client=o.xroad_client,
            xroad_service=o.xroad_service,
            signing_secret=secret,
            read_timeout_seconds=30.0,
            amqp_url=o.endpoint_url if o.transport == "amqp" else "",
        )

    def send(self, document: dict[str, Any], secret: str) -> tuple[bool, str]:
        envelope = Envelope(
            message_id=document["message_id"],
            kind=document["kind"],
            authority_code=self.options.authority_code,
            application_ref=document["application"]["reference"],
            body=encode(document),
            correlation_id=document["application"]["id"],
        )
        transport = self.amqp if self.options.transport == "amqp" else self.http
        result = transport.send(self.config(secret), envelope)
        code = f"HTTP {result.status_code}" if result.status_code else "broker"
        if result.outcome is Outcome.ACCEPTED:
            return True, f"accepted ({code}, {result.duration_ms:.0f} ms)"
        return False, result.reason or code

    def check(self, name: str, passed: bool, detail: str, started: float) -> None:
        self.checks.append(Check(name, passed, detail, round(time.monotonic() - started, 3)))

    def wait_events(
        self, application_id: str, until: float, want: set[str]
    ) -> list[dict[str, Any]]:
        while time.monotonic() < until:
            self.pump()
            if want <= {e["type"] for e in self.inbox.of(application_id)}:
                break
            time.sleep(0.1)
        return self.inbox.of(application_id)

    def pump(self) -> None:
        consumer = getattr(self, "consumer", None)
        if consumer is not None:
            consumer.drain(max_messages=200)

    def run(self) -> list[Check]:
        o = self.options
        server: ThreadingHTTPServer | None = None
        if o.transport == "amqp":
            self.consumer = StatusConsumer(o.endpoint_url, one_at_a_time(self.on_amqp_event))
            events_base = o.events_public_url or settings.LUVAT_PUBLIC_URL
        else:
            server = _events_server(self.inbox, o.events_host)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            port = server.server_address[1]
            events_base = o.events_public_url or f"http://{o.events_host}:{port}"
        try:
            self.scenario(events_base)
        finally:
            if server is not None:
                server.shutdown()
                server.server_close()
            self.http.close()
            self.amqp.close()
            consumer = getattr(self, "consumer", None)
            if consumer is not None:
                consumer.close()
        return self.checks

    def on_amqp_event(self, message: IncomingMessage) -> Verdict:
        try:
            application_id = str(json.loads(message.body).get("application_id", ""))
        except ValueError:
            return Verdict.REQUEUE
        if application_id not in self.ours:
            return Verdict.REQUEUE  # an event of a real application: leave it to the worker
        self.inbox.accept(application_id, message.body, message.headers.get(SIGNATURE_HEADER))
        return Verdict.ACK

    def scenario(self, events_base: str) -> None:
        o = self.options
        _message_id, document = synthetic_document(o.authority_code, events_base)
        _bad_id, bad = synthetic_document(o.authority_code, events_base)
        application_id = document["application"]["id"]
        self.ours = {application_id, bad["application"]["id"]}
        started = time.monotonic()
        accepted, detail = self.send(document, o.secret)
        self.check("application accepted", accepted, detail, started)
        started = time.monotonic()
        again, detail = self.send(document, o.secret)
        self.check("the same message again is accepted (idempotent)", again, detail, started)
        started = time.monotonic()
        refused, detail = self.send(bad, "not-the-shared-secret-" + uuid.uuid4().hex)
        if o.transport == "http":
            self.check(
                "a bad signature is refused", not refused and "HTTP 4" in detail, detail, started
            )
        if not accepted:
            return
        started = time.monotonic()
        events = self.wait_events(application_id, started + o.first_event_seconds, {"received"})
        types = [e["type"] for e in events]
        self.check(
            f"status 'received' within {o.first_event_seconds:.0f} s",
            "received" in types,
            f"got {types or 'nothing'}",
            started,
        )
        events = self.wait_events(application_id, started + o.decision_seconds, {"decision"})
        self.check(
            f"later statuses within {o.decision_seconds:.0f} s",
            any(e["type"] in {"in_processing", "decision"} for e in events),
            f"got {[e['type'] for e in events]}",
            started,
        )
        # Each check below needs evidence: with no valid event back there is nothing that
        # shows one case, a refused bad signature or well-formed events, so it fails.
        nothing = "no valid status event came back, so this cannot be shown"
        kinds: dict[str, set[str]] = {}
        for event in events:
            kinds.setdefault(event["type"], set()).add(event["event_id"])
        repeated = {kind: sorted(ids) for kind, ids in kinds.items() if len(ids) > 1}
        self.check(
            "one case per message id (no second case from the repeat)",
            bool(events) and not repeated,
            (f"several events of one kind: {repeated}" if repeated else "one event id per status")
            if events
            else nothing,
            started,
        )
        if o.transport == "amqp":
            bad_events = self.inbox.of(bad["application"]["id"])
            self.check(
                "a bad signature is refused (no case started)",
                bool(events) and not bad_events,
                f"{len(bad_events)} event(s) for the badly signed message" if events else nothing,
                started,
            )
        problems = "; ".join(self.inbox.problems[:5])
        self.check(
            "events are signed and in the documented form",
            bool(events) and not self.inbox.problems,
            problems or (f"{len(events)} event(s), all valid" if events else nothing),
            started,
        )


def run_conformance(*, options: ConformanceOptions, actor: Actor) -> ConformanceRun:
    """Run the kit against an endpoint and store the report (not atomic: it takes minutes)."""
    run = ConformanceRun.objects.create(
        authority_code=options.authority_code,
        endpoint_url=options.endpoint_url,
        transport=options.transport,
    )
    checks = Kit(options).run()
    run.passed = bool(checks) and all(c.passed for c in checks)
    run.finished_at = timezone.now()
    run.report = {
        "authority_code": options.authority_code,
        "endpoint": options.endpoint_url,
        "transport": options.transport,
        "passed": run.passed,
        "checks": [asdict(c) for c in checks],
    }
    run.save(update_fields=["passed", "finished_at", "report"])
    audit_record(
        actor=actor,
        action="conformance.run",
        target=run,
        details={"authority_code": options.authority_code, "passed": run.passed},
    )
    return run
