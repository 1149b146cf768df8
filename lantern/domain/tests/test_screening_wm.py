"""The West Midlands tool's rules (SPEC §3.1), table by table."""

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain.frameworks import parse
from lantern.domain.screening import ScreeningInput, ScreeningInputError, evaluate
from lantern.screening import registry

WM = registry.get("wm")
CAT1 = [i.code for i in WM.indicators if i.category == 1]
CAT2 = [i.code for i in WM.indicators if i.category == 2]
CAT3 = [i.code for i in WM.indicators if i.category == 3]


def screen(age=14, indicators=(), **flags):
    return evaluate(WM, ScreeningInput(age=age, indicators=frozenset(indicators), **flags))


@pytest.mark.parametrize(
    ("c1", "c2", "c3", "expected"),
    [
        (0, 0, 0, 1),
        (1, 0, 0, 1),
        (2, 0, 0, 1),
        (3, 0, 0, 1),
        (0, 1, 0, 2),
        (3, 2, 0, 2),
        (0, 0, 1, 3),
        (3, 3, 3, 3),
    ],
)
def test_suggestion_is_the_highest_category_present(c1, c2, c3, expected):
    result = screen(indicators=CAT1[:c1] + CAT2[:c2] + CAT3[:c3])
    assert (result.minimum, result.maximum) == (expected, expected)


# Counts 0, 1, 2, 3 of each group: the highest category present, and whether several of it
# prompt the next category (default setting 3).
@pytest.mark.parametrize(
    ("c1", "c2", "c3", "suggested", "prompt_for"),
    [
        (0, 0, 0, 1, None),
        (1, 0, 0, 1, None),
        (2, 0, 0, 1, None),
        (3, 0, 0, 1, 2),
        (0, 1, 0, 2, None),
        (0, 2, 0, 2, None),
        (0, 3, 0, 2, 3),
        (3, 1, 0, 2, None),
        (2, 3, 0, 2, 3),
        (0, 0, 1, 3, None),
        (0, 0, 2, 3, None),
        (0, 0, 3, 3, None),
        (3, 3, 1, 3, None),
        (1, 1, 1, 3, None),
    ],
)
def test_counts_of_each_group(c1, c2, c3, suggested, prompt_for):
    result = screen(indicators=CAT1[:c1] + CAT2[:c2] + CAT3[:c3])
    assert (result.minimum, result.maximum, result.floor) == (suggested, suggested, None)
    prompts = [p for p in result.prompts if "consider whether category" in p]
    if prompt_for is None:
        assert prompts == []
    else:
        assert [f"consider whether category {prompt_for} is right" in p for p in prompts] == [
            True]


# Ages 12, 13, 17, 18, 20, 21 with and without the facts that change the outcome.
@pytest.mark.parametrize(
    ("age", "facts", "suggested", "floor", "adult_route"),
    [
        (12, {}, 2, 2, False),
        (12, {"learning_disability": True}, 2, 2, False),
        (12, {"s47_cse": True}, 3, 3, False),
        (13, {}, 1, None, False),
        (13, {"learning_disability": True}, 2, 2, False),
        (17, {}, 1, None, False),
        (17, {"s47_cse": True}, 3, 3, False),
        (18, {"additional_needs": True}, 1, None, True),
        (18, {"additional_needs": True, "learning_disability": True}, 2, 2, True),
        (20, {"additional_needs": True}, 1, None, True),
    ],
)
def test_ages_and_facts_with_one_category_1_indicator(age, facts, suggested, floor,
                                                      adult_route):
    result = screen(age=age, indicators=CAT1[:1], **facts)
    assert (result.minimum, result.maximum) == (suggested, suggested)
    assert result.floor == floor
    assert result.adult_route is adult_route
    assert result.requires_referral is (suggested >= 2)


@pytest.mark.parametrize(("age", "additional_needs"), [(18, False), (20, False), (21, True),
                                                       (21, False)])
