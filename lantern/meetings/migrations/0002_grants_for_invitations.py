"""Issue 13: access comes from explicit grants. Each professional invited to a meeting not cancelled holds a grant for its children, ending 28 days after a held meeting."""

from datetime import timedelta

from django.db import migrations

REASON = "Carried over when access moved to explicit grants (issue 13)"


def forward(apps, schema_editor):
    Invitation = apps.get_model("meetings", "Invitation")
    MeetingChild = apps.get_model("meetings", "MeetingChild")
    Grant = apps.get_model("foundation", "Grant")
    rows = []
    invitations = (Invitation.objects.filter(professional=True, user__isnull=False)
                   .exclude(meeting__status="cancelled").select_related("meeting"))
    for invitation in invitations.iterator():
        meeting = invitation.meeting
        ends_at = meeting.held_at + timedelta(days=28) if meeting.held_at else None
        for record in MeetingChild.objects.filter(meeting_id=meeting.pk):
            rows.append(Grant(child_id=record.child_id, user_id=invitation.user_id,
                              basis="meeting_invitation", starts_at=meeting.convened_at,
                              ends_at=ends_at, created_by_id=invitation.added_by_id,
                              reason=REASON, source_type="meetings.invitation",
                              source_id=str(invitation.pk)))
    Grant.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_meetings_invitations_agenda_closed_sections"), ("foundation", "0003_grants")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
