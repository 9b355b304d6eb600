"""A local HTTP server that answers with recorded responses of a national service and keeps
what it was asked, so that our real HTTP clients can be tested without reaching the service."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Seen:
    method: str
    path: str  # path with query, as sent
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "application/json"


Route = Callable[[Seen], Answer]


@dataclass
class RecordedServer:
    url: str
    routes: dict[tuple[str, str], Route]
    seen: list[Seen] = field(default_factory=list)

    def answer(self, method: str, path_prefix: str, route: Route) -> None:
        self.routes[(method, path_prefix)] = route


@contextmanager
def recorded_server() -> Iterator[RecordedServer]:
    routes: dict[tuple[str, str], Route] = {}
    seen: list[Seen] = []

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Seen(self.command, self.path, {k: v for k, v in self.headers.items()}, body)
            seen.append(request)
            matches = [
                (prefix, route)
                for (method, prefix), route in routes.items()
                if method == self.command and self.path.startswith(prefix)
            ]
            if not matches:
                answer = Answer(404, b'{"error": "not recorded"}')
            else:
                answer = max(matches, key=lambda item: len(item[0]))[1](request)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_GET = _handle
        do_POST = _handle

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RecordedServer(f"http://127.0.0.1:{server.server_port}", routes, seen)
    finally:
        server.shutdown()
        server.server_close()
