"""Coventry's meeting for a child already open to children's services was stored as
`mase_review`; it is now its own kind, `statutory_review`, and `mase_review` is the MASE review
(issue 14, item 2). Meetings convened under the old entry carry its label, which tells them
apart; a required MASE that such a meeting answered keeps answering under the new code."""

from django.db import migrations

OLD_LABEL = "Multi-agency meeting for a child already open to children's services"


def forwards(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    MeetingRequirement = apps.get_model("pathway", "MeetingRequirement")
    Meeting.objects.filter(kind="mase_review", label=OLD_LABEL).update(kind="statutory_review")
    for requirement in MeetingRequirement.objects.filter(kind="mase_initial"):
        if "mase_review" in requirement.counts:
            requirement.counts = ["statutory_review" if k == "mase_review" else k
                                  for k in requirement.counts]
            requirement.save(update_fields=["counts"])


def backwards(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    MeetingRequirement = apps.get_model("pathway", "MeetingRequirement")
    Meeting.objects.filter(kind="statutory_review").update(kind="mase_review")
    for requirement in MeetingRequirement.objects.filter(kind="mase_initial"):
        if "statutory_review" in requirement.counts:
            requirement.counts = ["mase_review" if k == "statutory_review" else k
                                  for k in requirement.counts]
            requirement.save(update_fields=["counts"])


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0005_chair_acceptance"),
        ("pathway", "0003_meeting_requirements"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
