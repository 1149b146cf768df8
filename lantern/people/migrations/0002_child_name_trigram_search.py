"""Trigram indexes for finding a child (issue 18). Finding a child narrows by substring
(`search_text LIKE '%name%'`) and by sound-alike keys (`search_keys LIKE '% KEY %'`); without
an index both read every child. On PostgreSQL, pg_trgm's GIN indexes answer LIKE with a
leading wildcard. SQLite (development) keeps reading every row, which is fast at its sizes.

The indexes are on the foundation's child table; they live here because finding a child is
this app's (lantern/people/search.py). pg_trgm is a trusted extension (PostgreSQL 13+): the
database owner may create it.
"""

from django.db import migrations

from lantern.foundation.migrating import postgres_only

POSTGRES_UP = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS foundation_child_search_text_trgm
    ON foundation_child USING gin (search_text gin_trgm_ops);
CREATE INDEX IF NOT EXISTS foundation_child_search_keys_trgm
    ON foundation_child USING gin (search_keys gin_trgm_ops);
"""
POSTGRES_DOWN = """
DROP INDEX IF EXISTS foundation_child_search_text_trgm;
DROP INDEX IF EXISTS foundation_child_search_keys_trgm;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_allocations"),
        ("foundation", "0002_audit_append_only_triggers"),
    ]

    operations = [postgres_only(POSTGRES_UP, POSTGRES_DOWN)]
