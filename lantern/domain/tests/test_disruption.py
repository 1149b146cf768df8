from datetime import date
from typing import Any

import pytest

from lantern.domain import disruption
from lantern.domain.disruption import link_weight, review_due

TODAY = date(2026, 11, 28)


def _facts(**overrides):
    base: dict[str, Any] = {"children": 2, "best_grade": "B", "last_seen": date(2026, 11, 20),
            "violence": True, "previous_convictions": 1, "reports": 3, "areas": 1}
    base.update(overrides)
    return disruption.SubjectFacts(**base)


def test_every_factor_is_shown_with_value_weight_and_points():
    result = disruption.score(_facts(), today=TODAY)
    lines = {line.code: line for line in result.lines}
    assert lines["children_linked"].value == 2 and lines["children_linked"].weight == 10
    assert lines["grading"].value == 3
    assert lines["recency"].value == 3
    assert result.total == sum(line.points for line in result.lines) == 20 + 15 + 15 + 20 + 4 + 6


def test_an_area_sets_its_own_weights():
    result = disruption.score(_facts(), today=TODAY,
                              local_settings={"disruption_weights": {"violence": 50}})
    assert {line.code: line.points for line in result.lines}["violence"] == 50


def test_an_unknown_weight_name_is_refused():
    with pytest.raises(ValueError, match="violense"):
        disruption.score(_facts(), today=TODAY,
                         local_settings={"disruption_weights": {"violense": 50}})


def test_caps_stop_one_factor_drowning_the_rest():
    result = disruption.score(_facts(children=40), today=TODAY)
    assert {line.code: line.value for line in result.lines}["children_linked"] == 5


def test_old_intelligence_scores_no_recency():
    result = disruption.score(_facts(last_seen=date(2024, 1, 1)), today=TODAY)
    assert {line.code: line.value for line in result.lines}["recency"] == 0


# --- Intelligence ages (issue 16) -----------------------------------------------------------
DAY = date(2026, 11, 30)


def test_a_well_graded_report_stands_longer_than_a_weak_one():
    assert review_due(DAY, "A") > review_due(DAY, "E")


def test_the_review_date_of_a_month_end_grading_is_a_real_day():
    assert review_due(date(2026, 8, 31), "C") == date(2027, 2, 28)


def test_an_old_low_graded_link_weighs_half_a_child():
    assert link_weight("D", date(2024, 1, 1), DAY) == 0.5


def test_an_old_well_graded_link_weighs_a_whole_child():
    assert link_weight("A", date(2024, 1, 1), DAY) == 1.0


def test_a_recent_low_graded_link_weighs_a_whole_child():
    assert link_weight("E", date(2026, 11, 1), DAY) == 1.0


@pytest.mark.parametrize("local", [None, {}, {"disruption_weights": {"violence": 50,
                                                                      "reports": 0.5}}])
def test_the_factors_worked_out_once_score_as_the_area_settings_do(local):
    """A ranking works the area's factors out once (`factors_for`) for all its subjects: the
    same score as from the area's settings, for any facts."""
    factors = disruption.factors_for(local)
    for facts in (_facts(), _facts(children=40, violence=False),
                  _facts(last_seen=date(2024, 1, 1), best_grade=None)):
        assert disruption.score(facts, today=TODAY, factors=factors) == disruption.score(
            facts, today=TODAY, local_settings=local)
