"""Issue 13: access comes from explicit grants. Each allocation not ended is a grant that changes the record."""

from django.db import migrations

REASON = "Carried over when access moved to explicit grants (issue 13)"


def forward(apps, schema_editor):
    Allocation = apps.get_model("people", "Allocation")
    Grant = apps.get_model("foundation", "Grant")
    Grant.objects.bulk_create(
        Grant(child_id=a.child_id, user_id=a.user_id, basis="allocation", changes=True,
              starts_at=a.started_at, created_by_id=a.allocated_by_id, reason=REASON,
              source_type="people.allocation", source_id=str(a.pk))
        for a in Allocation.objects.filter(ended_at__isnull=True).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_allocations"), ("foundation", "0003_grants")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
