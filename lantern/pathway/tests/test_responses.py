"""Category 3 and trafficking responses as tracked actions (issue 14, item 6): the responses
seed 001 lists for category 3 open as work with an owner and a due date (or whose judgement
sets one); each is done with what was done; a child with trafficking indicators cannot leave
the pathway while the National Referral Mechanism's decision is awaited, unless a manager
records an exception (audited, on the child's record, counted)."""

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern import testing
from lantern.domain.profiles import ProfileError
from lantern.foundation.models import AuditEvent, WorkItem
from lantern.pathway import actions, policy, queries
from lantern.pathway.models import ExitRoute, MeetingRequirement, Outcome, TrackedResponse
from lantern.people import actions as people_actions

COVENTRY_RESPONSES = ["nrm_referral", "trafficking_consultation", "risk_alerts", "evidence",
                      "cmog_review"]


def _screen(child, by, *indicators):
    return testing.make_screening(child, by,
                                  indicators=indicators or ("wm3.chronic_substance_use",))


def _trafficked(p, child):
    """A category 3 screening recording that the child was trafficked; the MASE it calls for
    excepted, so that only the responses stand between the child and an exit."""
    _screen(child, p.alice, "wm3.trafficked")
    actions.record_meeting_exception(MeetingRequirement.objects.get(child=child), by=p.maria,
                                     reason="Discussed at this week's MASE for her sister.")


def _nrm(child) -> TrackedResponse:
    return TrackedResponse.objects.get(child=child, code="nrm_referral")


def _exit(child, by):
    return actions.exit_pathway(child, route=ExitRoute.CHILD_PROTECTION, by=by,
                                reason="Child protection plan agreed.")


# --- Opening -----------------------------------------------------------------------------------

def test_a_category_3_opens_each_response_as_work_saying_whose_judgement_sets_it(p, child):
    _screen(child, p.alice)
    responses = list(TrackedResponse.objects.filter(child=child))
    assert [r.code for r in responses] == COVENTRY_RESPONSES
    for response in responses:
        item = response.work_item
        assert item.status == WorkItem.Status.OPEN and item.kind == actions.RESPONSE_WORK
        assert item.due_at is None and "judgement of" in item.basis
        assert "West Midlands CSE toolkit, Figure 2" in response.citation and not response.indicated


def test_with_no_social_worker_each_waits_in_the_tray_the_profile_names(p, child):
    _screen(child, p.alice)
    trays = {r.code: (r.work_item.owner, r.work_item.owner_role)
             for r in TrackedResponse.objects.filter(child=child)}
    assert trays["nrm_referral"] == (None, "cse_manager")
    assert trays["evidence"] == (None, "police")
    assert trays["cmog_review"] == (None, "police")


def test_the_allocated_social_worker_owns_them(p, child):
    people_actions.allocate(child, p.sam, by=p.fiona)
    _screen(child, p.alice)
    assert {r.work_item.owner for r in TrackedResponse.objects.filter(child=child)} == {p.sam}


def test_allocating_a_social_worker_later_moves_them_to_their_tray(p, child):
    _screen(child, p.alice)
    people_actions.allocate(child, p.sam, by=p.fiona)
    assert {r.work_item.owner for r in TrackedResponse.objects.filter(child=child)} == {p.sam}


def test_a_category_2_without_trafficking_opens_none(p, child):
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))
    assert not TrackedResponse.objects.filter(child=child).exists()


def test_trafficking_indicators_at_a_lower_category_open_the_trafficking_responses(p, child):
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))
    actions.open_responses(child, framework="wm", category=2, indicators=["wm3.moved_around"],
                           by=p.maria)
    opened = TrackedResponse.objects.filter(child=child)
    assert [r.code for r in opened] == ["nrm_referral", "trafficking_consultation"]
    assert all(r.indicated for r in opened) and _nrm(child).blocks_exit


def test_a_response_is_opened_once_per_pathway(p, child):
    _screen(child, p.alice)
    _screen(child, p.alice, "wm3.trafficked")
    assert TrackedResponse.objects.filter(child=child, code="nrm_referral").count() == 1
    assert _nrm(child).indicated and _nrm(child).blocks_exit


def test_opening_is_audited_and_in_the_chronology(p, child):
    _screen(child, p.alice, "wm3.trafficked")
    response = _nrm(child)
    assert AuditEvent.objects.filter(action="create", object_id=str(response.pk),
                                     actor=p.alice).exists()
    entry = child.chronology.get(kind="response_opened",
                                 title="To do: Refer the child to the National Referral "
                                       "Mechanism")
    assert "may have been trafficked" in entry.detail


# --- Recording what was done -----------------------------------------------------------------

