"""The plans data file and the plain rules about the one plan (SPEC §6)."""

import tomllib
from datetime import date
from pathlib import Path

import pytest

from lantern.domain import plans

DATA = Path(__file__).resolve().parents[2] / "plans" / "data" / "plans.toml"


@pytest.fixture(scope="module")
def data():
    return plans.load(DATA)


def test_the_three_kinds_of_action_and_the_spec_tactics(data):
    assert [k.code for k in data.action_kinds] == ["safety", "disruption", "support"]
    assert [t.code for t in data.disruption_types] == ["cawn", "search", "licensing",
                                                       "arrest_other", "other"]


def test_the_outcome_measures_are_seed_001s(data):
    assert len(data.measures) == 12
    assert data.measure("missing_episodes").better == "lower"
    assert data.measure("substance_misuse").optional


def test_a_plan_without_the_three_kinds_is_refused():
    raw = tomllib.loads(DATA.read_text())
    raw["action_kinds"] = raw["action_kinds"][:2]
    with pytest.raises(plans.PlanDataError, match="safety, disruption and support"):
        plans.parse(raw, "plans.toml")


def test_a_disruption_action_names_its_subject(data):
    with pytest.raises(plans.InvalidAction, match="person the disruption is against"):
        plans.check_action(data, kind="disruption", disruption_type="licensing")


def test_a_warning_notice_rests_on_the_parent_s_statement(data):
    with pytest.raises(plans.InvalidAction, match="forbid the visits"):
        plans.check_action(data, kind="disruption", disruption_type="cawn", has_subject=True,
                           child_age=14)
    assert plans.check_action(data, kind="disruption", disruption_type="cawn",
                              has_subject=True, child_age=14,
                              facts=["parent_statement"]) == []


def test_a_warning_notice_for_a_child_of_16_is_warned_about(data):
    warnings = plans.check_action(data, kind="disruption", disruption_type="cawn",
                                  has_subject=True, child_age=16,
                                  facts=["parent_statement"])
    assert warnings and "under 16" in warnings[0]


def test_a_search_needs_consent_or_a_power_and_the_advisories(data):
    with pytest.raises(plans.InvalidAction, match="PACE Code B"):
        plans.check_action(data, kind="disruption", disruption_type="search", has_subject=True)
    with pytest.raises(plans.InvalidAction, match="need not consent"):
        plans.check_action(data, kind="disruption", disruption_type="search", has_subject=True,
                           facts=["occupier_consent_or_power"])


def test_only_disruption_has_a_tactic(data):
    with pytest.raises(plans.InvalidAction):
        plans.check_action(data, kind="safety", disruption_type="cawn")


def test_change_since_the_start_follows_which_way_is_better(data):
    rows = {r.measure.code: r for r in plans.measure_rows(data, [
        ("missing_episodes", date(2027, 1, 1), 6), ("missing_episodes", date(2027, 3, 1), 2),
        ("self_esteem", date(2027, 1, 1), 3), ("self_esteem", date(2027, 3, 1), 2),
        ("education", date(2027, 1, 1), 3), ("education", date(2027, 3, 1), 3),
        ("risk_awareness", date(2027, 1, 1), 2),
    ])}
    assert rows["missing_episodes"].change == "better"
    assert rows["self_esteem"].change == "worse"
    assert rows["education"].change == "same"
    assert rows["risk_awareness"].change == ""
    assert rows["missing_episodes"].start == 6 and rows["missing_episodes"].latest == 2


def test_ratings_are_1_to_5_and_counts_not_negative(data):
    with pytest.raises(plans.InvalidAction):
        plans.check_value(data.measure("self_esteem"), 6)
    with pytest.raises(plans.InvalidAction):
        plans.check_value(data.measure("missing_episodes"), -1)
    plans.check_value(data.measure("missing_episodes"), 0)
