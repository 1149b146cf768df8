"""PDF exports of minutes (professional and family versions), drawn by lantern.foundation.pdf.

The family version is what the child and family may read: never a closed section's minutes,
reason or decisions (only what the chair explained to them about it), never the police's or
other agencies' contributions to the risk assessment, never another child. A meeting about
several children (a complex strategy) gives each family only their own child's record."""

from django.http import Http404
from django.utils import timezone

from lantern.foundation.access import visible_children
from lantern.foundation.pdf import render

from . import catalogue
from .models import ClosedSection, Meeting, MeetingChild, MeetingDecision


def minutes(user, meeting: Meeting, *, family: bool, with_closed: bool,
            child_id: int | None = None) -> bytes:
    records = list(MeetingChild.objects.filter(meeting=meeting).select_related(
        "child", "manager_oversight_by", "police_oversight_by"))
    named = set(visible_children(user).filter(pk__in=[r.child_id for r in records])
                .values_list("pk", flat=True))
    records = [r for r in records if r.child_id in named]
    if family:
        with_closed = False
        if child_id is None and len(records) == 1:
            child_id = records[0].child_id
        records = [r for r in records if r.child_id == child_id]
        if not records:
            raise Http404("Choose the child whose family the minutes are for")
    data = catalogue.get()
    decisions = MeetingDecision.objects.filter(
        meeting=meeting, child_id__in=[r.child_id for r in records]).select_related(
        "closed_section")
    if not with_closed:
        decisions = decisions.filter(closed_section__isnull=True)
    decision_list = list(decisions)
    for record in records:
        record.outcome_labels = [data.outcome(c).label for c in record.outcomes]
        record.decision_rows = [d for d in decision_list if d.child_id == record.child_id]
    sections = list(ClosedSection.objects.filter(meeting=meeting, status="granted")
                    .select_related("requested_by", "decided_by", "agenda_item"))
    total = meeting.records.count()
    several = total > 1
    invitations = list(meeting.invitations.select_related("agency"))
    if family:
        # Another child's family is never named in this family's copy.
        invitations = [i for i in invitations if i.professional
                       or i.for_child_id == records[0].child_id
                       or (i.for_child_id is None and not several)]
    title = (f"{meeting.display_label}, {timezone.localtime(meeting.scheduled_for):%-d %B %Y}: "
             + ("minutes for the child and family" if family else "minutes"))
    context = {
        "meeting": meeting, "records": records, "family": family,
        "with_closed": with_closed, "closed_sections": sections,
        "agenda": list(meeting.agenda.all()) if not (family and several) else [],
        "several": several, "others": 0 if family else total - len(records),
        "invitations": invitations,
        "made_at": timezone.now(),
        # Whose role decides whether wording to check is marked (SPEC §12): never in the
        # family's copy, which is theirs to read.
        "reader": None if family else user,
    }
    return render("meetings/pdf/minutes.html", context, title=title,
                  marking=meeting.protective_marking)
