"""Restore drill: dump a PostgreSQL database of Luvat, restore it into a fresh one, compare.

    deploy/restore-drill [--keep]

1. A fresh source database gets every migration and the demo data (`luvat migrate`,
   `luvat load-demo`), then a little activity through the service functions, so that the
   audit and access logs have rows.
2. `pg_dump --format=custom` dumps it; `pg_restore --exit-on-error` loads the dump into a
   second fresh database.
3. Checks, each printed: the same tables; per table the same row count and the same
   content (an md5 digest of every row); the append-only triggers of the audit and access
   logs are present and enabled, and refuse an UPDATE and a DELETE in the restored database;
   every sequence is past the largest id of its column (new rows do not collide);
   `luvat migrate --check` finds nothing to apply.

Needs PostgreSQL (LUVAT_DRILL_PG, default postgres://postgres@127.0.0.1:5432) and the
pg_dump/pg_restore of the server's major version. Exit status 0 when every check passes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
LUVAT = ROOT / ".venv" / "bin" / "luvat"
SERVER = os.environ.get("LUVAT_DRILL_PG", "postgres://postgres@127.0.0.1:5432")
APPEND_ONLY = ("audit_auditevent", "audit_accessevent")

ACTIVITY = """
from django.core.management import call_command
call_command("load_demo", stdout=open("/dev/null", "w"))
from luvat.audit.services import access_record, audit_record
from luvat.audit.actors import Actor
actor = Actor.system("restore-drill")
for number in range(25):
    audit_record(actor=actor, action="drill.event", target=None, details={"n": number})
    access_record(actor=actor, object_type="drill", object_id=number, purpose="restore drill")
"""


def luvat(database: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUVAT_")}
    env.update(DATABASE_URL=f"{SERVER}/{database}", LUVAT_DEMO="true")
    result = subprocess.run(
        [str(LUVAT), *args], env=env, capture_output=True, text=True, check=False, cwd=ROOT
    )
    if result.returncode != 0:
        sys.exit(f"luvat {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def connect(database: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(f"{SERVER}/{database}", autocommit=True)


def tables(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).fetchall()
    return [str(row[0]) for row in rows]


def fingerprint(conn: psycopg.Connection[tuple[object, ...]], table: str) -> tuple[int, str]:
    """Row count and an md5 of every row's text, in a fixed order."""
    query = sql.SQL(
        "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') "
        "FROM {} AS t"
    ).format(sql.Identifier(table))
    count, digest = conn.execute(query).fetchone() or (0, "")
    return int(str(count)), str(digest)


def triggers(conn: psycopg.Connection[tuple[object, ...]], table: str) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass "
        "AND NOT tgisinternal ORDER BY tgname",
        [table],
    ).fetchall()
    return [(str(name), str(enabled)) for name, enabled in rows]


def refuses(conn: psycopg.Connection[tuple[object, ...]], statement: sql.Composed) -> bool:
    try:
        with conn.transaction():
            conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def sequences_behind(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    """Sequences whose next value would collide with an existing id."""
    owned = conn.execute(
        """
        SELECT s.relname, t.relname, a.attname
        FROM pg_class s
        JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
        JOIN pg_class t ON t.oid = d.refobjid
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        WHERE s.relkind = 'S'
        """
    ).fetchall()
    behind = []
    for sequence, table, column in owned:
        row = conn.execute(
            sql.SQL("SELECT (SELECT max({}) FROM {}), last_value, is_called FROM {}").format(
                sql.Identifier(str(column)),
                sql.Identifier(str(table)),
                sql.Identifier(str(sequence)),
            )
        ).fetchone() or (None, 0, False)
        largest, last_value, is_called = row
        if largest is not None:
            next_value = int(str(last_value)) + (1 if is_called else 0)
            if next_value <= int(str(largest)):
                behind.append(f"{sequence} (next {next_value}, max {largest})")
    return behind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep both databases afterwards")
    args = parser.parse_args(argv)
    started = time.monotonic()
    stamp = f"{int(time.time())}_{os.getpid()}"
    source, target = f"luvat_drill_src_{stamp}", f"luvat_drill_dst_{stamp}"
    admin = connect("postgres")
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)

    try:
        for database in (source, target):
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        print(f"restore drill: {source} -> dump -> {target}")
        t0 = time.monotonic()
        luvat(source, "migrate", "--noinput", "-v0")
        migrated = time.monotonic() - t0
        luvat(source, "shell", "-c", ACTIVITY)  # load-demo, then some audited activity
        print(f"  migrate {migrated:.1f} s, demo data {time.monotonic() - t0 - migrated:.1f} s")
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / "luvat.dump"
            t0 = time.monotonic()
            subprocess.run(
                ["pg_dump", "--format=custom", f"--file={dump}", f"{SERVER}/{source}"],
                check=True,
            )
            dumped = time.monotonic() - t0
            t0 = time.monotonic()
            subprocess.run(
                [
                    "pg_restore",
                    "--exit-on-error",
                    "--no-owner",
                    f"--dbname={SERVER}/{target}",
                    str(dump),
                ],
                check=True,
            )
            restored = time.monotonic() - t0
            size = dump.stat().st_size
        print(f"  dump {size / 1024:.0f} KiB in {dumped:.2f} s, restore in {restored:.2f} s")

        with connect(source) as before, connect(target) as after:
            names = tables(before)
            check(names == tables(after), f"the same {len(names)} tables")
            total, mismatched = 0, 0
            for table in names:
                expected, got = fingerprint(before, table), fingerprint(after, table)
                total += expected[0]
                if expected != got:
                    mismatched += 1
                    check(False, f"{table}: {expected[0]} rows before, {got[0]} after, or changed")
            check(not mismatched, f"row counts and row contents of every table ({total} rows)")
            for table in APPEND_ONLY:
                rows = fingerprint(after, table)[0]
                found = triggers(after, table)
                check(
                    bool(found) and found == triggers(before, table),
                    f"{table}: {rows} rows, trigger {', '.join(n for n, _ in found) or 'missing'}",
                )
                check(all(enabled == "O" for _, enabled in found), f"{table}: trigger enabled")
                name = sql.Identifier(table)
                check(
                    refuses(after, sql.SQL("UPDATE {} SET action = 'x'").format(name))
                    if table == "audit_auditevent"
                    else refuses(after, sql.SQL("UPDATE {} SET purpose = 'x'").format(name)),
                    f"{table}: UPDATE refused after restore",
                )
                check(
                    refuses(after, sql.SQL("DELETE FROM {}").format(name)),
                    f"{table}: DELETE refused after restore",
                )
            check(fingerprint(after, "audit_auditevent")[0] > 0, "the audit log is not empty")
            # A singleton row written with an explicit id (catalogue revision, id 1) leaves its
            # sequence unused in the source too: what the restore must keep is every sequence
            # that was past its column's largest id there.
            was_behind = {entry.split(" ")[0] for entry in sequences_behind(before)}
            behind = [e for e in sequences_behind(after) if e.split(" ")[0] not in was_behind]
            check(not behind, "every sequence is past its column's largest id " + ", ".join(behind))
        luvat(target, "migrate", "--check", "-v0")
        check(True, "luvat migrate --check: no migration to apply on the restored database")
    finally:
        if not args.keep:
            for database in (source, target):
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(database)
                    )
                )
        admin.close()
    elapsed = time.monotonic() - started
    if failures:
        print(f"restore drill FAILED: {len(failures)} check(s) in {elapsed:.1f} s")
        return 1
    print(f"restore drill passed in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
