"""A stand-in authority e-service for demos, tests and the conformance kit.

``luvat simulate-authority`` plays an authority system that joined by API. It
receives application documents over HTTP (a small threaded server) or AMQP (its
durable queue), verifies their signatures, de-duplicates on the message id, and
then reports progress back the way a real case system would: *received* (with a
case reference), *in processing* and a *decision*, after configurable delays, by
calling Luvat's inbound status API (or publishing to the status queue over AMQP).

It can be told to misbehave: answer every delivery with an error status, fail the
first N attempts of each message, stall longer than the sender waits, or send
every status event twice. ``GET /_simulator/state`` tells what it has received.
"""

from __future__ import annotations

import heapq
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import structlog
import urllib3

from luvat.integrations.signing import SIGNATURE_HEADER, SignatureError, sign, verify
from luvat.integrations.transports.base import AUTHORITY_HEADER, MESSAGE_ID_HEADER

log = structlog.get_logger(__name__)

MAX_BODY_BYTES = 20 * 1024 * 1024
EVENT_NAMESPACE = uuid.UUID("6b3f1c52-7a55-4d8e-9a43-51f0c3e1d6a1")


@dataclass
class SimulatorConfig:
    authority_code: str
    secret: str = field(default="", repr=False)
    api_url: str = ""  # Luvat's base address for status events; empty sends none
    api_headers: dict[str, str] = field(default_factory=dict, repr=False)
    delays: tuple[float, float, float] = (0.5, 2.0, 5.0)  # received, in processing, decision
    outcome: str = "granted"
    fail_status: int = 0  # answer every delivery with this status (e.g. 500, 400)
    fail_first: int = 0  # fail the first N attempts of each message with 503
    fail_rate: float = 0.0  # fail this fraction of attempts with 500
    slow_seconds: float = 0.0  # wait this long before answering
    answer_twice: bool = False  # send every status event twice
    send_events: bool = True
    require_signature: bool = True
    # Retry an event refused with 409 (status conflict) as a temporary failure: a case system
    # sends one case's events in order, but the stand-in schedules them apart, so after an
    # outage a later event can overtake an earlier one still being retried.
    retry_conflicts: bool = False


@dataclass
class Receipt:
    message_id: str
    kind: str
    application_id: str
    case_reference: str
    attempts: int = 1


