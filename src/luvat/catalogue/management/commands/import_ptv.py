"""``luvat import-ptv FILE``: services from a PTV open API v11 JSON export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luvat.audit.actors import Actor
from luvat.catalogue.ptv import PtvFormatError, ptv_import


class Command(BaseCommand):
    help = "Import services from a Suomi.fi service catalogue (PTV) JSON export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            report = ptv_import(path=path, actor=Actor.system("import-ptv"))
        except PtvFormatError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        for code in report.created:
            self.stdout.write(f"created {code}")
        for code in report.updated:
            self.stdout.write(f"updated {code}: {', '.join(report.changes.get(code, []))}")
        for code, languages in report.kept_languages.items():
            self.stdout.write(f"kept {code} texts in {', '.join(languages)} (not in the file)")
        for ptv_id, reason in report.skipped:
            self.stdout.write(f"skipped {ptv_id}: {reason}")
        figures = ", ".join(f"{n} {what}" for what, n in report.summary().items())
        self.stdout.write(f"services: {figures}")
