"""Stockport's SERA levels (SPEC §3.3, seed 000 §4, §5, §11, §13-14), table by table."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain.screening import ScreeningInput, ScreeningInputError, evaluate
from lantern.screening import registry

SERA = registry.get("sera")
L1 = [i.code for i in SERA.indicators_in("sera1")]
L2 = [i.code for i in SERA.indicators_in("sera2")]
L3 = [i.code for i in SERA.indicators_in("sera3")]
CHECKLIST = [i.code for i in SERA.indicators if SERA.kind_of(i.code) == "checklist"]


def screen(age=14, indicators=(), **facts):
    return evaluate(SERA, ScreeningInput(age=age, indicators=frozenset(indicators), **facts))


# Counts 0-3 of each level's signals: the highest level present; a single signal at level L > 1
# (the only signal recorded) gives L-1 to L.
@pytest.mark.parametrize(
    ("l1", "l2", "l3", "expected"),
    [
        (0, 0, 0, (1, 1)),
        (1, 0, 0, (1, 1)),
        (2, 0, 0, (1, 1)),
        (3, 0, 0, (1, 1)),
        (0, 1, 0, (1, 2)),
        (0, 2, 0, (2, 2)),
        (0, 3, 0, (2, 2)),
        (1, 1, 0, (2, 2)),
        (0, 0, 1, (2, 3)),
        (0, 0, 2, (3, 3)),
        (0, 0, 3, (3, 3)),
        (1, 0, 1, (3, 3)),
        (0, 1, 1, (3, 3)),
        (3, 3, 3, (3, 3)),
    ],
)
def test_counts_of_each_level(l1, l2, l3, expected):
    result = screen(indicators=L1[:l1] + L2[:l2] + L3[:l3])
    assert (result.minimum, result.maximum) == expected
    assert result.floor is None


def test_checklist_items_are_not_signals_and_do_not_narrow_the_range():
    result = screen(indicators=L3[:1] + CHECKLIST[:3])
    assert (result.minimum, result.maximum) == (2, 3)
    assert any("no level of their own" in p for p in result.prompts)


def test_the_checklist_alone_suggests_level_1_and_still_requires_a_referral():
    result = screen(indicators=CHECKLIST[:2])
    assert (result.minimum, result.maximum) == (1, 1)
    assert result.requires_referral is True


@pytest.mark.parametrize(("ticked", "referral"), [([], False), (L1[:1], True),
                                                  (["sera.f.neglect"], True)])
def test_any_indicator_requires_a_referral(ticked, referral):
    assert screen(indicators=ticked).requires_referral is referral


@pytest.mark.parametrize(("ticked", "meeting"), [
    ([], "not_required"), (L1[:2], "not_required"), (L2[:1], "consider"),
    (L2[:2], "consider"), (L3[:1], "required"), (L3[:2], "required"),
])
def test_strategy_meeting_follows_the_upper_end(ticked, meeting):
    assert screen(indicators=ticked).strategy_meeting == meeting


def test_level_3_requires_a_cse_strategy_meeting_within_10_days_chaired_by_an_iro():
    actions = screen(indicators=L3[:2]).actions
    assert any("within 10 days" in a and "independent reviewing officer" in a for a in actions)


@pytest.mark.parametrize("age", [12, 13, 17])
def test_under_18_is_in_scope_without_floors(age):
    result = screen(age=age, indicators=L1[:1], learning_disability=True)
    assert result.floor is None and result.adult_route is False


@pytest.mark.parametrize("age", [18, 20, 21])
def test_18_and_over_is_outside_the_sera_levels(age):
    with pytest.raises(ScreeningInputError, match=f"age {age} is outside"):
        screen(age=age, indicators=L1[:1])


@pytest.mark.parametrize(("age", "partner_age", "flagged"), [
    (14, 19, True), (14, 18, False), (15, 30, True), (17, 22, True), (17, 21, False),
    (14, None, False),
])
def test_a_partner_five_or_more_years_older_is_flagged(age, partner_age, flagged):
    result = screen(age=age, indicators=L1[:1], partner_age=partner_age)
    assert any("years older than the child" in p for p in result.prompts) is flagged


def test_the_same_words_at_two_levels_prompt_a_choice():
    result = screen(indicators=["sera2.violence_intimidation_fear",
                                "sera3.violence_intimidation_fear"])
    assert (result.minimum, result.maximum) == (3, 3)
    assert any("same words at both levels" in p for p in result.prompts)


def test_criteria_supporting_a_strategy_meeting_are_named():
    result = screen(indicators=["sera2.regularly_missing", "sera1.gifts_resources"],
                    learning_disability=True)
    prompt = next(p for p in result.prompts if "support convening" in p)
    assert "Repeatedly missing" in prompt and "Unexplained money" in prompt
    assert "Additional vulnerability" in prompt


def test_family_history_increases_significance():
    result = screen(indicators=L1[:1] + ["sera.f.domestic_abuse"])
    assert any("increase the significance" in p for p in result.prompts)


def test_16_and_17_year_olds_are_not_deprioritised():
    assert any("16 or 17 does not lower the risk" in p
               for p in screen(age=16, indicators=L1[:1]).prompts)
    assert not any("16 or 17" in p for p in screen(age=15, indicators=L1[:1]).prompts)


def test_section_47_adds_the_urgent_route_without_raising_the_level():
    result = screen(indicators=L1[:1], s47_cse=True)
    assert (result.minimum, result.maximum) == (1, 1)
    assert any("section 47 enquiry and an urgent strategy meeting" in a for a in result.actions)


@given(
    st.sets(st.sampled_from(L1 + L2 + L3 + CHECKLIST)),
    st.sampled_from(L1 + L2 + L3 + CHECKLIST),
    st.integers(min_value=0, max_value=17),
)
def test_adding_an_indicator_never_lowers_the_suggestion(ticked, extra, age):
    before = screen(age=age, indicators=ticked)
    after = screen(age=age, indicators=ticked | {extra})
    assert after.minimum >= before.minimum and after.maximum >= before.maximum
