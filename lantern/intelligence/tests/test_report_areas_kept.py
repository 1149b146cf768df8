"""`lantern work` puts right a report's areas that are not its children's
(actions.keep_report_areas, issue 18): they decide which area's police and analysts find it."""

from io import StringIO

from django.core.management import call_command

from lantern import testing
from lantern.foundation.models import AgencyKind, AuditEvent, Role
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
    assert actions.keep_report_areas() == {"added": [[both.pk, p.east.pk]], "removed": []}
    assert set(both.child_areas.all()) == {p.north, p.east}
    assert list(access.visible_reports(dana)) == [both]


def test_an_area_none_of_a_reports_children_is_in_is_removed(p, child):
    made = report(p.alice, [child], person("Dean", "Ward"))
    made.child_areas.add(p.east)
    dana = _eastmoor_police(p)
    assert list(access.visible_reports(dana)) == [made]
    assert actions.keep_report_areas() == {"added": [], "removed": [[made.pk, p.east.pk]]}
    assert list(made.child_areas.all()) == [p.north]
    assert not access.visible_reports(dana).exists()


def test_reports_whose_areas_are_true_are_left_as_they_are(p, child):
    both = report(p.bob, [child, testing.make_child(p.eve, given_names="Eastern")],
                  person("Both", "Areas"))
    one = report(p.alice, [child], person("Dean", "Ward"))
    before = AuditEvent.objects.count()
    assert actions.keep_report_areas() == {"added": [], "removed": []}
    assert AuditEvent.objects.count() == before  # nothing to put right, nothing audited
    assert set(both.child_areas.all()) == {p.north, p.east}
    assert list(one.child_areas.all()) == [p.north]


def test_what_is_put_right_is_audited_as_the_systems_change(p, child):
    made = report(p.alice, [child], person("Dean", "Ward"))
    made.child_areas.clear()
    actions.keep_report_areas()
    event = AuditEvent.objects.filter(action="report_areas").get()
    assert event.actor_id is None and event.actor_label == "system"
    assert event.changes == {"added": [[made.pk, p.north.pk]], "removed": []}


def test_lantern_work_puts_a_reports_areas_right_and_says_which(p, child):
    made = report(p.alice, [child], person("Dean", "Ward"))
    made.child_areas.clear()
    out, err = StringIO(), StringIO()
    call_command("work", "--once", stdout=out, stderr=err)
    assert "1 report area(s) put right" in out.getvalue()
    assert f"added [[{made.pk}, {p.north.pk}]]" in err.getvalue()
    assert list(made.child_areas.all()) == [p.north]
