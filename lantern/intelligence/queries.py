"""Queries for intelligence pages. Each owns its joins so page query counts stay flat, and each
starts from what the user may see (lantern.intelligence.access)."""

import time as clock
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from lantern.domain import disruption
from lantern.domain import triggers as trigger_rules
from lantern.foundation import rows
from lantern.foundation.access import NO_IDENTITY_ROLES, Viewer, child_visible_sql, viewing
from lantern.foundation.compiled import Compiled, one_of, prepared_cursor
from lantern.foundation.figures import Slice
from lantern.foundation.http import parse_id, url_pattern
from lantern.foundation.models import Area, Child, Role
from lantern.foundation.when import short_datetime

from . import access
from .models import (
    GRADING_FIELDS,
    Association,
    Entity,
    EntityKind,
    IntelligenceReport,
    Link,
    LinkRole,
    Location,
    MergeProposal,
    RankingSnapshot,
    Subject,
    Trigger,
    TriggerKind,
    grading_text,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # django-stubs' helper, for the checker only

    class ChildCount(TypedDict):  # what tasking_new_triggers annotates
        child_count: int


GRADES = ("A", "B", "C", "D", "E", "U")  # U: not graded


def reports_for(user, *, offset: int = 0, limit: int = 200) -> list[IntelligenceReport]:
    """The newest reports the user may see (from `offset`, at most `limit`; ties newest id
    first, so pages do not overlap), each with its sharing agency and `child_count` (how many
    children it concerns): one query, no child read (issue 18)."""
    viewer = viewing(user)
    if viewer is None:  # sees no child: the rule alone (analysts', none for the others)
        return list(_newest_reports(access.visible_reports(user), offset, limit))
    # Compiled once a role and page (foundation.compiled): building the visibility took
    # longer than PostgreSQL takes to answer it (issue 18).
    return _REPORTS(viewer[0], offset, limit, now=timezone.now(), **viewer[1])


def _newest_reports(visible: QuerySet[IntelligenceReport], offset: int, limit: int
                    ) -> QuerySet[IntelligenceReport]:
    # COUNT as a plain function: one row however many children, without a GROUP BY.
    children = (IntelligenceReport.children.through.objects
                .filter(intelligencereport_id=OuterRef("pk")).order_by()
                .values(n=Func(F("pk"), function="COUNT")))
    return (visible.select_related("agency").only(*_LISTED)
            .annotate(child_count=Coalesce(Subquery(children), 0))
            .order_by("-submitted_at", "-pk")[offset:offset + limit])


# What a row of the list shows of a report and its agency (views.index, `report_modes`): not its
# source's details, grader or conditions, read and made into the model for nothing (issue 18).
_LISTED = ("submitted_by_id", "submitted_at", "occurred_on", "text", "sanitised_text",
           *GRADING_FIELDS, "review_on", "agency__name")
_REPORTS: Compiled[IntelligenceReport] = Compiled(
    lambda role, offset, limit, *, viewer, viewer_agency, viewer_area, now: _newest_reports(
        access.visible_reports(Viewer(viewer, viewer_agency, viewer_area, role), now=now),
        offset, limit))


@dataclass
class Chart:
    focus: str
    nodes: dict[str, dict] = field(default_factory=dict)
    # Edges made as the chart was read (its associations'); its links' are made when asked
    # for (`edges`, `edges_touching`).
    made: dict[str, dict] = field(default_factory=dict)
    # The person at the centre, when the chart is centred on one (read with the chart's
    # records, for the police forms beside it).
    subject: Subject | None = None
    # Whether it found a link the user's chart may draw to the focus (with the filters).
    linked: bool = False
    # Each link's edge not made yet, as (edge id, child node, record node, link), and what
    # makes it (`neighbourhood`): the chart's page lists 50 of the most-linked subject's
    # neighbours, and making all 216 links' edges was a tenth of it (issue 18).
    links: list[tuple[str, str, str, Any]] = field(default_factory=list, repr=False)
    make_edge: Callable[[tuple[str, str, str, Any]], dict] | None = field(
        default=None, repr=False, compare=False)

    @cached_property
    def edges(self) -> dict[str, dict]:
        """Every edge, by its id: the links' (in the order read), then the associations'.
        Made once: nothing adds to `links` or `made` once the chart is read."""
        make = self.make_edge
        links = {} if make is None else {link[0]: make(link) for link in self.links}
        return {**links, **self.made}

    def edges_touching(self, node_ids: set[str]) -> list[dict]:
        """The edges with an end among these nodes, in `edges`' order, making only those."""
        if "edges" in self.__dict__ or self.make_edge is None:  # made already, or none to make
            return [e for e in self.edges.values()
                    if e["source"] in node_ids or e["target"] in node_ids]
        return [*(self.make_edge(link) for link in self.links
                  if link[1] in node_ids or link[2] in node_ids),
                *(e for e in self.made.values()
                  if e["source"] in node_ids or e["target"] in node_ids)]

    def as_json(self) -> dict:
        return {"focus": self.focus, "nodes": list(self.nodes.values()),
                "edges": list(self.edges.values())}


def parse_node(text: str) -> tuple[str, int] | None:
    """'c12' is child 12, 'e34' entity 34."""
    number = parse_id(text[1:]) if len(text or "") >= 2 and text[0] in "ce" else None
    if number is None:
        return None
    return ("child" if text[0] == "c" else "entity", number)


class _Urls:
    """The chart's links, each kind reversed once (foundation.http.url_pattern): a chart of a
    subject linked to 200 children drew 800 reverse() calls (issue 18)."""

    def __init__(self) -> None:
        self.child = url_pattern("child")
        self.report = url_pattern("intelligence:report")
        self.chart = reverse("intelligence:chart")
        self.neighbours = reverse("intelligence:chart_neighbours")


_urls_kept: dict[tuple, _Urls] = {}


def chart_urls() -> _Urls:
    """The chart's links reversed once a process for the script prefix and URL configuration
    in use, as the {% url %} tag's are (templatetags.govuk.QuickURLNode): reversing them for
    each chart was a third of drawing its graph in Python (issue 18)."""
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    found = _urls_kept.get(key)
    if found is None:
        if len(_urls_kept) >= 16:  # prefixes come from the server: keep it bounded
            _urls_kept.clear()
        found = _urls_kept[key] = _Urls()
    return found


def _child_node(child_id: int, name: str, area: str, named: set[int], *, urls: _Urls
                ) -> dict:
    if child_id in named:
        return {"id": f"c{child_id}", "kind": "child", "label": name, "area": area,
                "named": True, "url": urls.child(child_id)}
    return {"id": f"c{child_id}", "kind": "child", "label": f"A child in {area}",
            "area": area, "named": False, "url": ""}


def _entity_node(entity: Entity, named: set[int], *, user, urls: _Urls) -> dict:
    label = entity.label
    if entity.kind == EntityKind.SUBJECT:
        label = access.subject_label(user, entity.subject, named)
    return {"id": f"e{entity.pk}", "kind": entity.kind, "label": label,
            "kind_label": entity.get_kind_display(), "area": entity.area.name, "named": True,
            "url": f"{urls.chart}?focus=e{entity.pk}"}


class _LinkRow(NamedTuple):
    """What the chart draws of a link, its report, child and entity: read as plain values, not
    five model instances a link (the most-linked subject's 216 links made 1,080, a third of
    the chart's time, issue 18)."""

    pk: int
    child_id: int
    report_id: int
    role: str
    # The day it happened: the link's own, or else the day its report was shared, in the
    # local time zone (read as a day: parsing 216 times and making them local was a tenth of
    # the chart, issue 18).
    day: date
    # The report's GRADING_FIELDS, in their order.
    handling: str
    source_grade: str
    intelligence_grade: str
    legacy_source: str
    legacy_intelligence: str
    legacy_handling: str
    # The child's names (`Child.full_name`) and area.
    given_names: str
    family_name: str
    area: str
    root: int  # the entity's canonical record (`Entity.canonical_pk`)
    readable: bool  # access.link_flags
    named: bool
    # Around a record: the root of the group the chart is of (the record asked for, or the
    # one it was merged into), read with the links rather than asked first (issue 18).
    group: int | None = None


def chart_link_rows(user, kind: str, ident: int, *, date_from: date | None = None,
                    date_to: date | None = None, grades: set[str] | None = None
                    ) -> list[_LinkRow]:
    """The links the user's chart draws to a child (`kind` "child") or to a record and those
    merged with it: `chart_link_statement`'s rows."""
    return _link_rows(chart_link_statement(user, kind, ident, date_from=date_from,
                                           date_to=date_to, grades=grades))


def chart_link_statement(user, kind: str, ident: int, *, date_from: date | None = None,
                         date_to: date | None = None, grades: set[str] | None = None
                         ) -> tuple[str, list] | None:
    """The statement reading the links the user's chart draws to a child (`kind` "child") or
    to a record and those merged with it (`ident`, the group's root or a record merged into
    it: each link says the root, `group`), as the filters keep them; each with whether the
    user may open its report and see its child's identity (access.link_flags). None for a
    user who may not chart.

    Written in SQL (access.chart_links by row, visible_reports_sql, child_visible_sql: the
    same rules, test_chart_link_rows_are_the_orms): built with the ORM, the nested visibility
    took longer to build and compile than PostgreSQL took to run it (issue 18)."""
    if not access.is_active_user(user) or user.role not in access.CHART_ROLES:
        return None
    link, report = Link._meta.db_table, IntelligenceReport._meta.db_table
    # The group's root: the record's canonical one, or itself (`_CANONICAL`), asked here.
    root: tuple[str, list] = (
        f"COALESCE((SELECT x.canonical_id FROM {Entity._meta.db_table} x "  # noqa: S608
        f"WHERE x.id = %s), %s)", [ident, ident]) if kind == "entity" else ("NULL", [])
    conditions: list[tuple[str, list]] = [
        ("l.child_id = %s", [ident]) if kind == "child" else (
            # By the links' entity index (an OR across the link and its entity read every
            # link of the region: 9 ms at 100,000 children).
            f"l.entity_id IN (SELECT g.id FROM {Entity._meta.db_table} g "  # noqa: S608
            f"WHERE g.id = {root[0]} OR g.canonical_id = {root[0]})", [*root[1], *root[1]])]
    allowed, seen = access.handling_allows_sql(user.role, "r"), access.visible_reports_sql(
        user, "r")
    conditions.append((f"({allowed[0]} OR {seen[0]})", [*allowed[1], *seen[1]]))
    # The report's day where the link has none, in the local time zone (as `__date`).
    day, day_params = connection.ops.datetime_cast_date_sql(
        "r.submitted_at", (), timezone.get_current_timezone_name())
    if date_from or date_to:
        for bound, sign in ((date_from, ">="), (date_to, "<=")):
            if bound:
                value = connection.ops.adapt_datefield_value(bound)
                conditions.append((f"(l.occurred_on {sign} %s OR (l.occurred_on IS NULL AND "
                                   f"{day} {sign} %s))", [value, *day_params, value]))
    if grades is not None and set(grades) != set(GRADES):
        letters = sorted(g for g in grades if g != "U")
        either = [f"r.intelligence_grade IN ({', '.join(['%s'] * len(letters))})"] if (
            letters) else []
        if "U" in grades:
            either.append("r.intelligence_grade = ''")
        conditions.append((f"({' OR '.join(either) or '1 = 0'})", letters))
    readable: tuple[str, list] = ("1 = 0", []) if user.role == Role.ANALYST else seen
    named: tuple[str, list] = ("1 = 0", []) if user.role in NO_IDENTITY_ROLES else (
        child_visible_sql(user, "l.child_id", "c.area_id"))
    grading = ", ".join(f"r.{name}" for name in GRADING_FIELDS)
    return (
        # Table and column names from the models; every value a parameter.
        f"SELECT l.id, l.child_id, l.report_id, l.role, "  # noqa: S608
        f"COALESCE(l.occurred_on, {day}), {grading}, c.given_names, c.family_name, a.name, "
        f"COALESCE(e.canonical_id, l.entity_id), "
        f"CASE WHEN {readable[0]} THEN TRUE ELSE FALSE END, "
        f"CASE WHEN {named[0]} THEN TRUE ELSE FALSE END, {root[0]} "
        f"FROM {link} l INNER JOIN {report} r ON r.id = l.report_id "
        f"INNER JOIN {Entity._meta.db_table} e ON e.id = l.entity_id "
        f"INNER JOIN {Child._meta.db_table} c ON c.id = l.child_id "
        f"INNER JOIN {Area._meta.db_table} a ON a.id = c.area_id "
        f"WHERE {' AND '.join(sql for sql, _ in conditions)}",
        [*day_params, *readable[1], *named[1], *root[1],
         *(v for _, params in conditions for v in params)])


def _link_rows(statement: tuple[str, list] | None) -> list[_LinkRow]:
    """The links `chart_link_statement` reads (none for a user who may not chart)."""
    if statement is None:
        return []
    # Prepared on PostgreSQL (foundation.compiled): planning it took longer than running it,
    # and its best plan (by the links' record or child) does not depend on the values.
    found = rows.fetch(*statement, prepared=True)
    if connection.vendor == "postgresql":
        # Each row is what the chart reads already: the day a day, the flags true or false.
        return list(map(_LinkRow._make, found))
    # SQLite: the day as the ORM gives it (it comes as text), the flags 1 and 0 made true and
    # false.
    as_day = connection.ops.get_db_converters(Link._meta.get_field("occurred_on").get_col("l"))
    return [_LinkRow(pk, child_id, report_id, role, _converted(when, as_day), handling, source,
                     intelligence, legacy_source, legacy_intelligence, legacy_handling, given,
                     family, area, root, bool(may_read), bool(may_name), group)
            for (pk, child_id, report_id, role, when, handling, source,
                 intelligence, legacy_source, legacy_intelligence, legacy_handling, given,
                 family, area, root, may_read, may_name, group) in found]


def _converted(value, converters):
    for convert in converters:
        value = convert(value, None, connection)
    return value


def _ids(keys) -> list[int]:
    """Keys as the reads by key take them, each once, in order: the statement a read makes
    and the one run ahead for it (`network_reads`) are then the same."""
    return sorted({int(key) for key in keys})


_ENTITY_FIELDS = list(Entity._meta.concrete_fields)
_SUBJECT_FIELDS = list(Subject._meta.concrete_fields)


def entities_by_id(entity_ids) -> dict[int, Entity]:
    """These records by their keys, each with its area and, for a person, its subject: what
    `Entity.objects.filter(pk__in=...).select_related("area", "subject")` gave (a subject with
    its entity's fields too, as the ORM fills them from the entity's columns). Written in SQL
    and prepared on PostgreSQL, one statement however many (foundation.compiled.one_of):
    built with the ORM, the read cost more than running it (issue 18;
    test_the_charts_records_read_in_sql_are_the_orms)."""
    ids = _ids(entity_ids)
    if not ids:
        return {}
    found: dict[int, Entity] = {}
    known: dict = {}
    for row in rows.fetch(*_entities_statement(ids), prepared=True):
        entity, area, person = rows.parts(row, (Entity, _ENTITY_FIELDS), (Area, _AREA_FIELDS),
                                          (Subject, _SUBJECT_FIELDS), known=known)
        rows.cache(entity, "area", area)
        rows.cache(entity, "subject", person)
        found[entity.pk] = entity
    return found


def _entities_statement(ids: list[int]) -> tuple[str, list]:
    """The statement `entities_by_id` reads these records with (sorted, each once)."""
    quote = connection.ops.quote_name
    chosen, params = one_of("e.id", ids)
    # The subject's key stands for the entity's own (the same value) so that an entity
    # without a subject row gives a subject of NULLs, which `rows.parts` makes None.
    subject = ", ".join(
        "s.entity_ptr_id" if f is Entity._meta.pk else
        f"{'e' if f.model is Entity else 's'}.{quote(f.column)}" for f in _SUBJECT_FIELDS)
    return (
        # Table and column names from the models; every value a parameter.
        f"SELECT {rows.columns('e', _ENTITY_FIELDS)}, "  # noqa: S608
        f"{rows.columns('a', _AREA_FIELDS)}, {subject} "
        f"FROM {Entity._meta.db_table} e INNER JOIN {Area._meta.db_table} a "
        f"ON a.id = e.area_id LEFT OUTER JOIN {Subject._meta.db_table} s "
        f"ON s.entity_ptr_id = e.id WHERE {chosen}", params)


# The chart's reads that do not depend on the user, compiled once a process
# (foundation.compiled, issue 18); each by a key, prepared on PostgreSQL (a generic plan by the
# key: replay.py at 100,000 children, the associations 0.22 → 0.06 ms).
_CANONICAL: Compiled[int | None] = Compiled(
    lambda entity: Entity.objects.filter(pk=entity).values_list("canonical_id", flat=True)[:1],
    prepared=True)
_CHILD: Compiled[Child] = Compiled(
    lambda child: Child.objects.select_related("area").filter(pk=child)[:1], prepared=True)
# Associations (a person using a phone, a vehicle...) of a record or those merged into it.
_ASSOCIATED: Compiled[Association] = Compiled(lambda root: Association.objects.filter(
    Q(subject_id=root) | Q(subject__canonical_id=root) | Q(entity_id=root)
    | Q(entity__canonical_id=root)).select_related("subject", "entity", "report"), prepared=True)


def neighbourhood(user, node: tuple[str, int], *, date_from: date | None = None,
                  date_to: date | None = None, grades: set[str] | None = None) -> Chart:
    """The node and its neighbours in the link graph, as the user may see them.

    Around a record, its links, its associations and its own columns are read ahead together,
    one round trip rather than three one after another (`rows.ahead`, issue 18). The other
    ends of its associations are read after, when it has any. Around a record merged into
    another, the associations and columns read ahead are the merged record's, not its
    group root's: they go unused and the root's are read after."""
    kind, ident = node
    statement = chart_link_statement(user, kind, ident, date_from=date_from, date_to=date_to,
                                     grades=grades)
    ahead = [statement] if statement is not None else []
    if kind == "entity":
        ahead += [*_ASSOCIATED.statements(root=ident), _entities_statement([ident])]
    with rows.ahead(ahead):
        return _neighbourhood(user, kind, ident, _link_rows(statement))


def _neighbourhood(user, kind: str, ident: int, links: list[_LinkRow]) -> Chart:
    charted = ident  # the record asked for: what was run ahead is its
    if kind == "child":
        focus = f"c{ident}"
    else:
        # The group's root, as the links read it, or asked when there are none.
        if links:
            ident = links[0].group or ident
        else:
            canonical = _CANONICAL(entity=ident)
            ident = (canonical[0] if canonical else None) or ident
        focus = f"e{ident}"
    readable = {link.report_id for link in links if link.readable}
    chart = Chart(focus=focus, linked=bool(links))
    root_ids = {link.root for link in links}
    associations = []
    if kind == "entity":
        root_ids.add(ident)
        # The record's associations, then those of reports the chart may draw: a report of
        # one of its links is one (most are), any other is asked (issue 18: one query built
        # once a process, and a second only for reports the links did not bring).
        associations = _ASSOCIATED(root=ident)
        asked = {a.report_id for a in associations} - {link.report_id for link in links}
        if asked:
            hidden = asked - set(access.chart_links(user).filter(report_id__in=asked)
                                 .values_list("report_id", flat=True))
            associations = [a for a in associations if a.report_id not in hidden]
        root_ids |= {a.subject.canonical_pk for a in associations}
        root_ids |= {a.entity.canonical_pk for a in associations}
    if kind == "entity" and ident == charted:
        # The focus (run ahead), then the other ends of its associations, if any.
        roots = entities_by_id([ident])
        others_ids = root_ids - {ident}
        roots.update(entities_by_id(others_ids) if others_ids else {})
    else:
        roots = entities_by_id(root_ids)
    named = {link.child_id for link in links if link.named}
    # Other children the chart may name: subjects who are a child's own record, and the focus
    # (asked only when the filters leave it no links).
    others = {e.subject.child_id for e in roots.values()
              if e.kind == EntityKind.SUBJECT and e.subject.child_id}
    if kind == "child":
        others.add(ident)
    named.update(access.named_children(user, others - {link.child_id for link in links}))
    urls = chart_urls()
    if kind == "child":
        found_child = _CHILD(child=ident)
        if found_child:
            child = found_child[0]
            chart.nodes[focus] = _child_node(child.pk, child.full_name, child.area.name, named,
                                             urls=urls)
    elif ident in roots:
        chart.nodes[focus] = _entity_node(roots[ident], named, user=user, urls=urls)
        if roots[ident].kind == EntityKind.SUBJECT:
            chart.subject = roots[ident].subject
    role_labels = dict(LinkRole.choices)
    nodes, report_url = chart.nodes, urls.report
    # Each record's node id, each grading and each day written once: the most-linked
    # subject's 216 links share one record and a few gradings (issue 18).
    entity_ids: dict[int, str] = {}
    gradings: dict[tuple, str] = {}
    days: dict[date, str] = {}

    def link_edge(made: tuple[str, str, str, _LinkRow]) -> dict:
        edge_id, c_id, e_id, link = made
        grading = link[5:11]
        grading_shown = gradings.get(grading)
        if grading_shown is None:
            grading_shown = gradings[grading] = grading_text(*grading)
        day = days.get(link.day)
        if day is None:
            day = days[link.day] = link.day.isoformat()
        return {
            "id": edge_id, "source": c_id, "target": e_id, "role": link.role,
            "role_label": role_labels[link.role], "date": day, "grading": grading_shown,
            "report_url": report_url(link.report_id) if link.report_id in readable else "",
        }

    chart.make_edge = link_edge
    pending = chart.links
    for link in links:
        c_id = f"c{link.child_id}"
        e_id = entity_ids.get(link.root)
        if e_id is None:
            e_id = entity_ids[link.root] = f"e{roots[link.root].pk}"
        if c_id not in nodes:
            name = f"{link.given_names} {link.family_name}".strip()  # as Child.full_name
            nodes[c_id] = _child_node(link.child_id, name, link.area, named, urls=urls)
        if e_id not in nodes:
            nodes[e_id] = _entity_node(roots[link.root], named, user=user, urls=urls)
        pending.append((f"l{link.pk}", c_id, e_id, link))
    for assoc in associations:
        a, b = roots[assoc.subject.canonical_pk], roots[assoc.entity.canonical_pk]
        for entity in (a, b):
            if f"e{entity.pk}" not in chart.nodes:
                chart.nodes[f"e{entity.pk}"] = _entity_node(entity, named, user=user,
                                                            urls=urls)
        chart.made[f"a{assoc.pk}"] = {
            "id": f"a{assoc.pk}", "source": f"e{a.pk}", "target": f"e{b.pk}",
            "role": "uses", "role_label": "Uses",
            "date": timezone.localtime(assoc.report.submitted_at).date().isoformat(),
            "grading": assoc.report.grading,
            "report_url": (urls.report(assoc.report_id) if assoc.report_id in readable
                           else ""),
        }
    return chart


# --- Disruption ranking -------------------------------------------------------------------

@dataclass
class Ranked:
    subject: Subject
    label: str
    score: disruption.Score
    children: int
    areas: int
    facts: disruption.SubjectFacts


def ranking(user, *, today: date | None = None) -> tuple[list[Ranked], int]:
    """Subjects the user's intelligence links to children, highest disruption priority first;
    and how many young people (subjects who are children) were left out of the ranking."""
    today = today or timezone.localdate()
    facts: dict[int, dict] = defaultdict(lambda: {"children": set(), "areas": set(),
                                                  "reports": set(), "last": None,
                                                  "grades": set(), "weights": {}})
    links = (access.visible_links(user).filter(entity__kind=EntityKind.SUBJECT)
             .values_list("entity_id", "entity__canonical_id", "child_id", "child__area_id",
                          "report_id", "occurred_on", "report__submitted_at",
                          "report__intelligence_grade"))
    for entity, canonical, child, area, report, occurred, submitted, grade in links:
        f = facts[canonical or entity]
        f["children"].add(child)
        f["areas"].add(area)
        f["reports"].add(report)
        when = occurred or timezone.localtime(submitted).date()
        f["last"] = max(f["last"], when) if f["last"] else when
        # Old, low-graded intelligence weighs less (domain.disruption.link_weight).
        f["weights"][child] = max(f["weights"].get(child, 0.0),
                                  disruption.link_weight(grade, when, today))
        if grade:
            f["grades"].add(grade)
    subjects = Subject.objects.filter(pk__in=list(facts))
    local = user.agency.area.local_settings if user.agency_id else {}
    found, young_people = [], 0
    factors = None
    for subject in subjects:
        if subject.treated_as_child(today):
            # A young person exploiting others is a child first: their own needs are
            # considered through their own record, not ranked for disruption.
            young_people += 1
            continue
        f = facts[subject.pk]
        if factors is None:
            factors = disruption.factors_for(local)
            scores = _scores_for(factors)
        found.append(_ranked(subject, disruption.SubjectFacts(
            children=sum(f["weights"].values()),
            best_grade=min(f["grades"]) if f["grades"] else None,
            last_seen=f["last"], violence=subject.violence,
            previous_convictions=subject.previous_convictions, reports=len(f["reports"]),
            areas=len(f["areas"])), len(f["children"]), today=today, factors=factors,
            scores=scores))
    found.sort(key=lambda r: (-r.score.total, r.label))
    return found, young_people


def _ranked(subject: Subject, facts: disruption.SubjectFacts, children: int, *, today: date,
            factors: tuple[disruption.Factor, ...],
            scores: dict[tuple[disruption.SubjectFacts, date], disruption.Score]) -> Ranked:
    """The subject ranked; their score one of `scores` (`_scores_for` the factors) when
    scored from the same facts on the same day, else scored and kept there."""
    score = scores.get((facts, today))
    if score is None:
        score = scores[facts, today] = disruption.score(facts, today=today, factors=factors)
    return Ranked(subject, subject.name_text(), score, children, facts.areas, facts)


# Each subject's score kept once a process, by the area's factors, then the facts scored and
# the day: a score is the same for the same of each, and cannot be changed once made. Every
# disruption priorities page and weekly tasking list scored every subject shown again (48
# subjects of 7 factors, a tenth of the page at 100,000 children; issue 18), though their
# facts change only when ranked again or when police record violence or convictions.
_SCORES: dict[tuple[disruption.Factor, ...],
              dict[tuple[disruption.SubjectFacts, date], disruption.Score]] = {}


def _scores_for(factors: tuple[disruption.Factor, ...]
                ) -> dict[tuple[disruption.SubjectFacts, date], disruption.Score]:
    kept = _SCORES.get(factors)
    if kept is None or len(kept) >= 10_000:  # bounded: a region's subjects, a day or two
        if len(_SCORES) >= 64:  # an area's weights change rarely
            _SCORES.clear()
        kept = _SCORES[factors] = {}
    return kept


# The ranking kept ahead (issue 17 and 18). Ranking reads every intelligence link the user may
# see, which grows with the intelligence held; the disruption priorities page and the weekly
# tasking list read the user's last ranking (RankingSnapshot) in one query and the subjects
# they show in one more, checking each is still one the user may rank (`still_ranked`: a link
# the user may see leads to them, and they are an adult).
#
# - A user's first ranking is made when first shown, and a ranking a day old, or made for
#   another role or agency, is made again when shown (one slower request).
# - `lantern work` ranks again every kept ranking older than MONITORING_RECOUNT_SECONDS
#   (lantern.intelligence.actions.refresh_rankings), for users still active in a role that
#   ranks (KEPT_RANKING_ROLES), and forgets the others'.
#
# The pages say when the ranking was made.

RANKING_STALE_AFTER = timedelta(days=1)
# Roles a ranking is kept for: those who open the disruption priorities (RANKING_ROLES) and
# those whose weekly tasking list has the priority subjects (lantern.monitoring.views).
KEPT_RANKING_ROLES = access.RANKING_ROLES | {Role.FRONT_DOOR}


@dataclass
class KeptRow:
    subject_id: int
    priority: float
    children: int
    areas: int
    # What scoring the subject read besides their violence and convictions.
    weighted_children: float
    best_grade: str | None
    last_seen: str | None  # ISO date
    reports: int


@dataclass
class KeptRanking:
    rows: list[KeptRow]
    ranked_at: datetime
    young_people: int


def rank_now(user) -> KeptRanking:
    """Rank the subjects for the user now, and keep the ranking (replacing theirs)."""
    started = clock.perf_counter()
    now = timezone.now()
    ranked, young_people = ranking(user, today=timezone.localdate(now))
    rows: list[list] = [
        [r.subject.pk, r.score.total, r.children, r.areas, r.facts.children,
         r.facts.best_grade, r.facts.last_seen.isoformat() if r.facts.last_seen else None,
         r.facts.reports] for r in ranked]
    values = {"role": user.role, "agency_id": user.agency_id, "rows": rows,
              "young_people": young_people, "ranked_at": now,
              "seconds": round(clock.perf_counter() - started, 3)}
    try:
        with transaction.atomic():
            RankingSnapshot.objects.update_or_create(user=user, defaults=values)
    except IntegrityError:
        pass  # ranked at the same moment by another request of theirs: as new
    return KeptRanking([KeptRow(*row) for row in rows], now, young_people)


def kept_ranking(user, *, now: datetime | None = None) -> KeptRanking:
    """The user's ranking as last made (one read), or made now when there is none, it is a day
    old, or it was made for another role or agency."""
    now = now or timezone.now()
    # Read in SQL: on every weekly tasking list, the ORM took 0.6 ms of Python to build it.
    row = next(iter(RankingSnapshot.objects.raw(
        f"SELECT id, role, agency_id, rows, young_people, ranked_at "  # noqa: S608
        f"FROM {RankingSnapshot._meta.db_table} WHERE user_id = %s", [user.pk])), None)
    if (row is None or now - row.ranked_at > RANKING_STALE_AFTER or row.role != user.role
            or row.agency_id != user.agency_id):
        return rank_now(user)
    return KeptRanking([KeptRow(*values) for values in row.rows], row.ranked_at,
                       row.young_people)


@dataclass
class Shown:
    row: KeptRow
    subject: Subject
    label: str


def shown_ranking(user, rows: list[KeptRow]) -> list[Shown]:
    """The rows the user may still rank, with their subjects: one query."""
    subjects = still_ranked(user, [r.subject_id for r in rows])
    return [Shown(r, subjects[r.subject_id], subjects[r.subject_id].name_text())
            for r in rows if r.subject_id in subjects]


def ranked_from_kept(user, kept: KeptRanking, *, today: date | None = None) -> list[Ranked]:
    """The kept ranking as `ranking` gives it, each subject scored again with their violence
    and convictions as recorded now (police record them on the subject's chart), highest
    priority first: one query (`shown_ranking`)."""
    today = today or timezone.localdate()
    local = user.agency.area.local_settings if user.agency_id else {}
    shown = shown_ranking(user, kept.rows)
    # The area's weights worked out once, not for each of the 48 subjects (issue 18).
    factors = disruption.factors_for(local) if shown else ()
    scores = _scores_for(factors)
    found = [_ranked(s.subject, disruption.SubjectFacts(
        children=s.row.weighted_children, best_grade=s.row.best_grade,
        last_seen=date.fromisoformat(s.row.last_seen) if s.row.last_seen else None,
        violence=s.subject.violence, previous_convictions=s.subject.previous_convictions,
        reports=s.row.reports, areas=s.row.areas), s.row.children, today=today,
        factors=factors, scores=scores) for s in shown]
    found.sort(key=lambda r: (-r.score.total, r.label))
    return found


def open_proposals(user, limit: int = 100) -> list[MergeProposal]:
    return list(access.visible_proposals(user).filter(status__in=(MergeProposal.Status.OPEN,
                                                                  MergeProposal.Status.SECOND))
                .select_related("left__subject", "right__subject")[:limit])


def decided_proposals(user, limit: int = 50) -> list[MergeProposal]:
    return list(access.visible_proposals(user).exclude(status__in=(MergeProposal.Status.OPEN,
                                                                   MergeProposal.Status.SECOND))
                .select_related("left__subject", "right__subject").order_by("-created_at")[:limit])


# A trigger's children with their areas (Child.objects.filter(pk__in=...).select_related(
# "area"), in the children's order), read in SQL: building the ORM's query took longer than
# running it (issue 18). One statement however many children (one_of), prepared on
# PostgreSQL: a read by keys, its generic plan the same index probe (replay.py).
_CHILD_FIELDS = list(Child._meta.concrete_fields)
_AREA_FIELDS = list(Area._meta.concrete_fields)


def children_by_id(child_ids) -> list[Child]:
    """These children (ids as a trigger's evidence keeps them), each with its area, in
    the children's own order (family name, given names; then the key, where the ORM left
    ties in no particular order)."""
    ids = _ids(child_ids)
    if not ids:
        return []
    return rows.read(*_children_read(ids))


def _children_read(ids: list[int]) -> tuple:
    """What `children_by_id` reads these children with (`rows.read`'s arguments)."""
    cond, params = one_of("c.id", ids)
    quote = connection.ops.quote_name
    by_name = {f.name: f for f in _CHILD_FIELDS}
    order = ", ".join(f"c.{quote(by_name[str(name)].column)}"
                      for name in Child._meta.ordering or ())
    return (
        # Table and column names from the models; every value a parameter.
        f"{Child._meta.db_table} c INNER JOIN {Area._meta.db_table} a ON a.id = c.area_id "
        f"WHERE {cond} ORDER BY {order}, c.id", params,
        ("c", Child, _CHILD_FIELDS), ("a", Area, _AREA_FIELDS, "area"))


def network_reads(child_ids, entity_ids, *, named: tuple[str, list] | None
                  ) -> list[tuple[str, list]]:
    """The reads a network's page makes of its evidence, which depend on nothing else read:
    its children (`children_by_id`), which of them the user may name (`named`, the statement
    of access.named_statement) and its records (`entities_by_id`), to run ahead together
    (`rows.ahead`: one round trip rather than three, issue 18)."""
    children, entities = _ids(child_ids), _ids(entity_ids)
    return [*([rows.statement(*_children_read(children))] if children else []),
            *([named] if named is not None else []),
            *([_entities_statement(entities)] if entities else [])]


def _area_triggers(offset: int, limit: int | None, *, area, state) -> QuerySet[Trigger]:
    found = (Trigger.objects.filter(areas=area, state=state)
             .annotate(child_count=Count("children", distinct=True))
             .order_by("-updated_at", "-pk"))
    return found[offset:offset + limit] if limit is not None else found[offset:]


# An area's triggers in a state, compiled once a page (foundation.compiled, issue 18) and
# prepared on PostgreSQL: at 100,000 children (1,151 triggers over 8 areas, states even)
# the generic plan ran in 0.69 ms to 0.99 ms planned each time (replay.py).
_AREA_TRIGGERS: Compiled[Trigger] = Compiled(_area_triggers, prepared=True)


def triggers_for(user, *, state: str = Trigger.State.OPEN, offset: int = 0,
                 limit: int | None = None) -> list[Trigger]:
    """The user's triggers in this state, most recently updated first (ties newest id first,
    so pages do not overlap), from `offset`, at most `limit`; each with `child_count`."""
    area = access.trigger_area(user)  # access.visible_triggers, compiled
    if area is None:
        return []
    return _AREA_TRIGGERS(offset, limit, area=area, state=str(state))


@dataclass
class TriggerRow:
    """A trigger as its list shows it (issue 15 item 6): what linked its children, as the
    reader may see it, the grading of the reports behind it that the reader may open and how
    many they may not."""

    trigger: Trigger
    linked_by: list[str]
    gradings: list[str]
    unopenable: int
    # Worked out once a row rather than by reverse(), the date filter and a loop over the
    # areas in the template (a third of drawing the list, issue 18).
    url: str = ""
    raised: str = ""
    updated: str = ""  # when it changed since it was raised
    areas: str = ""


def _area_names(trigger_ids: list[int]) -> list[tuple[int, str]]:
    """Each of these triggers' areas' names, as (trigger, name), in the areas' order (by name,
    then key): `Trigger.areas.through.objects.filter(trigger_id__in=...)
    .order_by("area__name", "area_id").values_list("trigger_id", "area__name")`, written in
    SQL and prepared on PostgreSQL, one statement however many triggers (foundation.compiled
    .one_of): building it with the ORM took longer than running it (issue 18;
    test_a_triggers_area_names_read_in_sql_are_the_orms)."""
    if not trigger_ids:
        return []
    chosen, params = one_of("ta.trigger_id", trigger_ids)
    through = Trigger.areas.through._meta.db_table
    return [(trigger_id, name) for trigger_id, name in rows.fetch(
        # Table names from the models; every value a parameter.
        f"SELECT ta.trigger_id, a.name FROM {through} ta "  # noqa: S608
        f"INNER JOIN {Area._meta.db_table} a ON a.id = ta.area_id "
        f"WHERE {chosen} ORDER BY a.name, ta.area_id", params, prepared=True)]


def trigger_rows(user, *, state: str = Trigger.State.OPEN, offset: int = 0,
                 limit: int | None = None) -> list[TriggerRow]:
    """`triggers_for` with each row's summary, in a fixed number of queries: the triggers with
    their areas and children, the reports the user may open among those behind them, the
    entities that link them, and which children named as subjects the user may see."""
    triggers = triggers_for(user, state=state, offset=offset, limit=limit)
    # Each trigger's areas' names, in the areas' order: the names alone (prefetching the
    # areas made an area of every row's every area, 3 ms of a page of 50, issue 18).
    area_names = defaultdict(list)
    for trigger_id, name in _area_names([t.pk for t in triggers]):
        area_names[trigger_id].append(name)
    report_ids = {r for t in triggers for r in t.evidence.get("reports", [])}
    entity_ids = {e for t in triggers for e in t.evidence.get("entities", [])}
    openable = {r.pk: r.grading for r in access.visible_reports(user).filter(
        pk__in=sorted(report_ids)).only("pk", "source_grade", "intelligence_grade", "handling",
                                        "legacy_source", "legacy_intelligence",
                                        "legacy_handling")} if report_ids else {}
    entities = ({e.pk: e for e in Entity.objects.filter(pk__in=sorted(entity_ids))
                 .select_related("subject")} if entity_ids else {})
    subjects = [e.subject for e in entities.values() if e.kind == EntityKind.SUBJECT]
    named = access.named_children(user, [s.child_id for s in subjects if s.child_id])

    def label(entity: Entity) -> str:
        if entity.kind == EntityKind.SUBJECT:
            return access.subject_label(user, entity.subject, named)
        return entity.label

    url = url_pattern("intelligence:trigger")
    rows = []
    for trigger in triggers:
        reports = trigger.evidence.get("reports", [])
        rows.append(TriggerRow(
            trigger=trigger,
            linked_by=[label(entities[e]) for e in trigger.evidence.get("entities", [])
                       if e in entities],
            gradings=[openable[r] for r in reports if r in openable],
            unopenable=sum(1 for r in reports if r not in openable),
            url=url(trigger.pk), raised=short_datetime(trigger.created_at),
            updated=(short_datetime(trigger.updated_at)
                     if trigger.updated_at != trigger.created_at else ""),
            areas=", ".join(area_names[trigger.pk]),
        ))
    return rows


def subjects_for(user, child) -> QuerySet[Subject]:
    """People a child's disruption action may name: adult subjects linked to the child by
    intelligence the user may see (SPEC §6: against named subjects). Given to the plans app
    at start-up (lantern.intelligence.apps)."""
    visible = access.visible_links(user).filter(child=child).values("entity_id")
    return (Subject.objects.filter(pk__in=visible).adults()
            .order_by("family_name", "given_names"))


def suspect_linked_to(child) -> Subject | None:
    """The first subject a report links to the child as a suspect (the demo's disruption
    action names them)."""
    link = (Link.objects.filter(child=child, entity__kind="subject", role="suspect")
            .select_related("entity__subject").first())
    return link.entity.subject if link is not None else None


# --- Monitoring (issue 17): aggregates without identities -----------------------------------

# Places an analyst may see listed: premises and public places. Addresses are left out, since
# an address linked to a child may be the child's own home.
LISTED_PLACES = (Location.Kind.HOTSPOT, Location.Kind.PREMISES)


def monitoring_intelligence(s: Slice, *, places: bool = False) -> dict:
    """Places and triggers in the period. Counts: places linked to children (hotspots among
    them) and triggers by kind and state. With `places` (analysts), also the premises and
    public places linked to most children and the networks the triggers found, by criterion,
    never naming a person. Three queries, five with `places`."""
    links = Link.objects.filter(s.period("created_at"), s.children(),
                                entity__kind=EntityKind.LOCATION)
    place = Coalesce("entity__canonical_id", "entity_id")
    counts = links.aggregate(
        places=Count(place, distinct=True),
        hotspots=Count(place, distinct=True,
                       filter=Q(entity__location__location_kind=Location.Kind.HOTSPOT)),
        children=Count("child", distinct=True),
    )
    in_slice = Child.objects.filter(s.children(prefix=""), triggers=OuterRef("pk"))
    triggers = Trigger.objects.filter(s.period("created_at")).filter(Exists(in_slice))
    by_kind = list(triggers.values_list("kind", "state")
                   .annotate(n=Count("id"), group=Count("id", filter=Q(group_based=True)))
                   .order_by("kind", "state"))
    kinds, states = dict(TriggerKind.choices), dict(Trigger.State.choices)
    result = {
        **counts,
        "triggers": [(f"{kinds.get(k, k)}: {states.get(st, st).lower()}", n)
                     for k, st, n, _group in by_kind],
        # Networks a CSE team manager recorded as group-based exploitation (issue 16 item 5).
        "group_based": sum(group for *_rest, group in by_kind),
    }
    if places:
        top = list(links.filter(entity__location__location_kind__in=LISTED_PLACES)
                   .values_list(place).annotate(n=Count("child", distinct=True))
                   .order_by("-n")[:10])
        labels = dict(Entity.objects.filter(pk__in=[pk for pk, _ in top])
                      .values_list("pk", "label"))
        result["places_listed"] = [(labels.get(pk, ""), n) for pk, n in top]
        criterion_labels = {c.code: c.label for c in trigger_rules.rules().criteria}
        result["networks"] = [
            (criterion_labels.get(code, code), n, children) for code, n, children in
            triggers.values_list("criterion")
            .annotate(n=Count("id", distinct=True), children=Count("children", distinct=True))
            .order_by("criterion")]
    return result


def monitoring_subject_completeness(area_id: int | None) -> list[tuple]:
    """For the people intelligence names (merged records counted once), by area: how many;
    how many have their sex, ethnicity, nationality and disability recorded; how many say why
    each is not known (issue 16 item 5). One query."""
    subjects = Subject.objects.filter(canonical__isnull=True)
    if area_id is not None:
        subjects = subjects.filter(area_id=area_id)
    return list(
        subjects.values_list("area__name").annotate(
            n=Count("id"),
            sex=Count("id", filter=~Q(sex__in=("", "not_known"))),
            ethnicity=Count("id", filter=~Q(ethnicity__in=("", "not_known"))),
            nationality=Count("id", filter=~Q(nationality="")),
            disability=Count("id", filter=Q(disability_status__in=("yes", "no"))),
            sex_why=Count("id", filter=Q(unknown_reasons__has_key="sex")),
            ethnicity_why=Count("id", filter=Q(unknown_reasons__has_key="ethnicity")),
            nationality_why=Count("id", filter=Q(unknown_reasons__has_key="nationality")),
            disability_why=Count("id", filter=Q(unknown_reasons__has_key="disability")),
        ).order_by("area__name"))


# --- Tasking (issue 17; seed 004: daily and weekly tasking meetings) --------------------------

def tasking_new_triggers(user, since, *, offset: int = 0, limit: int = 100,
                         pk: int | None = None
                         ) -> "list[WithAnnotations[Trigger, ChildCount]]":
    """Open triggers raised since `since` that the user may read, newest first, each with
    `child_count`: one query. With `pk`, that trigger only, if it is one of them."""
    found = access.visible_triggers(user).filter(state=Trigger.State.OPEN,
                                                 created_at__gte=since)
    if pk is not None:
        found = found.filter(pk=pk)
    return list(found.annotate(child_count=Count("children", distinct=True))
                .order_by("-created_at", "-pk")[offset:offset + limit])


def still_ranked(user, subject_ids, *, today: date | None = None) -> dict[int, Subject]:
    """Of these subjects (a ranking kept ahead, `kept_ranking`), the ones the user
    may still rank: adults to whom a link the user may see leads, their own or through a
    record merged with them. One query, by the links' entity index.

    Its condition is written in SQL (`access.visible_reports_sql`, the same rule as
    `visible_links`): built with the ORM, the nested visibility took 6 ms of Python to build
    and compile on every weekly tasking list, for a query PostgreSQL runs in 0.3 ms (issue 17)."""
    if not subject_ids:
        return {}
    today = today or timezone.localdate()
    subject = f"s.{Subject._meta.pk.column}"
    # The subject's own record, while it is not merged into another since (a merged record
    # is ranked as the record it was merged into, `ranking`, not apart), and every record
    # merged into it: one list of entities, read once (`ARRAY`) on PostgreSQL. Two EXISTS
    # (own links, merged links) took PostgreSQL 1.4-2 ms to plan, this 0.5-0.7 ms. Each half
    # by its own index (as one OR, the prepared statement's plan read every entity for each
    # subject: 1.3 of 1.8 ms for 48 subjects at 100,000 children); an entity in both halves
    # is listed twice, which `ANY` and `IN` do not mind.
    entities = (f"SELECT e.id FROM {Entity._meta.db_table} e "  # noqa: S608
                f"WHERE e.canonical_id = {subject} "
                f"UNION ALL SELECT e.id FROM {Entity._meta.db_table} e "
                f"WHERE e.id = {subject} AND (e.canonical_id IS NULL"
                f" OR e.canonical_id = {subject})")
    entities = (f"= ANY(ARRAY({entities}))" if connection.vendor == "postgresql"
                else f"IN ({entities})")
    seen, params = access.visible_reports_sql(user, "r")
    chosen, chosen_params = one_of(subject, list(subject_ids))
    with prepared_cursor() as cursor:
        cursor.execute(
            # Table and column names from the models; every value a parameter.
            f"SELECT {', '.join(f's.{f.column}' for f in _RANKED_FIELDS)} "  # noqa: S608
            f"FROM {Subject._meta.db_table} s "
            f"WHERE {chosen} "
            f"AND EXISTS (SELECT 1 FROM {Link._meta.db_table} l INNER JOIN "
            f"{IntelligenceReport._meta.db_table} r ON r.id = l.report_id "
            f"WHERE l.entity_id {entities} AND {seen})", [*chosen_params, *params])
        found_rows = cursor.fetchall()
    found = [rows.made(Subject, _RANKED_FIELDS, row) for row in found_rows]
    return {s.pk: s for s in found if not s.treated_as_child(today)}


# What naming a ranked subject, `treated_as_child` and scoring them read; read as plain rows,
# not `Model.raw` (0.3 ms).
_RANKED_FIELDS = rows.fields_of(
    Subject, "entity_ptr", "given_names", "family_name", "nicknames", "is_child", "child",
    "date_of_birth", "birth_year", "birth_month", "violence", "previous_convictions")
