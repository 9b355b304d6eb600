"""``luvat load-catalogue``: load the catalogue data files (idempotent), report the changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from luvat.audit.actors import Actor
from luvat.catalogue.datafiles import DATA_DIR, CatalogueInvalid
from luvat.catalogue.services import catalogue_load


class Command(BaseCommand):
    help = "Load the catalogue data files into the database, in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory", type=Path, default=DATA_DIR, help="catalogue data directory"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            load = catalogue_load(
                actor=Actor.system("load-catalogue"), directory=options["directory"]
            )
        except CatalogueInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"the catalogue has {len(exc.problems)} problem(s); nothing was loaded and "
                "the previous catalogue stays active"
            ) from exc
        for kind, counts in load.summary.items():
            if kind == "conflicts":
                continue
            figures = ", ".join(f"{count} {what}" for what, count in counts.items())
            self.stdout.write(f"{kind}: {figures}")
        for conflict in load.summary.get("conflicts", []):
            self.stdout.write(
                f"kept {conflict['service']} {conflict['field']} {conflict['kept']!r} set "
                f"outside the files (the files say {conflict['files']!r})"
            )
        self.stdout.write(f"catalogue {load.checksum[:12]} loaded")
