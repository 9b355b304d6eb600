"""On PostgreSQL, let the retention run delete audit and access events older than its cut-off.

The row triggers of 0002 and 0004 refuse every UPDATE and DELETE. They now let a DELETE
through only when the transaction has said ``SET LOCAL luvat.purge_before = '<timestamp>'``
and the row occurred before that timestamp (``luvat.audit.purge``); UPDATE is always refused,
and so is a DELETE from any session that has not said so.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
DECLARE
    cutoff text := coalesce(current_setting('luvat.purge_before', true), '');
BEGIN
    IF TG_OP = 'DELETE' AND cutoff <> '' AND OLD.occurred_at < cutoff::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = '{label} are append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = '{label} are append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TABLES = (("audit_auditevent", "audit events"), ("audit_accessevent", "access events"))


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, label in TABLES:
            schema_editor.execute(FUNCTION.format(table=table, label=label))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, label in TABLES:
            schema_editor.execute(OLD_FUNCTION.format(table=table, label=label))


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_refuse_truncate")]
    operations = [migrations.RunPython(forwards, backwards)]
