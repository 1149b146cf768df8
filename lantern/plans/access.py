"""Who sees and changes a child's plan, built on lantern.foundation.access. Deny by default;
404 for outsiders, 403 for a change without the right.

- The plan is seen by whoever may see the child (which includes the owners of its actions and
  the professionals invited to the child's meetings).
- It is changed by those who may change the child's record (the area's CSE team managers and
  front door, the allocated workers) and by the chair or convenor of a meeting about the child,
  who updates it in the same sitting.
- An action's owner also updates their own action (its status, its dates).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lantern.foundation.access import can_change_child, get_child_for_user, visible_children
from lantern.foundation.models import Child

from .models import Plan, PlanAction


def _chairs_or_convenes(user, child) -> bool:
    """A meeting about the child, not cancelled, that the user chairs or convened. Read through
    the child's `meeting_records` relation (the meetings app's foreign key to the child), not by
    importing meetings: meetings sit above plans (holding one updates the plan)."""
    meetings = child.meeting_records.exclude(meeting__status="cancelled")
    return (meetings.filter(meeting__chair=user).exists()
            or meetings.filter(meeting__convened_by=user).exists())


def can_change_plan(user, child) -> bool:
    return can_change_child(user, child) or _chairs_or_convenes(user, child)


@dataclass
class ChildPlan:
    """What a plan page is about: the child, and their active plan (None until one starts)."""

    child: Child
    plan: Plan | None


def get_plan_for_user(user, child_id, *, for_change: bool = False) -> tuple[ChildPlan, bool]:
    """The child's plan and whether the user may change it."""
    child, _ = get_child_for_user(user, child_id)
    may_change = can_change_plan(user, child)
    if for_change and not may_change:
        raise PermissionDenied("You can see this plan but not change it.")
    plan = Plan.objects.filter(child=child, status=Plan.Status.ACTIVE).first()
    return ChildPlan(child, plan), may_change


def get_action_for_user(user, action_id, *, for_change: bool = False
                        ) -> tuple[PlanAction, bool]:
    """The action and whether the user may change it (the plan's editors, and its owner)."""
    action = (PlanAction.objects.select_related("plan__child__area", "owner__agency",
                                                "owner_agency", "subject", "plan__updated_by")
              .filter(pk=action_id, plan__child__in=visible_children(user)).first())
    if action is None:
        raise Http404("No action found")
    may_change = action.plan.status == Plan.Status.ACTIVE and (
        action.owner_id == user.pk or can_change_plan(user, action.plan.child))
    if for_change and not may_change:
        raise PermissionDenied("Only the action's owner or those who keep the plan change it.")
    return action, may_change
