"""Django's `flush`, which empties every table, with the SQLite trigger that refuses deletes of
audit rows lifted while it runs (PostgreSQL empties tables with TRUNCATE, which the row trigger
does not see). Tests that commit (the browser tests' live server) are emptied this way;
anything else that deletes an audit row is refused."""

from django.core.management.commands import flush
from django.db import connections

DROP = "DROP TRIGGER IF EXISTS foundation_auditevent_no_delete"
CREATE = """
CREATE TRIGGER IF NOT EXISTS foundation_auditevent_no_delete
BEFORE DELETE ON foundation_auditevent
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END
"""


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        tables = connection.introspection.table_names()
        guarded = "foundation_auditevent" in tables
        if guarded:
            with connection.cursor() as cursor:
                cursor.execute(DROP)
        try:
            return super().handle(**options)
        finally:
            if guarded:
                with connection.cursor() as cursor:
                    cursor.execute(CREATE)
