"""Each audit row names the key that sealed it (the chain is keyed from here on: ADR 10), and
SQLite refuses deletes of audit rows as well as updates.

Adding a column makes SQLite rebuild the table, which drops its triggers, so they are
dropped first and installed again afterwards (both refusing UPDATE and DELETE). Test
databases on SQLite are emptied through Lantern's own `flush` command, which lifts the
delete trigger for the duration (lantern/foundation/management/commands/flush.py).
A database written before this migration has unkeyed rows that `lantern audit verify`
refuses: delete var/ (or drop the PostgreSQL database) and load the demo again.
"""

from django.db import migrations, models

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
SQLITE_UPDATE = """
CREATE TRIGGER foundation_auditevent_no_update BEFORE UPDATE ON foundation_auditevent
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
"""
SQLITE_DELETE = """
CREATE TRIGGER foundation_auditevent_no_delete BEFORE DELETE ON foundation_auditevent
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
"""
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS foundation_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS foundation_auditevent_no_delete;",
]


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UPDATE)
        schema_editor.execute(SQLITE_DELETE)


def install_update_only(apps, schema_editor):
    """Going back: the guard 0002 installed."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UPDATE)


class Migration(migrations.Migration):
    dependencies = [("foundation", "0002_audit_append_only_triggers")]
    operations = [
        migrations.RunPython(drop, install_update_only),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(default="", max_length=40),
        ),
        migrations.RunPython(install, drop),
    ]
