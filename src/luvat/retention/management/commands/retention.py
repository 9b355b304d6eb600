"""``luvat retention [--dry-run]``: purge and archive by the retention rules."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from luvat.audit.actors import Actor
from luvat.retention.services import run_retention


class Command(BaseCommand):
    help = "Purge personal data past its retention period and archive closed projects."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be done; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        report = run_retention(actor=Actor.system("luvat retention"), dry_run=dry_run)
        for kind in report.kinds:
            if kind.cutoff is None:
                self.stdout.write(f"{kind.kind}: kept (retention 0 days)")
                continue
            verb = ("would " + kind.verb) if dry_run else (kind.verb + "d")
            self.stdout.write(
                f"{kind.kind}: {verb} {kind.count} (older than {kind.days} days, "
                f"before {kind.cutoff:%Y-%m-%d})"
            )
            for example in kind.examples:
                self.stdout.write(f"    {example}")
        if dry_run:
            self.stdout.write("dry run: nothing changed")
        else:
            self.stdout.write("recorded in the audit log as retention.run")
