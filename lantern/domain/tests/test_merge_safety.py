"""Merges that need a second reviewer: a child with an adult, and a single bridge between two
dense groups (issue 16)."""

from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import merge_safety

TRIANGLE_A = [(1, 2), (2, 3), (1, 3)]
TRIANGLE_B = [(4, 5), (5, 6), (4, 6)]


def test_a_single_link_between_two_dense_groups_is_a_bridge():
    assert merge_safety.is_bridge(TRIANGLE_A + TRIANGLE_B, (3, 4))


def test_a_second_link_between_the_groups_means_no_bridge():
    assert not merge_safety.is_bridge(TRIANGLE_A + TRIANGLE_B + [(2, 5)], (3, 4))


def test_a_link_to_a_chain_is_not_a_bridge_between_dense_groups():
    assert not merge_safety.is_bridge(TRIANGLE_A + [(4, 5), (5, 6)], (3, 4))


def test_a_pair_of_new_records_is_not_a_bridge():
    assert not merge_safety.is_bridge([], (1, 2))


def test_a_child_and_an_adult_need_a_second_reviewer():
    assert merge_safety.concerns(left_is_child=True, right_is_child=False, bridge=False)


def test_two_adults_with_no_bridge_need_one_reviewer():
    assert merge_safety.concerns(left_is_child=False, right_is_child=False, bridge=False) == []


def _joined(pairs, a, b) -> bool:
    """The test's own oracle: breadth-first search over the pairs."""
    seen, frontier = {a}, [a]
    while frontier:
        node = frontier.pop()
        for x, y in pairs:
            for here, there in ((x, y), (y, x)):
                if here == node and there not in seen:
                    seen.add(there)
                    frontier.append(there)
    return b in seen


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=20),
       st.tuples(st.integers(0, 9), st.integers(0, 9)).filter(lambda p: p[0] != p[1]))
def test_a_pair_another_path_already_joins_is_never_a_bridge(pairs, pair):
    others = [p for p in pairs if sorted(p) != sorted(pair)]
    if _joined(others, *pair):
        assert not merge_safety.is_bridge(pairs, pair)


@given(st.integers(3, 6), st.integers(3, 6))
def test_two_cliques_joined_once_are_always_a_bridge(n, m):
    left = [(i, j) for i in range(n) for j in range(i + 1, n)]
    right = [(100 + i, 100 + j) for i in range(m) for j in range(i + 1, m)]
    assert merge_safety.is_bridge(left + right, (0, 100))
