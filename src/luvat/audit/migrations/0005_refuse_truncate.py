"""On PostgreSQL, refuse TRUNCATE of the append-only tables too: TRUNCATE fires no row
trigger, so 0002 and 0004 alone let it empty them. A statement-level trigger refuses it.

The one way through is a maintenance session that says so first with
``SET luvat.allow_truncate = 'on'`` (the DBA's retention job; also the test framework,
which empties every table between tests), so no client truncates the log by mistake.
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_accessevent")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION luvat_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('luvat.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = TG_TABLE_NAME || ' is append-only: TRUNCATE refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
CREATE_TRIGGER = """
CREATE TRIGGER {table}_refuse_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION luvat_refuse_truncate();
"""
DROP_TRIGGER = "DROP TRIGGER IF EXISTS {table}_refuse_truncate ON {table};"
DROP_FUNCTION = "DROP FUNCTION IF EXISTS luvat_refuse_truncate();"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    for table in TABLES:
        schema_editor.execute(CREATE_TRIGGER.format(table=table))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP_TRIGGER.format(table=table))
    schema_editor.execute(DROP_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_access_event_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
