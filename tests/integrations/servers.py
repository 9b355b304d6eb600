"""Real local servers for integration tests: the authority simulator and a recording receiver."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

from luvat.integrations.simulator import (
    AuthoritySimulator,
    QuietHTTPServer,
    SimulatorConfig,
    make_http_server,
)


@contextmanager
def running_simulator(config: SimulatorConfig) -> Iterator[tuple[AuthoritySimulator, str]]:
    simulator = AuthoritySimulator(config, seed=1)
    server = make_http_server(simulator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    simulator.start()
    host, port = server.server_address[:2]
    try:
        yield simulator, f"http://{host!s}:{port}/receive"
    finally:
        simulator.stop()
        server.shutdown()
        server.server_close()


class Recorder:
    """Collects every request made to it; answers with a fixed status."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.requests) >= count, timeout)
            return list(self.requests)


@contextmanager
def running_recorder(status: int = 200) -> Iterator[tuple[Recorder, str]]:
    recorder = Recorder(status)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with recorder.arrived:
                recorder.requests.append(
                    {"path": self.path, "headers": dict(self.headers.items()), "body": body}
                )
                recorder.arrived.notify_all()
            answer = json.dumps({"ok": True}).encode()
            self.send_response(recorder.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = QuietHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
