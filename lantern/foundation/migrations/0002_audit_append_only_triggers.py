"""The database refuses to change or delete audit rows, whatever code runs (defence in depth
behind the model's own refusal and the hash chain).

PostgreSQL: row triggers refuse UPDATE and DELETE. TRUNCATE is left to the table owner (test
databases are emptied that way); production should run Lantern as a role that may only INSERT
and SELECT on this table.
SQLite (development only): a trigger refuses UPDATE; DELETE stays possible because test
databases are emptied with DELETE, and the hash chain reveals any removed row.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION foundation_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER foundation_auditevent_no_update BEFORE UPDATE OR DELETE ON foundation_auditevent
    FOR EACH ROW EXECUTE FUNCTION foundation_auditevent_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS foundation_auditevent_no_update ON foundation_auditevent;
DROP FUNCTION IF EXISTS foundation_auditevent_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER foundation_auditevent_no_update BEFORE UPDATE ON foundation_auditevent
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS foundation_auditevent_no_update;"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("foundation", "0001_areas_people_children_chronology_work_audit")]
    operations = [migrations.RunPython(install, remove)]