def test_recording_a_referral_opens_the_work_of_recording_the_decision(p, child):
    _screen(child, p.alice, "wm3.trafficked")
    first = _nrm(child).work_item
    actions.record_response(_nrm(child), outcome="referred", by=p.maria,
                            note="Referred on the NRM portal, reference 123.")
    response = _nrm(child)
    first.refresh_from_db()
    assert first.status == WorkItem.Status.DONE
    assert response.work_item.status == WorkItem.Status.OPEN
    assert response.work_item.title == "Record the National Referral Mechanism's decision"
    assert response.outcome == "referred" and response.decided_at is None
    assert response.done_at is None and response.history[0]["note"].endswith("reference 123.")


def test_a_final_outcome_closes_the_response(p, child):
    _screen(child, p.alice)
    evidence = TrackedResponse.objects.get(child=child, code="evidence")
    actions.record_response(evidence, outcome="preserved", by=p.maria,
                            note="Her phone is held by the police, exhibit AB/1.")
    evidence.refresh_from_db()
    assert evidence.done_at is not None and evidence.work_item.status == WorkItem.Status.DONE
    assert child.chronology.filter(kind="response_recorded",
                                   title="Evidence secured and preserved").exists()
    with pytest.raises(actions.PathwayError, match="already recorded as done"):
        actions.record_response(evidence, outcome="none_found", by=p.maria, note="Again.")


def test_what_was_done_must_be_entered(p, child):
    _screen(child, p.alice)
    with pytest.raises(actions.PathwayError, match="Enter what was done"):
        actions.record_response(_nrm(child), outcome="referred", by=p.maria, note="  ")


def test_a_decision_cannot_be_recorded_before_the_referral(p, child):
    _screen(child, p.alice, "wm3.trafficked")
    with pytest.raises(actions.PathwayError, match="from the choices given"):
        actions.record_response(_nrm(child), outcome="conclusive_positive", by=p.maria,
                                note="Positive.")


def test_not_referring_is_refused_when_the_child_may_have_been_trafficked(p, child):
    _screen(child, p.alice, "wm3.trafficked")
    with pytest.raises(actions.PathwayError, match="may have been trafficked"):
        actions.record_response(_nrm(child), outcome="not_referred", by=p.maria,
                                note="Not needed.")


def test_trafficking_recorded_later_opens_a_not_referred_response_again(p, child):
    _screen(child, p.alice)
    actions.record_response(_nrm(child), outcome="not_referred", by=p.maria,
                            note="Nothing suggests she was moved.")
    _screen(child, p.alice, "wm3.moved_around")
    response = _nrm(child)
    assert response.done_at is None and response.outcome == "" and response.blocks_exit
    assert response.work_item.status == WorkItem.Status.OPEN


def test_holding_a_cmog_meeting_does_the_cmog_review(p, child):
    _screen(child, p.alice)
    assert actions.responses_met_by_meeting(child, kind="cmog", by=p.maria,
                                            at=timezone.now(), url="/meetings/9/") == 1
    cmog = TrackedResponse.objects.get(child=child, code="cmog_review")
    assert cmog.done_at is not None and cmog.outcome == "reviewed"
    assert cmog.history[0]["meeting"] == "/meetings/9/"


# --- Leaving the pathway ---------------------------------------------------------------------

def test_a_trafficked_child_cannot_leave_the_pathway_until_the_nrm_decides(p, child):
    _trafficked(p, child)
    with pytest.raises(actions.PathwayError, match="National Referral Mechanism before the "
                                                   "pathway ends"):
        _exit(child, p.maria)
    actions.record_response(_nrm(child), outcome="referred", by=p.maria, note="Referred.")
    with pytest.raises(actions.PathwayError, match="National Referral Mechanism"):
        _exit(child, p.maria)
    actions.record_response(_nrm(child), outcome="reasonable_grounds", by=p.maria,
                            note="Positive reasonable grounds decision received.")
    _exit(child, p.maria)
    assert queries.open_pathway(child) is None
    # The conclusive decision is still awaited, and still somebody's work.
    assert _nrm(child).work_item.status == WorkItem.Status.OPEN


def test_a_category_3_without_trafficking_indicators_may_leave_before_any_nrm_decision(p,
                                                                                      child):
    _screen(child, p.alice)
    actions.record_meeting_exception(MeetingRequirement.objects.get(child=child), by=p.maria,
                                     reason="Discussed at this week's MASE.")
    _exit(child, p.maria)
    assert queries.open_pathway(child) is None


def test_the_front_door_cannot_close_a_trafficked_child_before_the_nrm_decides(p, child):
    _trafficked(p, child)
    referral = testing.make_referral(child, p.alice)
    with pytest.raises(actions.PathwayError, match="National Referral Mechanism"):
        actions.decide_referral(referral, Outcome.EARLY_HELP, by=p.maria,
                                rationale="Early help will do.")


