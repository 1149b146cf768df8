"""Who a child or subject is: each detail recorded, or not known with a reason
(lantern/domain/data/demographics.toml; issue 16 item 5)."""

from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import demographics

NAMES = {"ethnicity": "the ethnic group", "nationality": "the nationality"}
REASONS = [code for code, _label in demographics.reason_choices()]


def test_the_ethnic_groups_are_the_19_of_the_2021_census_and_not_known():
    choices = demographics.ethnicity_choices()
    assert len(choices) == 20 and choices[-1] == ("not_known", "Not known")
    groups = {e.group for e in demographics.data().ethnicities}
    assert groups == {"Asian, Asian British or Asian Welsh",
                      "Black, Black British, Black Welsh, Caribbean or African",
                      "Mixed or Multiple ethnic groups", "White", "Other ethnic group"}


def test_the_reasons_include_declined_not_asked_and_not_recorded_by_the_source():
    assert {"declined", "not_asked", "not_recorded_by_source"} <= set(REASONS)


def test_not_known_without_a_reason_is_a_problem():
    checked = demographics.check({"ethnicity": "not_known"}, {}, NAMES)
    assert checked.problems == {"ethnicity": "Select why the ethnic group is not known"}


def test_not_known_with_a_reason_keeps_the_reason():
    checked = demographics.check({"ethnicity": "not_known", "nationality": ""},
                                 {"ethnicity": "declined", "nationality": "not_asked"}, NAMES)
    assert checked.problems == {}
    assert checked.reasons == {"ethnicity": "declined", "nationality": "not_asked"}


def test_a_reason_not_in_the_list_is_a_problem():
    checked = demographics.check({"ethnicity": "not_known"}, {"ethnicity": "busy"}, NAMES)
    assert "from the list" in checked.problems["ethnicity"]


def test_a_blank_answer_without_a_reason_is_not_asked_yet_and_no_problem():
    checked = demographics.check({"nationality": ""}, {}, NAMES)
    assert checked == demographics.Checked({}, {})
    assert demographics.status("", None) == "missing"


@given(value=st.sampled_from([c for c, _ in demographics.ethnicity_choices()] + [""]),
       reason=st.sampled_from([*REASONS, ""]))
def test_a_detail_is_recorded_not_known_with_its_reason_or_missing(value, reason):
    checked = demographics.check({"ethnicity": value}, {"ethnicity": reason}, NAMES)
    state = demographics.status(value, checked.reasons.get("ethnicity"))
    if value and value != "not_known":
        assert state == "recorded" and checked.reasons == {} and not checked.problems
    elif reason:
        assert state == "not_known" and checked.reasons == {"ethnicity": reason}
    else:
        assert state == "missing"
        assert bool(checked.problems) == (value == "not_known")
