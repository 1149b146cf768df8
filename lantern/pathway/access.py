"""Who sees and decides referrals and concerns, built on lantern.foundation.access. Deny by
default; 404 for outsiders, 403 for a change without the right."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from lantern.foundation.access import (
    DECIDING_ROLES,
    is_active_user,
    visible_children,
    visible_through,
)

from .models import Concern, Referral


def visible_referrals(user) -> QuerySet[Referral]:
    """Referrals about children the user may see. The front door's tray starts here. Asked of
    each referral's child (`visible_through`), not as `child IN (every visible child)`."""
    return Referral.objects.filter(visible_through(user, "child"))


def can_decide(user, referral: Referral) -> bool:
    return (
        is_active_user(user)
        and user.role in DECIDING_ROLES
        and referral.area_id == user.agency.area_id
    )


def get_referral_for_user(user, referral_id, *, for_change: bool = False
                          ) -> tuple[Referral, bool]:
    """The referral and whether the user may decide it (the front door of the child's area)."""
    referral = (
        visible_referrals(user)
        .select_related("child", "agency", "referred_by", "screening", "concern", "area")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No referral found")
    may_decide = can_decide(user, referral)
    if for_change and not may_decide:
        raise PermissionDenied("Only the front door of the child's area decides on referrals.")
    return referral, may_decide


def get_concern_for_user(user, concern_id, *, for_change: bool = False
                         ) -> tuple[Concern, bool]:
    """The concern, and False: a concern is what someone saw or heard, kept as they recorded
    it, so nobody changes it afterwards (a later concern is recorded instead)."""
    concern = (
        Concern.objects.filter(child__in=visible_children(user))
        .select_related("child", "agency", "recorded_by")
        .filter(pk=concern_id)
        .first()
    )
    if concern is None:
        raise Http404("No concern found")
    if for_change:
        raise PermissionDenied("A concern is not changed once recorded: record a new one.")
    return concern, False
