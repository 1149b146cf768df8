"""Chairs and deciders per profile and meeting kind (issue 14, item 2; SPEC §5): only the roles
the profile names chair; anyone else chairs with a reason a manager accepts before the meeting
can be held. The child's and family's participation is decided by whom the profile says. The
CSE risk assessment is completed only at the kinds of meeting seed 001 names."""

import pytest

from lantern import testing
from lantern.foundation.models import AuditEvent, ChronologyEntry, Role, WorkItem
from lantern.meetings import actions, queries
from lantern.meetings.models import ChairAcceptance, MeetingChild

from . import helpers as h


@pytest.fixture
def nadia(p):
    """Another CSE team manager in Northbridge, who can accept a chair maria proposed."""
    return testing.UserFactory.create(username="nadia", role=Role.CSE_MANAGER,
                                      agency=p.north_csc)


def test_a_social_worker_cannot_chair_a_mase_without_a_reason(p, child):
    with pytest.raises(actions.MeetingError, match="chaired by: CSE team manager"):
        h.convene(p, [child], chair=p.sam)


def test_with_a_reason_the_chair_awaits_a_manager_and_the_meeting_cannot_be_held(p, child):
    meeting = h.convene(p, [child], chair=p.sam,
                        chair_reason="Maria is on leave; Sam knows Jade best")
    assert meeting.chair_acceptance == ChairAcceptance.AWAITED
    item = WorkItem.objects.get(kind=actions.CHAIR_ACCEPTANCE, status="open")
    assert item.owner_role == Role.CSE_MANAGER and item.area == p.north
    entry = ChronologyEntry.objects.get(child=child, kind="meeting_convened")
    assert "Sam knows Jade best" in entry.detail and "acceptance is awaited" in entry.detail
    h.fill_record(p, meeting, child)
    h.attend_all(meeting, p.maria)
    with pytest.raises(actions.MeetingError, match="A manager accepts .* as chair"):
        h.conclude(meeting, by=p.maria)


def test_a_chair_the_profile_names_needs_no_acceptance(p, child):
    meeting = h.convene(p, [child], chair=p.maria)
    assert meeting.chair_acceptance == "" and meeting.chair_reason == ""
    assert not WorkItem.objects.filter(kind=actions.CHAIR_ACCEPTANCE).exists()


def test_another_manager_accepts_and_the_meeting_can_then_be_held(p, child, nadia):
    meeting = h.convene(p, [child], chair=p.sam, chair_reason="Maria is on leave")
    decided = actions.decide_chair(meeting, by=nadia, accept=True)
    assert decided.chair_acceptance == ChairAcceptance.ACCEPTED
    assert decided.chair_decided_by == nadia
    row = AuditEvent.objects.get(action="accept_chair")
    assert row.child_id == child.pk and row.actor == nadia
    assert row.changes["chair_acceptance"] == {"old": "awaited", "new": "accepted"}
    assert ChronologyEntry.objects.filter(child=child, kind="meeting_chair_decided").exists()
    assert not WorkItem.objects.filter(kind=actions.CHAIR_ACCEPTANCE, status="open").exists()
    h.fill_record(p, meeting, child)
    h.attend_all(meeting, p.maria)
    assert h.conclude(meeting, by=p.maria).status == "held"


@pytest.mark.parametrize("who", ["maria", "sam", "priya", "fiona"])
def test_the_convenor_the_chair_and_non_managers_cannot_accept(p, child, who):
    # maria convened it and sam chairs it; priya and fiona manage nobody.
    meeting = h.convene(p, [child], chair=p.sam, chair_reason="Maria is on leave")
    with pytest.raises(actions.MeetingError):
        actions.decide_chair(meeting, by=getattr(p, who), accept=True)
    meeting.refresh_from_db()
    assert meeting.chair_acceptance == ChairAcceptance.AWAITED


def test_a_refused_chair_needs_reasons_and_the_meeting_is_convened_again(p, child, nadia):
    meeting = h.convene(p, [child], chair=p.sam, chair_reason="Maria is on leave")
    with pytest.raises(actions.MeetingError, match="Enter why"):
        actions.decide_chair(meeting, by=nadia, accept=False)
    meeting = actions.decide_chair(meeting, by=nadia, accept=False,
                                   reason="I will chair it myself")
    records = list(MeetingChild.objects.filter(meeting=meeting).select_related("child__area"))
    assert any("refused" in problem and "convene it again" in problem
               for problem in queries.conclusion_problems(meeting, records))


