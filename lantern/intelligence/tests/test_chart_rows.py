"""The link chart's links read in SQL (queries.chart_link_rows, issue 18) are the links the
ORM read before (access.chart_links by row, filtered, with access.link_flags), with the same
values, for everyone, around every record and child, with every kind of filter."""

import datetime
import itertools

import pytest
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from lantern import testing
from lantern.foundation import grants
from lantern.intelligence import access, actions, queries
from lantern.intelligence.models import GRADING_FIELDS, Entity, EntityKind, IntelligenceReport

from .helpers import eastmoor_manager, grade, person, report, vehicle

_VALUES = ("pk", "child_id", "report_id", "role",
           # The day it happened, or else the day its report was shared, in local time.
           Coalesce("occurred_on", TruncDate("report__submitted_at")),
           *(f"report__{name}" for name in GRADING_FIELDS), "child__given_names",
           "child__family_name", "child__area__name")


def _by_the_orm(user, kind, ident, *, date_from=None, date_to=None, grades=None):
    """The chart's links as the ORM read them before they were read in SQL (around a record,
    its group's root asked first, as `neighbourhood` asked it before it was read with them)."""
    found = access.chart_links(user, by_row=True)
    group = None
    if kind == "child":
        found = found.filter(child_id=ident)
    else:
        group = Entity.objects.filter(pk=ident).values_list("canonical_id", flat=True).first(
            ) or ident
        found = found.filter(entity_id__in=Entity.objects.filter(
            Q(pk=group) | Q(canonical_id=group)).values("pk"))
    if date_from:
        found = found.filter(Q(occurred_on__gte=date_from) |
                             Q(occurred_on=None, report__submitted_at__date__gte=date_from))
    if date_to:
        found = found.filter(Q(occurred_on__lte=date_to) |
                             Q(occurred_on=None, report__submitted_at__date__lte=date_to))
    if grades is not None and set(grades) != set(queries.GRADES):
        wanted = Q(report__intelligence_grade__in=[g for g in grades if g != "U"])
        if "U" in grades:
            wanted |= Q(report__intelligence_grade="")
        found = found.filter(wanted)
    return {queries._LinkRow(*row, group) for row in found.annotate(**access.link_flags(user))
            .values_list(*_VALUES, Coalesce("entity__canonical_id", "entity_id"),
                         "readable", "named")}


@pytest.mark.django_db
def test_chart_link_rows_are_the_orms(p, child):
    eastern = testing.make_child(p.eve, given_names="Eastern")
    kayla = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    # Reports graded for everyone, for CSE team managers only, not graded; in one area or
    # two; one with the day it happened, one shared just before midnight in summer (the
    # next day in London).
    grade(report(p.alice, [child, kayla], person("Dean", "Ward"), vehicle("AB12 CDE")),
          p.priya)
    grade(report(p.alice, [child], person("Kyle", "Morgan"), vehicle("ab12cde")), p.priya,
          handling="C", roles=["cse_manager"], grade_="D")
    report(p.alice, [kayla], person("Una", "Graded"), vehicle("AB12 CDE"))
    grade(report(p.eve, [eastern], person("Eddie", "East"), vehicle("AB12CDE")), p.priya,
          grade_="A")
    grade(report(p.bob, [child, eastern], person("Both", "Areas")), p.priya, grade_="E")
    dated = actions.submit_report(by=p.alice, text="Seen at the park.", children=[child],
                                  mentions=[vehicle("AB12 CDE")],
                                  occurred_on=datetime.date(2024, 3, 9))
    grade(dated, p.priya)
    late = grade(report(p.eve, [eastern], vehicle("AB12 CDE")), p.priya, grade_="C")
    IntelligenceReport.objects.filter(pk=late.pk).update(
        submitted_at=datetime.datetime(2024, 6, 30, 23, 30, tzinfo=datetime.UTC))
    # Two records merged into one, and grants: the eastern child to maria (live), to priya
    # (revoked).
    dean, kyle = (Entity.objects.get(subject__given_names=n) for n in ("Dean", "Kyle"))
    Entity.objects.filter(pk=kyle.pk).update(canonical=dean)
    testing.give_access(eastern, p.maria)
    grants.revoke(testing.give_access(eastern, p.priya), by=None, reason="Ended")

    roots = set(Entity.objects.filter(canonical=None).values_list("pk", flat=True))
    # Asked around a record merged into another, the chart is of the group (its root).
    merged = {kyle.pk: dean.pk}
    children = [child.pk, kayla.pk, eastern.pk]
    days = [None, datetime.date(2024, 3, 9), datetime.date(2024, 7, 1),
            datetime.date(2024, 6, 30), timezone.localdate()]
    filters = [{}, *({"date_from": d} for d in days[1:]), *({"date_to": d} for d in days[1:]),
               {"date_from": days[1], "date_to": days[2]},
               *({"grades": set(g)} for g in ("A", "U", "BD", "ABCDEU", "ACU"))]
    seen = {"readable": set(), "named": set(), "found": 0, "merged": 0}
    people = {**p.all_users(), "esme": eastmoor_manager(p)}
    for (name, user), node, kwargs in itertools.product(
            people.items(), [*(("entity", pk) for pk in (*roots, *merged)),
                             *(("child", pk) for pk in children), ("entity", 999999)],
            filters):
        expected = _by_the_orm(user, *node, **kwargs)
        found = queries.chart_link_rows(user, *node, **kwargs)
        assert len(found) == len(set(found))
        assert set(found) == expected, (name, node, kwargs)
        seen["found"] += bool(found)
        seen["merged"] += bool(found) and node[1] in merged
        for row in found:
            assert row.group == (merged.get(node[1], node[1]) if node[0] == "entity" else None)
            seen["readable"].add(row.readable)
            seen["named"].add(row.named)
            assert type(row.readable) is type(row.named) is bool  # not 1 and 0
    assert seen["readable"] == seen["named"] == {True, False} and seen["found"] > 50
    assert seen["merged"] > 5