def test_18_to_20_without_additional_needs_and_21_are_outside_the_tool(age, additional_needs):
    with pytest.raises(ScreeningInputError, match=f"age {age} is outside"):
        screen(age=age, indicators=CAT1[:1], additional_needs=additional_needs)


@pytest.mark.parametrize("age", [18, 19, 20])
def test_a_learning_disability_is_an_additional_need_at_18_to_20(age):
    # Issue 14: a learning disability counts as the additional need of seed 001's special
    # consideration up to 21, without "additional needs" also being ticked.
    result = screen(age=age, indicators=CAT1[:1], learning_disability=True)
    assert result.adult_route and result.minimum == 2  # and the learning-disability floor


def test_a_learning_disability_does_not_bring_21_into_the_tool():
    with pytest.raises(ScreeningInputError, match="age 21 is outside"):
        screen(age=21, indicators=CAT1[:1], learning_disability=True)


def test_floor_reasons_name_every_rule_that_set_the_floor():
    result = screen(age=12, indicators=CAT1[:1], learning_disability=True)
    assert len(result.floor_reasons) == 2
    assert "under 13" in result.floor_reasons[0]
    assert "learning disability" in result.floor_reasons[1]
    assert set(result.floor_reasons) <= set(result.reasons)


def test_the_reasons_name_the_indicators_that_produced_the_suggestion():
    result = screen(indicators=["wm1.poor_self_image", "wm2.vehicles"])
    assert result.drivers == ["wm2.vehicles"]
    assert "Getting into vehicles with known or unknown adults" in result.reasons[0]


def test_under_13_indicator_for_an_older_child_prompts_a_check_of_age():
    result = screen(age=15, indicators=["wm3.under13_sexual_activity"])
    assert any("check the child's age" in p for p in result.prompts)
    assert not any("check the child's age" in p for p in screen(age=12, indicators=[
        "wm3.under13_sexual_activity"]).prompts)


def test_a_social_worker_screening_needs_no_rescreen_action():
    by_teacher = screen(indicators=CAT2[:1], screener_role="teacher")
    by_social_worker = screen(indicators=CAT2[:1])
    assert any("social worker re-screens" in a for a in by_teacher.actions)
    assert not any("social worker re-screens" in a for a in by_social_worker.actions)


@pytest.mark.parametrize(("count", "prompted"), [(2, False), (3, True)])
def test_several_category_1_indicators_prompt_considering_category_2(count, prompted):
    result = screen(indicators=CAT1[:count])
    assert bool(result.prompts) is prompted
    assert result.minimum == result.maximum == 1


def test_the_prompt_threshold_is_a_local_setting():
    result = evaluate(
        WM, ScreeningInput(age=14, indicators=frozenset(CAT1[:2])),
        {"wm_prompt_next_category_at": 2},
    )
    assert "consider whether category 2" in result.prompts[0]


@pytest.mark.parametrize(("age", "floor"), [(12, 2), (13, None), (17, None)])
def test_under_13_with_any_indicator_cannot_be_category_1(age, floor):
    result = screen(age=age, indicators=CAT1[:1])
    assert result.floor == floor
    assert result.minimum == (2 if floor else 1)


def test_under_13_with_no_indicator_has_no_floor():
    assert screen(age=12).floor is None


def test_learning_disability_with_any_indicator_cannot_be_category_1():
    result = screen(indicators=CAT1[:1], learning_disability=True)
    assert result.floor == 2 and result.minimum == 2
    assert not result.allows(1)


def test_section_47_with_cse_presenting_is_category_3():
    result = screen(s47_cse=True)
    assert result.floor == 3 and result.minimum == 3


@pytest.mark.parametrize(("category_codes", "referral"), [(CAT1, False), (CAT2, True),
                                                          (CAT3, True)])
def test_categories_2_and_3_require_a_referral(category_codes, referral):
    assert screen(indicators=category_codes[:1]).requires_referral is referral


@pytest.mark.parametrize(("category_codes", "meeting"), [(CAT1, "not_required"),
                                                         (CAT2, "required"),
                                                         (CAT3, "required")])
