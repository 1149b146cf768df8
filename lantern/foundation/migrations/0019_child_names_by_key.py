"""The children's names by key, in an index of their own (issue 18).

A social worker's home page (`people.queries.allocated_to`) sorts all of their open
allocations by the child's family name to show 50: for the heavy social worker, 2,486 children
read by key. Each was an index probe and a read of the child's row (a wide one: search text,
aliases, JSON); with the names in the index, each is an index-only probe (at 100,000 children
the query took 7-12 ms, now 4-5 ms, the same rows in the same order). Lists that show a child's
name by their key (select_related("child").only(names)) may use it too.

PostgreSQL only (`INCLUDE`); on SQLite (development) it would be a copy of the primary key.
"""

from django.db import migrations

from lantern.foundation.migrating import postgres_only

POSTGRES_UP = """
CREATE INDEX IF NOT EXISTS foundation_child_names_by_key
    ON foundation_child (id) INCLUDE (family_name, given_names);
"""
POSTGRES_DOWN = "DROP INDEX IF EXISTS foundation_child_names_by_key;"


class Migration(migrations.Migration):
    dependencies = [("foundation", "0018_child_area_ids")]

    operations = [postgres_only(POSTGRES_UP, POSTGRES_DOWN)]
