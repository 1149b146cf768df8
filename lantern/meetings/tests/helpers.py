"""Building meetings in tests: a MASE for Jade convened by maria, with priya and alice invited,
and the steps to hold it."""

from datetime import timedelta

from django.utils import timezone

from lantern import testing
from lantern.meetings import actions
from lantern.meetings.models import Attendance, MeetingChild


def refer_and_decide(p, child, outcome="strategy_discussion"):
    """A referral decided by the front door, so the child's pathway reaches the meeting."""
    from lantern.pathway.actions import decide_referral

    referral = testing.make_referral(child, p.alice)
    decide_referral(referral, outcome, by=p.fiona, rationale="Adults targeting her")
    return referral


def convene(p, children, *, kind="mase_initial", by=None, chair=None, invite=(), days=3,
            **kwargs):
    by = by or p.maria
    invitations = [actions.InviteInput("police", user=p.priya)]
    invitations += [actions.InviteInput(code, user=user) for code, user in invite]
    return actions.convene(
        children=list(children), kind=kind, by=by, chair=chair or p.maria,
        scheduled_for=timezone.now() + timedelta(days=days), format="in_person",
        invitations=invitations, **kwargs)


def fill_record(p, meeting, child, **overrides):
    record = MeetingChild.objects.get(meeting=meeting, child=child)
    values = {"risk_framework": "wm", "risk_category": 2,
              "risk_analysis": "Adults are grooming her with lifts and gifts.",
              "csc_input": "Known to children's services since March.",
              "police_input": "Two adults known to police for exploitation offences.",
              "police_input_by": "DS Priya Police", "health_input": "Attended the sexual "
              "health clinic twice.", "outcomes": ["multi_agency_support"],
              "next_review_on": timezone.localdate() + timedelta(days=42)}
    values.update(overrides)
    record = actions.record_child_outcome(record, by=meeting.chair, version=record.version,
                                          **values)
    actions.record_participation(record, by=p.maria, child_participation="part",
                                 family_participation="whole",
                                 reason="Her mother asked to come; Jade wants to speak first.",
                                 decided_with="Sam's manager, Maria", family_warned=True)
    actions.record_oversight(record, by=p.maria, comment="Agree category 2.")
    actions.record_oversight(record, by=p.priya, comment="Recorded on police systems.",
                             recorded_on_police_systems=True)
    return MeetingChild.objects.get(pk=record.pk)


def attend_all(meeting, by):
    actions.record_attendance(meeting, {i.pk: Attendance.ATTENDED
                                        for i in meeting.invitations.all()}, by=by)


def hold(p, meeting, children, **overrides):
    for child in children:
        fill_record(p, meeting, child, **overrides)
    attend_all(meeting, meeting.chair)
    return conclude(meeting, by=meeting.chair)


def conclude(meeting, *, by, **kwargs):
    """Recorded as held an hour after it started (never before, issue 14)."""
    return actions.conclude(meeting, by=by, at=meeting.scheduled_for + timedelta(hours=1),
                            **kwargs)
