"""Moving stored files between the storages of ``STORAGES`` (``luvat storage-migrate``).

Every ``FileField`` of every installed model keeps its name; only the bytes move, so
rows are not touched and links keep working. A file already present at the target with
the same size is left alone, which makes a second run (or a run after an interruption)
copy only what is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import structlog
from django.apps import apps
from django.core.files.storage import Storage, storages
from django.db import models

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record

log = structlog.get_logger(__name__)


@dataclass
class MigrationReport:
    copied: int = 0
    already_there: int = 0
    missing_at_source: list[str] = field(default_factory=list)
    bytes_copied: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "copied": self.copied,
            "already_there": self.already_there,
            "missing_at_source": len(self.missing_at_source),
            "bytes_copied": self.bytes_copied,
        }


def stored_file_names() -> Iterator[tuple[str, str]]:
    """(``app_label.model.field``, stored name) of every file the database refers to."""
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if not isinstance(model_field, models.FileField):
                continue
            label = f"{model._meta.label_lower}.{model_field.name}"
            names = (
                model._default_manager.exclude(**{model_field.name: ""})
                .exclude(**{f"{model_field.name}__isnull": True})
                .values_list(model_field.name, flat=True)
                .order_by("pk")
                .iterator()
            )
            for name in names:
                yield label, str(name)


def _present(storage: Storage, name: str, size: int) -> bool:
    try:
        return storage.exists(name) and storage.size(name) == size
    except OSError:
        return False


def storage_migrate(
    *, source_alias: str, target_alias: str, dry_run: bool, actor: Actor
) -> MigrationReport:
    """Copy every referenced file from one configured storage to another, under its name."""
    if source_alias == target_alias:
        raise ValueError("source and target are the same storage")
    source, target = storages[source_alias], storages[target_alias]
    report = MigrationReport()
    for label, name in stored_file_names():
        if not source.exists(name):
            if target.exists(name):
                report.already_there += 1
            else:
                report.missing_at_source.append(f"{label}: {name}")
            continue
        size = source.size(name)
        if _present(target, name, size):
            report.already_there += 1
            continue
        report.copied += 1
        report.bytes_copied += size
        if dry_run:
            continue
        with source.open(name, "rb") as handle:
            saved = target.save(name, handle)
        if saved != name:
            # The target renamed it (a different file of that name was there): keep names equal.
            target.delete(saved)
            raise RuntimeError(f"{name}: the target holds a different file of that name")
    audit_record(
        actor=actor,
        action="storage.migrate" if not dry_run else "storage.migrate_dry_run",
        target=None,
        details={"from": source_alias, "to": target_alias, **report.as_dict()},
    )
    log.info("storage.migrated", dry_run=dry_run, **report.as_dict())
    return report
