import pytest

from lantern import testing
from lantern.foundation.models import WorkItem
from lantern.meetings import actions, queries
from lantern.meetings.models import Meeting
from lantern.meetings.tests import helpers as h
from lantern.pathway.models import MeetingRequirement, Pathway
from lantern.plans.models import Plan


def test_a_mase_convened_moves_the_pathway_to_the_meeting_with_its_deadline(p, child):
    h.refer_and_decide(p, child)
    meeting = h.convene(p, [child])
    pathway = Pathway.objects.get(child=child)
    assert pathway.state == "meeting"
    item = WorkItem.objects.get(child=child, kind="meeting", status="open")
    assert "15 working days" in item.basis
    assert meeting.due_at == item.due_at
    assert [i.invitee for i in meeting.invitations.all()] == ["chair", "police"]


def test_holding_the_meeting_agrees_the_plan_and_moves_the_pathway_on(p, child):
    h.refer_and_decide(p, child)
    meeting = h.convene(p, [child])
    h.hold(p, meeting, [child])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    plan = Plan.objects.get(child=child)
    assert plan.status == "active" and plan.next_review_on is not None
    assert Pathway.objects.get(child=child).state == "plan"


def test_a_mase_deciding_on_section_47_becomes_a_strategy_discussion(p, child):
    h.refer_and_decide(p, child, outcome="assessment")
    meeting = h.convene(p, [child])
    h.hold(p, meeting, [child], section_47=True, outcomes=["child_protection"])
    meeting.refresh_from_db()
    assert meeting.became_strategy_discussion
    pathway = Pathway.objects.get(child=child)
    assert pathway.section_47
    assert list(pathway.steps.values_list("step", flat=True))[-3:] == [
        "meeting", "strategy_discussion", "plan"]


def test_the_meeting_cannot_be_held_without_police_input(p, child):
    meeting = h.convene(p, [child])
    h.fill_record(p, meeting, child, police_input="")
    with pytest.raises(actions.MeetingError, match="police input"):
        actions.conclude(meeting, by=p.maria)


def test_a_review_meeting_reviews_the_plan_and_sets_the_next_review(p, child):
    from datetime import timedelta

    from django.utils import timezone

    from lantern.plans.models import PlanReview

    h.refer_and_decide(p, child)
    h.hold(p, h.convene(p, [child]), [child])
    review = h.convene(p, [child], kind="mase_review")
    assert review.agenda_template == "review"
    h.fill_record(p, review, child)
    with pytest.raises(actions.MeetingError, match="Review Jade Example's plan"):
        actions.conclude(review, by=p.maria)
    record = review.records.get()
    next_review = timezone.localdate() + timedelta(days=28)
    actions.record_child_outcome(record, by=p.maria, version=record.version,
                                 plan_review="Missing episodes down from five to one.",
                                 next_review_on=next_review)
    h.attend_all(review, p.maria)
    h.conclude(review, by=p.maria)
    assert PlanReview.objects.get().summary == "Missing episodes down from five to one."
    assert Plan.objects.get(child=child).next_review_on == next_review
    pathway = Pathway.objects.get(child=child)
    assert pathway.state == "review"
    item = WorkItem.objects.get(child=child, kind="review", status="open")
    assert timezone.localtime(item.due_at).date() == next_review


def test_a_complex_strategy_gives_each_child_their_own_record_and_plan(p, child):
    other = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    meeting = h.convene(p, [child, other], kind="complex_strategy")
    actions.record_decision(meeting, children=[child, other], by=p.maria,
                            text="Both schools to share attendance daily")
    actions.record_decision(meeting, children=[other], by=p.maria,
                            text="Kayla to be offered an ISVA")
    h.hold(p, meeting, [child, other])
    assert list(child.meeting_decisions.values_list("text", flat=True)) == [
        "Both schools to share attendance daily"]
    assert other.meeting_decisions.count() == 2
    assert Plan.objects.filter(child__in=[child, other], status="active").count() == 2


def test_a_meeting_held_is_in_each_child_s_chronology_without_other_children(p, child):
    other = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    meeting = h.convene(p, [child, other], kind="complex_strategy")
    h.hold(p, meeting, [child, other])
    entry = child.chronology.get(kind="meeting_held")
    assert "Kayla" not in entry.title + entry.detail
    assert "category 2" in entry.detail


def test_audit_summaries_never_name_the_child(p, child):
    from lantern.foundation.models import AuditEvent

    meeting = h.convene(p, [child])
    h.hold(p, meeting, [child])
    summaries = AuditEvent.objects.values_list("summary", flat=True)
    assert summaries and not any("Jade" in s for s in summaries)
    titles = WorkItem.objects.values_list("title", flat=True)
    assert not any("Jade" in t for t in titles)


def test_the_record_is_refused_after_the_meeting_is_held(p, child):
    meeting = h.convene(p, [child])
    h.hold(p, meeting, [child])
    record = meeting.records.get()
    with pytest.raises(actions.MeetingError, match="held"):
        actions.record_child_outcome(record, by=p.maria, version=record.version,
                                     risk_category=3)


def test_only_the_cse_team_manager_and_police_oversee_the_risk_assessment(p, child):
    meeting = h.convene(p, [child])
    record = h.fill_record(p, meeting, child)
    with pytest.raises(actions.MeetingError, match="CSE team manager and the police"):
        actions.record_oversight(record, by=p.fiona, comment="Agreed")


def test_only_the_cse_team_manager_decides_the_family_s_participation(p, child):
    meeting = h.convene(p, [child])
    with pytest.raises(actions.MeetingError, match="decided by a CSE team manager"):
        actions.record_participation(meeting.records.get(), by=p.priya,
                                     child_participation="whole",
                                     family_participation="whole", reason="x",
                                     decided_with="y")


def test_stockport_asks_whether_parents_were_told_of_the_confidential_section(p):
    from lantern.pathway.actions import adopt_profile

    adopt_profile(p.north, "stockport", by=p.ade)
    child = testing.make_child(p.alice)
    meeting = h.convene(p, [child], kind="strategy_meeting")
    assert "independent reviewing officer" in meeting.chair_basis.lower()
    with pytest.raises(actions.MeetingError, match="told beforehand"):
        actions.record_participation(meeting.records.get(), by=p.maria,
                                     child_participation="not", family_participation="whole",
                                     reason="Mother wants to attend", decided_with="SW manager")
    record = h.fill_record(p, meeting, child, exit_strategy="")
    assert "Name the exit strategy" in "; ".join(
        queries.conclusion_problems(meeting, [record]))


def test_holding_the_mase_meets_the_meeting_the_category_requires(p, child):
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # category 2
    h.refer_and_decide(p, child)
    meeting = h.convene(p, [child])
    h.hold(p, meeting, [child])
    requirement = MeetingRequirement.objects.get(child=child)
    assert requirement.held_at is not None
    assert requirement.meeting_url == meeting.get_absolute_url()
    assert requirement.work_item.status == WorkItem.Status.DONE
    assert Pathway.objects.get(child=child).state == "plan"
