"""``luvat catalogue coverage``: which facts, rules, questions and services the scenario
tables cover; exits 1 when something is uncovered."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from luvat.assessment.coverage import FACTS_DOCUMENT, catalogue_coverage, coverage_report
from luvat.catalogue.datafiles import DATA_DIR


class Command(BaseCommand):
    help = "Catalogue tools for content editors: `coverage`."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        coverage = commands.add_parser("coverage", help="coverage of facts by rules and scenarios")
        coverage.add_argument("--directory", type=Path, default=DATA_DIR)
        coverage.add_argument("--facts", type=Path, default=FACTS_DOCUMENT)
        coverage.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args: Any, **options: Any) -> None:
        results = catalogue_coverage(options["directory"], options["facts"])
        if options["json"]:
            self.stdout.write(json.dumps([{**asdict(r), "ok": r.ok} for r in results], indent=2))
        else:
            self.stdout.write(coverage_report(results))
        uncovered = [r.code for r in results if not r.ok]
        if uncovered:
            self.stderr.write(f"uncovered: {', '.join(uncovered)}")
            raise SystemExit(1)
        self.stdout.write("every package is covered")
