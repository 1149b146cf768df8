"""Who sees Jade's record (SPEC §9, issue 2 access rule), named person by named person."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lantern import testing
from lantern.foundation.access import entitlements, get_child_for_user, visible_children
from lantern.people.actions import allocate

SEES = ["alice", "fiona", "maria", "priya"]
DOES_NOT_SEE = ["bob", "carol", "eve", "sam", "ana", "bea", "ade"]


@pytest.mark.parametrize("name", SEES)
def test_entitled_people_see_the_child(p, child, name):
    assert child in visible_children(getattr(p, name))


@pytest.mark.parametrize("name", DOES_NOT_SEE)
def test_everyone_else_does_not_see_the_child(p, child, name):
    assert child not in visible_children(getattr(p, name))


@pytest.mark.parametrize("name", DOES_NOT_SEE)
def test_everyone_else_gets_404_not_403(p, child, name):
    with pytest.raises(Http404):
        get_child_for_user(getattr(p, name), child.pk)


def test_another_agency_sees_the_child_once_it_records_a_concern(p, child):
    testing.make_concern(child, p.bob)
    assert child in visible_children(p.bob)


def test_an_allocated_social_worker_sees_and_may_change_the_record(p, child):
    allocate(child, p.sam, by=p.fiona)
    found, can_change = get_child_for_user(p.sam, child.pk)
    assert found == child and can_change


def test_police_see_the_area_but_may_not_change_the_record(p, child):
    _found, can_change = get_child_for_user(p.priya, child.pk)
    assert not can_change
    with pytest.raises(PermissionDenied):
        get_child_for_user(p.priya, child.pk, for_change=True)


def test_front_door_may_change_records_in_its_area(p, child):
    _found, can_change = get_child_for_user(p.fiona, child.pk)
    assert can_change


def test_inactive_users_see_nothing(p, child):
    p.alice.is_active = False
    p.alice.save()
    assert not visible_children(p.alice).exists()


def test_the_list_of_visible_children_needs_one_query(p, child, django_assert_num_queries):
    # 1. children filtered by entitlement (concern / allocation / created-by / area subqueries)
    with django_assert_num_queries(1):
        list(visible_children(p.alice))


def test_every_feature_registers_who_it_entitles():
    registered = {e.name: e.changes for e in entitlements()}
    assert registered == {
        "created_by_agency": False, "area_wide_role": False, "allocated": True,
        "concern_by_agency": False, "break_glass": False, "invited_to_meeting": False,
        "plan_action_owner": False,
    }
