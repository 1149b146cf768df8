"""Conveners per profile (issue 14, item 2): the convenor the profile names (or a CSE team
manager) convenes; a social worker, the front door or the police convene another kind only
with a reason a manager of the area accepts before the meeting is held (the same shape as a
chair's acceptance). A Coventry social worker convenes a MASE (seed 001, Figure 4)."""

import pytest

from lantern.foundation.models import AuditEvent, ChronologyEntry, Role, WorkItem
from lantern.meetings import actions, queries
from lantern.meetings.models import ChairAcceptance, Meeting, MeetingChild
from lantern.people import actions as people_actions

from . import helpers as h

REASON = "Jade is open to children's social care: her allocated social worker convenes"


def test_a_social_worker_convenes_a_mase_only_with_a_reason(p, child):
    with pytest.raises(actions.MeetingError, match="convened by: CSE team.*Say why"):
        h.convene(p, [child], by=p.sam)
    meeting = h.convene(p, [child], by=p.sam, convenor_reason=REASON)
    assert meeting.convenor_acceptance == ChairAcceptance.AWAITED
    assert meeting.convenor_reason == REASON
    item = WorkItem.objects.get(kind=actions.CONVENOR_ACCEPTANCE, status="open")
    assert item.owner_role == Role.CSE_MANAGER and item.due_at == meeting.scheduled_for
    assert ChronologyEntry.objects.filter(child=child, kind="meeting_convened",
                                          detail__contains=REASON).exists()


def test_the_convenor_the_profile_names_needs_no_acceptance(p, child):
    meeting = h.convene(p, [child])  # maria, the CSE team manager
    assert meeting.convenor_acceptance == "" and meeting.convenor_reason == ""


def test_a_school_still_cannot_convene(p, child):
    with pytest.raises(actions.MeetingError, match="Ask them, or a CSE team manager"):
        h.convene(p, [child], by=p.alice, convenor_reason="We know her best")


def test_the_meeting_cannot_be_held_until_a_manager_accepts_the_convenor(p, child):
    meeting = h.convene(p, [child], by=p.sam, convenor_reason=REASON)
    problems = queries.conclusion_problems(meeting, list(
        MeetingChild.objects.filter(meeting=meeting).select_related("child")))
    assert any("as convenor" in problem for problem in problems)


def test_a_manager_accepts_it_audited_and_in_the_chronology(p, child):
    meeting = h.convene(p, [child], by=p.sam, convenor_reason=REASON)
    # maria chairs it and manages sam: the chair may accept a convenor.
    decided = actions.decide_convenor(meeting, by=p.maria, accept=True)
    assert decided.convenor_acceptance == ChairAcceptance.ACCEPTED
    assert decided.convenor_decided_by == p.maria
    row = AuditEvent.objects.get(action="accept_convenor")
    assert row.changes["convenor_acceptance"] == {"old": "awaited", "new": "accepted"}
    assert ChronologyEntry.objects.filter(child=child, kind="meeting_convenor_decided").exists()
    assert not WorkItem.objects.filter(kind=actions.CONVENOR_ACCEPTANCE, status="open").exists()


@pytest.mark.parametrize("who", ["sam", "fiona", "priya"])
def test_the_convenor_and_non_managers_cannot_accept(p, child, who):
    meeting = h.convene(p, [child], by=p.sam, convenor_reason=REASON)
    with pytest.raises(actions.MeetingError):
        actions.decide_convenor(meeting, by=getattr(p, who), accept=True)


def test_a_refusal_needs_reasons_and_blocks_holding(p, child):
    meeting = h.convene(p, [child], by=p.sam, convenor_reason=REASON)
    with pytest.raises(actions.MeetingError, match="Enter why"):
        actions.decide_convenor(meeting, by=p.maria, accept=False)
    meeting = actions.decide_convenor(meeting, by=p.maria, accept=False,
                                      reason="The CSE team convenes new referrals.")
    assert AuditEvent.objects.filter(action="refuse_convenor").exists()
    problems = queries.conclusion_problems(meeting, list(
        MeetingChild.objects.filter(meeting=meeting).select_related("child")))
    assert any("refused" in problem and "convenor" in problem for problem in problems)


def test_cancelling_ends_the_manager_s_work(p, child):
    meeting = h.convene(p, [child], by=p.sam, convenor_reason=REASON)
    actions.cancel(meeting, by=p.sam, reason="Convened again by the CSE team.")
    assert not WorkItem.objects.filter(kind=actions.CONVENOR_ACCEPTANCE, status="open").exists()


# --- Through the pages --------------------------------------------------------------------

def test_the_social_worker_is_asked_the_reason_on_the_convene_page(p, child, as_user):
    people_actions.allocate(child, p.sam, by=p.fiona)  # seed 001, Figure 4: an open case
    body = as_user(p.sam).get(f"/children/{child.pk}/meetings/new/?kind=mase_initial"
                              ).content.decode()
    assert "why do you convene it?" in body


def test_a_manager_decides_on_the_meeting_page(p, child, as_user):
    meeting = h.convene(p, [child], by=p.sam, convenor_reason=REASON)
    client = as_user(p.maria)
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "Accept the convenor" in body and REASON.replace("'", "&#x27;") in body
    response = client.post(f"/meetings/{meeting.pk}/convenor/", {"accept": "no"})
    assert response.status_code == 200 and "Enter why the convenor is refused" in (
        response.content.decode())
    response = client.post(f"/meetings/{meeting.pk}/convenor/", {"accept": "yes"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).convenor_acceptance == ChairAcceptance.ACCEPTED


def test_the_convenor_may_not_decide_through_the_page(p, child, as_user):
    meeting = h.convene(p, [child], by=p.sam, convenor_reason=REASON)
    people_actions.allocate(child, p.sam, by=p.fiona)
    assert as_user(p.sam).post(f"/meetings/{meeting.pk}/convenor/",
                               {"accept": "yes"}).status_code == 403
