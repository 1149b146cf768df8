"""Queries for meeting pages: each owns its joins, so the pages' query counts stay flat."""

from django.db.models import Prefetch
from django.utils import timezone

from lantern.sharing.access import visible_children

from . import access, actions
from .models import AgendaItem, ClosedSection, Invitation, Meeting, MeetingChild, MeetingDecision


def meetings_for(user, *, limit: int = 200) -> list[Meeting]:
    """Meetings the user may see, soonest first from a week ago, each with its children."""
    since = timezone.now() - timezone.timedelta(days=7)
    rows = (access.visible_meetings(user).filter(scheduled_for__gte=since)
            .select_related("area", "chair")
            .prefetch_related(Prefetch("records",
                                       queryset=MeetingChild.objects.select_related("child")))
            .order_by("scheduled_for", "pk")[:limit])
    return _named(user, list(rows))


def _named(user, meetings: list[Meeting]) -> list[Meeting]:
    """Mark, on each meeting, which of its children the user may see (one query)."""
    ids = {r.child_id for m in meetings for r in m.records.all()}
    named = set(visible_children(user).filter(pk__in=ids).values_list("pk", flat=True))
    for meeting in meetings:
        meeting.child_rows = [(r.child, r.child_id in named) for r in meeting.records.all()]
    return meetings


def child_meetings(child) -> list[Meeting]:
    return list(Meeting.objects.filter(records__child=child).select_related("chair")
                .order_by("-scheduled_for"))


def meeting_page(user, meeting: Meeting) -> dict:
    """Everything the meeting's page shows, in a fixed number of queries."""
    invitations = list(Invitation.objects.filter(meeting=meeting)
                       .select_related("user", "agency"))
    for invitation in invitations:
        invitation.invitee_label = actions.invitee_label(invitation.invitee)
    records = list(MeetingChild.objects.filter(meeting=meeting)
                   .select_related("child__area", "manager_oversight_by",
                                   "police_oversight_by"))
    named = set(visible_children(user).filter(pk__in=[r.child_id for r in records])
                .values_list("pk", flat=True))
    read_closed = access.can_read_closed(user, meeting)
    sections = list(ClosedSection.objects.filter(meeting=meeting)
                    .select_related("requested_by", "decided_by", "agenda_item"))
    decisions = list(MeetingDecision.objects.filter(meeting=meeting, child_id__in=named)
                     .select_related("closed_section"))
    if not read_closed:
        decisions = [d for d in decisions if d.closed_section_id is None]
    for record in records:
        record.named = record.child_id in named
        record.decision_rows = [d for d in decisions if d.child_id == record.child_id]
    agenda = list(AgendaItem.objects.filter(meeting=meeting).select_related("updated_by"))
    return {
        "meeting": meeting,
        "invitations": invitations,
        "records": records,
        "agenda": agenda,
        "read_closed": read_closed,
        "closed_sections": sections if read_closed else [],
        "closed_count": sum(1 for s in sections if s.status == ClosedSection.Status.GRANTED),
        "warnings": actions.warnings(meeting, invitations),
    }
