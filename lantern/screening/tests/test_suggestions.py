"""Indicators a child's missing episodes suggest, and the screening page ticking them in
advance for the practitioner to confirm or untick."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern import testing
from lantern.missing import lists
from lantern.missing.testing import make_episode
from lantern.screening import registry
from lantern.screening.suggestions import indicator_suggestions


def days_ago(days):
    """Ten in the morning `days` days ago: an episode of a few hours then never runs past
    midnight, whatever time the tests run (at 22:00 the six-hour default did, and counted as
    staying out overnight)."""
    return timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(
        days=days)


def test_no_episodes_suggest_nothing(p, child):
    assert indicator_suggestions(child, "wm") == []


def test_a_pattern_meeting_the_trigger_suggests_regularly_going_missing(p, child):
    for days in (20, 10, 5):
        make_episode(child, p.priya, went_missing_at=days_ago(days))
    assert indicator_suggestions(child, "wm") == [
        ("wm1.missing_or_late",
         "3 missing episodes in the last 30 days (the area's trigger is 3)")]


def test_two_episodes_do_not_suggest_regularly_going_missing(p, child):
    for days in (20, 10):
        make_episode(child, p.priya, went_missing_at=days_ago(days))
    assert "wm1.missing_or_late" not in dict(indicator_suggestions(child, "wm"))


def test_an_overnight_episode_suggests_staying_out_overnight(p, child):
    make_episode(child, p.priya, went_missing_at=days_ago(3), back_after=timedelta(hours=30))
    codes = dict(indicator_suggestions(child, "wm"))
    assert codes["wm1.overnight_unexplained"].startswith("Missing overnight 1 time(s)")


def test_disappearing_only_when_missing_a_week_with_earlier_concerns(p, child, time_machine):
    time_machine.move_to(days_ago(10))
    testing.make_concern(child, p.alice)
    time_machine.move_to(days_ago(-10))  # back to the present
    make_episode(child, p.priya, went_missing_at=timezone.now() - timedelta(days=6, hours=23),
                 back_after=None)
    assert "wm3.disappearing" not in dict(indicator_suggestions(child, "wm"))
    later = timezone.now() + timedelta(hours=2)
    reason = dict(indicator_suggestions(child, "wm", now=later))["wm3.disappearing"]
    assert reason == ("Missing now for 7 days 1 hour, with concerns recorded before this "
                      "episode began")


def test_disappearing_is_not_suggested_without_earlier_concerns(p, child):
    # The child fixture's only concern is recorded now, after this episode began.
    make_episode(child, p.priya, went_missing_at=days_ago(10), back_after=None)
    assert "wm3.disappearing" not in dict(indicator_suggestions(child, "wm"))


def test_a_framework_that_is_not_installed_suggests_nothing(p, child):
    make_episode(child, p.priya)
    assert indicator_suggestions(child, "nonesuch") == []


def test_every_suggested_code_exists_in_its_framework_when_installed():
    installed = {code for (code, _version) in registry.load()}
    for rule in lists.suggestion_rules():
        if rule.framework in installed:
            assert registry.get(rule.framework).has_indicator(rule.code), rule.code


@pytest.fixture
def repeated(p, child):
    for days in (20, 10, 5):
        make_episode(child, p.priya, went_missing_at=days_ago(days),
                     back_after=timedelta(hours=30))
    return child


def test_the_screening_page_ticks_the_suggestions_with_a_visible_hint(p, repeated, as_user):
    body = as_user(p.alice).get(f"/children/{repeated.pk}/screenings/new/").content.decode()
    assert 'id="missing-suggestions"' in body
    assert ('value="wm1.missing_or_late" checked data-aria-controls="conditional-wm1missing_or_'
            'late" aria-describedby="ind-wm1.missing_or_late-suggested"') in body
    assert "Suggested from missing episodes – confirm or untick: 3 missing episodes" in body
    assert 'value="wm1.hotspots" data-aria' in body  # not ticked
    # The suggestion panel agrees with the boxes ticked.
    assert 'id="suggested-category"' in body and "Category 1" in body


def test_unticking_a_suggestion_is_respected(p, repeated, as_user):
    response = as_user(p.alice).post(f"/children/{repeated.pk}/screenings/new/",
                                     {"indicators": ["wm2.vehicles"]})
    body = response.content.decode()
    assert 'value="wm1.missing_or_late" checked' not in body
    assert "Suggested from missing episodes" not in body


def test_a_child_with_no_episodes_gets_no_hint(p, child, as_user):
    body = as_user(p.alice).get(f"/children/{child.pk}/screenings/new/").content.decode()
    assert "Suggested from missing episodes" not in body and " checked" not in body
