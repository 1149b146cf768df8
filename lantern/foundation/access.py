"""Who may see and change which child: the access primitives every view, API endpoint, export
and search goes through. Deny by default (SPEC §9, need to know).

A user sees a child when an *entitlement* says so. The foundation holds two of its own:
- their agency created the child's record;
- their role is front door, CSE team manager or police, in the child's area.
The feature apps add theirs when Lantern starts (each in its AppConfig.ready()):
- pathway: their agency recorded a concern about the child;
- people: they are allocated to the child;
- meetings: they are a professional invited to a meeting about the child (not cancelled);
- plans: they own an action in the child's active plan (involvement, SPEC §9);
- sharing: they broke the glass for the child in an emergency and the grant has not expired.
Analysts, board members and administrators see no identities at all.

A user changes a child's record when their role is front door or CSE team manager in the
child's area, or an entitlement that gives the right to change says so (people: allocated).
Emergency access, invitations and plan actions never give that right: they are read-only.

The registry is transitional and deliberately small: issue 13 replaces these conditions with
explicit grant rows (who, which child, on what basis, from when, until when), and visibility
becomes a join on them. Until then it lets the foundation ask the same questions as before
without importing the features above it.

Every kind of record has one helper of the same shape, `get_<kind>_for_user(user, id,
for_change=False) -> (obj, can_change)`: Http404 when the user may not see it (outsiders learn
nothing, not even that it exists), PermissionDenied when they asked to change it without the
right. The child's is here; each feature keeps its own beside its models.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Child, Role

# Roles that see every child of their own area.
AREA_WIDE_ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER, Role.POLICE})
# Roles that may change an area's child records and pathway without being allocated.
AREA_CHANGE_ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER})
# Roles that never see a child's identity (SPEC §1: board has no routine access to identities).
NO_IDENTITY_ROLES = frozenset({Role.ANALYST, Role.BOARD, Role.ADMIN})
# Roles that decide on referrals at the front door.
DECIDING_ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER})

# A condition on Child rows for one user, e.g. "an open allocation of this user".
Condition = Callable[..., Q]


@dataclass(frozen=True)
class Entitlement:
    """One reason a user may see a child, and whether it also gives the right to change the
    child's record."""

    name: str
    condition: Condition
    changes: bool = False


_entitlements: dict[str, Entitlement] = {}


def register(name: str, condition: Condition, *, changes: bool = False) -> None:
    """Add an entitlement (called from a feature's AppConfig.ready(); registering the same
    name again replaces it, so a second start-up changes nothing)."""
    _entitlements[name] = Entitlement(name, condition, changes)


def entitlements() -> list[Entitlement]:
    return list(_entitlements.values())


def _created_by_agency(user) -> Q:
    return Q(created_by_agency_id=user.agency_id)


def _area_wide(user) -> Q:
    if user.role in AREA_WIDE_ROLES:
        return Q(area_id=user.agency.area_id)
    return Q(pk__in=[])


register("created_by_agency", _created_by_agency)
register("area_wide_role", _area_wide)


def is_active_user(user) -> bool:
    """Signed in, not switched off, and working for an agency."""
    return bool(user.is_authenticated and user.is_active and user.agency_id)


def _any(conditions: list[Q]) -> Q:
    found = Q(pk__in=[])
    for condition in conditions:
        found |= condition
    return found


def _entitlement(user) -> Q:
    """The condition on Child rows that the user may see."""
    if not is_active_user(user) or user.role in NO_IDENTITY_ROLES:
        return Q(pk__in=[])
    return _any([e.condition(user) for e in _entitlements.values()])


def visible_children(user) -> QuerySet[Child]:
    """Children the user may see. Lists and search start here, so they never leak a name."""
    return Child.objects.filter(_entitlement(user))


def can_change_child(user, child: Child) -> bool:
    """Emergency (break-glass) access is read-only, so it never gives the right to change."""
    if not is_active_user(user) or user.role in NO_IDENTITY_ROLES:
        return False
    if user.role in AREA_CHANGE_ROLES and child.area_id == user.agency.area_id:
        return True
    changing = [e.condition(user) for e in _entitlements.values() if e.changes]
    return bool(changing) and Child.objects.filter(_any(changing), pk=child.pk).exists()


def get_child_for_user(user, child_id, *, for_change: bool = False) -> tuple[Child, bool]:
    """The child and whether the user may change their record. 404 when the user may not see
    the child (outsiders learn nothing, not even that the record exists); 403 when they may see
    it but asked to change it without the right."""
    child = visible_children(user).select_related("area").filter(pk=child_id).first()
    if child is None:
        raise Http404("No child found")
    can_change = can_change_child(user, child)
    if for_change and not can_change:
        raise PermissionDenied("You can see this record but not change it.")
    return child, can_change


def can_contribute(user) -> bool:
    """May record concerns, screenings and referrals about children they can see."""
    return is_active_user(user) and user.role not in NO_IDENTITY_ROLES


def require_contributor(user, reason: str = "") -> None:
    """403 for a role that does not work with individual children's records; `reason` says
    what the page does, when that is clearer ("Your role does not screen children.")."""
    if not can_contribute(user):
        raise PermissionDenied(reason or "Your role does not work with individual children's "
                               "records.")
