"""Data built once for a module (lantern/testing.py, built_once) is the same for every test:
whatever one test changes, in the database or in the objects it was handed, the next test
does not see. Both tests change what they were given, so whichever runs second would fail
if a change leaked."""

import pytest

from lantern import testing
from lantern.foundation.models import Child


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    def build():
        p = testing.build_partnership()
        return p, testing.make_child(p.alice, given_names="Once")

    yield from testing.built_once(django_db_blocker, build)


@pytest.fixture
def given(db, _built):
    return testing.fresh(_built)


def _as_built_then_changed(p, child) -> None:
    assert child.given_names == "Once"
    assert [c.given_names for c in Child.objects.all()] == ["Once"]
    child.given_names = "Changed"
    child.save()
    testing.make_child(p.bob, given_names="Extra")


def test_a_change_one_test_makes_is_rolled_back(given):
    _as_built_then_changed(*given)


def test_and_the_other_test_starts_from_the_data_as_built(given):
    _as_built_then_changed(*given)
