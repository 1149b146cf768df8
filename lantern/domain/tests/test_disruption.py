from datetime import date
from typing import Any

import pytest

from lantern.domain import disruption

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
