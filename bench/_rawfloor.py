"""The raw-write floor of the inbound single event: the same rows the Luvat path wrote, written
with plain psycopg, one transaction per event, one connection per client.

What "the same rows" are is measured, not assumed: the row count of every table is taken before
and after the Luvat run, and each table that grew gets the same number of inserts per event (a
copy of one of its new rows, unique columns made unique), plus the locked read and the status
update of the application. The copies go to scratch tables made ``LIKE`` the real ones
(``INCLUDING ALL``: same columns, defaults, identity and indexes, unique ones included), so no
foreign key or trigger of ours is in the floor: what is left is what any code must pay to write
these rows.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import psycopg
from django.db import connection


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608  (catalogue names)
            counts[table] = cursor.fetchone()[0]
    return counts


@dataclass(frozen=True)
class Insert:
    sql: str
    values: list[str | None]  # the template row as text, one per placeholder
    unique_at: list[int]  # placeholders made unique per event (a serial number)


def _copy_of(cursor, table: str) -> Insert:
    scratch = f"floor_{table}"[:63]
    cursor.execute(f'DROP TABLE IF EXISTS "{scratch}"')
    cursor.execute(f'CREATE TABLE "{scratch}" (LIKE "{table}" INCLUDING ALL)')
    cursor.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attidentity "
        "FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attnum",
        [table],
    )
    columns = [(name, kind) for name, kind, identity in cursor.fetchall() if not identity]
    cursor.execute(
        "SELECT DISTINCT a.attname FROM pg_index i JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisunique",
        [table],
    )
    unique = {name for (name,) in cursor.fetchall()}
    names = ", ".join(f'"{name}"' for name, _ in columns)
    texts = ", ".join(f'"{name}"::text' for name, _ in columns)
    cursor.execute(f'SELECT {texts} FROM "{table}" ORDER BY ctid DESC LIMIT 1')  # noqa: S608
    template = list(cursor.fetchone())
    casts: list[str] = []
    values: list[str | None] = []
    unique_at: list[int] = []
    for (name, kind), value in zip(columns, template, strict=True):
        if name in unique and kind == "uuid":
            casts.append("gen_random_uuid()")
            continue
        if name in unique:
            unique_at.append(len(values))
        casts.append(f"%s::{kind}")
        values.append(value)
    sql = f'INSERT INTO "{scratch}" ({names}) VALUES ({", ".join(casts)})'  # noqa: S608
    return Insert(sql=sql, values=values, unique_at=unique_at)


def _params(insert: Insert, serial: int) -> list[str | None]:
    params = list(insert.values)
    for n in insert.unique_at:
        params[n] = str(serial)
    return params


def floor_rate(
    dsn: str,
    before: dict[str, int],
    after: dict[str, int],
    events: int,
    application_ids: list[int],
    clients: int,
    seconds: float,
) -> tuple[float, dict[str, int]]:
    """Events/s of the raw writes; also the inserts per event found per table."""
    per_event = {
        table: round((after[table] - before.get(table, 0)) / events)
        for table in after
        if after[table] > before.get(table, 0)
    }
    per_event = {table: n for table, n in per_event.items() if n > 0}
    with connection.cursor() as cursor:
        inserts = [(_copy_of(cursor, table), n) for table, n in per_event.items()]
        cursor.execute('DROP TABLE IF EXISTS "floor_projects_application"')
        cursor.execute(
            'CREATE TABLE "floor_projects_application" (LIKE "projects_application" INCLUDING ALL)'
        )
        cursor.execute(
            'INSERT INTO "floor_projects_application" SELECT * FROM "projects_application"'
        )
    done = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    statuses = ("received", "in_processing", "decision_made")

    def client(number: int) -> None:
        mine = 0
        serial = number * 10_000_000
        with psycopg.connect(dsn, autocommit=False) as conn, conn.cursor() as cursor:
            share = application_ids[number::clients] or application_ids
            while time.perf_counter() < stop_at:
                application_id = share[mine % len(share)]
                cursor.execute(
                    'SELECT status FROM "floor_projects_application" WHERE id = %s FOR UPDATE',
                    [application_id],
                )
                cursor.fetchone()
                for insert, count in inserts:
                    for _ in range(count):
                        serial += 1
                        cursor.execute(insert.sql, _params(insert, serial))
                cursor.execute(
                    'UPDATE "floor_projects_application" SET status = %s, status_changed_at = '
                    "now() WHERE id = %s",
                    [statuses[mine % 3], application_id],
                )
                conn.commit()
                mine += 1
        with lock:
            done[0] += mine

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        for table in [*per_event, "projects_application"]:
            cursor.execute(f'DROP TABLE IF EXISTS "{f"floor_{table}"[:63]}"')
    return done[0] / seconds, per_event
