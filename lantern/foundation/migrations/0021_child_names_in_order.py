"""The children's names in family-name order, in an index of their own (issue 18).

A social worker's home page (`people.queries.allocated_to`) lists 50 of their children by
family name. For a worker who holds many (the heavy social worker's 2,486 at 100,000
children) the children are walked in this order and kept if the worker holds them, rather
than each of their children's names read by key and sorted: 1,752 names read in order (28
index pages) rather than 2,486 probes (7,459 pages). It holds the given names too, so the walk
reads the index alone.

PostgreSQL only (`INCLUDE`); on SQLite (development) the walk reads the table.
"""

from django.db import migrations

from lantern.foundation.migrating import postgres_only

POSTGRES_UP = """
CREATE INDEX IF NOT EXISTS foundation_child_names_in_order
    ON foundation_child (family_name, id) INCLUDE (given_names);
"""
POSTGRES_DOWN = "DROP INDEX IF EXISTS foundation_child_names_in_order;"


class Migration(migrations.Migration):
    dependencies = [("foundation", "0020_workitem_open_owner_due")]

    operations = [postgres_only(POSTGRES_UP, POSTGRES_DOWN)]
