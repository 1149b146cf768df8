"""The child's record runs its reads that depend only on the child ahead, together
(`queries.record_reads`, `rows.ahead`): each is the read the record then makes (none is left
unread, so none runs twice), and the record holds what it holds reading each in turn."""

from datetime import date

import pytest
from django.db import connection

from lantern.foundation import rows
from lantern.foundation.models import Child
from lantern.plans import catalogue
from lantern.plans import queries as plans_queries
from lantern.plans.models import MeasureRecord, Plan
from lantern.site import generate, queries
from lantern.site.tests.test_record_sql import _odd_rows

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a pipeline is PostgreSQL's"),
]


def _held(record: dict) -> dict:
    """What the record's reads gave, by their rows' keys."""
    return {
        "chronology": [(e.pk, e.title, e.occurred_text, e.recorded_by and e.recorded_by.pk)
                       for e in record["chronology"]],
        "screenings": [(s.pk, s.final_category, s.screened_by.pk, s.agency.name)
                       for s in record["screenings"]],
        "referrals": [(r.pk, r.status, r.agency.name, r.url) for r in record["referrals"]],
        "allocations": [(a.pk, a.user.pk, a.user.agency and a.user.agency.name)
                        for a in record["allocations"]],
        "pathways": [(p.pk, p.has_requirements, p.has_responses, p.has_adult_referrals,
                      [(s.pk, s.work_item and s.work_item.pk) for s in p.steps.all()])
                     for p in record["pathways"]],
        "other work": [item.pk for item in record["other_work"]],
        "missing": [episode.pk for episode in record["missing_episodes"]],
        "plan": (record["active_plan"] and record["active_plan"].pk,
                 record["open_plan_actions"]),
        "measures": [(row["row"], row["cells"]) for row in record["measure_rows"]],
        "rescreen": record["rescreen"] and {
            key: record["rescreen"][key] for key in ("count", "urgent", "first")},
    }


def _more_odd_rows(p) -> None:
    """Outcome measures on a plan (the generator records none), and each child as the record's
    view loads it: whether they have an active plan said (`child_record_annotations`), so the
    plan is not asked for a child without one."""
    plan = Plan.objects.filter(status=Plan.Status.ACTIVE).first()
    assert plan is not None
    for code in [m.code for m in catalogue.get().measures][:2]:
        MeasureRecord.objects.create(plan=plan, child=plan.child, measure=code, value=2,
                                     stage="start", recorded_on=date(2026, 11, 2),
                                     recorded_by=p.alice)


def _as_the_record_loads() -> list[Child]:
    children = list(Child.objects.annotate(**plans_queries.child_record_annotations()))
    assert {getattr(c, plans_queries.ACTIVE_PLAN_FOUND) for c in children} == {True, False}
    return children


def test_every_read_run_ahead_is_one_the_record_makes(p):
    generate.generate(6)
    _odd_rows(p)
    _more_odd_rows(p)
    for child in _as_the_record_loads():
        with rows.ahead(queries.record_reads(child)) as left:
            assert len(left) == len(queries.record_reads(child))
            queries._child_record(child)
        assert left == {}, (child.pk, list(left))


def test_the_record_read_ahead_holds_what_it_holds_read_in_turn(p):
    generate.generate(6)
    _odd_rows(p)
    _more_odd_rows(p)
    measured = 0
    for child in _as_the_record_loads():
        ahead = _held(queries.child_record(child))
        assert ahead == _held(queries._child_record(child)), child.pk
        measured += bool(ahead["measures"])
    assert measured
