"""``luvat storage-migrate --from filesystem --to default [--dry-run]``: move stored files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from luvat.audit.actors import Actor
from luvat.web.filestorage import storage_migrate


class Command(BaseCommand):
    help = (
        "Copy every uploaded file the database refers to from one storage of STORAGES to "
        "another (e.g. from `filesystem` to `default` after setting LUVAT_FILE_STORAGE=s3). "
        "Names stay the same; files already at the target are skipped, so it can be re-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", default="filesystem")
        parser.add_argument("--to", dest="target", default="default")
        parser.add_argument("--dry-run", action="store_true", help="report only, copy nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        known = set(settings.STORAGES) - {"staticfiles"}
        for alias in (options["source"], options["target"]):
            if alias not in known:
                raise CommandError(f"unknown storage {alias!r}; choose from {sorted(known)}")
        if options["source"] == options["target"] or (
            settings.STORAGES[options["source"]] == settings.STORAGES[options["target"]]
        ):
            raise CommandError("the source and the target are the same storage")
        report = storage_migrate(
            source_alias=options["source"],
            target_alias=options["target"],
            dry_run=options["dry_run"],
            actor=Actor.system("storage-migrate"),
        )
        verb = "would copy" if options["dry_run"] else "copied"
        self.stdout.write(
            f"{verb} {report.copied} files ({report.bytes_copied} bytes), "
            f"{report.already_there} already at the target, "
            f"{len(report.missing_at_source)} missing at the source"
        )
        for missing in report.missing_at_source[:50]:
            self.stdout.write(f"  missing: {missing}")
