"""Trigger detection over the link graph of intelligence (SPEC §7). No Django.

The graph is bipartite: children on one side, entities (subjects, locations, vehicles, phones,
online identities, organisations) on the other, joined by links that say how the intelligence
connects them (role: suspect, facilitating, contact, associated). Entities may also be
associated with each other (a subject uses a phone, drives a vehicle): a child linked to a
subject's phone is linked to that subject.

`detect(graph, entities=..., children=...)` looks only at what a new link touched, so the
work per report is proportional to the neighbourhood, not the graph; `detect_all` looks at
everything (batch, after merges). `networks` finds connected components with igraph.

The criteria are data (`data/triggers.toml`), each with its citation. The two kinds are kept
apart: the same evidence may raise both, as two findings with their own proposal and state.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from . import intelligence_files

KINDS = ("complex_strategy", "network_referral")
ROLES = ("suspect", "facilitating", "contact", "associated")


@dataclass(frozen=True)
class Criterion:
    kind: str
    code: str
    label: str
    focus: str  # subject, location, organisation, child or joined
    roles: frozenset[str]
    min_children: int = 0
    min_subjects: int = 0
    max_distance: int = 2  # joined only: steps of the path between two children (even)


@dataclass(frozen=True)
class Rules:
    version: str
    kinds: Mapping[str, Mapping[str, str]]  # title, citation, proposal, ...
    criteria: tuple[Criterion, ...]


@cache
def rules() -> Rules:
    data = intelligence_files.triggers()
    criteria = []
    kinds = {}
    for kind in KINDS:
        section = getattr(data, kind)
        kinds[kind] = section.model_dump(exclude={"criteria"})
        for code, spec in section.criteria.items():
            criteria.append(Criterion(
                kind=kind, code=code, label=spec.label, focus=spec.focus,
                roles=frozenset(spec.roles), min_children=spec.min_children,
                min_subjects=spec.min_subjects, max_distance=spec.max_distance))
    return Rules(version=data.version, kinds=kinds, criteria=tuple(criteria))


@dataclass(frozen=True)
class LinkFact:
    """One link from a child to an entity, as the intelligence says it."""

    id: int
    child: int
    child_area: int
    entity: int  # the canonical entity (after merges)
    entity_kind: str
    role: str
    report: int
    occurred_on: date | None = None


@dataclass
class LinkGraph:
    """Adjacency of the link graph, indexed both ways for neighbourhood look-ups."""

    by_entity: dict[int, dict[int, LinkFact]] = field(default_factory=lambda: defaultdict(dict))
    by_child: dict[int, dict[int, LinkFact]] = field(default_factory=lambda: defaultdict(dict))
    kinds: dict[int, str] = field(default_factory=dict)
    # entity -> associated entities (symmetric), e.g. a subject and the phone they use
    associated: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add_link(self, fact: LinkFact) -> None:
        self.by_entity[fact.entity][fact.id] = fact
        self.by_child[fact.child][fact.id] = fact
        self.kinds[fact.entity] = fact.entity_kind

    def add_entity(self, entity: int, kind: str) -> None:
        self.kinds[entity] = kind

    def associate(self, a: int, b: int) -> None:
        if a != b:
            self.associated[a].add(b)
            self.associated[b].add(a)

    def links_of_entity(self, entity: int) -> Iterable[LinkFact]:
        return self.by_entity.get(entity, {}).values()

    def links_of_child(self, child: int) -> Iterable[LinkFact]:
        return self.by_child.get(child, {}).values()


@dataclass(frozen=True)
class Finding:
    kind: str
    criterion: str
    focus_type: str  # "entity" or "child"
    focus_id: int
    children: frozenset[int]
    entities: frozenset[int]
    links: frozenset[int]
    areas: frozenset[int]
    reports: frozenset[int]
    precondition_met: bool | None = None  # network referral only
    children_without_strategy: frozenset[int] = frozenset()

    @property
    def key(self) -> str:
        """The trigger's identity: one open trigger per kind, criterion and focus."""
        return f"{self.kind}:{self.criterion}:{self.focus_type}:{self.focus_id}"

    @property
    def joint(self) -> bool:
        """Children from more than one area: a joint complex strategy (seed 003 §11)."""
        return len(self.areas) > 1