def test_mase_is_required_from_category_2(category_codes, meeting):
    assert screen(indicators=category_codes[:1]).strategy_meeting == meeting


@pytest.mark.parametrize(("role", "rescreen"), [("teacher", True), ("referrer", True),
                                                ("social_worker", False)])
def test_a_screening_by_anyone_but_a_social_worker_is_rescreened(role, rescreen):
    assert screen(indicators=CAT1[:1], screener_role=role).requires_social_worker_rescreen is (
        rescreen
    )


@pytest.mark.parametrize("age", [18, 20])
def test_young_people_18_to_20_with_additional_needs_route_to_adults(age):
    result = screen(age=age, indicators=CAT2[:1], additional_needs=True)
    assert result.adult_route is True


@pytest.mark.parametrize(("age", "additional_needs"), [(18, False), (21, True), (-1, False)])
def test_ages_outside_the_tool_are_refused_naming_the_age(age, additional_needs):
    with pytest.raises(ScreeningInputError, match=f"age {age}"):
        screen(age=age, indicators=CAT1[:1], additional_needs=additional_needs)


def test_17_year_old_is_not_on_the_adult_route():
    assert screen(age=17, indicators=CAT1[:1]).adult_route is False


def test_an_unknown_indicator_is_refused_naming_it():
    with pytest.raises(ScreeningInputError, match="wm9.nonsense"):
        screen(indicators=["wm9.nonsense"])


def test_reasons_name_the_rule_that_produced_the_suggestion():
    result = screen(age=12, indicators=CAT1[:1])
    assert any("under 13" in reason for reason in result.reasons)


def test_required_actions_follow_the_category():
    assert "Refer to the National Referral Mechanism where trafficking is indicated" in (
        screen(indicators=CAT3[:1]).actions
    )


@given(
    st.sets(st.sampled_from(CAT1 + CAT2 + CAT3)),
    st.sampled_from(CAT1 + CAT2 + CAT3),
    st.integers(min_value=0, max_value=20),
    st.booleans(),
    st.booleans(),
    st.integers(min_value=1, max_value=5),
)
def test_adding_an_indicator_never_lowers_the_suggestion(ticked, extra, age, ld, s47, prompt_at):
    facts = {"learning_disability": ld, "s47_cse": s47, "additional_needs": age >= 18}
    settings = {"wm_prompt_next_category_at": prompt_at}
    before = evaluate(WM, ScreeningInput(age=age, indicators=frozenset(ticked), **facts),
                      settings)
    after = evaluate(WM, ScreeningInput(age=age, indicators=frozenset(ticked | {extra}),
                                        **facts), settings)
    assert after.minimum >= before.minimum and after.maximum >= before.maximum
    assert (after.floor or 0) >= (before.floor or 0)


def _wm_with_a_checklist():
    """The shipped tool with a checklist group added alongside its categories."""
    raw = tomllib.loads(Path(registry.DIRECTORY, "wm-2015.1.toml").read_text())
    raw["groups"].append({"code": "wm.notes", "label": "Notes"})
    raw["indicators"].append({"code": "wm.notes.worried_friend", "group": "wm.notes",
                              "wording": "A friend is worried", "citation": "West Midlands CSE "
                                                                            "toolkit"})
    return parse(raw, "wm.toml")


def test_a_checklist_indicator_points_to_no_category():
    framework = _wm_with_a_checklist()
    with pytest.raises(ValueError, match="checklist indicator, with no category"):
        framework.category_of("wm.notes.worried_friend")
    assert framework.category_of(CAT2[0]) == 2


def test_a_checklist_indicator_counts_towards_no_category():
    framework = _wm_with_a_checklist()
    alone = evaluate(framework, ScreeningInput(age=14, indicators=frozenset(
        {"wm.notes.worried_friend"})))
    assert (alone.minimum, alone.maximum) == (1, 1)
    with_category_2 = evaluate(framework, ScreeningInput(age=14, indicators=frozenset(
        {"wm.notes.worried_friend", CAT2[0]})))
    assert (with_category_2.minimum, with_category_2.drivers) == (2, [CAT2[0]])