@pytest.mark.django_db
@pytest.mark.parametrize("pick", [[], [0], [1, 0], "all", "all and missing"])
def test_the_charts_records_read_in_sql_are_the_orms(p, child, pick, django_assert_num_queries):
    """queries.entities_by_id gives what Entity.objects.filter(pk__in=...)
    .select_related("area", "subject") gave: the same records, every field, each with its area
    and its subject (every field of it too, nothing left to read), or none for a record that
    is not a person."""
    grade(report(p.alice, [child], person("Dean", "Ward", phone="07700 900321"),
                 vehicle("AB12 CDE")), p.priya)
    report(p.eve, [testing.make_child(p.eve, given_names="Eastern")], person("Eddie", "East"))
    ids = sorted(Entity.objects.values_list("pk", flat=True))
    assert len(ids) >= 4
    chosen = (ids if pick == "all" else [*ids, max(ids) + 1] if pick == "all and missing"
              else [ids[n] for n in pick])
    old = {e.pk: e for e in Entity.objects.filter(pk__in=chosen).select_related("area",
                                                                                "subject")}
    with django_assert_num_queries(1 if chosen else 0):
        new = queries.entities_by_id(chosen)
    assert sorted(new) == sorted(old)
    with django_assert_num_queries(0):
        _same_records(new, old)


def _fields(obj) -> list:
    return [getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields]


def _same_records(new, old) -> None:
    for pk, entity in new.items():
        was = old[pk]
        assert _fields(entity) == _fields(was) and _fields(entity.area) == _fields(was.area)
        is_person = entity.kind == "subject"
        assert hasattr(was, "subject") == hasattr(entity, "subject") == is_person
        if is_person:
            assert _fields(entity.subject) == _fields(was.subject)
            assert entity.subject.get_deferred_fields() == was.subject.get_deferred_fields()
            assert entity.subject.entity_ptr is entity


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a pipeline is PostgreSQL's")
def test_a_records_chart_takes_every_read_it_ran_ahead(p, child, ran_ahead):
    grade(report(p.alice, [child], person("Dean", "Ward")), p.priya)
    dean = Entity.objects.get(kind=EntityKind.SUBJECT)
    chart = queries.neighbourhood(p.priya, ("entity", dean.pk))
    assert chart.linked and f"c{child.pk}" in chart.nodes
    # Its links, its associations (none) and its own columns, each read from what ran ahead.
    assert ran_ahead == [(3, 3, {})]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a pipeline is PostgreSQL's")
def test_a_chart_with_associations_takes_its_focus_run_ahead_too(p, child, ran_ahead):
    grade(report(p.alice, [child], person("Dean", "Ward", phone="07700 900123")), p.priya)
    dean = Entity.objects.get(kind=EntityKind.SUBJECT)
    phone = Entity.objects.get(kind=EntityKind.PHONE)
    chart = queries.neighbourhood(p.priya, ("entity", dean.pk))
    assert f"e{phone.pk}" in chart.nodes and any(key[0] == "a" for key in chart.edges)
    # The phone, the other end of Dean's association, is read after.
    assert ran_ahead == [(3, 3, {})]


@pytest.mark.django_db
def test_a_charts_edges_made_for_some_nodes_are_those_of_all_its_edges(p, child):
    kayla = testing.make_child(p.alice, given_names="Kayla")
    grade(report(p.alice, [child, kayla], person("Dean", "Ward", phone="07700 900123")),
          p.priya)
    grade(report(p.alice, [child], person("Kyle", "Morgan"), vehicle("KY11 KKK")), p.priya,
          handling="C", roles=["cse_manager"], grade_="D")
    dean = Entity.objects.get(kind=EntityKind.SUBJECT, label__startswith="Dean")
    for user, node in itertools.product((p.priya, p.maria, p.ana),
                                        (("entity", dean.pk), ("child", child.pk))):
        every = queries.neighbourhood(user, node).edges
        assert every, (user.username, node)
        chart = queries.neighbourhood(user, node)
        for ids in ({f"c{child.pk}"}, {f"c{kayla.pk}"}, {f"e{dean.pk}"}, set(chart.nodes),
                    set()):
            touching = [e for e in every.values() if e["source"] in ids or e["target"] in ids]
            assert chart.edges_touching(ids) == touching, (user.username, node, ids)
        assert chart.edges == every
        assert chart.edges_touching({f"c{kayla.pk}"}) == [
            e for e in every.values() if f"c{kayla.pk}" in (e["source"], e["target"])]
