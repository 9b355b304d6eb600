"""The database cache table (`luvat_cache`) that holds the rate-limit counters.

Created with Django's own `createcachetable`, so `luvat migrate` is the only set-up step.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db import migrations

TABLE = "luvat_cache"


def create(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create, drop, elidable=False)]
