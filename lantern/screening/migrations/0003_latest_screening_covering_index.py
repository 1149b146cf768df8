"""A covering index for "the child's latest screening before a date" (issue 18).

Monitoring's movement figure (`queries.monitoring_movement`) asks, for every child screened in
the period, the category of their latest screening before the period and before its end: two
look-ups a child, ordered by `screened_at DESC, id DESC`. The index on (child, -screened_at)
found the rows but then sorted them and read the table for the category; this one is in the
look-up's own order and carries the category (and the framework), so each look-up is one index-only probe
(docs/performance.md). The work tray's `latest_for_child` columns use it too.

PostgreSQL only (`INCLUDE`); SQLite (development) keeps the plain index.
"""

from django.db import migrations

from lantern.foundation.migrating import postgres_only

POSTGRES_UP = """
CREATE INDEX IF NOT EXISTS screening_child_latest_covering
    ON screening_screening (child_id, screened_at DESC, id DESC) INCLUDE (final_category, framework);
"""
POSTGRES_DOWN = "DROP INDEX IF EXISTS screening_child_latest_covering;"


class Migration(migrations.Migration):
    dependencies = [("screening", "0002_verbose_names")]

    operations = [postgres_only(POSTGRES_UP, POSTGRES_DOWN)]
