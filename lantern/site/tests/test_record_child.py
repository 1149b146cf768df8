"""The child's record reads the child, with its access check, through a query compiled once a
role (site.views._RECORD_CHILD): it must find whom the ORM's query finds, with the same
columns and flags, for every person and every shape of grant; and the time the grants are
live at must be a value of each call, never the time it was compiled."""

from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from lantern import testing
from lantern.foundation.access import get_child_for_user
from lantern.foundation.models import Grant, GrantBasis
from lantern.missing import queries as missing_queries
from lantern.people import queries as people_queries
from lantern.plans import queries as plans_queries
from lantern.sharing import access as sharing_access
from lantern.sharing.models import BreakGlassGrant
from lantern.site import views


def _seen(child):
    """What the record reads of the child: its columns, flags, area and transition plan."""
    values = {k: v for k, v in child.__dict__.items() if not k.startswith("_")}
    plan = child._state.fields_cache.get("transition_plan", "not loaded")
    return values, child.area.pk, child.area.name, getattr(plan, "pk", plan)


def _compiled(user, child_id):
    try:
        child, can_change = get_child_for_user(user, child_id, compiled=views._RECORD_CHILD,
                                               merged=True)
    except Http404:
        return None
    return _seen(child), can_change


def _as_the_orm_read_it(user, child_id):
    """The record's child as it was read before: built by the ORM on each showing."""
    try:
        child, can_change = get_child_for_user(
            user, child_id, related=missing_queries.CHILD_RECORD_RELATED,
            annotations={**sharing_access.break_glass_annotations(user),
                         **plans_queries.child_record_annotations(),
                         **missing_queries.child_record_annotations(),
                         **people_queries.child_record_annotations()}, merged=True)
    except Http404:
        return None
    return _seen(child), can_change


def _grant(child, holder, *, starts=-1, ends=None, revoked=False, **access):
    now = timezone.now()
    is_user = hasattr(holder, "role")
    return Grant.objects.create(
        child=child, user=holder if is_user else None, agency=None if is_user else holder,
        basis=GrantBasis.CROSS_AREA_AGREEMENT, starts_at=now + timedelta(days=starts),
        ends_at=None if ends is None else now + timedelta(days=ends),
        revoked_at=now - timedelta(hours=1) if revoked else None,
        reason="A grant shape for the compiled record test", **access)


def _children_and_grants(p):
    north = [testing.make_child(p.alice, given_names=f"North{i}") for i in range(6)]
    east = [testing.make_child(p.eve, given_names=f"East{i}") for i in range(3)]
    _grant(east[0], p.fiona)                                     # live, to a person
    _grant(east[1], p.fiona, ends=-1)                            # expired
    _grant(east[2], p.fiona, revoked=True)                       # revoked
    _grant(north[0], p.eve, starts=2)                            # not yet started
    _grant(north[1], p.hillcrest)                                # to an agency
    _grant(north[2], p.bob, read_only=True)                      # read-only
    _grant(north[3], p.bob, changes=True)                        # gives the right to change
    _grant(north[4], p.eve, ends=1)                              # ends tomorrow
    _grant(north[5], p.bob, read_only=True)                      # as emergency access gives
    now = timezone.now()
    for child, hours in ((north[5], 4), (north[4], -1)):         # emergency access, live/over
        BreakGlassGrant.objects.create(user=p.bob, child=child, reason="Found at 2am",
                                       granted_at=now - timedelta(hours=1),
                                       expires_at=now + timedelta(hours=hours))
    return north, east


@pytest.mark.django_db
def test_the_compiled_child_is_the_orms_for_every_person_and_grant(p):
    north, east = _children_and_grants(p)
    seen = 0
    for user in [*p.all_users().values(), p.dev]:
        user.refresh_from_db()
        for child in [*north, *east]:
            got = _compiled(user, child.pk)
            assert got == _as_the_orm_read_it(user, child.pk), (user.username, str(child))
            seen += got is not None
    assert 0 < seen < 12 * 9  # some see some children, nobody sees all of them
    assert _compiled(p.fiona, east[0].pk) is not None
    assert _compiled(p.fiona, east[1].pk) is None and _compiled(p.fiona, east[2].pk) is None
    assert _compiled(p.eve, north[0].pk) is None
    found = _compiled(p.bob, north[5].pk)
    assert found is not None and found[0][0][sharing_access.BREAK_GLASS_FOUND] is not None
    assert _compiled(p.bob, 10**9) is None


@pytest.mark.django_db
def test_the_time_is_a_value_so_a_grant_that_ends_stops_access(p):
    north, _ = _children_and_grants(p)
    p.eve.refresh_from_db()
    assert _compiled(p.eve, north[4].pk) is not None  # compiled now, while the grant is live
    assert _compiled(p.eve, north[0].pk) is None      # not started yet
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert _compiled(p.eve, north[4].pk) is None  # ended yesterday
        assert _compiled(p.eve, north[0].pk) is not None  # started
        assert _compiled(p.eve, north[0].pk) == _as_the_orm_read_it(p.eve, north[0].pk)
    p.bob.refresh_from_db()
    found = _compiled(p.bob, north[5].pk)
    assert found is not None and found[0][0][sharing_access.BREAK_GLASS_FOUND] is not None
    with time_machine.travel(timezone.now() + timedelta(hours=5)):
        found = _compiled(p.bob, north[5].pk)  # the emergency access is over; the grant not
        assert found is not None and found[0][0][sharing_access.BREAK_GLASS_FOUND] is None
        assert found == _as_the_orm_read_it(p.bob, north[5].pk)
