"""Visibility as one indexed SQL shape (issue 18) gives exactly what the access rule says:
for random sets of grants (to people and to agencies; live, not yet started, ended, revoked;
read-only or not), every named person sees, may add to and may change the same children as the
rule worked out in Python from the grant rows."""


from django.db import transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern import testing
from lantern.foundation.access import (
    AREA_CHANGE_ROLES,
    AREA_WIDE_ROLES,
    NO_IDENTITY_ROLES,
    can_change_child,
    child_visible_sql,
    may_add_to_child,
    visible_children,
    visible_through,
    writable_children,
)
from lantern.foundation.models import Child, Grant
from lantern.pathway.models import Concern

CHILDREN = 4  # two in Northbridge, two in Eastmoor
HOLDERS = ["alice", "bob", "carol", "fiona", "eve", "sam", "priya", "ana",
           "riverside", "hillcrest", "eastmoor_high", "north_csc", "north_police"]

grant_rows = st.fixed_dictionaries({
    "child": st.integers(0, CHILDREN - 1),
    "holder": st.sampled_from(HOLDERS),
    "access": st.sampled_from(["read_only", "adds", "changes"]),
    "starts": st.integers(-3, 2),       # days from now
    "ends": st.none() | st.integers(-2, 3),
    "revoked": st.booleans(),
})


def _rule(user, child, rows, *, writable=False, changing=False) -> bool:
    """The access rule, read straight from lantern.foundation.access's docstring."""
    if not user.agency_id or user.role in NO_IDENTITY_ROLES:
        return False
    area_roles = AREA_CHANGE_ROLES if changing else AREA_WIDE_ROLES
    if user.role in area_roles and child.area_id == user.agency.area_id:
        return True
    now = timezone.now()
    for grant in rows:
        held = grant.user_id == user.pk or grant.agency_id == user.agency_id
        if grant.child_id != child.pk or not held or not grant.is_live(now):
            continue
        if changing and (grant.changes and not grant.read_only):
            return True
        if not changing and not (writable and grant.read_only):
            return True
    return False


def make_grants(p, children, rows) -> list[Grant]:
    """These children's grants, and only these (`grant_rows`, each child by its index)."""
    Grant.objects.filter(child__in=children).delete()
    testing.random_grants(p, children, rows)
    return list(Grant.objects.filter(child__in=children))


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(grant_rows, max_size=10))
def test_visibility_matches_the_rule_for_random_grants(p, rows):
    with transaction.atomic():
        children = [testing.make_child(p.alice, given_names=f"Child{i}") for i in range(2)]
        children += [testing.make_child(p.carol, given_names=f"Child{i}") for i in range(2)]
        for child in children:  # rows about each child, before its grants are set
            testing.make_concern(child, p.alice if child.area_id == p.alice.agency.area_id
                                 else p.carol)
        made = make_grants(p, children, rows)
        for name, user in p.all_users().items():
            seen = set(visible_children(user).filter(pk__in=[c.pk for c in children]))
            # Rows about a child (here, concerns), by either form of the condition: the grant
            # ids read once, or each row's child's grants probed by key.
            for by_key in (False, True):
                about = set(Concern.objects.filter(
                    visible_through(user, "child", by_key=by_key), child__in=children,
                ).values_list("child_id", flat=True))
                assert about == {c.pk for c in seen}, (name, by_key)
            # Written out in SQL (for a query built in SQL, the weekly tasking list's subjects).
            for by_key in (False, True):
                condition, params = child_visible_sql(user, "foundation_child.id",
                                                      "foundation_child.area_id", by_key=by_key)
                assert set(Child.objects.filter(
                    RawSQL(condition, params, output_field=BooleanField()),  # noqa: S611
                    pk__in=[c.pk for c in children],
                )) == seen, (name, by_key)
            adds = set(writable_children(user).filter(pk__in=[c.pk for c in children]))
            for child in children:
                assert (child in seen) == _rule(user, child, made), (name, child.given_names)
                assert (child in adds) == _rule(user, child, made, writable=True), name
                assert may_add_to_child(user, child) == (child in adds), name
                assert can_change_child(user, child) == _rule(user, child, made,
                                                              changing=True), name
        transaction.set_rollback(True)
