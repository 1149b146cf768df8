"""`lantern work` puts right a report's areas that are not its children's
(actions.keep_report_areas, issue 18): they decide which area's police and analysts find it."""

from datetime import timedelta
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from lantern import testing
from lantern.foundation.models import AgencyKind, AuditEvent, Role
from lantern.intelligence import access, actions
from lantern.intelligence.models import IntelligenceReport

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


def test_a_check_of_recent_reports_leaves_older_ones_to_the_full_check(p, child):
    older = report(p.alice, [child], person("Dean", "Ward"))
    IntelligenceReport.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - timedelta(hours=3))
    recent = report(p.alice, [child], person("Kyle", "Morgan"))
    for made in (older, recent):
        made.child_areas.clear()
    since = timezone.now() - timedelta(hours=2)
    assert actions.keep_report_areas(since=since)["added"] == [[recent.pk, p.north.pk]]
    assert not older.child_areas.exists()
    assert actions.keep_report_areas()["added"] == [[older.pk, p.north.pk]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an advisory lock")
def test_a_copy_of_lantern_work_leaves_the_check_to_another_doing_it(p, child):
    made = report(p.alice, [child], person("Dean", "Ward"))
    made.child_areas.clear()
    other = psycopg.connect(**{k: v for k, v in connection.get_connection_params().items()
                               if k not in ("cursor_factory", "context")})
    try:
        assert other.execute("SELECT pg_try_advisory_lock(%s)",
                             [actions._REPORT_AREAS_LOCK]).fetchone()[0]
        assert actions.keep_report_areas() == {"added": [], "removed": []}
        assert not made.child_areas.exists()
        # Let go before closing: a closed connection's session ends after it returns.
        other.execute("SELECT pg_advisory_unlock(%s)", [actions._REPORT_AREAS_LOCK])
    finally:
        other.close()
    assert actions.keep_report_areas()["added"] == [[made.pk, p.north.pk]]
