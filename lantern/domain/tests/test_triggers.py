"""Each trigger kind at its threshold and just below (seed 003 §4 and §11)."""

import pytest

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
    assert rules.kinds["complex_strategy"]["citation"].startswith("seed 003 §11")
    assert rules.kinds["network_referral"]["citation"].startswith("seed 003 §4")
