"""A base for commands that print a generated document or write it to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class GeneratedDocumentCommand(BaseCommand):
    requires_system_checks: list[str] = []

    def render(self) -> str:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", metavar="PATH", help="write to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        text = self.render()
        if options["write"]:
            Path(options["write"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {options['write']}")
        else:
            self.stdout.write(text, ending="")
