"""The data migration that keeps with each report the areas of the children it concerns
(issue 18), for reports submitted before it."""

import importlib

from django.apps import apps

from lantern import testing

from .helpers import person, report

migration = importlib.import_module("lantern.intelligence.migrations.0007_report_child_areas")


def test_reports_submitted_before_it_keep_the_areas_of_their_children(p, child):
    eastern = testing.make_child(p.eve, given_names="Eastern")
    both = report(p.bob, [child, eastern], person("Both", "Areas"))
    one = report(p.alice, [child], person("Dean", "Ward"))
    neighbours = report(p.alice, [child, testing.make_child(p.alice, given_names="Amy")],
                        person("Kyle", "Morgan"))
    for made in (both, one, neighbours):
        made.child_areas.clear()  # as they were before the migration
    migration.fill(apps, None)
    assert set(both.child_areas.all()) == {p.north, p.east}
    assert list(one.child_areas.all()) == [p.north]
    assert list(neighbours.child_areas.all()) == [p.north]  # two children, one area


def test_run_again_it_adds_only_what_is_missing(p, child):
    made = report(p.alice, [child], person("Dean", "Ward"))
    migration.fill(apps, None)
    assert list(made.child_areas.all()) == [p.north]