class Ledger:
    """What the simulated authority has received; thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.receipts: dict[str, Receipt] = {}
        self.attempts: dict[str, int] = {}
        self.deliveries = 0  # accepted deliveries, duplicates included
        self.refused_signatures = 0
        self.events_sent = 0
        self.event_failures = 0
        self._case_counter = 0

    def count_attempt(self, message_id: str) -> int:
        with self.lock:
            self.attempts[message_id] = self.attempts.get(message_id, 0) + 1
            return self.attempts[message_id]

    def accept(self, message_id: str, kind: str, application_id: str) -> tuple[Receipt, bool]:
        """Record a delivery; return the receipt and whether it was new."""
        with self.lock:
            self.deliveries += 1
            existing = self.receipts.get(message_id)
            if existing is not None:
                existing.attempts += 1
                return existing, False
            self._case_counter += 1
            receipt = Receipt(message_id, kind, application_id, f"SIM-{self._case_counter:06d}")
            self.receipts[message_id] = receipt
            return receipt, True

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            per_application: dict[str, int] = {}
            for receipt in self.receipts.values():
                if receipt.kind == "application.submitted":
                    per_application[receipt.application_id] = (
                        per_application.get(receipt.application_id, 0) + 1
                    )
            return {
                "unique_messages": len(self.receipts),
                "deliveries": self.deliveries,
                "duplicates": self.deliveries - len(self.receipts),
                "refused_signatures": self.refused_signatures,
                "events_sent": self.events_sent,
                "event_failures": self.event_failures,
                "applications": len(per_application),
                "applications_received_twice": sorted(
                    app for app, count in per_application.items() if count > 1
                ),
                "messages": {
                    mid: {"kind": r.kind, "application": r.application_id, "count": r.attempts}
                    for mid, r in self.receipts.items()
                },
            }


def status_events_for(
    config: SimulatorConfig, receipt: Receipt
) -> list[tuple[float, dict[str, Any]]]:
    """The status events (delay, document) a case system would send for a new message."""
    received, processing, decided = config.delays

    def event(kind: str, **extra: Any) -> dict[str, Any]:
        event_id = uuid.uuid5(EVENT_NAMESPACE, f"{receipt.message_id}:{kind}")
        return {
            "event_id": str(event_id),
            "type": kind,
            "case_reference": receipt.case_reference,
            **extra,
        }

    if receipt.kind == "application.submitted":
        return [
            (received, event("received")),
            (processing, event("in_processing")),
            (
                decided,
                event(
                    "decision",
                    decision={
                        "outcome": config.outcome,
                        "date": datetime.now(UTC).date().isoformat(),
                        "summary": "Simulated decision",
                    },
                ),
            ),
        ]
    if receipt.kind == "application.supplement":
        return [(received, event("in_processing"))]
    if receipt.kind == "application.withdrawn":
        return [(received, event("closed", note="Withdrawn by the customer"))]
    return []


class EventSender(threading.Thread):
    """Sends scheduled status events to Luvat's inbound API, retrying temporary failures."""

    def __init__(self, config: SimulatorConfig, ledger: Ledger) -> None:
        super().__init__(name="simulator-events", daemon=True)
        self.config = config
        self.ledger = ledger
        self.queue: list[tuple[float, int, str, str, dict[str, Any], int]] = []
        self.cond = threading.Condition()
        self.counter = 0
        self.stopping = False
        self.http = urllib3.PoolManager(maxsize=4)

    def schedule(
        self, delay: float, application_id: str, event: dict[str, Any], url: str = ""
    ) -> None:
        copies = 2 if self.config.answer_twice else 1
        with self.cond:
            for _ in range(copies):
                self.counter += 1
                heapq.heappush(
                    self.queue,
                    (time.monotonic() + delay, self.counter, application_id, url, event, 0),
                )
            self.cond.notify()

    def pending(self) -> int:
        with self.cond:
            return len(self.queue)

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify()

    def run(self) -> None:
        while True:
            with self.cond:
                while not self.stopping and (not self.queue or self.queue[0][0] > time.monotonic()):
                    timeout = self.queue[0][0] - time.monotonic() if self.queue else None
                    self.cond.wait(timeout)
                if self.stopping:
                    return
                _due, _, application_id, url, event, tries = heapq.heappop(self.queue)
            event = {**event, "occurred_at": event.get("occurred_at") or _now_iso()}
            if not self.post(application_id, event, url) and tries < 8:
                with self.cond:
                    self.counter += 1
                    retry_at = time.monotonic() + min(30.0, 0.5 * 2**tries)
                    heapq.heappush(
                        self.queue,
                        (retry_at, self.counter, application_id, url, event, tries + 1),
                    )

    def post(self, application_id: str, event: dict[str, Any], url: str = "") -> bool:
        """Send one event; True when done (accepted, duplicate or refused for good).

        The address is the document's ``links.events``, else the one under ``api_url``.
        """
        if not url:
            if not self.config.api_url:
                return True  # nowhere to report to
            base = self.config.api_url.rstrip("/")
            url = f"{base}/api/v1/applications/{application_id}/events"
        body = json.dumps(event).encode()
        headers = {"Content-Type": "application/json", AUTHORITY_HEADER: self.config.authority_code}
        headers.update(self.config.api_headers)
        if self.config.secret:
            headers[SIGNATURE_HEADER] = sign(self.config.secret, body, int(time.time()))
        try:
            response = self.http.request(
                "POST", url, body=body, headers=headers, timeout=10.0, retries=False
            )
        except urllib3.exceptions.HTTPError as exc:
            log.warning("simulator.event_failed", error=str(exc))
            with self.ledger.lock:
                self.ledger.event_failures += 1
            return False
        with self.ledger.lock:
            if response.status < 300:
                self.ledger.events_sent += 1
            else:
                self.ledger.event_failures += 1
        if response.status >= 500 or response.status in (408, 429):
            return False
        if response.status == 409 and self.config.retry_conflicts:
            return False
        if response.status >= 300:
            log.warning(
                "simulator.event_refused",
                status=response.status,
                body=response.data[:300].decode(errors="replace"),
            )
        return True


