"""Who sees Jade's record (SPEC §9, issue 2 access rule), named person by named person."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from lantern import testing
from lantern.foundation import grants
from lantern.foundation.access import (
    can_change_child,
    get_child_for_user,
    may_add_to_child,
    visible_children,
    visible_in_area,
)
from lantern.foundation.models import AuditEvent, Grant, GrantBasis
from lantern.pathway.models import Concern
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


def test_recording_a_concern_gives_another_agency_no_access(p, child):
    # bob cannot reach the record to write; even a concern recorded on his behalf (here by the
    # action directly) gives his agency nothing: writing never creates access (issue 13).
    testing.make_concern(child, p.bob)
    assert child not in visible_children(p.bob)


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
    # 1. children filtered by area-wide role or a live grant (one EXISTS on Grant)
    with django_assert_num_queries(1):
        list(visible_children(p.alice))


def test_the_agency_that_adds_the_record_holds_the_one_grant_it_starts_with(p, child):
    rows = list(Grant.objects.filter(child=child))
    assert [(g.basis, g.agency_id, g.user_id) for g in rows] == [
        (GrantBasis.REFERRAL_ROUTING, p.riverside.pk, None)]


def test_a_grant_is_written_with_its_audit_row(p, child):
    row = grants.grant(child, basis=GrantBasis.CROSS_AREA_AGREEMENT, user=p.carol, by=p.maria,
                       reason="Eastmoor school, agreed by both CSE team managers")
    event = AuditEvent.objects.filter(object_type="foundation.grant",
                                      object_id=str(row.pk)).get()
    assert event.action == "grant" and event.child == child and event.actor == p.maria
    assert child.full_name not in event.summary


def test_a_live_grant_opens_the_record_to_its_holder_only(p, child):
    grants.grant(child, basis=GrantBasis.CROSS_AREA_AGREEMENT, user=p.carol, by=p.maria,
                 reason="Agreed")
    assert child in visible_children(p.carol)
    assert may_add_to_child(p.carol, child)
    assert not can_change_child(p.carol, child)


def test_an_expired_grant_gives_nothing(p, child):
    grants.grant(child, basis=GrantBasis.CROSS_AREA_AGREEMENT, user=p.carol, by=p.maria,
                 reason="Agreed", starts_at=timezone.now() - timedelta(days=2),
                 ends_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Http404):
        get_child_for_user(p.carol, child.pk)


def test_a_revoked_grant_gives_nothing(p, child):
    row = grants.grant(child, basis=GrantBasis.CROSS_AREA_AGREEMENT, user=p.carol, by=p.maria,
                       reason="Agreed")
    grants.revoke(row, by=p.maria, reason="Agreement ended")
    assert child not in visible_children(p.carol)
    assert AuditEvent.objects.filter(action="revoke", object_id=str(row.pk)).exists()


def test_a_grant_that_has_not_started_gives_nothing(p, child):
    grants.grant(child, basis=GrantBasis.CROSS_AREA_AGREEMENT, user=p.carol, by=p.maria,
                 reason="Agreed", starts_at=timezone.now() + timedelta(hours=1))
    assert child not in visible_children(p.carol)


def test_a_read_only_grant_shows_the_record_but_refuses_adding_to_it(p, child):
    grants.grant(child, basis=GrantBasis.BREAK_GLASS, user=p.carol, by=p.carol,
                 reason="Emergency", read_only=True,
                 ends_at=timezone.now() + timedelta(hours=4))
    found, can_change = get_child_for_user(p.carol, child.pk)
    assert found == child and not can_change
    with pytest.raises(PermissionDenied):
        get_child_for_user(p.carol, child.pk, for_adding=True)


def test_a_grant_to_an_agency_opens_the_record_to_its_members(p, child):
    dsl = testing.UserFactory(username="hillcrest-dsl", role="dsl", agency=p.hillcrest)
    grants.grant(child, basis=GrantBasis.CROSS_AREA_AGREEMENT, agency=p.hillcrest, by=p.maria,
                 reason="Agreed")
    assert child in visible_children(dsl) and child in visible_children(p.bob)


def test_a_grant_is_to_a_user_or_an_agency(p, child):
    with pytest.raises(TypeError):
        grants.grant(child, basis=GrantBasis.ALLOCATION, by=p.maria, reason="x")
    with pytest.raises(ValueError):
        grants.grant(child, basis=GrantBasis.ALLOCATION, user=p.sam, by=p.maria, reason="x",
                     read_only=True, changes=True)


def test_granting_twice_writes_one_grant(p, child):
    first = grants.grant(child, basis=GrantBasis.CROSS_AREA_AGREEMENT, user=p.carol,
                         by=p.maria, reason="Agreed")
    again = grants.grant(child, basis=GrantBasis.CROSS_AREA_AGREEMENT, user=p.carol,
                         by=p.maria, reason="Agreed")
    assert first == again and Grant.objects.filter(user=p.carol).count() == 1


NAMED = ["alice", "bob", "carol", "fiona", "eve", "sam", "maria", "priya", "ana", "bea", "ade",
         "dev"]


@pytest.mark.parametrize("name", NAMED)
def test_visible_in_area_is_the_children_of_one_s_own_area_one_may_see(p, child, name):
    """The area's lists (tasking) by `visible_in_area` show exactly the children the access
    rule lets the user see who are of the user's own area: Jade of Northbridge, a child of
    Eastmoor that fiona and sam were given access to, and a Northbridge child sam was."""
    east_child = testing.make_child(p.carol, given_names="Ellis")
    testing.make_concern(east_child, p.carol)
    testing.give_access(east_child, p.fiona, by=p.maria)
    testing.give_access(east_child, p.sam, by=p.maria)
    north_child = testing.make_child(p.bob, given_names="Noor")
    testing.make_concern(north_child, p.bob)
    testing.give_access(north_child, p.sam, by=p.maria)
    user = getattr(p, name)
    expected = set(Concern.objects.filter(child__in=visible_children(user),
                                          child__area_id=user.area_id))
    assert set(Concern.objects.filter(visible_in_area(user, "child"))) == expected
