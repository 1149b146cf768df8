"""Routing (issue 14, item 7): every open work item has a named owner or a named team tray; the
allocated social worker's when there is one, and work moves when the front door allocates; a
step no procedure times says whose judgement sets it."""

import pytest

from lantern import testing
from lantern.foundation import trays, work
from lantern.foundation.models import WorkItem
from lantern.pathway import actions
from lantern.pathway.models import Outcome
from lantern.people import actions as people_actions


def _decide_and_allocate(p, child, outcome=Outcome.STRATEGY_DISCUSSION):
    referral = testing.make_referral(child, p.alice)
    actions.decide_referral(referral, outcome, by=p.fiona, allocate_to=p.sam,
                            rationale="Adults are targeting her.")


def test_the_strategy_discussion_and_re_screen_move_to_the_allocated_social_worker(p, child):
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # teacher: re-screen
    rescreen = WorkItem.objects.get(child=child, kind="rescreen")
    assert rescreen.owner is None and rescreen.owner_role == "front_door"
    _decide_and_allocate(p, child)
    mine = {i.kind for i in trays.tray_items(p.sam, "mine")}
    assert {"rescreen", "strategy_discussion"} <= mine
    rescreen.refresh_from_db()
    assert rescreen.owner == p.sam
    # The MASE is the CSE team manager's (the profile names the role), not the social worker's.
    mase = WorkItem.objects.get(child=child, kind="meeting")
    assert mase.owner is None and mase.owner_role == "cse_manager"


def test_the_re_screen_page_names_the_allocated_social_worker(p, child, as_user):
    screening = testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))
    _decide_and_allocate(p, child)
    body = as_user(p.sam).get(screening.get_absolute_url()).content.decode()
    assert "Sam Tester, the allocated social worker" in body
    assert "as no social worker is allocated" not in body


def test_allocating_later_moves_the_social_workers_tray_items(p, child):
    referral = testing.make_referral(child, p.alice)
    actions.decide_referral(referral, Outcome.ASSESSMENT, by=p.fiona, rationale="Assess.")
    item = WorkItem.objects.get(child=child, kind="assessment")
    assert item.owner is None and item.owner_role == "social_worker"
    people_actions.allocate(child, p.sam, by=p.maria)
    item.refresh_from_db()
    assert item.owner == p.sam


def test_work_cannot_be_opened_without_an_owner_or_a_tray(p, child):
    with pytest.raises(work.Unowned):
        work.open_item(area=p.north, child=child, kind="assessment", title="Nobody's",
                       due_at=None, basis="b", by=p.maria)


def test_every_open_item_of_a_whole_journey_has_an_owner_or_a_tray(p, child):
    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))
    _decide_and_allocate(p, child)
    for item in WorkItem.objects.filter(status=WorkItem.Status.OPEN):
        assert item.owner_id or item.owner_role, item.title
        assert trays.owner_label(item) != "Nobody named"


def test_an_untimed_strategy_discussion_says_whose_judgement_sets_it(p, as_user):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    child = testing.make_child(p.alice)
    _decide_and_allocate(p, child)
    item = WorkItem.objects.get(child=child, kind="strategy_discussion")
    assert item.due_at is None and item.owner == p.sam
    assert "judgement of its convenor (Children's social care" in item.basis
    body = as_user(p.sam).get("/work/").content.decode()
    assert "When judged right" in body and "No timescale" not in body


def test_the_menu_marks_the_section_the_page_is_in_and_only_that_one(p, as_user):
    body = as_user(p.fiona).get("/referrals/").content.decode()
    assert body.count("govuk-service-navigation__item--active") == 1
    assert ('<li class="govuk-service-navigation__item govuk-service-navigation__item--active">'
            '\n  <a class="govuk-service-navigation__link" href="/referrals/" '
            'aria-current="page">\n    <strong class="govuk-service-navigation__active-fallback">'
            'Referrals</strong>') in body
    assert '<a class="govuk-service-navigation__link" href="/children/">\n    Children' in body