def _subject_reach(graph: LinkGraph, subject: int, roles: frozenset[str]) -> list[LinkFact]:
    """Links to the subject itself, and 'contact' links to entities associated with the subject
    (their phone, vehicle or online identity), which connect the child to the subject too."""
    found = [f for f in graph.links_of_entity(subject) if f.role in roles]
    for other in graph.associated.get(subject, ()):
        if graph.kinds.get(other) == "subject":
            continue
        found.extend(f for f in graph.links_of_entity(other)
                     if f.role in roles and f.role in ("contact", "suspect"))
    return found


def _finding(criterion: Criterion, focus_type: str, focus_id: int, facts: list[LinkFact],
             strategy_held: frozenset[int] | None) -> Finding:
    children = frozenset(f.child for f in facts)
    precondition = None
    missing: frozenset[int] = frozenset()
    if criterion.kind == "network_referral" and strategy_held is not None:
        missing = children - strategy_held
        precondition = not missing
    return Finding(
        kind=criterion.kind, criterion=criterion.code, focus_type=focus_type,
        focus_id=focus_id, children=children,
        entities=frozenset(f.entity for f in facts) | (
            {focus_id} if focus_type == "entity" else set()),
        links=frozenset(f.id for f in facts), areas=frozenset(f.child_area for f in facts),
        reports=frozenset(f.report for f in facts), precondition_met=precondition,
        children_without_strategy=missing,
    )


def _entity_findings(graph: LinkGraph, entity: int, strategy_held: frozenset[int] | None,
                     active: Iterable[Criterion]) -> list[Finding]:
    kind = graph.kinds.get(entity)
    found = []
    for criterion in active:
        if criterion.focus != kind:
            continue
        if kind == "subject":
            facts = _subject_reach(graph, entity, criterion.roles)
        else:
            facts = [f for f in graph.links_of_entity(entity) if f.role in criterion.roles]
        if facts and len({f.child for f in facts}) >= criterion.min_children:
            found.append(_finding(criterion, "entity", entity, facts, strategy_held))
    return found


def _within(graph: LinkGraph, centre: int, steps: int) -> set[int]:
    """Entities at most `steps` associations away from the centre (the centre included)."""
    seen = {centre}
    frontier = [centre]
    for _ in range(steps):
        frontier = [o for e in frontier for o in graph.associated.get(e, ()) if o not in seen]
        seen.update(frontier)
    return seen


