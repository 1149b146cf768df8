"""SERAF's rules (SPEC §3.2, seed 002 §5.2-5.8, §6), table by table."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain.screening import ScreeningInput, ScreeningInputError, evaluate, requirements
from lantern.screening import registry

SERAF = registry.get("seraf")
V = [i.code for i in SERAF.indicators_in("seraf.v")]
R = [i.code for i in SERAF.indicators_in("seraf.r")]
S = [i.code for i in SERAF.indicators_in("seraf.s")]


def screen(age=14, indicators=(), settings=None, **facts):
    return evaluate(SERAF, ScreeningInput(age=age, indicators=frozenset(indicators), **facts),
                    settings)


def ticks(v, r, s):
    return V[:v] + R[:r] + S[:s]


# Every count 0-3 of vulnerabilities (v), risk indicators (r) and significant ones (s), with the
# range SPEC §3.2 gives: the table written out, not computed.
RANGES = {
    # s = 0: not at risk, or not at risk or mild with multiple vulnerabilities (v >= 2)
    (0, 0, 0): (1, 1), (1, 0, 0): (1, 1), (2, 0, 0): (1, 2), (3, 0, 0): (1, 2),
    # r = 1 or 2: mild, or mild or moderate with multiple vulnerabilities
    (0, 1, 0): (2, 2), (1, 1, 0): (2, 2), (2, 1, 0): (2, 3), (3, 1, 0): (2, 3),
    (0, 2, 0): (2, 2), (1, 2, 0): (2, 2), (2, 2, 0): (2, 3), (3, 2, 0): (2, 3),
    # r >= 3: moderate
    (0, 3, 0): (3, 3), (1, 3, 0): (3, 3), (2, 3, 0): (3, 3), (3, 3, 0): (3, 3),
    # a significant risk indicator alone: moderate or significant
    (0, 0, 1): (3, 4), (0, 0, 2): (3, 4), (0, 0, 3): (3, 4),
    # with any vulnerability or risk indicator: significant
    (1, 0, 1): (4, 4), (0, 1, 1): (4, 4), (2, 0, 2): (4, 4), (0, 2, 3): (4, 4),
    (3, 3, 3): (4, 4), (1, 1, 1): (4, 4), (2, 3, 1): (4, 4), (3, 0, 1): (4, 4),
}


@pytest.mark.parametrize(("counts", "expected"), sorted(RANGES.items()))
def test_counts_give_the_spec_range(counts, expected):
    result = screen(indicators=ticks(*counts))
    assert (result.minimum, result.maximum) == expected
    assert result.floor is None


# strategy_meeting follows the upper end of the range: 1 not required, 2 consider, 3-4 required.
@pytest.mark.parametrize(
    ("counts", "meeting"),
    [((0, 0, 0), "not_required"), ((1, 0, 0), "not_required"), ((2, 0, 0), "consider"),
     ((0, 1, 0), "consider"), ((2, 1, 0), "required"), ((0, 3, 0), "required"),
     ((0, 0, 1), "required"), ((1, 1, 1), "required")],
)
def test_strategy_meeting_follows_the_upper_end(counts, meeting):
    assert screen(indicators=ticks(*counts)).strategy_meeting == meeting


@pytest.mark.parametrize(("counts", "referral"), [((0, 0, 0), False), ((1, 0, 0), True),
                                                  ((0, 1, 0), True), ((0, 0, 1), True)])
def test_any_indicator_requires_a_referral_to_social_services(counts, referral):
    result = screen(indicators=ticks(*counts))
    assert result.requires_referral is referral
    assert any("within 7 working days" in a for a in result.actions) is referral


@pytest.mark.parametrize(
    ("age", "counts", "adult_route"),
    [(12, (1, 1, 1), False), (13, (1, 1, 1), False), (17, (1, 1, 1), False),
     (18, (1, 1, 1), True), (18, (0, 3, 0), True), (18, (0, 1, 0), False),
     (18, (2, 0, 0), False), (20, (0, 0, 1), True), (21, (1, 1, 1), True),
     (24, (2, 1, 0), True), (24, (1, 0, 0), False)],
)
def test_18_and_over_at_moderate_or_significant_routes_to_adults(age, counts, adult_route):
    result = screen(age=age, indicators=ticks(*counts))
    assert result.adult_route is adult_route
    assert any("POVA" in a for a in result.actions) is adult_route


def test_18_and_over_at_lower_categories_gets_awareness_in_the_pathway_plan():
    result = screen(age=19, indicators=ticks(1, 1, 0))
    assert any("awareness raising in the pathway plan" in a for a in result.actions)


@pytest.mark.parametrize("age", [12, 13, 17, 18, 20, 21, 24])
def test_any_age_under_25_is_in_scope_with_no_floors(age):
    result = screen(age=age, indicators=ticks(1, 1, 0), learning_disability=True)
    assert result.floor is None and (result.minimum, result.maximum) == (2, 2)


@pytest.mark.parametrize("age", [25, 30, -1])
def test_ages_outside_serafs_scope_are_refused_naming_the_age(age):
    with pytest.raises(ScreeningInputError, match=f"age {age}"):
        screen(age=age, indicators=V[:1])


def test_an_unknown_or_other_frameworks_code_is_refused():
    with pytest.raises(ScreeningInputError, match="wm1.missing_or_late"):
        screen(indicators=["wm1.missing_or_late"])


def test_a_non_social_worker_screening_needs_no_wm_rescreen():
    assert screen(indicators=R[:1], screener_role="teacher").requires_social_worker_rescreen is (
        False)


@pytest.mark.parametrize(("category", "expected"), [
    (1, "Give the child information to stay safe"),
    (2, "A strategy discussion may be held"),
    (3, "Hold at least one review meeting"),
    (4, "long-term intensive direct work"),
])
def test_required_actions_follow_the_category(category, expected):
    given_ = ScreeningInput(age=14, indicators=frozenset(R[:1]))
    assert any(expected in a for a in requirements(SERAF, category, given_).actions)


def test_a_range_explains_why_it_is_a_range():
    result = screen(indicators=ticks(2, 1, 0))
    assert any("mild or moderate" in r for r in result.reasons)
    assert any("'multiple' as 2 or more vulnerabilities and 3 or more" in r
               for r in result.reasons)


def test_the_reading_of_multiple_is_a_local_setting():
    settings = {"seraf_multiple_vulnerabilities": 3, "seraf_multiple_risk_indicators": 2}
    assert (screen(indicators=ticks(2, 0, 0), settings=settings).maximum) == 1
    assert (screen(indicators=ticks(0, 2, 0), settings=settings).minimum) == 3


def test_section_47_adds_a_strategy_discussion_without_delay():
    result = screen(indicators=R[:1], s47_cse=True)
    assert any("without delay" in a for a in result.actions)
    assert result.floor is None


@given(
    st.sets(st.sampled_from(V + R + S)),
    st.sampled_from(V + R + S),
    st.integers(min_value=0, max_value=24),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=5),
)
def test_adding_an_indicator_never_lowers_the_suggestion(ticked, extra, age, many_v, many_r):
    settings = {"seraf_multiple_vulnerabilities": many_v,
                "seraf_multiple_risk_indicators": many_r}
    before = screen(age=age, indicators=ticked, settings=settings)
    after = screen(age=age, indicators=ticked | {extra}, settings=settings)
    assert after.minimum >= before.minimum and after.maximum >= before.maximum
