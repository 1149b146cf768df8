"""`lantern work` puts right a report's areas that are not its children's
(actions.keep_report_areas, issue 18): they decide which area's police and analysts find it."""

from io import StringIO

from django.core.management import call_command

from lantern import testing
from lantern.foundation.models import AgencyKind, Role
from lantern.intelligence import access, actions

from .helpers import person, report


def _eastmoor_police(p):
    return testing.UserFactory.create(
        username="dana", role=Role.POLICE, agency=testing.AgencyFactory.create(
            name="Eastmoor Police", kind=AgencyKind.POLICE, area=p.east))


def test_an_area_missing_from_a_report_is_added(p, child):
    both = report(p.bob, [child, testing.make_child(p.eve, given_names="Eastern")],
                  person("Both", "Areas"))
    both.child_areas.remove(p.east)  # as if submitted by code that did not keep them
    dana = _eastmoor_police(p)
    assert not access.visible_reports(dana).exists()
    assert actions.keep_report_areas() == 1
    assert set(both.child_areas.all()) == {p.north, p.east}
    assert list(access.visible_reports(dana)) == [both]


def test_an_area_none_of_a_reports_children_is_in_is_removed(p, child):
    made = report(p.alice, [child], person("Dean", "Ward"))
    made.child_areas.add(p.east)
    dana = _eastmoor_police(p)
    assert list(access.visible_reports(dana)) == [made]
    assert actions.keep_report_areas() == 1
    assert list(made.child_areas.all()) == [p.north]
    assert not access.visible_reports(dana).exists()


def test_reports_whose_areas_are_true_are_left_as_they_are(p, child):
    both = report(p.bob, [child, testing.make_child(p.eve, given_names="Eastern")],
                  person("Both", "Areas"))
    one = report(p.alice, [child], person("Dean", "Ward"))
    assert actions.keep_report_areas() == 0
    assert set(both.child_areas.all()) == {p.north, p.east}
    assert list(one.child_areas.all()) == [p.north]


def test_lantern_work_puts_a_reports_areas_right(p, child):
    made = report(p.alice, [child], person("Dean", "Ward"))
    made.child_areas.clear()
    out = StringIO()
    call_command("work", "--once", stdout=out)
    assert "1 report area(s) put right" in out.getvalue()
    assert list(made.child_areas.all()) == [p.north]
