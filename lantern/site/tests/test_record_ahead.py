"""The child's record runs its reads that depend only on the child ahead, together
(`queries.record_reads`, `rows.ahead`): each is the read the record then makes (none is left
unread, so none runs twice), and the record holds what it holds reading each in turn."""

import pytest
from django.db import connection

from lantern.foundation import rows
from lantern.foundation.models import Child
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


def test_every_read_run_ahead_is_one_the_record_makes(p):
    generate.generate(6)
    _odd_rows(p)
    for child in Child.objects.all():
        with rows.ahead(queries.record_reads(child)) as left:
            assert len(left) == len(queries.record_reads(child))
            queries._child_record(child)
        assert left == {}, (child.pk, list(left))


def test_the_record_read_ahead_holds_what_it_holds_read_in_turn(p):
    generate.generate(6)
    _odd_rows(p)
    for child in Child.objects.all():
        ahead = _held(queries.child_record(child))
        assert ahead == _held(queries._child_record(child)), child.pk
