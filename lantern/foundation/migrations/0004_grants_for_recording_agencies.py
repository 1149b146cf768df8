"""Issue 13: access comes from explicit grants. Each child's record gives the agency that added it the grant that agency had by rule before."""

from django.db import migrations

REASON = "Carried over when access moved to explicit grants (issue 13)"


def forward(apps, schema_editor):
    Child = apps.get_model("foundation", "Child")
    Grant = apps.get_model("foundation", "Grant")
    Grant.objects.bulk_create(
        Grant(child_id=child.pk, agency_id=child.created_by_agency_id, basis="referral_routing",
              starts_at=child.created_at, created_at=child.created_at,
              created_by_id=child.created_by_id, reason=REASON)
        for child in Child.objects.filter(created_by_agency__isnull=False).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("foundation", "0003_grants")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