def _now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class AuthoritySimulator:
    """The behaviour shared by the HTTP and AMQP front ends."""

    def __init__(self, config: SimulatorConfig, *, seed: int | None = None) -> None:
        self.config = config
        self.ledger = Ledger()
        self.events = EventSender(config, self.ledger)
        self.rng = random.Random(seed)  # noqa: S311 - fault injection, not security

    def start(self) -> None:
        if self.config.send_events:
            self.events.start()

    def stop(self) -> None:
        self.events.stop()

    def receive(self, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Handle one delivery; return the HTTP status and JSON answer."""
        lowered = {k.lower(): v for k, v in headers.items()}
        if self.config.secret or self.config.require_signature:
            try:
                verify(
                    [self.config.secret],
                    body,
                    lowered.get(SIGNATURE_HEADER.lower()),
                    now=time.time(),
                )
            except SignatureError as exc:
                with self.ledger.lock:
                    self.ledger.refused_signatures += 1
                return 401, {"title": "Bad signature", "detail": str(exc)}
        try:
            document = json.loads(body)
        except ValueError:
            return 400, {"title": "Malformed JSON", "detail": "the body is not JSON"}
        if not isinstance(document, dict):
            return 400, {"title": "Malformed document", "detail": "the body is not an object"}
        message_id = lowered.get(MESSAGE_ID_HEADER.lower()) or str(document.get("message_id", ""))
        if not message_id:
            return 400, {"title": "No message id", "detail": "message_id is missing"}
        attempt = self.ledger.count_attempt(message_id)
        if self.config.fail_status:
            return self.config.fail_status, {"title": "Simulated failure"}
        if attempt <= self.config.fail_first:
            return 503, {"title": "Simulated temporary failure", "attempt": attempt}
        if self.config.fail_rate and self.rng.random() < self.config.fail_rate:
            return 500, {"title": "Simulated random failure"}
        kind = str(document.get("kind", ""))
        application = document.get("application")
        application_id = str(application.get("id", "")) if isinstance(application, dict) else ""
        receipt, new = self.ledger.accept(message_id, kind, application_id)
        links = document.get("links")
        events_url = str(links.get("events", "")) if isinstance(links, dict) else ""
        if new and application_id and self.config.send_events:
            for delay, event in status_events_for(self.config, receipt):
                self.events.schedule(delay, application_id, event, events_url)
        answer = {"accepted": True, "duplicate": not new, "case_reference": receipt.case_reference}
        return (202 if new else 200), answer


def make_http_server(
    simulator: AuthoritySimulator, host: str = "127.0.0.1", port: int = 0
) -> ThreadingHTTPServer:
    """A threaded HTTP server playing the authority's receiving endpoint (any POST path)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, document: dict[str, Any]) -> None:
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/_simulator/state":
                self._answer(200, simulator.ledger.snapshot())
            else:
                self._answer(404, {"title": "Not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self._answer(413, {"title": "Too large"})
                self.close_connection = True
                return
            body = self.rfile.read(length)
            if simulator.config.slow_seconds:
                time.sleep(simulator.config.slow_seconds)
            status, answer = simulator.receive(body, dict(self.headers.items()))
            self._answer(status, answer)

    server = QuietHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


class QuietHTTPServer(ThreadingHTTPServer):
    """A client that hangs up (a sender that timed out) is normal here, not an error."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)
