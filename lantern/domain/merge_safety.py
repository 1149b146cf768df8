"""When merging two records needs more than one reviewer (issue 16, merge safety). No Django.

Entity resolution proposes; a person decides. Two kinds of merge are riskier than one person
should decide alone:
- a child with an adult: a merge that makes a child's record one with a suspected exploiter's
  (or hides a child inside an adult subject) changes how the child is treated everywhere;
- a bridge: when the records already believed to be one person form two dense groups and this
  pair is the only thing joining them, one wrong "yes" fuses two networks into one person.

`concerns(...)` names the reasons, in words a reviewer reads; an empty list means one reviewer
is enough."""

from collections.abc import Iterable

import igraph

# A group is "dense" when it has at least this many records and at least as many links as
# records (it holds a cycle: the records are held together by more than a chain).
DENSE_MIN_RECORDS = 3


def _dense(graph: igraph.Graph, members: list[int]) -> bool:
    if len(members) < DENSE_MIN_RECORDS:
        return False
    edges: int = graph.subgraph(members).ecount()
    return edges >= len(members)


def is_bridge(pairs: Iterable[tuple[int, int]], pair: tuple[int, int]) -> bool:
    """Whether `pair`, added to the accepted or proposed `pairs` of records believed to be
    one person, is the only link between two dense groups."""
    edges = {tuple(sorted(p)) for p in pairs if p[0] != p[1]}
    a, b = sorted(pair)
    nodes = sorted({n for e in edges for n in e} | {a, b})
    index = {n: i for i, n in enumerate(nodes)}
    without = igraph.Graph(n=len(nodes), edges=[(index[x], index[y]) for x, y in edges
                                                 if (x, y) != (a, b)])
    membership = without.connected_components().membership
    if membership[index[a]] == membership[index[b]]:
        return False  # another path already joins them: not a bridge
    side_a = [i for i, m in enumerate(membership) if m == membership[index[a]]]
    side_b = [i for i, m in enumerate(membership) if m == membership[index[b]]]
    return _dense(without, side_a) and _dense(without, side_b)


def concerns(*, left_is_child: bool, right_is_child: bool, bridge: bool) -> list[str]:
    found = []
    if left_is_child != right_is_child:
        found.append("One record is a child and the other is not: merging would treat a child "
                     "and an adult as one person.")
    if bridge:
        found.append("This pair is the only link between two groups of records already "
                     "believed to be one person each: merging would join them all.")
    return found
