"""What a designated safeguarding lead and a referrer may agree about a concern, read from its
data file (issue 15, item 3)."""

from pathlib import Path

import pytest

from lantern.domain import lists

SHIPPED = Path(__file__).resolve().parents[2] / "pathway" / "data" / "discussion_outcomes.toml"


def _entry(**changes):
    entry = {"code": "refer", "wording": "Refer", "citation": "Stockport CSE procedure §13"}
    entry.update(changes)
    return entry


def test_the_shipped_outcomes_confirm_screen_and_refer():
    outcomes = {o.code: o for o in lists.discussion_outcomes(SHIPPED)}
    assert outcomes["screening_confirmed"].needs_screening
    assert outcomes["screen_together"].next == "screen"
    assert outcomes["refer"].next == "refer"
    assert not any(o.needs_screening for code, o in outcomes.items()
                   if code != "screening_confirmed")


def test_a_page_to_go_on_to_that_lantern_does_not_know_is_refused():
    with pytest.raises(lists.ListError, match="next"):
        lists.parse_discussion_outcomes({"outcomes": [_entry(next="home")]}, "test.toml")


def test_an_outcome_listed_twice_is_refused():
    with pytest.raises(lists.ListError, match="appears twice"):
        lists.parse_discussion_outcomes({"outcomes": [_entry(), _entry()]}, "test.toml")
