"""Reviews follow the level of risk the meeting set (issue 14, item 4; seed 001: the level of
risk is determined by the MASE/strategy meeting, which sets the date of the CSE review), and
the review is its convenor's work, due on the date set."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern.foundation.models import Role, WorkItem
from lantern.meetings import queries
from lantern.meetings.models import MeetingChild
from lantern.pathway import actions as pathway_actions
from lantern.pathway.models import Pathway

from . import helpers as h


def test_the_pathway_cannot_end_before_the_review_the_meeting_s_level_calls_for(p, child):
    # No screening was recorded for Jade: only the MASE's category 2 says a review must follow
    # (Coventry: category 2, regular review of risk, seed 001 Figure 2).
    h.refer_and_decide(p, child)
    h.hold(p, h.convene(p, [child]), [child])
    with pytest.raises(pathway_actions.PathwayError,
                       match=r"Hold 1 review .*category 2 set by the meeting"):
        pathway_actions.exit_pathway(child, route="team_around_child",
                                     reason="Safer at home now", by=p.maria)


def test_a_review_without_a_next_date_is_refused_at_a_regular_level(p, child):
    h.refer_and_decide(p, child)
    h.hold(p, h.convene(p, [child]), [child])
    with pytest.raises(pathway_actions.PathwayError, match="reviews are regular"):
        pathway_actions.advance(child, pathway_actions.Step.REVIEW, by=p.maria,
                                note="Reviewed with Jade")


def test_the_review_is_the_mase_review_convenor_s_work_due_on_the_date_set(p, child):
    h.refer_and_decide(p, child)
    h.hold(p, h.convene(p, [child]), [child])
    item = WorkItem.objects.get(child=child, kind="plan", status="open")
    assert item.title == "Hold the MASE review"
    assert (item.owner, item.owner_role) == (None, Role.CSE_MANAGER)
    assert timezone.localtime(item.due_at).date() == timezone.localdate() + timedelta(days=42)


def test_at_a_regular_level_an_exit_strategy_does_not_replace_the_next_review(p, child):
    meeting = h.convene(p, [child])
    h.fill_record(p, meeting, child, next_review_on=None,
                  exit_strategy="Team around the child")
    records = list(MeetingChild.objects.filter(meeting=meeting).select_related("child__area"))
    problems = queries.conclusion_problems(meeting, records)
    assert any("next review: at category 2 reviews are regular" in problem
               for problem in problems)


def test_a_review_that_needs_no_further_review_still_counts(p, child):
    # A partnership reviewing category 2 once (a local profile over Coventry's): the MASE
    # review names the exit strategy instead of another date, and counts as the review held.
    pathway_actions.save_local_profile(
        code="northbridge", name="Northbridge", base="coventry", by=p.ade,
        reason="Category 2 is reviewed once, then through the child's plan.",
        overrides='[[reviews]]\nframework = "wm"\ncategory = 2\nminimum = 1\n'
                  'regular = false\ncitation = "Northbridge partnership, 2025"\n'
                  '[[reviews]]\nframework = "wm"\ncategory = 3\nminimum = 1\n'
                  'regular = true\ncitation = "West Midlands CSE toolkit, Figure 2 responses"\n')
    pathway_actions.adopt_profile(p.north, "northbridge", by=p.ade)
    h.refer_and_decide(p, child)
    h.hold(p, h.convene(p, [child]), [child])
    review = h.convene(p, [child], kind="mase_review")
    h.hold(p, review, [child], next_review_on=None, exit_strategy="Team around the child",
           plan_review="Missing episodes have stopped; Jade is back at netball.")
    assert Pathway.objects.get(child=child).state == "review"
    pathway_actions.exit_pathway(child, route="team_around_child", reason="Safer at home",
                                 by=p.maria)
