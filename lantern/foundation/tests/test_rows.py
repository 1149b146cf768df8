"""`rows.read`: rows read in SQL made into models with their relations set, the statement
written once a process (issue 18)."""

import pytest

from lantern import testing
from lantern.foundation import rows
from lantern.foundation.models import Agency, ChronologyEntry, User

pytestmark = pytest.mark.django_db

_ENTRY = rows.fields_of(ChronologyEntry, "id", "child_id", "title", "agency_id",
                        "recorded_by_id")
_AGENCY = rows.fields_of(Agency, "id", "name")
_USER = rows.fields_of(User, "id", "first_name", "last_name", "agency_id")
_TABLES = (f"{ChronologyEntry._meta.db_table} e "
           f"LEFT JOIN {User._meta.db_table} u ON u.id = e.recorded_by_id "
           f"LEFT JOIN {Agency._meta.db_table} a ON a.id = u.agency_id "
           "WHERE e.child_id = %s ORDER BY e.id")


def _read(child):
    # Shapes written at the call, as callers write them: new tuples every call.
    return rows.read(_TABLES, [child.pk], ("e", ChronologyEntry, _ENTRY),
                     ("u", User, _USER, "recorded_by"),
                     ("a", Agency, _AGENCY, "recorded_by.agency"))


def test_the_models_and_their_relations_are_the_orms(p, django_assert_num_queries):
    child = testing.make_child(p.alice)
    testing.make_concern(child, p.alice)
    expected = list(ChronologyEntry.objects.filter(child=child).order_by("id")
                    .select_related("recorded_by__agency"))
    with django_assert_num_queries(1):
        found = _read(child)
        assert [(e.pk, e.title, e.recorded_by and e.recorded_by.pk,
                 e.recorded_by and e.recorded_by.agency.name) for e in found] == [
            (e.pk, e.title, e.recorded_by and e.recorded_by.pk,
             e.recorded_by and e.recorded_by.agency.name) for e in expected]
    assert found


def test_the_statement_is_written_once_for_shapes_written_again(p):
    shapes = (("e", ChronologyEntry, _ENTRY), ("u", User, _USER, "recorded_by"))
    again = tuple(tuple(shape) for shape in (list(s) for s in shapes))
    assert rows._read_plan(_TABLES, shapes) is rows._read_plan(_TABLES, again)


def test_other_fields_are_another_statement(p):
    other = list(_ENTRY)  # equal, but another list: it may be another list's address reused
    first = rows._read_plan(_TABLES, (("e", ChronologyEntry, _ENTRY),))
    assert rows._read_plan(_TABLES, (("e", ChronologyEntry, other),)) is not first
