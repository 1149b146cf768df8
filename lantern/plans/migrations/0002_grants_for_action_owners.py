"""Issue 13: access comes from explicit grants. The owner of each action in an active plan holds a grant for the child."""

from django.db import migrations

REASON = "Carried over when access moved to explicit grants (issue 13)"


def forward(apps, schema_editor):
    PlanAction = apps.get_model("plans", "PlanAction")
    Grant = apps.get_model("foundation", "Grant")
    Grant.objects.bulk_create(
        Grant(child_id=action.plan.child_id, user_id=action.owner_id, basis="plan_action",
              created_by_id=action.created_by_id, reason=REASON,
              source_type="plans.planaction", source_id=str(action.pk))
        for action in PlanAction.objects.filter(owner__isnull=False, plan__status="active")
        .select_related("plan").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_plans_actions_reviews_measures"), ("foundation", "0003_grants")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
