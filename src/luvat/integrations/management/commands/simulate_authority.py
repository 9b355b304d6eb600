"""``luvat simulate-authority``: a stand-in authority e-service over HTTP or AMQP."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from luvat.integrations.simulator import AuthoritySimulator, SimulatorConfig, make_http_server
from luvat.integrations.simulator_amqp import AmqpEventSender, AmqpReceiver


def _header(value: str) -> tuple[str, str]:
    name, sep, content = value.partition(":")
    if not sep or not name.strip():
        raise CommandError(f"--api-header must look like 'Name: value', not {value!r}")
    return name.strip(), content.strip()


class Command(BaseCommand):
    help = (
        "Play an authority system: receive applications over HTTP or AMQP and report "
        "received → in processing → decision back to Luvat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--authority", required=True, help="authority code")
        parser.add_argument("--transport", choices=["http", "amqp"], default="http")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8710)
        parser.add_argument("--secret", default="", help="shared signing secret")
        parser.add_argument(
            "--no-signature-check", action="store_true", help="accept unsigned deliveries"
        )
        parser.add_argument(
            "--api-url", default=settings.LUVAT_PUBLIC_URL, help="Luvat's base address"
        )
        parser.add_argument(
            "--api-header", action="append", default=[], help="extra header for status events"
        )
        parser.add_argument("--amqp-url", default=settings.LUVAT_AMQP_URL)
        parser.add_argument("--events-via", choices=["http", "amqp"], default="")
        parser.add_argument(
            "--delays", default="0.5,2,5", help="seconds to received, in processing, decision"
        )
        parser.add_argument("--outcome", default="granted")
        parser.add_argument("--fail-status", type=int, default=0)
        parser.add_argument("--fail-first", type=int, default=0)
        parser.add_argument("--fail-rate", type=float, default=0.0)
        parser.add_argument("--slow", type=float, default=0.0, help="answer after N seconds")
        parser.add_argument("--answer-twice", action="store_true")
        parser.add_argument("--no-events", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            delays = tuple(float(part) for part in options["delays"].split(","))
        except ValueError:
            raise CommandError("--delays must be three numbers, e.g. 0.5,2,5") from None
        if len(delays) != 3:
            raise CommandError("--delays must be three numbers, e.g. 0.5,2,5")
        config = SimulatorConfig(
            authority_code=options["authority"],
            secret=options["secret"],
            api_url=options["api_url"],
            api_headers=dict(_header(h) for h in options["api_header"]),
            delays=(delays[0], delays[1], delays[2]),
            outcome=options["outcome"],
            fail_status=options["fail_status"],
            fail_first=options["fail_first"],
            fail_rate=options["fail_rate"],
            slow_seconds=options["slow"],
            answer_twice=options["answer_twice"],
            send_events=not options["no_events"],
            require_signature=not options["no_signature_check"],
        )
        simulator = AuthoritySimulator(config)
        events_via = options["events_via"] or options["transport"]
        if events_via == "amqp":
            if not options["amqp_url"]:
                raise CommandError("AMQP needs --amqp-url or LUVAT_AMQP_URL")
            simulator.events = AmqpEventSender(simulator, options["amqp_url"])
        simulator.start()
        done = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: done.set())
        signal.signal(signal.SIGINT, lambda *_: done.set())
        if options["transport"] == "amqp":
            if not options["amqp_url"]:
                raise CommandError("AMQP needs --amqp-url or LUVAT_AMQP_URL")
            receiver = AmqpReceiver(simulator, options["amqp_url"])
            receiver.start()
            self.stdout.write(
                f"simulated authority {config.authority_code} consuming {receiver.queue}"
            )
            self.stdout.flush()
            done.wait()
            receiver.stop()
        else:
            server = make_http_server(simulator, options["host"], options["port"])
            host, port = server.server_address[:2]
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self.stdout.write(
                f"simulated authority {config.authority_code} listening on http://{host!s}:{port}/"
            )
            self.stdout.flush()
            done.wait()
            server.shutdown()
        simulator.stop()
