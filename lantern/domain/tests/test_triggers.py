"""Each trigger kind at its threshold and just below (seed 003 §4 and §11)."""

from lantern.domain import triggers
from lantern.domain.triggers import LinkFact, LinkGraph

NORTH, EAST = 1, 2
_ids = iter(range(1, 10_000))


def _link(graph, child, entity, kind, role, area=NORTH, report=1):
    graph.add_link(LinkFact(next(_ids), child, area, entity, kind, role, report))


def _found(graph, **kw):
    return {(f.kind, f.criterion, f.focus_id) for f in triggers.detect_all(graph, **kw)}


def test_two_children_and_one_suspect_raise_both_kinds_kept_apart():
    graph = LinkGraph()
    _link(graph, 101, 1, "subject", "suspect")
    _link(graph, 102, 1, "subject", "suspect")
    assert _found(graph) == {("complex_strategy", "same_perpetrator", 1),
                             ("network_referral", "multiple_children", 1)}


def test_one_child_and_one_suspect_raise_nothing():
    graph = LinkGraph()
    _link(graph, 101, 1, "subject", "suspect")
    assert _found(graph) == set()


def test_a_subject_merely_associated_with_two_children_calls_for_a_complex_strategy_only():
    graph = LinkGraph()
    _link(graph, 101, 1, "subject", "associated")
    _link(graph, 102, 1, "subject", "associated")
    assert _found(graph) == {("complex_strategy", "same_perpetrator", 1)}


def test_two_children_at_one_location_call_for_a_complex_strategy():
    graph = LinkGraph()
    _link(graph, 101, 5, "location", "associated")
    _link(graph, 102, 5, "location", "associated")
    assert _found(graph) == {("complex_strategy", "same_location", 5)}


def test_one_child_at_a_location_is_below_the_complex_strategy_threshold():
    graph = LinkGraph()
    _link(graph, 101, 5, "location", "associated")
    assert _found(graph) == set()


def test_a_location_used_to_facilitate_exploitation_of_one_child_is_a_network_referral():
    graph = LinkGraph()
    _link(graph, 101, 5, "location", "facilitating")
    assert _found(graph) == {("network_referral", "location_facilitating", 5)}


def test_an_organisation_facilitating_is_a_network_referral():
    graph = LinkGraph()
    _link(graph, 101, 7, "organisation", "facilitating")
    assert _found(graph) == {("network_referral", "organisation_facilitating", 7)}


def test_an_organisation_merely_associated_raises_nothing():
    graph = LinkGraph()
    _link(graph, 101, 7, "organisation", "associated")
    assert _found(graph) == set()


def test_two_suspects_targeting_one_child_is_a_network_referral():
    graph = LinkGraph()
    _link(graph, 101, 1, "subject", "suspect")
    _link(graph, 101, 2, "subject", "suspect")
    assert _found(graph) == {("network_referral", "multiple_suspects", 101)}


def test_one_suspect_and_one_associate_of_a_child_is_below_the_network_threshold():
    graph = LinkGraph()
    _link(graph, 101, 1, "subject", "suspect")
    _link(graph, 101, 2, "subject", "associated")
    assert _found(graph) == set()


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
