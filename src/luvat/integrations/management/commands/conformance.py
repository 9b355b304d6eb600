"""``luvat conformance``: check a joining authority's endpoint end to end and store the report."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from luvat.audit.actors import Actor
from luvat.integrations.conformance import ConformanceOptions, run_conformance
from luvat.integrations.selectors import authority_secrets


class Command(BaseCommand):
    help = (
        "Send synthetic applications to an authority system and check the whole loop: "
        "accepted, idempotent, bad signatures refused, status events back in time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--authority", required=True, help="authority code")
        parser.add_argument(
            "--endpoint",
            required=True,
            help="HTTP: the receiving address; AMQP: the broker URL (queue luvat.<authority>)",
        )
        parser.add_argument("--transport", choices=["http", "amqp"], default="http")
        parser.add_argument(
            "--secret", default="", help="shared signing secret (default: the stored one)"
        )
        parser.add_argument("--events-host", default="127.0.0.1", help="address to listen on")
        parser.add_argument(
            "--events-url", default="", help="how the authority reaches this kit, if not direct"
        )
        parser.add_argument("--first-event-seconds", type=float, default=30.0)
        parser.add_argument("--decision-seconds", type=float, default=60.0)
        parser.add_argument("--xroad-client", default="")
        parser.add_argument("--xroad-service", default="")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        secret = options["secret"] or next(iter(authority_secrets(options["authority"])), "")
        if not secret:
            raise CommandError(
                "no signing secret: give --secret or set one on the authority's endpoint"
            )
        kit_options = ConformanceOptions(
            authority_code=options["authority"],
            endpoint_url=options["endpoint"],
            transport=options["transport"],
            secret=secret,
            events_host=options["events_host"],
            events_public_url=options["events_url"]
            or (settings.LUVAT_PUBLIC_URL if options["transport"] == "amqp" else ""),
            first_event_seconds=options["first_event_seconds"],
            decision_seconds=options["decision_seconds"],
            xroad_client=options["xroad_client"],
            xroad_service=options["xroad_service"],
        )
        run = run_conformance(options=kit_options, actor=Actor.system("conformance-kit"))
        if options["json"]:
            self.stdout.write(json.dumps(run.report, indent=2, ensure_ascii=False))
        else:
            for check in run.report["checks"]:
                mark = "PASS" if check["passed"] else "FAIL"
                self.stdout.write(f"{mark}  {check['name']} — {check['detail']}")
            verdict = "PASSED" if run.passed else "FAILED"
            self.stdout.write(f"conformance {verdict} (report #{run.pk})")
        if not run.passed:
            raise SystemExit(1)