def _joined_findings(graph: LinkGraph, centre: int, strategy_held: frozenset[int] | None,
                     active: Iterable[Criterion]) -> list[Finding]:
    """Children joined through what they share: every child linked to an entity within half
    the criterion's distance of the centre. Any two of them are at most `max_distance` steps
    apart (child - entity - ... - entity - child), and any two children that close have such
    a centre: the middle entity of the path between them."""
    found = []
    for criterion in active:
        if criterion.focus != "joined":
            continue
        reached = _within(graph, centre, criterion.max_distance // 2 - 1)
        facts = [f for e in sorted(reached) for f in graph.links_of_entity(e)
                 if f.role in criterion.roles]
        if len({f.child for f in facts}) >= max(criterion.min_children, 2):
            found.append(_finding(criterion, "entity", centre, facts, strategy_held))
    return found


def _without_repeats(found: list[Finding], active: Iterable[Criterion]) -> list[Finding]:
    """A joined finding adds nothing when another finding of its kind already names all its
    children (two children linked to one suspect are that suspect's finding): drop it."""
    joined = {(c.kind, c.code) for c in active if c.focus == "joined"}
    kept = []
    for finding in found:
        if (finding.kind, finding.criterion) in joined and any(
                other.kind == finding.kind and (other.kind, other.criterion) not in joined
                and finding.children <= other.children for other in found):
            continue
        kept.append(finding)
    return kept


def _child_findings(graph: LinkGraph, child: int, strategy_held: frozenset[int] | None,
                    active: Iterable[Criterion]) -> list[Finding]:
    found = []
    for criterion in active:
        if criterion.focus != "child":
            continue
        facts = [f for f in graph.links_of_child(child)
                 if f.role in criterion.roles and graph.kinds.get(f.entity) == "subject"]
        # A suspect reached through their phone or vehicle counts as well.
        for f in graph.links_of_child(child):
            if f.role in criterion.roles and graph.kinds.get(f.entity) != "subject":
                for owner in graph.associated.get(f.entity, ()):
                    if graph.kinds.get(owner) == "subject":
                        facts.append(LinkFact(f.id, f.child, f.child_area, owner, "subject",
                                              f.role, f.report, f.occurred_on))
        if len({f.entity for f in facts}) >= criterion.min_subjects:
            found.append(_finding(criterion, "child", child, facts, strategy_held))
    return found


def judged(graph: LinkGraph, *, entities: Iterable[int] = (), children: Iterable[int] = (),
           rule_set: Rules | None = None) -> tuple[set[int], set[int], set[int]]:
    """What `detect` judges around a change: entities as the focus of their own criteria
    (the touched entities and the subjects associated with them), entities as the centre of
    joined findings (every entity whose reach includes a touched entity or an entity a
    touched child is linked to), and children. A stored finding about any of these that
    `detect` no longer returns no longer meets its criteria."""
    active = (rule_set or rules()).criteria
    focus_entities = set(entities)
    for entity in list(focus_entities):
        focus_entities |= {o for o in graph.associated.get(entity, ())
                           if graph.kinds.get(o) == "subject"}
    steps = max((c.max_distance // 2 - 1 for c in active if c.focus == "joined"), default=-1)
    centres: set[int] = set()
    if steps >= 0:
        touched = set(entities) | {f.entity for c in set(children)
                                   for f in graph.links_of_child(c)}
        for entity in touched:
            centres |= _within(graph, entity, steps)
    return focus_entities, centres, set(children)


def detect(graph: LinkGraph, *, entities: Iterable[int] = (), children: Iterable[int] = (),
           strategy_held: frozenset[int] | None = None,
           rule_set: Rules | None = None) -> list[Finding]:
    """Findings whose focus is one of the given entities or children, a subject associated
    with one of the entities, or an entity joining children through them (`judged`).
    `strategy_held`: children for whom a strategy discussion has been held (the network
    referral's precondition); None when not known."""
    active = (rule_set or rules()).criteria
    focus_entities, centres, focus_children = judged(graph, entities=entities,
                                                     children=children, rule_set=rule_set)
    found: list[Finding] = []
    for entity in sorted(focus_entities):
        found.extend(_entity_findings(graph, entity, strategy_held, active))
    for entity in sorted(centres):
        found.extend(_joined_findings(graph, entity, strategy_held, active))
    for child in sorted(focus_children):
        found.extend(_child_findings(graph, child, strategy_held, active))
    return _without_repeats(found, active)


def detect_all(graph: LinkGraph, *, strategy_held: frozenset[int] | None = None,
               rule_set: Rules | None = None) -> list[Finding]:
    return detect(graph, entities=list(graph.kinds), children=list(graph.by_child),
                  strategy_held=strategy_held, rule_set=rule_set)


def networks(graph: LinkGraph) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Connected components of the link graph (children and entities joined by links and
    associations), largest first, as (children, entities). igraph does the graph work."""
    import igraph

    index: dict[tuple[str, int], int] = {}

    def vertex(kind: str, ident: int) -> int:
        key = (kind, ident)
        if key not in index:
            index[key] = len(index)
        return index[key]

    edges = []
    for entity, facts in graph.by_entity.items():
        v = vertex("e", entity)
        for fact in facts.values():
            edges.append((vertex("c", fact.child), v))
    for entity, others in graph.associated.items():
        for other in others:
            if entity < other:
                edges.append((vertex("e", entity), vertex("e", other)))
    for entity in graph.kinds:
        vertex("e", entity)
    g = igraph.Graph(n=len(index), edges=edges)
    names: list[tuple[str, int]] = [("", 0)] * len(index)  # every slot is set just below
    for key, v in index.items():
        names[v] = key
    found = []
    for members in g.connected_components():
        kids = frozenset(names[v][1] for v in members if names[v][0] == "c")
        ents = frozenset(names[v][1] for v in members if names[v][0] == "e")
        found.append((kids, ents))
    return sorted(found, key=lambda c: (-len(c[0]), -len(c[1])))
