"""The one way rows leave the append-only logs: the retention run's purge of rows older than
the retention period.

The ORM guard (:mod:`luvat.audit.appendonly`) refuses every update and delete; this module
bypasses it with one ``DELETE ... WHERE occurred_at < cutoff``. On PostgreSQL the row triggers
(migration 0006) refuse the delete too unless the transaction first says
``SET LOCAL luvat.purge_before = <cutoff>``, and then only for rows older than that cut-off:
a newer row, an UPDATE or a DELETE from any other session still fails.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction

from luvat.audit.models import AccessEvent, AuditEvent

PURGE_SETTING = "luvat.purge_before"


def purge_log_before(model: type[AuditEvent] | type[AccessEvent], cutoff: datetime) -> int:
    """Delete the rows of an append-only log that occurred before ``cutoff``; returns the count.

    Only the retention service calls this, inside its transaction (it writes the audit row
    that says so)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("purge_log_before must run inside a transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, cutoff.isoformat()])
    rows = model._base_manager.filter(occurred_at__lt=cutoff)
    try:
        # The ORM guard's escape: a plain QuerySet's raw DELETE, not AppendOnlyQuerySet.delete.
        return int(rows._raw_delete(rows.db))
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', true)", [PURGE_SETTING])
