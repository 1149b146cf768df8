"""The children a report concerns, by child, with the report in the index (issue 18).

Police read the reports of their area and the reports about a child of it (access.
visible_reports): PostgreSQL hashes the reports about the area's children by walking every
report's children in child order and merging them with the area's children. By the child
index alone that read each row of the table besides (5,000 at 100,000 children: 5,000
buffers); with the report in the index it is an index-only scan of 20. The police
intelligence list's query: 4.8 to 2.9 ms (EXPLAIN ANALYZE, best of 15, busy machine), the
same rows in the same order.

The table is ManyToManyField's own (IntelligenceReport.children), which declares no indexes
of its own, so the index is made here and not in the model's state.
"""

from django.db import migrations

UP = """
CREATE INDEX IF NOT EXISTS intelligence_report_children_by_child
    ON intelligence_intelligencereport_children (child_id, intelligencereport_id);
"""
DOWN = "DROP INDEX IF EXISTS intelligence_report_children_by_child;"


class Migration(migrations.Migration):
    dependencies = [("intelligence", "0005_ranking_snapshot")]

    operations = [migrations.RunSQL(UP, DOWN, elidable=False)]
