"""Loading the link graph from the database for the pure rules in lantern.domain.triggers:
only the neighbourhood a new link touched (incremental), or everything (batch)."""

from collections.abc import Iterable

from lantern.domain.triggers import LinkFact, LinkGraph

from .models import Association, Entity, Link


def _groups(roots: set[int]) -> dict[int, int]:
    """Every entity id in the merge groups of these roots -> its canonical root."""
    if not roots:
        return {}
    rows = Entity.objects.filter(pk__in=roots) | Entity.objects.filter(canonical_id__in=roots)
    return {pk: (canonical or pk) for pk, canonical in rows.values_list("pk", "canonical_id")}


def canonical_of(entity_ids: Iterable[int]) -> dict[int, int]:
    ids = set(entity_ids)
    return {pk: (canonical or pk) for pk, canonical in
            Entity.objects.filter(pk__in=ids).values_list("pk", "canonical_id")}


def _fact(link_row, root_of, kinds) -> LinkFact:
    pk, child, area, entity, role, report, occurred = link_row
    root = root_of[entity]
    return LinkFact(id=pk, child=child, child_area=area, entity=root, entity_kind=kinds[root],
                    role=role, report=report, occurred_on=occurred)


LINK_FIELDS = ("pk", "child_id", "child__area_id", "entity_id", "role", "report_id",
               "occurred_on")


def around(entity_roots: set[int], child_ids: set[int]) -> LinkGraph:
    """The part of the graph the trigger rules need to judge these entities and children:
    their links, the entities associated with them (a subject's phone, a phone's owner) two
    steps out, and those entities' links."""
    graph = LinkGraph()
    roots = set(entity_roots)
    root_of = _groups(roots)
    for _step in range(2):
        members = set(root_of)
        pairs = list(Association.objects.filter(subject_id__in=members).values_list(
            "subject_id", "entity_id")) + list(Association.objects.filter(
                entity_id__in=members).values_list("subject_id", "entity_id"))
        new_ids = {i for pair in pairs for i in pair} - members
        if not new_ids:
            break
        roots |= set(canonical_of(new_ids).values())
        root_of = _groups(roots)
    kinds = dict(Entity.objects.filter(pk__in=set(root_of.values())).values_list("pk", "kind"))
    for root, kind in kinds.items():
        graph.add_entity(root, kind)
    links = Link.objects.filter(entity_id__in=set(root_of)) | Link.objects.filter(
        child_id__in=child_ids)
    rows = list(links.values_list(*LINK_FIELDS))
    missing = {r[3] for r in rows} - set(root_of)
    if missing:
        extra = canonical_of(missing)
        root_of.update(extra)
        kinds.update(Entity.objects.filter(pk__in=set(extra.values())).values_list("pk", "kind"))
    for row in rows:
        graph.add_link(_fact(row, root_of, kinds))
    for subject, entity in Association.objects.filter(subject_id__in=set(root_of)).values_list(
            "subject_id", "entity_id"):
        if subject in root_of and entity in root_of:
            graph.associate(root_of[subject], root_of[entity])
    return graph


def whole() -> LinkGraph:
    """The whole graph (batch detection after `lantern link`)."""
    graph = LinkGraph()
    root_of = {pk: (c or pk) for pk, c in Entity.objects.values_list("pk", "canonical_id")}
    kinds = dict(Entity.objects.values_list("pk", "kind"))
    for pk in set(root_of.values()):
        graph.add_entity(pk, kinds[pk])
    for row in Link.objects.values_list(*LINK_FIELDS).iterator(chunk_size=5000):
        graph.add_link(_fact(row, root_of, kinds))
    for subject, entity in Association.objects.values_list("subject_id", "entity_id"):
        graph.associate(root_of[subject], root_of[entity])
    return graph