def test_cancelling_the_meeting_cancels_the_manager_s_work(p, child):
    meeting = h.convene(p, [child], chair=p.sam, chair_reason="Maria is on leave")
    actions.cancel(meeting, by=p.maria, reason="Rearranged")
    assert WorkItem.objects.get(kind=actions.CHAIR_ACCEPTANCE).status == "cancelled"


# --- Who decides the child's and family's participation ----------------------------------------

def test_in_coventry_only_the_cse_team_manager_decides_participation(p, child):
    meeting = h.convene(p, [child], chair=p.sam, chair_reason="Maria is on leave")
    record = MeetingChild.objects.get(meeting=meeting)
    with pytest.raises(actions.MeetingError, match="CSE team manager, with the social work"):
        actions.record_participation(record, by=p.sam, child_participation="whole",
                                     family_participation="whole", reason="Both want to come",
                                     decided_with="Maria")
    with pytest.raises(actions.MeetingError, match="Enter who the decision was made with"):
        actions.record_participation(record, by=p.maria, child_participation="whole",
                                     family_participation="whole", reason="Both want to come",
                                     decided_with="")


def _bristol(p):
    p.north.policy_profile = "bristol"
    p.north.save(update_fields=["policy_profile"])


def test_in_bristol_the_chairing_social_worker_decides_alone(p, child):
    # seed 003 §11: at the discretion of the consultant social worker chairing the meeting.
    _bristol(p)
    meeting = h.convene(p, [child], kind="strategy_discussion", chair=p.sam)
    assert meeting.chair_acceptance == ""
    record = MeetingChild.objects.get(meeting=meeting)
    with pytest.raises(actions.MeetingError, match="decided by the meeting's chair"):
        actions.record_participation(record, by=p.maria, child_participation="whole",
                                     family_participation="views", reason="Mother is unwell",
                                     decided_with="Sam")
    record = actions.record_participation(record, by=p.sam, child_participation="whole",
                                          family_participation="views",
                                          reason="Mother is unwell", decided_with="")
    assert record.participation_decided_by == p.sam and record.participation_decided_with == ""


def test_in_bristol_a_cse_team_manager_chairing_a_strategy_discussion_needs_acceptance(
        p, child):
    _bristol(p)
    with pytest.raises(actions.MeetingError, match="consultant social worker"):
        h.convene(p, [child], kind="strategy_discussion", chair=p.maria)


# --- The CSE risk assessment only where seed 001 asks for it -----------------------------------

def _problems(meeting):
    records = list(MeetingChild.objects.filter(meeting=meeting).select_related("child__area"))
    return " ".join(queries.conclusion_problems(meeting, records))


def test_a_mase_needs_the_police_input_and_both_oversights(p, child):
    problems = _problems(h.convene(p, [child]))
    assert "police input" in problems and "CSE team manager's oversight" in problems
    assert "police oversight" in problems and "level of risk" in problems


def test_a_cmog_review_completes_no_risk_assessment(p, child):
    meeting = h.convene(p, [child], kind="cmog", by=p.priya, chair=p.priya)
    problems = _problems(meeting)
    assert "police input" not in problems and "oversight" not in problems
    assert "level of risk" not in problems
    assert "outcomes" in problems  # what every meeting records still is asked for


# --- The manager's page ------------------------------------------------------------------------

def test_the_manager_accepts_the_chair_from_the_meeting_s_page(p, child, nadia, as_user):
    meeting = h.convene(p, [child], chair=p.sam, chair_reason="Maria is on leave")
    client = as_user(nadia)
    page = client.get(meeting.get_absolute_url())
    assert "Accept the chair" in page.content.decode() and "Maria is on leave" in (
        page.content.decode())
    url = f"/meetings/{meeting.pk}/chair/"
    refused = client.post(url, {"accept": "no", "reason": ""})
    assert refused.status_code == 200 and "Enter why the chair is refused" in (
        refused.content.decode())
    assert client.post(url, {"accept": "yes"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.chair_acceptance == ChairAcceptance.ACCEPTED
    assert meeting.chair_decided_by == nadia


def test_the_convenor_is_refused_the_manager_s_page(p, child, as_user):
    meeting = h.convene(p, [child], chair=p.sam, chair_reason="Maria is on leave")
    client = as_user(p.maria)
    assert "Accept the chair" not in client.get(meeting.get_absolute_url()).content.decode()
    assert client.post(f"/meetings/{meeting.pk}/chair/", {"accept": "yes"}).status_code == 403
