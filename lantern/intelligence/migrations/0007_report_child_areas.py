"""The areas of the children a report concerns, kept with the report (issue 18).

Police and analysts read the reports of their area and the reports about a child of it
(access.visible_reports). Asked of the children, PostgreSQL read every child of the area to
find them (12,500 at 100,000 children: 3.4 ms of the police intelligence list's 4.3). Kept
with the report, it is an index scan of the area's few hundred rows. Filled here from each
report's children; run again (as `fill(apps, None)`), it adds only what is missing. The code
that writes `child_areas` must be serving when this runs: a report submitted by older code
after it has none until `lantern work` puts it right (actions.keep_report_areas: a recent
report's within a pass, a minute).
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    report = apps.get_model("intelligence", "IntelligenceReport")
    concerns, areas = report.children.through, report.child_areas.through
    pairs = (concerns.objects.values_list("intelligencereport_id", "child__area_id")
             .distinct().order_by())
    areas.objects.bulk_create(
        (areas(intelligencereport_id=report_id, area_id=area_id) for report_id, area_id in pairs),
        batch_size=5000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("foundation", "0022_workitem_open_area_kind"),
        ("intelligence", "0006_report_children_by_child"),
    ]

    operations = [
        migrations.AddField(
            model_name="intelligencereport",
            name="child_areas",
            field=models.ManyToManyField(blank=True, editable=False, related_name="+",
                                         to="foundation.area"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
