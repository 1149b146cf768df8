"""The notification rules as data (issue 14 item 9): which rules an event has in a profile, and
the at-risk threshold of each screening tool."""

from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import notifications
from lantern.domain.sources import PROCEDURES

SHORT_NAMES = tuple(p.short for p in PROCEDURES)


def codes(event, profile, base=""):
    return {r.code for r in notifications.rules_for(event, profile, base)}


def test_wales_tells_of_referrals_and_strategy_outcomes():
    assert codes("referral", "wales") == {"referral_lead_officer"}
    assert codes("strategy_concluded", "wales") == {"strategy_outcome_referrer"}


def test_a_local_profile_based_on_wales_follows_it():
    assert codes("referral", "cardiff", base="wales") == {"referral_lead_officer"}


def test_english_profiles_have_no_referral_or_strategy_rule():
    for profile in ("coventry", "stockport", "bristol"):
        assert codes("referral", profile) == set()
        assert codes("strategy_concluded", profile) == set()


def test_every_profile_tells_the_cse_team_of_children_and_adults_at_risk():
    for profile in ("coventry", "stockport", "bristol", "wales"):
        assert codes("child_at_risk", profile) == {"child_at_risk_cse_team"}
        assert codes("adult_risk", profile) == {"adult_risk_cse_team"}


def test_every_profile_tells_of_a_young_adult_at_risk():
    for profile in ("coventry", "stockport", "bristol", "wales"):
        assert codes("young_adult_at_risk", profile) == {"young_adult_adult_safeguarding"}


def test_every_rule_cites_a_seed():
    assert all(r.citation.startswith(SHORT_NAMES) for r in notifications.rules())


RULE = notifications.rules_for("child_at_risk", "wales")[0]


@given(st.integers(min_value=0, max_value=5))
def test_seraf_is_at_risk_from_category_2(category):
    assert RULE.at_risk("seraf", category) == (category >= 2)


@given(st.integers(min_value=0, max_value=5))
def test_west_midlands_is_at_risk_from_category_1(category):
    assert RULE.at_risk("wm", category) == (category >= 1)


@given(st.one_of(st.none(), st.integers(min_value=0, max_value=5)))
def test_a_tool_without_a_threshold_is_never_at_risk(category):
    assert not RULE.at_risk("bristol", category)
