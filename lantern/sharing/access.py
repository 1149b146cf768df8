"""Who may see and change what: the one authorisation layer every view, API endpoint, export
and search goes through. Deny by default (SPEC §9, need to know).

A user sees a child when
- their agency recorded a concern about the child, or created the child's record;
- they are allocated to the child;
- their role is front door, CSE team manager or police, in the child's area;
- they are a professional invited to a meeting about the child (not cancelled), or own an
  action in the child's active plan: involvement with the child (SPEC §9), read-only;
- they broke the glass for this child in an emergency and the grant has not expired
  (read-only; the CSE team manager is told and reviews it).
Analysts, board members and administrators see no identities at all.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lantern.meetings.models import Invitation, Meeting
from lantern.missing.models import MissingEpisode
from lantern.pathway.models import Concern, Referral
from lantern.people.models import Allocation, Child, Role
from lantern.plans.models import PlanAction

from .models import BreakGlassGrant, SharingDecision

# Roles that see every child of their own area.
AREA_WIDE_ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER, Role.POLICE})
# Roles that may change an area's child records and pathway without being allocated.
AREA_CHANGE_ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER})
# Roles that never see a child's identity (SPEC §1: board has no routine access to identities).
NO_IDENTITY_ROLES = frozenset({Role.ANALYST, Role.BOARD, Role.ADMIN})
# Roles that decide on referrals at the front door.
DECIDING_ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER})


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.agency_id)


def _entitlement(user) -> Q:
    """The condition on Child rows that the user may see."""
    if not _active(user) or user.role in NO_IDENTITY_ROLES:
        return Q(pk__in=[])
    condition = Exists(
        Concern.objects.filter(child=OuterRef("pk"), agency_id=user.agency_id)
    ) | Exists(Allocation.objects.filter(child=OuterRef("pk"), user=user, ended_at=None))
    condition |= Q(created_by_agency_id=user.agency_id)
    # Invited to a meeting about the child, or owning an action in their plan (issue 6): the
    # meeting shares information about the child with those invited (seed 000 §14), and an
    # action's owner needs the plan it belongs to.
    condition |= Exists(
        Invitation.objects.filter(meeting__records__child=OuterRef("pk"), user=user,
                                  professional=True)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
    ) | Exists(
        PlanAction.objects.filter(plan__child=OuterRef("pk"), plan__status="active", owner=user)
    )
    condition |= Exists(
        BreakGlassGrant.objects.filter(child=OuterRef("pk"), user=user,
                                       expires_at__gt=timezone.now())
    )
    if user.role in AREA_WIDE_ROLES:
        condition |= Q(area_id=user.agency.area_id)
    return condition


def visible_children(user) -> QuerySet[Child]:
    """Children the user may see. Lists and search start here, so they never leak a name."""
    return Child.objects.filter(_entitlement(user))


def can_change_child(user, child: Child) -> bool:
    """Emergency (break-glass) access is read-only, so it never gives the right to change."""
    if not _active(user) or user.role in NO_IDENTITY_ROLES:
        return False
    if user.role in AREA_CHANGE_ROLES and child.area_id == user.agency.area_id:
        return True
    return Allocation.objects.filter(child=child, user=user, ended_at=None).exists()


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
    return _active(user) and user.role not in NO_IDENTITY_ROLES


def visible_referrals(user) -> QuerySet[Referral]:
    return Referral.objects.filter(child__in=visible_children(user))


def can_decide(user, referral: Referral) -> bool:
    return (
        _active(user)
        and user.role in DECIDING_ROLES
        and referral.area_id == user.agency.area_id
    )


def get_referral_for_user(user, referral_id, *, for_decision: bool = False):
    referral = (
        visible_referrals(user)
        .select_related("child", "agency", "referred_by", "screening", "concern", "area")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No referral found")
    may_decide = can_decide(user, referral)
    if for_decision and not may_decide:
        raise PermissionDenied("Only the front door of the child's area decides on referrals.")
    return referral, may_decide


def get_concern_for_user(user, concern_id) -> Concern:
    concern = (
        Concern.objects.filter(child__in=visible_children(user))
        .select_related("child", "agency", "recorded_by")
        .filter(pk=concern_id)
        .first()
    )
    if concern is None:
        raise Http404("No concern found")
    return concern


def active_break_glass(user, child) -> BreakGlassGrant | None:
    return (
        BreakGlassGrant.objects.filter(user=user, child=child, expires_at__gt=timezone.now())
        .order_by("-expires_at").first()
    )


def can_break_glass(user) -> bool:
    return can_contribute(user)


# --- Missing episodes ----------------------------------------------------------------------------
# Whoever may see the child sees their missing episodes; anyone who contributes to children's
# records (police, carers' agencies, schools...) may record a return and an interview.

def visible_missing_episodes(user) -> QuerySet[MissingEpisode]:
    return MissingEpisode.objects.filter(child__in=visible_children(user))


def get_missing_episode_for_user(user, episode_id, *, for_change: bool = False):
    """The episode and whether the user may add to it: 404 for outsiders, 403 for a change
    by a role that does not contribute to children's records."""
    episode = (
        visible_missing_episodes(user)
        .select_related("child__area", "agency", "recorded_by", "placement_agency",
                        "return_recorded_by")
        .filter(pk=episode_id).first()
    )
    if episode is None:
        raise Http404("No missing episode found")
    may_change = can_contribute(user)
    if for_change and not may_change:
        raise PermissionDenied("Your role does not add to children's records.")
    return episode, may_change


# --- Information-sharing decisions -----------------------------------------------------------
# Reported on by managers of the area; board members and auditors see counts only.
SHARING_REPORT_ROLES = frozenset({Role.CSE_MANAGER, Role.FRONT_DOOR})


def visible_sharing_decisions(user) -> QuerySet[SharingDecision]:
    return SharingDecision.objects.filter(child__in=visible_children(user))


def can_report_sharing(user) -> bool:
    return _active(user) and user.role in SHARING_REPORT_ROLES


# --- Who has looked at a child's record --------------------------------------------------------
# CSE team managers see the access log of their area's children; board members and auditors
# see it by child reference number, without the child's identity (dip-sample audits).
ACCESS_LOG_ROLES = frozenset({Role.CSE_MANAGER, Role.BOARD})


def get_child_for_access_log(user, child_id) -> tuple[Child, bool]:
    """The child whose access log the user may read, and whether they may see who the child is.
    404 otherwise."""
    if not _active(user) or user.role not in ACCESS_LOG_ROLES:
        raise Http404("No access log found")
    child = Child.objects.select_related("area").filter(
        pk=child_id, area_id=user.agency.area_id
    ).first()
    if child is None:
        raise Http404("No access log found")
    return child, user.role == Role.CSE_MANAGER


def can_review_break_glass(user) -> bool:
    return _active(user) and user.role == Role.CSE_MANAGER
