"""Each trigger kind at its threshold and just below (seed 003 §4 and §11)."""

from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.domain import triggers
from lantern.domain.triggers import LinkFact, LinkGraph

NORTH, EAST = 1, 2
_ids = iter(range(1, 10_000))


def _link(graph, child, entity, kind, role, area=NORTH, report=1):
    graph.add_link(LinkFact(next(_ids), child, area, entity, kind, role, report))


def _found(graph, **kw):
    return {(f.kind, f.criterion, f.focus_id) for f in triggers.detect_all(graph, **kw)}


# (links as (child, entity, kind, role), what must be found): each kind at its threshold and
# just below it.
CASES = {
    "one suspect, two children: both kinds, kept apart": (
        [(101, 1, "subject", "suspect"), (102, 1, "subject", "suspect")],
        {("complex_strategy", "same_perpetrator", 1),
         ("network_referral", "multiple_children", 1)}),
    "one suspect, one child: nothing": ([(101, 1, "subject", "suspect")], set()),
    "a subject merely associated with two children: complex strategy only": (
        [(101, 1, "subject", "associated"), (102, 1, "subject", "associated")],
        {("complex_strategy", "same_perpetrator", 1)}),
    "two children at one location: complex strategy": (
        [(101, 5, "location", "associated"), (102, 5, "location", "associated")],
        {("complex_strategy", "same_location", 5)}),
    "one child at a location: nothing": ([(101, 5, "location", "associated")], set()),
    "a location used to facilitate, one child: network referral": (
        [(101, 5, "location", "facilitating")],
        {("network_referral", "location_facilitating", 5)}),
    "an organisation facilitating: network referral": (
        [(101, 7, "organisation", "facilitating")],
        {("network_referral", "organisation_facilitating", 7)}),
    "an organisation merely associated: nothing": (
        [(101, 7, "organisation", "associated")], set()),
    "two suspects targeting one child: network referral": (
        [(101, 1, "subject", "suspect"), (101, 2, "subject", "suspect")],
        {("network_referral", "multiple_suspects", 101)}),
    "one suspect and one associate of a child: nothing": (
        [(101, 1, "subject", "suspect"), (101, 2, "subject", "associated")], set()),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_trigger_kind_at_its_threshold_and_below(case):
    links, expected = CASES[case]
    graph = LinkGraph()
    for child, entity, kind, role in links:
        _link(graph, child, entity, kind, role)
    assert _found(graph) == expected


def test_children_of_two_areas_make_a_joint_complex_strategy():
    graph = LinkGraph()
    _link(graph, 101, 1, "subject", "suspect", area=NORTH)
    _link(graph, 201, 1, "subject", "suspect", area=EAST)
    finding = next(f for f in triggers.detect_all(graph) if f.kind == "complex_strategy")
    assert finding.joint and finding.areas == {NORTH, EAST}


def test_children_of_one_area_are_not_joint():
    graph = LinkGraph()
    _link(graph, 101, 1, "subject", "suspect")
    _link(graph, 102, 1, "subject", "suspect")
    assert not next(f for f in triggers.detect_all(graph)).joint


def test_a_child_contacted_on_a_subjects_phone_is_linked_to_the_subject():
    graph = LinkGraph()
    graph.add_entity(1, "subject")
    graph.add_entity(9, "phone")
    graph.associate(1, 9)
    _link(graph, 101, 1, "subject", "suspect")
    _link(graph, 102, 9, "phone", "contact")
    assert ("complex_strategy", "same_perpetrator", 1) in _found(graph)


def test_the_network_precondition_is_met_only_when_every_child_had_a_strategy_discussion():
    graph = LinkGraph()
    _link(graph, 101, 5, "location", "facilitating")
    _link(graph, 102, 5, "location", "facilitating")

    def network(held):
        return next(f for f in triggers.detect_all(graph, strategy_held=held)
                    if f.kind == "network_referral")

    assert network(frozenset({101})).precondition_met is False
    assert network(frozenset({101})).children_without_strategy == {102}
    assert network(frozenset({101, 102})).precondition_met is True


def test_detection_around_a_new_link_sees_only_its_neighbourhood():
    graph = LinkGraph()
    _link(graph, 101, 1, "subject", "suspect")
    _link(graph, 102, 1, "subject", "suspect")
    _link(graph, 103, 5, "location", "facilitating")
    around_location = triggers.detect(graph, entities=[5], children=[103])
    assert {f.criterion for f in around_location} == {"location_facilitating"}


def test_networks_are_connected_components():
    graph = LinkGraph()
    _link(graph, 101, 1, "subject", "suspect")
    _link(graph, 102, 1, "subject", "suspect")
    _link(graph, 102, 5, "location", "associated")
    _link(graph, 300, 8, "vehicle", "contact")
    found = triggers.networks(graph)
    assert found[0] == (frozenset({101, 102}), frozenset({1, 5}))
    assert found[1] == (frozenset({300}), frozenset({8}))


def test_every_criterion_cites_its_seed():
    rules = triggers.rules()
    assert rules.kinds["complex_strategy"]["citation"].startswith(
        "Bristol CSE practice guidance §11")
    assert rules.kinds["network_referral"]["citation"].startswith(
        "Bristol CSE practice guidance §4")


# --- Children joined through what they share (issue 16) -------------------------------------
JOINED = ("complex_strategy", "joined_through_shared_entities")


def _joined(graph):
    return [f for f in triggers.detect_all(graph) if (f.kind, f.criterion) == JOINED]


def test_two_suspects_who_share_a_phone_join_the_children_each_is_linked_to():
    # "Jay, 07700 900123" about Olivia; "Jason Reid, 07700900123" about Leah.
    graph = LinkGraph()
    jay, jason, phone, olivia, leah = 1, 2, 9, 101, 102
    graph.add_entity(phone, "phone")
    _link(graph, olivia, jay, "subject", "suspect")
    _link(graph, leah, jason, "subject", "suspect")
    graph.associate(jay, phone)
    graph.associate(jason, phone)
    [finding] = _joined(graph)
    assert finding.children == {olivia, leah} and finding.focus_id == phone


def test_two_children_in_contact_with_one_phone_are_joined():
    graph = LinkGraph()
    _link(graph, 101, 9, "phone", "contact")
    _link(graph, 102, 9, "phone", "contact")
    assert [f.children for f in _joined(graph)] == [{101, 102}]


def test_children_further_apart_than_the_configured_distance_are_not_joined():
    # child - subject - phone - subject - vehicle - subject - child: 6 steps.
    graph = LinkGraph()
    graph.add_entity(9, "phone")
    graph.add_entity(8, "vehicle")
    _link(graph, 101, 1, "subject", "suspect")
    _link(graph, 102, 3, "subject", "suspect")
    for a, b in ((1, 9), (2, 9), (2, 8), (3, 8)):
        graph.associate(a, b)
    assert _joined(graph) == []


def test_a_joined_finding_is_not_repeated_when_one_suspect_already_names_the_children():
    graph = LinkGraph()
    graph.add_entity(9, "phone")
    graph.associate(1, 9)
    _link(graph, 101, 1, "subject", "suspect")
    _link(graph, 102, 1, "subject", "suspect")
    assert _joined(graph) == []


def test_detection_around_a_new_link_finds_children_joined_through_a_shared_phone():
    graph = LinkGraph()
    graph.add_entity(9, "phone")
    graph.associate(1, 9)
    graph.associate(2, 9)
    _link(graph, 101, 1, "subject", "suspect")
    _link(graph, 102, 2, "subject", "suspect")
    around_new = triggers.detect(graph, entities=[2, 9], children=[102])
    assert {f.criterion for f in around_new} == {"joined_through_shared_entities"}


# Property: over generated graphs, two children within the configured distance of each other
# (paths through entities only) are named together by a complex-strategy finding; every such
# finding names only children within that distance of each other.
KINDS_ = ("subject", "phone", "vehicle", "location", "online_identity", "organisation")
graphs = st.tuples(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 7), st.sampled_from(triggers.ROLES)),
             max_size=12),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=8),
    st.lists(st.sampled_from(KINDS_), min_size=8, max_size=8),
)


