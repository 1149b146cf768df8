"""Meetings the decided category calls for (issue 14, item 1): opened as work with the profile's
timescale; the pathway cannot reach a plan or exit until they are held, unless a manager records
an exception with the reason (audited, in the chronology, countable)."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lantern import testing
from lantern.domain import dates
from lantern.domain.sources import names_a_procedure
from lantern.foundation.models import AuditEvent, WorkItem
from lantern.pathway import actions, queries
from lantern.pathway.models import ExitRoute, MeetingRequirement, Outcome, Step

FRIDAY_BEFORE_CHRISTMAS = datetime(2024, 12, 20, 10, 0, tzinfo=dates.LONDON)


def _plan(child, by):
    actions.advance(child, Step.PLAN, by=by, note="Plan agreed.",
                    review_on=timezone.localdate() + timedelta(days=28))


def _category_2_referred(p, child, **referral):
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # category 2
    referral = testing.make_referral(child, p.alice, **referral)
    actions.decide_referral(referral, Outcome.STRATEGY_DISCUSSION, by=p.fiona,
                            rationale="Adults are targeting her.")
    return referral


def test_a_west_midlands_category_2_opens_a_mase_as_work_due_by_the_profile(p, child):
    testing.make_referral(child, p.alice, received_at=FRIDAY_BEFORE_CHRISTMAS)
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))
    requirement = MeetingRequirement.objects.get(child=child)
    assert requirement.kind == "mase_initial" and requirement.category == 2
    assert "West Midlands CSE toolkit, Figure 2" in requirement.citation
    item = requirement.work_item
    assert item.status == WorkItem.Status.OPEN
    assert timezone.localtime(item.due_at).date() == date(2025, 1, 15)  # 15 working days
    assert item.owner_role == "cse_manager" and item.owner is None
    assert item.title == "Hold the required meeting: MASE meeting (new referral)"


def test_a_category_1_calls_for_no_meeting(p, child):
    testing.make_screening(child, p.alice, indicators=("wm1.missing_or_late",), final_category=1)
    assert not MeetingRequirement.objects.filter(child=child).exists()


def test_the_pathway_cannot_reach_a_plan_until_the_required_meeting_is_held(p, child):
    _category_2_referred(p, child)
    with pytest.raises(actions.PathwayError, match=r"Hold the required meeting \(MASE"):
        _plan(child, p.maria)
    assert queries.open_pathway(child).state == Step.STRATEGY_DISCUSSION


def test_the_pathway_cannot_exit_until_the_required_meeting_is_held(p, child):
    _category_2_referred(p, child)
    with pytest.raises(actions.PathwayError, match="before the pathway ends"):
        actions.advance(child, Step.EXIT, by=p.maria, exit_route=ExitRoute.CLOSE,
                        note="Risk reduced.")


def test_the_front_door_cannot_close_while_the_required_meeting_is_outstanding(p, child):
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # category 2
    referral = testing.make_referral(child, p.alice)
    with pytest.raises(actions.PathwayError, match="before the pathway ends"):
        actions.decide_referral(referral, Outcome.EARLY_HELP, by=p.fiona,
                                rationale="Early help will do.")
    actions.record_meeting_exception(MeetingRequirement.objects.get(child=child), by=p.maria,
                                     reason="Checks found no exploitation: early help suffices.")
    actions.decide_referral(referral, Outcome.EARLY_HELP, by=p.fiona,
                            rationale="Early help will do.")
    assert queries.open_pathway(child) is None


def test_holding_a_meeting_that_counts_meets_the_requirement_and_closes_its_work(p, child):
    _category_2_referred(p, child)
    actions.meeting_held(child, kind="mase_looked_after", became_strategy_discussion=False,
                         by=p.maria, at=timezone.now(), url="/meetings/7/")
    requirement = MeetingRequirement.objects.get(child=child)
    assert requirement.held_at is not None and requirement.meeting_url == "/meetings/7/"
    assert requirement.work_item.status == WorkItem.Status.DONE
    _plan(child, p.maria)
    assert queries.open_pathway(child).state == Step.PLAN


def test_a_meeting_of_another_kind_does_not_meet_it(p, child):
    _category_2_referred(p, child)
    actions.meeting_held(child, kind="cmog", became_strategy_discussion=False, by=p.maria,
                         at=timezone.now(), url="/meetings/8/")
    assert MeetingRequirement.objects.get(child=child).outstanding


def test_moving_the_pathway_on_keeps_the_required_meeting_open(p, child):
    _category_2_referred(p, child)
    actions.advance(child, Step.ASSESSMENT, by=p.maria, note="Assess first.")
    assert MeetingRequirement.objects.get(child=child).work_item.status == WorkItem.Status.OPEN


def test_the_meeting_step_is_the_same_work_as_the_required_meeting(p, child):
    _category_2_referred(p, child)
    actions.advance(child, Step.MEETING, by=p.maria, note="MASE to be held.")
    assert WorkItem.objects.filter(child=child, kind="meeting",
                                   status=WorkItem.Status.OPEN).count() == 1


def test_a_manager_records_an_exception_with_the_reason(p, child):
    _category_2_referred(p, child)
    requirement = MeetingRequirement.objects.get(child=child)
    actions.record_meeting_exception(requirement, by=p.maria,
                                     reason="Discussed at yesterday's MASE for her sister.")
    requirement.refresh_from_db()
    assert requirement.excepted_by == p.maria and not requirement.outstanding
    assert requirement.work_item.status == WorkItem.Status.CANCELLED
    assert AuditEvent.objects.filter(action="except", object_id=str(requirement.pk),
                                     actor=p.maria).exists()
    entry = child.chronology.get(kind="meeting_exception")
    assert "her sister" in entry.detail
    assert queries.meeting_exceptions(area=p.north) == 1
    _plan(child, p.maria)


def test_only_a_manager_may_record_an_exception(p, child):
    _category_2_referred(p, child)
    requirement = MeetingRequirement.objects.get(child=child)
    with pytest.raises(actions.PathwayError, match="Only a manager"):
        actions.record_meeting_exception(requirement, by=p.sam, reason="Not needed.")
    assert MeetingRequirement.objects.get(child=child).outstanding


def test_an_exception_needs_a_reason(p, child):
    _category_2_referred(p, child)
    requirement = MeetingRequirement.objects.get(child=child)
    with pytest.raises(actions.PathwayError, match="Enter why"):
        actions.record_meeting_exception(requirement, by=p.maria, reason="  ")


def test_a_second_screening_does_not_require_the_meeting_again(p, child):
    _category_2_referred(p, child)
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))
    assert MeetingRequirement.objects.filter(child=child).count() == 1


def test_wales_moderate_risk_requires_a_strategy_discussion_and_a_strategy_meeting(p):
    actions.adopt_profile(p.north, "wales", by=p.ade)
    child = testing.make_child(p.alice)
    testing.make_screening(child, p.alice, framework="seraf",
                           indicators=("seraf.r.staying_out_late",), final_category=3,
                           rationale="Staying out late with older adults, several times.")
    found = {r.kind: r for r in MeetingRequirement.objects.filter(child=child)}
    assert set(found) == {"strategy_discussion", "strategy_meeting"}
    assert found["strategy_discussion"].work_item.due_at is not None  # 24 hours (§5.8)
    # Wales sets no timescale for the strategy meeting: its work says whose judgement sets it.
    meeting_work = found["strategy_meeting"].work_item
    assert meeting_work.due_at is None
    assert "judgement of its convenor (Social services)" in meeting_work.basis


def test_stockport_level_3_requires_a_strategy_meeting(p):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    child = testing.make_child(p.alice)
    testing.make_screening(child, p.alice, framework="sera",
                           indicators=("sera3.known_perpetrators",), final_category=3)
    assert list(MeetingRequirement.objects.filter(child=child)
                .values_list("kind", flat=True)) == ["strategy_meeting"]


@given(framework=st.sampled_from(["wm", "seraf", "sera", "bristol"]),
       category=st.integers(min_value=1, max_value=4))
def test_every_required_meeting_is_one_the_profile_names_for_that_category(framework, category):
    for profile in queries.shipped_profiles():
        for rule in profile.meetings_required(framework, category):
            assert profile.meeting(rule.kind) is not None
            assert category in rule.categories and rule.framework == framework
            assert rule.kind in rule.counts and names_a_procedure(rule.citation)


def test_a_meeting_required_before_any_referral_says_so_in_one_sentence(p, child, as_user):
    """Screened before a referral: the timescale counts from the screening, said once, with
    no doubled full stop when the pathway shows it."""
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))
    basis = MeetingRequirement.objects.get(child=child).work_item.basis
    assert basis.endswith("counted from when the step started, as no referral was recorded then")
    page = as_user(p.maria).get(f"/children/{child.pk}/pathway/").text
    assert "recorded.." not in page and "recorded then</span>. The pathway cannot" in page
