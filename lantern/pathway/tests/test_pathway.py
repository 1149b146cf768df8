"""A child's pathway (SPEC §2): explicit states moved only through actions, each step's
deadline from the area's profile, chronology and audit for every move."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from lantern import testing
from lantern.domain import dates
from lantern.foundation.models import AuditEvent, WorkItem
from lantern.pathway import actions
from lantern.pathway.models import ExitRoute, Outcome, Pathway, PathwayStep, Step

FRIDAY_BEFORE_CHRISTMAS = datetime(2024, 12, 20, 10, 0, tzinfo=dates.LONDON)


def _pathway(child) -> Pathway:
    return Pathway.objects.get(child=child, exited_at=None)


def _steps(child) -> list[str]:
    return list(PathwayStep.objects.filter(pathway__child=child).order_by("started_at", "id")
                .values_list("step", flat=True))


def _decide(p, referral, outcome, **kwargs):
    return actions.decide_referral(referral, outcome, by=p.fiona,
                                   rationale="Reasons the child and referrer would understand.",
                                   **kwargs)


def test_a_concern_starts_the_pathway(p, child):
    assert _pathway(child).state == Step.CONCERN
    assert _steps(child) == [Step.CONCERN]


def test_a_referral_moves_the_pathway_to_the_front_door_with_its_deadline(p, child):
    referral = testing.make_referral(child, p.alice)
    pathway = _pathway(child)
    assert pathway.state == Step.DECISION
    decision = PathwayStep.objects.get(pathway=pathway, step=Step.DECISION)
    assert decision.completed_at is None
    assert decision.work_item.due_at == referral.decision_due_at
    assert decision.work_item.basis == referral.due_basis


def test_the_decision_deadline_comes_from_the_area_profile(p):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    child = testing.make_child(p.alice)
    referral = testing.make_referral(child, p.alice, received_at=FRIDAY_BEFORE_CHRISTMAS)
    assert referral.decision_due_at == FRIDAY_BEFORE_CHRISTMAS + timedelta(hours=24)
    assert referral.due_basis.endswith("(Stockport CSE procedure §13, Response by Social Care)")


def test_coventry_referrals_get_the_adopted_24_hours_and_say_so(p, child):
    referral = testing.make_referral(child, p.alice, received_at=FRIDAY_BEFORE_CHRISTMAS)
    assert referral.decision_due_at == FRIDAY_BEFORE_CHRISTMAS + timedelta(hours=24)
    assert "West Midlands CSE toolkit sets no timescale" in referral.due_basis


def test_an_assessment_is_due_by_the_profile_counted_from_the_referral(p):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    child = testing.make_child(p.alice)
    referral = testing.make_referral(child, p.alice, received_at=FRIDAY_BEFORE_CHRISTMAS)
    _decide(p, referral, Outcome.ASSESSMENT, allocate_to=p.sam)
    pathway = _pathway(child)
    assert pathway.state == Step.ASSESSMENT
    step = PathwayStep.objects.get(pathway=pathway, step=Step.ASSESSMENT)
    assert step.work_item.all_day
    assert timezone.localtime(step.work_item.due_at).date() == date(2025, 1, 3)
    assert "7 working days" in step.work_item.basis
    # The allocated social worker owns it.
    assert step.work_item.owner == p.sam
    # The decision step is done.
    assert PathwayStep.objects.get(pathway=pathway, step=Step.DECISION).completed_at


def test_a_step_without_a_timescale_is_work_that_says_whose_judgement_sets_it(p, child):
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, Outcome.ASSESSMENT)  # coventry sets no assessment timescale
    item = PathwayStep.objects.get(pathway__child=child, step=Step.ASSESSMENT).work_item
    assert item.due_at is None
    assert item.basis.startswith("The Coventry (West Midlands regional CSE model) procedure "
                                 "sets no timescale")
    assert "judgement of the allocated social worker" in item.basis
    assert item.owner_role == "social_worker"  # nobody allocated: the social workers' tray


def test_the_mase_is_due_within_15_working_days_of_the_referral(p, child):
    referral = testing.make_referral(child, p.alice, received_at=FRIDAY_BEFORE_CHRISTMAS)
    _decide(p, referral, Outcome.STRATEGY_DISCUSSION)
    actions.advance(child, Step.MEETING, by=p.maria, note="A MASE will share what is known.")
    item = PathwayStep.objects.get(pathway__child=child, step=Step.MEETING).work_item
    assert timezone.localtime(item.due_at).date() == date(2025, 1, 15)
    assert item.owner_role == "cse_manager"  # chaired by the CSE team manager (seed 001)
    assert item.title.startswith("Hold the MASE meeting")


def _hold(p, child, kind="mase_initial"):
    """What the meetings app tells the pathway when a meeting of the kind is held."""
    actions.meeting_held(child, kind=kind, became_strategy_discussion=False, by=p.maria,
                         at=timezone.now(), url="/meetings/1/")


def test_a_reconvened_meeting_has_no_first_meeting_deadline(p, child):
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, Outcome.STRATEGY_DISCUSSION)
    actions.advance(child, Step.MEETING, by=p.maria, note="First MASE.")
    _hold(p, child)
    actions.advance(child, Step.PLAN, by=p.maria, note="Safety and disruption plan agreed.",
                    review_on=timezone.localdate() + timedelta(days=30))
    actions.advance(child, Step.MEETING, by=p.maria, note="Risk has risen: reconvene.")
    latest = PathwayStep.objects.filter(pathway__child=child, step=Step.MEETING).latest("id")
    assert latest.work_item.due_at is None
    assert latest.work_item.basis.startswith("A reconvened meeting")
    assert ("judgement of its convenor (CSE team; West Midlands CSE toolkit"
            in latest.work_item.basis)


@pytest.mark.parametrize(("outcome", "route"), [
    (Outcome.NO_FURTHER_ACTION, ExitRoute.CLOSE),
    (Outcome.SINGLE_AGENCY, ExitRoute.CLOSE),
    (Outcome.EARLY_HELP, ExitRoute.TEAM_AROUND_CHILD),
])
def test_decisions_that_end_the_pathway_record_where_and_why(p, child, outcome, route):
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, outcome)
    pathway = Pathway.objects.get(child=child)
    assert pathway.state == Step.EXIT and pathway.exit_route == route
    assert pathway.exit_reason.startswith("Reasons the child")


def test_a_section_47_decision_takes_the_urgent_route(p):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    child = testing.make_child(p.alice)
    referral = testing.make_referral(child, p.alice, urgent=True)
    decided_at = timezone.now()
    with time_machine.travel(decided_at, tick=False):
        _decide(p, referral, Outcome.SECTION_47)
    pathway = _pathway(child)
    assert pathway.state == Step.STRATEGY_DISCUSSION
    assert pathway.urgent and pathway.section_47
    step = PathwayStep.objects.get(pathway=pathway, step=Step.STRATEGY_DISCUSSION)
    assert step.urgent
    # "Without delay": due the moment the route is taken (seed 000 §13).
    assert step.work_item.due_at == decided_at
    assert "without delay" in step.work_item.basis
    assert step.work_item.title.startswith("Urgently:")


def test_the_urgent_route_decides_a_waiting_referral_as_section_47(p, child):
    referral = testing.make_referral(child, p.alice)
    actions.take_urgent_route(child, by=p.fiona, reason="Found with adults known to police.")
    referral.refresh_from_db()
    assert referral.decision.outcome == Outcome.SECTION_47
    assert _pathway(child).section_47


def test_the_urgent_route_needs_no_referral(p, child):
    actions.take_urgent_route(child, by=p.maria, reason="Child taken into police protection.")
    assert _pathway(child).state == Step.STRATEGY_DISCUSSION
    assert _steps(child) == [Step.CONCERN, Step.STRATEGY_DISCUSSION]


@pytest.mark.parametrize("route", [r.value for r in ExitRoute])
def test_each_exit_route_is_recorded_with_its_reason(p, child, route):
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, Outcome.ASSESSMENT)
    actions.advance(child, Step.EXIT, by=p.sam, exit_route=route,
                    note="Assessment complete; what happens next agreed with the family.")
    pathway = Pathway.objects.get(child=child)
    assert (pathway.state, pathway.exit_route) == (Step.EXIT, route)
    assert pathway.exited_at is not None
    assert child.chronology.filter(kind="pathway_exit").exists()


def test_an_exit_needs_a_route_and_a_reason(p, child):
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, Outcome.ASSESSMENT)
    with pytest.raises(actions.PathwayError, match="Select where"):
        actions.exit_pathway(child, route="", reason="Done.", by=p.sam)
    with pytest.raises(actions.PathwayError, match="Enter the reason"):
        actions.exit_pathway(child, route=ExitRoute.CLOSE, reason=" ", by=p.sam)


def test_the_pathway_cannot_end_while_a_referral_awaits_the_front_door(p, child):
    testing.make_referral(child, p.alice)
    with pytest.raises(actions.PathwayError, match="Decide the referral"):
        actions.exit_pathway(child, route=ExitRoute.CLOSE, reason="Not needed.", by=p.maria)


def test_a_transition_the_pathway_does_not_allow_is_refused(p, child):
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, Outcome.ASSESSMENT)
    with pytest.raises(actions.PathwayError, match="cannot move to review"):
        actions.advance(child, Step.REVIEW, by=p.sam, note="Skipping ahead.")
    assert _pathway(child).state == Step.ASSESSMENT


def test_a_plan_needs_a_review_date_which_becomes_its_deadline(p, child):
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, Outcome.ASSESSMENT)
    with pytest.raises(actions.PathwayError, match="review"):
        actions.advance(child, Step.PLAN, by=p.sam, note="Plan agreed.")
    review_on = timezone.localdate() + timedelta(days=42)
    actions.advance(child, Step.PLAN, by=p.sam, note="Plan agreed.", review_on=review_on)
    item = PathwayStep.objects.get(pathway__child=child, step=Step.PLAN).work_item
    assert timezone.localtime(item.due_at).date() == review_on and item.all_day
    assert "agree a date to review the plan" in item.basis


def _to_plan(p, child):
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # category 2
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, Outcome.STRATEGY_DISCUSSION)
    actions.advance(child, Step.MEETING, by=p.maria, note="MASE held.")
    _hold(p, child)
    actions.advance(child, Step.PLAN, by=p.maria, note="Plan agreed.",
                    review_on=timezone.localdate() + timedelta(days=28))


def test_a_pathway_with_a_plan_holds_the_profiles_reviews_before_it_ends(p, child):
    # Coventry category 2: regular review of risk (seed 001, Figure 2 responses).
    _to_plan(p, child)
    with pytest.raises(actions.PathwayError, match="Hold 1 review"):
        actions.advance(child, Step.EXIT, by=p.maria, exit_route=ExitRoute.CHILD_IN_NEED,
                        note="Risk reduced.")
    actions.advance(child, Step.REVIEW, by=p.maria, note="Reviewed: risk reduced.",
                    review_on=timezone.localdate() + timedelta(days=28))
    actions.advance(child, Step.EXIT, by=p.maria, exit_route=ExitRoute.CHILD_IN_NEED,
                    note="Risk reduced; child in need plan continues.")
    assert Pathway.objects.get(child=child).exit_route == ExitRoute.CHILD_IN_NEED


def test_while_reviews_are_regular_each_review_sets_the_next(p, child):
    _to_plan(p, child)
    with pytest.raises(actions.PathwayError, match="next review"):
        actions.advance(child, Step.REVIEW, by=p.maria, note="Reviewed.")


def test_a_local_profile_can_make_one_review_enough(p, child):
    actions.save_local_profile(
        code="northbridge", name="Northbridge", base="coventry", by=p.ade,
        reason="The partnership reviews category 2 once, then through the child's plan.",
        # Category 3 calls for a MASE, so its reviews are stated too (issue 14, item 4).
        overrides='[[reviews]]\nframework = "wm"\ncategory = 2\nminimum = 1\n'
                  'regular = false\ncitation = "Northbridge partnership, 2025"\n'
                  '[[reviews]]\nframework = "wm"\ncategory = 3\nminimum = 1\n'
                  'regular = true\ncitation = "West Midlands CSE toolkit, Figure 2 responses"\n',
    )
    actions.adopt_profile(p.north, "northbridge", by=p.ade)
    _to_plan(p, child)
    actions.advance(child, Step.REVIEW, by=p.maria, note="Reviewed once.")
    assert _pathway(child).state == Step.REVIEW


def test_every_move_is_in_the_chronology_and_the_audit(p, child):
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, Outcome.STRATEGY_DISCUSSION)
    actions.advance(child, Step.MEETING, by=p.maria, note="MASE to be held.")
    kinds = set(child.chronology.values_list("kind", flat=True))
    assert {"pathway_strategy_discussion", "pathway_meeting"} <= kinds
    moves = AuditEvent.objects.filter(object_type="pathway.pathway", action="advance")
    states = [e.changes["state"] for e in moves.order_by("seq")]
    assert {"old": "strategy_discussion", "new": "meeting"} in states
    assert moves.filter(actor=p.maria).exists()


def test_a_concern_after_the_front_door_does_not_move_the_pathway_back(p, child):
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, Outcome.ASSESSMENT)
    testing.make_concern(child, p.bob)
    assert _pathway(child).state == Step.ASSESSMENT


def test_a_concern_after_an_exit_starts_a_new_pathway(p, child):
    referral = testing.make_referral(child, p.alice)
    _decide(p, referral, Outcome.NO_FURTHER_ACTION)
    testing.make_concern(child, p.alice)
    assert Pathway.objects.filter(child=child).count() == 2
    assert _pathway(child).state == Step.CONCERN


def test_a_profile_change_mid_pathway_leaves_existing_deadlines_with_their_basis(p):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    child = testing.make_child(p.alice)
    referral = testing.make_referral(child, p.alice, received_at=FRIDAY_BEFORE_CHRISTMAS)
    item = WorkItem.objects.get(kind="referral_decision", child=child)
    before = (item.due_at, item.basis)
    actions.adopt_profile(p.north, "bristol", by=p.ade)
    item.refresh_from_db()
    referral.refresh_from_db()
    assert (item.due_at, item.basis) == before
    assert "Stockport CSE procedure" in referral.due_basis
    # The next step follows the new profile: Bristol's 45 working days.
    _decide(p, referral, Outcome.ASSESSMENT)
    assessment = PathwayStep.objects.get(pathway__child=child, step=Step.ASSESSMENT).work_item
    assert timezone.localtime(assessment.due_at).date() == date(2025, 2, 26)
    assert "Bristol CSE practice guidance" in assessment.basis
    assert AuditEvent.objects.filter(object_type="foundation.area",
                                     changes__policy_profile__new="bristol").exists()


def test_an_unknown_profile_cannot_be_adopted(p):
    with pytest.raises(LookupError):
        actions.adopt_profile(p.north, "atlantis", by=p.ade)


def test_stockport_opens_the_police_referral_decision_for_an_under_18(p):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    child = testing.make_child(p.alice)
    referral = testing.make_referral(child, p.alice, received_at=FRIDAY_BEFORE_CHRISTMAS)
    item = WorkItem.objects.get(kind="police_referral_decision", child=child)
    assert item.due_at == FRIDAY_BEFORE_CHRISTMAS + timedelta(hours=24)
    actions.record_police_referral_decision(referral, refer_to_police=False, by=p.fiona,
                                            reasons="No offence disclosed; police informed of "
                                            "the adults' vehicle through intelligence.")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE
    assert child.chronology.filter(kind="police_referral_decision").exists()


def test_other_profiles_open_no_police_referral_decision(p, child):
    testing.make_referral(child, p.alice)
    assert not WorkItem.objects.filter(kind="police_referral_decision").exists()