def test_a_managers_exception_lets_the_child_leave_and_is_counted(p, child):
    _trafficked(p, child)
    actions.record_response_exception(_nrm(child), by=p.maria,
                                      reason="She has moved to Scotland; their NRM team leads.")
    response = _nrm(child)
    assert response.excepted_by == p.maria and not response.holds_exit
    assert AuditEvent.objects.filter(action="except", object_id=str(response.pk),
                                     actor=p.maria).exists()
    entry = child.chronology.get(kind="response_exception")
    assert "Scotland" in entry.detail
    assert queries.response_exceptions(area=p.north) == 1
    _exit(child, p.maria)
    assert _nrm(child).work_item.status == WorkItem.Status.OPEN


def test_only_a_manager_may_record_the_exception(p, child):
    _trafficked(p, child)
    with pytest.raises(actions.PathwayError, match="Only a manager"):
        actions.record_response_exception(_nrm(child), by=p.priya, reason="Not needed.")
    with pytest.raises(actions.PathwayError, match="Enter why"):
        actions.record_response_exception(_nrm(child), by=p.maria, reason=" ")
    assert _nrm(child).holds_exit


# --- The rules as data -------------------------------------------------------------------------

NRM = policy.file_profile("coventry").response("nrm_referral")
NRM_CODES = [o.code for o in NRM.outcomes] if NRM else []


# Pure rules, no database; the health check is only about a loaded machine drawing slowly.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(NRM_CODES), max_size=6), st.booleans())
def test_nrm_outcomes_follow_the_order_of_the_process(sequence, indicated):
    """Whatever is tried, in whatever order: an outcome is taken only after one it may follow,
    nothing after a final one, and the response counts as decided exactly when a decision was
    taken."""
    assert NRM is not None
    current, taken = "", []
    for code in sequence:
        allowed = {o.code for o in NRM.allowed_outcomes(current, indicated=indicated)}
        if code in allowed:
            taken.append(code)
            current = code
    for before, after in zip(["", *taken], taken, strict=False):
        outcome = NRM.outcome(after)
        assert outcome is not None
        assert (before in outcome.after) if before else not outcome.after
        assert not (indicated and outcome.not_when_indicated)
    finals = [c for c in taken if NRM.outcome(c).final]
    assert len(finals) <= 1 and (not finals or taken[-1] == finals[0])


def _local(overrides: str):
    return policy.build("local-test", "coventry", overrides)


RESPONSE = """
[[responses]]
code = "nrm_referral"
label = "Refer the child to the National Referral Mechanism"
framework = "wm"
categories = [3]
owner_role = "social_worker"
citation = "local procedure"
{extra}
[[responses.outcomes]]
code = "referred"
label = "Referred"
"""


@pytest.mark.django_db
def test_a_response_with_its_own_timescale_is_due_by_it(p, child):
    profile = _local(RESPONSE.format(extra="""
[responses.due]
label = "Referral to the National Referral Mechanism"
working_days = 2
from = "step"
citation = "local procedure"
"""))
    rule = profile.response("nrm_referral")
    assert rule is not None and rule.timescale is not None
    due = rule.timescale.due(timezone.now(), "ENG")
    assert "within 2 working days of the response being opened" in due.basis


@pytest.mark.django_db
@pytest.mark.parametrize(("extra", "problem"), [
    ("", "say whose judgement sets when it is done"),
    ('judgement = "the social worker"\nexit_until_decided = true', "name the indicators"),
    ('judgement = "x"\nindicators = ["wm3.trafficked"]', "say where the indicators come from"),
    ('judgement = "x"\nindicators = ["wm3.nope"]\nindicators_citation = "x"',
     "not an indicator"),
])
def test_a_malformed_response_is_refused_naming_the_problem(extra, problem):
    with pytest.raises((ProfileError, ValueError), match=problem):
        _local(RESPONSE.format(extra=extra))


def test_a_meeting_setting_category_3_opens_them(p, child):
    from lantern.meetings.tests import helpers as meetings

    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # category 2
    meetings.refer_and_decide(p, child)
    meetings.hold(p, meetings.convene(p, [child]), [child], risk_category=3)
    assert [r.code for r in TrackedResponse.objects.filter(child=child)] == COVENTRY_RESPONSES


def test_holding_a_cmog_meeting_about_the_child_records_the_review(p, child):
    from lantern.meetings.tests import helpers as meetings

    _screen(child, p.alice)
    meetings.refer_and_decide(p, child)
    # CMOG is chaired by the police (seed 001, CMOG).
    cmog = meetings.hold(p, meetings.convene(p, [child], kind="cmog", chair=p.priya), [child],
                         risk_category=3)
    review = TrackedResponse.objects.get(child=child, code="cmog_review")
    assert review.done_at is not None and review.history[0]["meeting"] == cmog.get_absolute_url()
