from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lantern.domain import missing
from lantern.domain.missing import Episode, Trigger

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=LONDON)


def ep(days_ago: float, hours: float | None = 5, **kwargs) -> Episode:
    start = NOW - timedelta(days=days_ago)
    return Episode(went_missing_at=start,
                   returned_at=None if hours is None else start + timedelta(hours=hours),
                   **kwargs)


def pattern(*episodes, trigger=None):
    return missing.pattern(episodes, NOW, trigger or Trigger(), LONDON)


def test_counts_episodes_that_began_in_the_last_30_and_90_days():
    p = pattern(ep(1), ep(29), ep(31), ep(89), ep(91), ep(400))
    assert (p.total, p.last_30, p.last_90) == (6, 2, 4)


def test_an_episode_that_began_exactly_30_days_ago_is_in_the_window():
    assert pattern(ep(30)).last_30 == 1
    assert pattern(ep(30 + 1 / 86400)).last_30 == 0


def test_three_episodes_in_30_days_meet_the_default_trigger():
    assert pattern(ep(2), ep(10), ep(29)).trigger_met


def test_two_episodes_in_30_days_do_not_meet_the_default_trigger():
    p = pattern(ep(2), ep(10), ep(31))
    assert p.in_trigger_window == 2 and not p.trigger_met


def test_the_trigger_is_a_local_setting():
    episodes = (ep(2), ep(10), ep(40))
    assert not pattern(*episodes).trigger_met
    assert pattern(*episodes, trigger=Trigger(episodes=2, days=30)).trigger_met
    assert pattern(*episodes, trigger=Trigger(episodes=3, days=60)).trigger_met


def test_longest_episode_and_an_ongoing_one_counted_to_now():
    p = pattern(ep(10, hours=30), ep(5, hours=2))
    assert p.longest == timedelta(hours=30) and not p.longest_is_ongoing
    p = pattern(ep(10, hours=30), ep(3, hours=None))
    assert p.longest == timedelta(days=3) and p.longest_is_ongoing
    assert p.currently_missing and p.missing_since == NOW - timedelta(days=3)


def test_no_episodes_make_an_empty_pattern():
    p = pattern()
    assert (p.total, p.longest, p.where_found, p.currently_missing) == (0, None, (), False)


def test_where_found_groups_spellings_and_puts_the_most_frequent_first():
    p = pattern(ep(1, found_where="Mill Road flats"), ep(2, found_where="bus station"),
                ep(3, found_where="mill  road FLATS"), ep(4, found_where=""))
    assert p.where_found == (("Mill Road flats", 2), ("bus station", 1))


def test_episodes_recorded_as_beginning_in_the_future_are_left_out():
    assert pattern(Episode(went_missing_at=NOW + timedelta(hours=1))).total == 0


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(("start", "end", "overnight"), [
    (at(13, 22), at(14, 2, 30), False),  # out at 22:00, back at 02:30: back the same night
    (at(13, 22), at(14, 3, 30), True),   # out at 22:00, back at 03:30: overnight
    (at(14, 1), at(14, 9), True),        # out at 01:00, back at 09:00: overnight
    (at(14, 4), at(14, 20), False),      # out at 04:00, back by 20:00: not overnight
])
def test_overnight_means_still_missing_at_3am_local_time(start, end, overnight):
    episode = Episode(went_missing_at=start, returned_at=end)
    assert episode.overnight(NOW, LONDON) is overnight


def test_overnight_is_read_in_local_time_not_utc():
    # 02:30 UTC is 03:30 in London summer time (BST): overnight in London.
    episode = Episode(went_missing_at=datetime(2026, 7, 1, 20, 0, tzinfo=UTC),
                      returned_at=datetime(2026, 7, 2, 2, 30, tzinfo=UTC))
    assert episode.overnight(NOW, LONDON)
    assert not episode.overnight(NOW, UTC)


def test_conditions_read_from_the_pattern():
    p = pattern(ep(1, hours=30, missing_from="home"), ep(5), ep(9))
    held = missing.conditions(p, NOW, disappearing_days=7, earlier_cse_concern=False)
    assert held == {"repeated", "overnight", "back_same_night", "from_home", "day_or_more"}


def test_one_recent_episode_is_occasional_not_repeated():
    held = missing.conditions(pattern(ep(40)), NOW, disappearing_days=7,
                              earlier_cse_concern=False)
    assert "occasional" in held and "repeated" not in held


def test_missing_long_now_needs_the_full_number_of_days():
    short = missing.conditions(pattern(ep(6.9, hours=None)), NOW, disappearing_days=7,
                               earlier_cse_concern=True)
    long = missing.conditions(pattern(ep(7, hours=None)), NOW, disappearing_days=7,
                              earlier_cse_concern=True)
    assert "missing_long_now" not in short and {"missing_long_now", "earlier_cse_concern"} <= long


def test_every_fact_a_reason_may_quote_is_computed():
    assert set(missing.facts(pattern(ep(1)), NOW)) == missing._FACT_NAMES


def test_describe_duration():
    assert missing.describe_duration(timedelta(days=3, hours=4, minutes=5)) == "3 days 4 hours"
    assert missing.describe_duration(timedelta(hours=1)) == "1 hour"
    assert missing.describe_duration(timedelta(minutes=20)) == "less than an hour"


RULES = {"suggestions": [
    {"framework": "wm", "code": "wm1.missing_or_late", "when": ["repeated"],
     "reason": "{in_trigger_window} episodes in {trigger_days} days", "citation": "West Midlands "
                                                                                  "CSE toolkit"},
    {"framework": "seraf", "code": "seraf.s.missing_overnight", "when": ["overnight"],
     "reason": "overnight {overnight} times", "citation": "All Wales CSE protocol §5.4"},
]}


def test_suggest_returns_the_rules_of_the_framework_whose_conditions_hold():
    rules = missing.parse_rules(RULES, "test")
    p = pattern(ep(1, hours=30), ep(5), ep(9))
    held = missing.conditions(p, NOW, disappearing_days=7, earlier_cse_concern=False)
    values = missing.facts(p, NOW)
    assert missing.suggest(rules, "wm", held, values) == [
        ("wm1.missing_or_late", "3 episodes in 30 days")]
    assert missing.suggest(rules, "seraf", held, values) == [
        ("seraf.s.missing_overnight", "overnight 1 times")]
    assert missing.suggest(rules, "sera", held, values) == []


@pytest.mark.parametrize(("change", "problem"), [
    ({"when": ["sometimes"]}, "suggestions[0].when[0]: expected one of"),
    ({"when": []}, "suggestions[0].when: must list at least 1 entry"),
    ({"code": "seraf.s.missing_overnight"},
     'suggestions[0]: code "seraf.s.missing_overnight" is not a wm indicator code'),
    ({"reason": "{nonsense}"}, "suggestions[0]: the reason quotes unknown values"),
    ({"citation": ""}, "suggestions[0].citation: must not be empty"),
])
def test_malformed_rules_are_refused_with_the_problem_named(change, problem):
    raw = {**RULES["suggestions"][0], **change}
    with pytest.raises(missing.SuggestionRuleError) as error:
        missing.parse_rules({"suggestions": [raw]}, "test")
    assert str(error.value).startswith(f"test: {problem}")
