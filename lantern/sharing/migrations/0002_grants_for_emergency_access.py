"""Issue 13: access comes from explicit grants. Each emergency access is a read-only grant ending when it expires (expired ones are kept as history)."""

from django.db import migrations

REASON = "Carried over when access moved to explicit grants (issue 13)"


def forward(apps, schema_editor):
    BreakGlassGrant = apps.get_model("sharing", "BreakGlassGrant")
    Grant = apps.get_model("foundation", "Grant")
    Grant.objects.bulk_create(
        Grant(child_id=g.child_id, user_id=g.user_id, basis="break_glass", read_only=True,
              starts_at=g.granted_at, ends_at=g.expires_at, created_by_id=g.user_id,
              reason=g.reason[:300], source_type="sharing.breakglassgrant", source_id=str(g.pk))
        for g in BreakGlassGrant.objects.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_sharing_decisions_break_glass"), ("foundation", "0003_grants")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
