"""The rule for telling a looked-after child's parents (seed 001, Children Looked After)."""

from hypothesis import given
from hypothesis import strategies as st

from lantern.domain.looked_after import LegalStatusRule, parents_decision_problem

MUST = LegalStatusRule(code="s20", label="s20", parents="must", rule="Must be told",
                       citation="West Midlands CSE toolkit")
UNLESS = LegalStatusRule(code="care_order", label="Care order", parents="unless_justified",
                         rule="Told unless justified", citation="West Midlands CSE toolkit")
rules = st.sampled_from([MUST, UNLESS])


@given(rule=rules, reason=st.text(), manager=st.booleans())
def test_telling_the_parents_is_always_allowed(rule, reason, manager):
    assert parents_decision_problem(rule, told=True, reason=reason, manager_agrees=manager) == ""


@given(rule=rules, reason=st.text(alphabet=" \t\n"), manager=st.booleans())
def test_not_telling_them_always_needs_reasons(rule, reason, manager):
    problem = parents_decision_problem(rule, told=False, reason=reason, manager_agrees=manager)
    assert "why" in problem


@given(reason=st.text(min_size=1).filter(str.strip))
def test_under_a_must_rule_not_telling_needs_the_manager(reason):
    assert "manager" in parents_decision_problem(MUST, told=False, reason=reason,
                                                 manager_agrees=False)
    assert parents_decision_problem(MUST, told=False, reason=reason, manager_agrees=True) == ""
    assert parents_decision_problem(UNLESS, told=False, reason=reason,
                                    manager_agrees=False) == ""