def _distances(links, associations) -> dict[tuple[int, int], int]:
    """Shortest child-to-child paths through entities (breadth-first, the test's own oracle)."""
    adjacency: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
    for child, entity, _role in links:
        adjacency[("c", child)].add(("e", entity))
        adjacency[("e", entity)].add(("c", child))
    for a, b in associations:
        if a != b:
            adjacency[("e", a)].add(("e", b))
            adjacency[("e", b)].add(("e", a))
    found = {}
    for start in [n for n in list(adjacency) if n[0] == "c"]:
        seen, frontier, step = {start}, [start], 0
        while frontier:
            step += 1
            nxt = []
            for node in frontier:
                for other in adjacency[node]:
                    if other in seen:
                        continue
                    seen.add(other)
                    if other[0] == "c":
                        found[(start[1], other[1])] = step
                    else:
                        nxt.append(other)
            frontier = nxt
    return found


@settings(max_examples=300, deadline=None)
@given(graphs)
def test_children_within_the_distance_are_joined_and_no_others(drawn):
    links, associations, kinds = drawn
    graph = LinkGraph()
    for entity, kind in enumerate(kinds):
        graph.add_entity(entity, kind)
    for child, entity, role in links:
        graph.add_link(LinkFact(next(_ids), 100 + child, NORTH, entity, kinds[entity], role, 1))
    for a, b in associations:
        graph.associate(a, b)
    distance = _distances([(100 + c, e, r) for c, e, r in links], associations)
    limit = next(c.max_distance for c in triggers.rules().criteria if c.focus == "joined")
    together = [f.children for f in triggers.detect_all(graph) if f.kind == "complex_strategy"]
    for (a, b), steps in distance.items():
        if steps <= limit:
            assert any({a, b} <= children for children in together), (a, b, steps)
    for children in together:
        for a in children:
            for b in children - {a}:
                assert distance[(a, b)] <= limit
