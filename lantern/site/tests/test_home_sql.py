"""The home page's lists written in SQL (issue 18, seventh pass) give the rows the ORM's
queries they replaced gave: the same items, in the same order, with what each row draws, for
everyone of the test partnership, over urgent alerts, re-screening tasks, referrals awaiting a
decision, the agency's concerns and referrals and allocations: named and unnamed work, closed
work, work with no child, another area's, children the user may or may not see (by area, by a
grant to them or their agency, an ended or revoked grant), decided and undecided referrals, a
screening's category or none, ended allocations. The ORM queries are kept here as they were
(the allocations' now with the child's key after the family name: the SQL orders ties so)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern import testing
from lantern.foundation import trays
from lantern.foundation.access import NO_IDENTITY_ROLES, visible_through
from lantern.foundation.models import Grant, Role, WorkItem, name_fields
from lantern.pathway import queries as pathway_queries
from lantern.pathway.access import visible_referrals
from lantern.pathway.models import Concern, Decision, Outcome, Referral
from lantern.people import queries as people_queries
from lantern.people.models import Allocation
from lantern.screening import queries as screening_queries
from lantern.screening.actions import RESCREEN

pytestmark = pytest.mark.django_db


# --- The ORM's queries, as they were before they were written in SQL ----------------------

def _orm_urgent_alerts(user, limit=20):
    return trays.rows(trays.tray_items(user, "mine", kind="urgent_alert")
                      .only(*trays.URGENT_FIELDS), limit=limit)


def _orm_rescreen_work(user, limit=50):
    if user.role not in (Role.SOCIAL_WORKER, Role.FRONT_DOOR) or not user.agency_id:
        return []
    front_door = user.role == Role.FRONT_DOOR
    tasks = (WorkItem.objects.filter(visible_through(user, "child", by_key=not front_door),
                                     kind=RESCREEN, status=WorkItem.Status.OPEN)
             .select_related("child"))
    own = tasks.filter(owner=user)
    if front_door:
        own = own | tasks.filter(owner__isnull=True, owner_role=Role.FRONT_DOOR,
                                 area_id=user.agency.area_id)
    return list(own.order_by("due_at", "id")[:limit])


def _orm_awaiting_decision(user, *, overdue_only=False, offset=0, limit=50):
    found = (visible_referrals(user)
             .filter(area_id=user.agency.area_id, status=Referral.Status.AWAITING)
             .select_related("child")
             .annotate(agency_name=F("agency__name"),
                       screening_category=F("screening__final_category"))
             .order_by("decision_due_at", "id"))
    if overdue_only:
        found = found.filter(decision_due_at__lt=timezone.now())
    return list(found[offset:offset + limit])


def _orm_agency_referrals(user, limit=10):
    return list(Referral.objects.filter(visible_through(user, "child", by_key=True),
                                        agency=user.agency)
                .select_related("child", "decision").order_by("-received_at")[:limit])


def _orm_agency_concerns(user, limit=10):
    return list(Concern.objects.filter(visible_through(user, "child", by_key=True),
                                       agency=user.agency)
                .select_related("child", "recorded_by")
                .only("id", "child", "recorded_by", "observed_on", "recorded_at", "urgent",
                      "child__given_names", "child__family_name", *name_fields("recorded_by"))
                .order_by("-recorded_at")[:limit])


def _orm_allocated_to(user, limit=50):
    return list(Allocation.objects.filter(user=user, ended_at=None).select_related("child")
                .order_by("child__family_name", "child_id")[:limit])


# --- What each row draws ------------------------------------------------------------------

def _child(row):
    return (row.child_id, row.child.full_name if row.child_id else None)


def _alert(item):
    return (item.pk, *_child(item), item.kind, item.title, item.url, item.opened_at,
            item.basis, item.kind_label, item.owner_label)


def _task(item):
    return (item.pk, *_child(item), item.url, item.title, item.due_at)


def _awaiting(r):
    return (r.pk, *_child(r), r.child.display_name, r.urgent, r.received_at, r.status,
            r.decision_due_at, r.due_basis, r.agency_name, r.screening_category)


def _sent(r):
    decided = r.decision.get_outcome_display() if r.status == "decided" else None
    return (r.pk, *_child(r), r.received_at, r.status, decided)


def _concern(c):
    return (c.pk, *_child(c), c.observed_on, c.recorded_at, c.urgent,
            c.recorded_by.display_name)


def _allocation(a):
    return (a.pk, *_child(a))


def _lists(user):
    """Each list as the SQL gives it and as the ORM gave it, for a user who works with
    children (the home page asks no one else)."""
    yield ("urgent", [_alert(i) for i in trays.urgent_alerts(user)],
           [_alert(i) for i in _orm_urgent_alerts(user)])
    for limit in (1, 3, 50):
        yield ("rescreen", [_task(i) for i in screening_queries.rescreen_work(user, limit=limit)],
               [_task(i) for i in _orm_rescreen_work(user, limit=limit)])
    for overdue, offset, limit in ((False, 0, 50), (True, 0, 50), (False, 1, 2)):
        yield ("awaiting", [_awaiting(r) for r in pathway_queries.awaiting_decision(
            user, overdue_only=overdue, offset=offset, limit=limit)],
            [_awaiting(r) for r in _orm_awaiting_decision(
                user, overdue_only=overdue, offset=offset, limit=limit)])
    for limit in (2, 10):
        yield ("sent", [_sent(r) for r in pathway_queries.agency_referrals(user, limit=limit)],
               [_sent(r) for r in _orm_agency_referrals(user, limit=limit)])
        yield ("concerns", [_concern(c) for c in pathway_queries.agency_concerns(user,
                                                                                 limit=limit)],
               [_concern(c) for c in _orm_agency_concerns(user, limit=limit)])
    yield ("allocated", [_allocation(a) for a in people_queries.allocated_to(user)],
           [_allocation(a) for a in _orm_allocated_to(user)])


def _home_users(p):
    return {name: user for name, user in {**p.all_users(), "dev": p.dev}.items()
            if user.agency_id and user.role not in NO_IDENTITY_ROLES}


def _mixed(p):
    """Rows of every list for children in both areas, seen by some of the partnership and
    not others; returns the children."""
    now = timezone.now().replace(microsecond=0)
    north = [testing.make_child(p.alice, given_names=f"North{n}", family_name=f"Fam{5 - n}")
             for n in range(5)]
    east = [testing.make_child(p.carol, given_names=f"East{n}", family_name=f"East{n}")
            for n in range(2)]
    children = north + east
    for n, child in enumerate(children):
        by = p.alice if child in north else p.carol
        testing.make_concern(child, by, urgent=n % 2 == 0)
        if n % 3 != 2:
            screened = testing.make_screening(child, by) if n % 2 else None
            referral = testing.make_referral(child, by, screening=screened)
            if n % 4 == 3:
                Decision.objects.create(referral=referral, outcome=Outcome.ASSESSMENT,
                                        rationale="Test", decided_by=p.fiona)
                Referral.objects.filter(pk=referral.pk).update(status="decided")
            else:  # due in the reverse of the order received, one overdue
                Referral.objects.filter(pk=referral.pk).update(
                    decision_due_at=now + timedelta(hours=(3 - n) * 3))
    # The school's grants for one child end: its concern and referral about them leave its
    # people's lists, not the front door's.
    Grant.objects.filter(child=north[4]).update(revoked_at=now)
    testing.give_access(north[0], p.sam)
    testing.give_access(north[1], p.sam)
    testing.give_access(east[0], p.fiona)
    for child in north[:3]:
        Allocation.objects.create(child=child, user=p.sam, allocated_by=p.fiona)
    Allocation.objects.create(child=north[3], user=p.sam, allocated_by=p.fiona, ended_at=now)
    items = []
    for n in range(30):
        child = [*children, None][n % (len(children) + 1)]
        owner, role = [(None, "front_door"), (p.fiona, "front_door"), (p.sam, "social_worker"),
                       (None, "social_worker"), (p.maria, "cse_manager")][n % 5]
        kind = ["urgent_alert", RESCREEN, "review"][n % 3]
        area = child.area if child else p.north
        items.append(WorkItem(
            child=child, area=area if n % 11 else p.east, kind=kind, title=f"Item {n:02d}",
            url=f"/item/{n}/" if n % 4 else "", owner=owner, owner_role=role,
            due_at=None if n % 13 == 6 else now + timedelta(hours=(n * 5) % 11 - 4),
            basis="Test basis", status="done" if n % 10 == 9 else "open"))
    WorkItem.objects.bulk_create(items)
    return children


@pytest.mark.parametrize("walk_from", [0, 3, 4, 5, 10**9])
def test_a_workers_allocations_go_by_family_name_then_key(p, monkeypatch, walk_from):
    """Ties of family name, ended allocations and another worker's, cut at each limit; the
    same whether the worker's children are read by key (fewer than `WALK_NAMES_FROM`) or
    walked in family-name order (the heavy social worker's way): both, each, or neither
    worker here (Fiona holds 3, Sam 5: each at the threshold once)."""
    monkeypatch.setattr(people_queries, "WALK_NAMES_FROM", walk_from)
    now = timezone.now()
    children = [testing.make_child(p.alice, given_names=f"Tie{n}", family_name=f"Fam{n % 3}")
                for n in range(9)]
    # Allocated in the reverse of the children's keys, so that ties read in the order of
    # the allocations come out other than by the child's key.
    for n, child in reversed(list(enumerate(children))):
        Allocation.objects.create(child=child, user=p.sam if n % 4 else p.fiona,
                                  allocated_by=p.fiona, ended_at=now if n == 5 else None)
    for user in (p.sam, p.fiona):
        for limit in (1, 2, 4, 50):
            sql = [_allocation(a) for a in people_queries.allocated_to(user, limit=limit)]
            assert sql == [_allocation(a) for a in _orm_allocated_to(user, limit=limit)]
            assert len(sql) == min(limit, {p.sam: 5, p.fiona: 3}[user])


def test_the_home_lists_in_sql_give_the_orm_rows_for_everyone(p):
    _mixed(p)
    compared = set()
    for name, user in _home_users(p).items():
        for which, sql, orm in _lists(user):
            assert sql == orm, (name, which)
            if orm:
                compared.add(which)
    # Every list had rows for someone, so each comparison compared something.
    assert compared == {"urgent", "rescreen", "awaiting", "sent", "concerns", "allocated"}


grant_rows = st.fixed_dictionaries({
    "child": st.integers(0, 6),
    "holder": st.sampled_from(["alice", "sam", "fiona", "maria", "carol", "priya",
                               "riverside", "north_csc", "eastmoor_high"]),
    "starts": st.integers(-2, 1),
    "ends": st.none() | st.integers(-1, 2),
    "revoked": st.booleans(),
})


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(grant_rows, max_size=8))
def test_the_home_lists_in_sql_follow_random_grants(p, rows):
    with transaction.atomic():
        children = _mixed(p)
        Grant.objects.filter(child__in=children).delete()
        testing.random_grants(p, children, rows)
        for name, user in _home_users(p).items():
            for which, sql, orm in _lists(user):
                assert sql == orm, (name, which)
        transaction.set_rollback(True)


def test_the_home_lists_draw_without_more_queries(p, django_assert_num_queries):
    """Each list is one query, and drawing its rows asks nothing more."""
    _mixed(p)
    for user in (p.fiona, p.sam, p.maria):
        # The re-screening tasks are only a social worker's or the front door's.
        with django_assert_num_queries(6 if user.role != Role.CSE_MANAGER else 5):
            drawn = [list(rows) for _which, rows, _orm in _lists_sql_only(user)]
        assert any(drawn)


def _lists_sql_only(user):
    yield "urgent", [_alert(i) for i in trays.urgent_alerts(user)], None
    yield "rescreen", [_task(i) for i in screening_queries.rescreen_work(user)], None
    yield "awaiting", [_awaiting(r) for r in pathway_queries.awaiting_decision(user)], None
    yield "sent", [_sent(r) for r in pathway_queries.agency_referrals(user)], None
    yield "concerns", [_concern(c) for c in pathway_queries.agency_concerns(user)], None
    yield "allocated", [_allocation(a) for a in people_queries.allocated_to(user)], None
