"""The ``luvat`` command.

luvat serve [--host H] [--port P] [--no-worker]   web server (+ in-process worker)
luvat worker [--once]                             background worker
luvat migrate                                     apply database migrations
luvat load-demo                                   load demo data (idempotent)
luvat load-catalogue [--directory D]              load the catalogue data files (idempotent)
luvat import-ptv FILE                             import services from a PTV JSON export
luvat check                                       configuration sanity check
luvat config-docs [--write]                       docs/configuration.md
luvat openapi [--write]                           docs/openapi.json
luvat api-key issue|revoke|list                   API keys of authority systems
luvat simulate-authority --authority CODE [...]   stand-in authority system (HTTP or AMQP)
luvat conformance --authority CODE --endpoint URL conformance kit for a joining authority
luvat outbox status|dead|redeliver ID...          outbox deliveries
luvat storage-migrate --from A --to B [--dry-run] copy uploaded files between storages
luvat retention [--dry-run]                       purge and archive by the retention rules
luvat <django command> ...                        any other Django management command
"""

from __future__ import annotations

import os
import sys

from luvat.config.env import ConfigError

# Commands that cannot do anything without a database connection.
NEEDS_DATABASE = {
    "serve",
    "worker",
    "migrate",
    "load_demo",
    "load_catalogue",
    "import_ptv",
    "api_key",
    "outbox",
    "conformance",
    "storage_migrate",
    "retention",
}


def fail(message: str) -> None:
    print(f"luvat: {message}", file=sys.stderr)
    raise SystemExit(2)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    # `luvat load-demo` runs the Django command `load_demo`.
    command = args[0].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luvat.config.settings")
    try:
        import django

        django.setup()
    except ConfigError as exc:
        fail(f"configuration error: {exc}")

    from django.conf import settings
    from django.core.management import execute_from_command_line

    if command in NEEDS_DATABASE:
        from pathlib import Path

        from django.db import connection

        from luvat.web.health import database_problem

        if connection.vendor == "sqlite" and connection.settings_dict["NAME"] != ":memory:":
            Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)

        problem = database_problem()
        if problem:
            fail(problem)
    rest = args[1:]
    if command == "check" and settings.PRODUCTION and "--deploy" not in rest:
        rest.append("--deploy")
    execute_from_command_line(["luvat", command, *rest])


if __name__ == "__main__":
    main()
