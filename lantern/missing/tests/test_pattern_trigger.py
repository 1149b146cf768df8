"""A pattern that meets the area's trigger (default three episodes in 30 days) prompts a
re-screening and a strategy discussion: at exactly the threshold, not below, never twice while
one is open."""

from datetime import timedelta

from django.utils import timezone

from lantern import testing
from lantern.foundation.models import WorkItem
from lantern.missing import actions
from lantern.missing.testing import make_episode
from lantern.people import actions as people

PROMPTS = ("rescreen", "strategy_discussion")


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def open_prompts(child):
    return list(WorkItem.objects.filter(child=child, kind__in=PROMPTS,
                                        status=WorkItem.Status.OPEN).order_by("kind"))


def test_two_episodes_in_30_days_prompt_nothing(p, child):
    make_episode(child, p.priya, went_missing_at=days_ago(20))
    make_episode(child, p.priya, went_missing_at=days_ago(5))
    assert open_prompts(child) == []


def test_the_third_episode_in_30_days_prompts_a_rescreening_and_a_strategy_discussion(p, child):
    make_episode(child, p.priya, went_missing_at=days_ago(29))
    make_episode(child, p.priya, went_missing_at=days_ago(15))
    make_episode(child, p.priya, went_missing_at=days_ago(1))
    rescreen, strategy = open_prompts(child)
    assert (rescreen.kind, strategy.kind) == ("rescreen", "strategy_discussion")
    assert "3 missing episodes in 30 days meets the area's trigger (3 or more episodes in 30 " \
           "days, a local setting)" in rescreen.basis
    assert strategy.basis.startswith("Strategy discussion within 24 hours: 3 missing episodes")
    assert strategy.due_at - strategy.opened_at < timedelta(hours=24, seconds=5)
    assert child.full_name not in rescreen.title + strategy.title
    assert (rescreen.owner, rescreen.owner_role) == (None, "front_door")


def test_an_episode_older_than_the_window_does_not_count(p, child):
    make_episode(child, p.priya, went_missing_at=days_ago(31))
    make_episode(child, p.priya, went_missing_at=days_ago(15))
    make_episode(child, p.priya, went_missing_at=days_ago(1))
    assert open_prompts(child) == []


def test_prompts_are_never_duplicated_while_open(p, child):
    for days in (20, 10, 5, 2):
        make_episode(child, p.priya, went_missing_at=days_ago(days))
    assert len(open_prompts(child)) == 2
    assert WorkItem.objects.filter(child=child, kind__in=PROMPTS).count() == 2


def test_after_a_prompt_is_dealt_with_a_new_episode_prompts_again(p, child):
    for days in (20, 10, 5):
        make_episode(child, p.priya, went_missing_at=days_ago(days))
    for item in open_prompts(child):
        actions.resolve_prompt(item, by=p.maria, note="Strategy discussion held on Monday.")
    assert open_prompts(child) == []
    make_episode(child, p.priya, went_missing_at=days_ago(1))
    assert len(open_prompts(child)) == 2


def test_the_trigger_is_a_local_setting(p, child):
    p.north.local_settings = {"missing_trigger_episodes": 2, "missing_trigger_days": 14}
    p.north.save()
    child.refresh_from_db()
    make_episode(child, p.priya, went_missing_at=days_ago(13))
    assert open_prompts(child) == []
    make_episode(child, p.priya, went_missing_at=days_ago(1))
    assert "2 or more episodes in 14 days" in open_prompts(child)[0].basis


def test_prompts_go_to_the_allocated_worker(p, child):
    people.allocate(child, p.sam, by=p.fiona)
    for days in (20, 10, 5):
        make_episode(child, p.priya, went_missing_at=days_ago(days))
    assert {item.owner for item in open_prompts(child)} == {p.sam}


def test_the_pattern_is_in_the_chronology(p, child):
    for days in (20, 10, 5):
        make_episode(child, p.priya, went_missing_at=days_ago(days))
    entry = child.chronology.get(kind="missing_pattern")
    assert entry.title == "Pattern of going missing: 3 missing episodes in 30 days"
    assert entry.detail == "Prompted: re-screen and strategy discussion"


def test_a_screening_answers_the_rescreening_prompt(p, child):
    for days in (20, 10, 5):
        make_episode(child, p.priya, went_missing_at=days_ago(days))
    testing.make_screening(child, p.sam, indicators=("wm1.missing_or_late",))
    assert [item.kind for item in open_prompts(child)] == ["strategy_discussion"]


def test_resolving_a_prompt_from_the_page_needs_what_was_done(p, child, as_user):
    for days in (20, 10, 5):
        make_episode(child, p.priya, went_missing_at=days_ago(days))
    item = open_prompts(child)[1]
    path = f"/children/{child.pk}/missing/prompts/{item.pk}/"
    body = as_user(p.fiona).post(path, {"note": ""}).content.decode()
    assert "Enter what was done" in body and "govuk-error-summary" in body
    response = as_user(p.fiona).post(path, {"note": "Held with police on Monday: s47."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE and item.closed_by == p.fiona
    assert child.chronology.filter(detail="Held with police on Monday: s47.").exists()


def test_only_those_who_may_change_the_record_resolve_prompts(p, child, as_user):
    for days in (20, 10, 5):
        make_episode(child, p.priya, went_missing_at=days_ago(days))
    item = open_prompts(child)[0]
    path = f"/children/{child.pk}/missing/prompts/{item.pk}/"
    assert as_user(p.alice).post(path, {"note": "Done"}).status_code == 403
    assert as_user(p.bob).post(path, {"note": "Done"}).status_code == 404
    assert open_prompts(child)[0] == item


def test_the_prompted_strategy_discussion_closes_when_the_pathways_is_held(p, child):
    from datetime import timedelta

    from django.utils import timezone

    from lantern.foundation.models import WorkItem
    from lantern.missing.testing import make_episode
    from lantern.pathway import actions as pathway_actions
    from lantern.pathway.models import Outcome, Step

    for days in (20, 10, 4):
        make_episode(child, p.priya, went_missing_at=timezone.now() - timedelta(days=days))
    prompt = WorkItem.objects.get(child=child, kind="strategy_discussion",
                                  source_type="foundation.child")
    referral = testing.make_referral(child, p.alice)
    pathway_actions.decide_referral(referral, Outcome.STRATEGY_DISCUSSION, by=p.fiona,
                                    rationale="The pattern of missing episodes.")
    pathway_actions.advance(child, Step.MEETING, by=p.maria, note="Discussed; meeting next.")
    prompt.refresh_from_db()
    assert prompt.status == WorkItem.Status.DONE
