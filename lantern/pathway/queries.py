"""Queries for the pathway's lists: each owns its joins so the page's query count stays flat."""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from lantern.people.models import Agency, Role, User
from lantern.screening.models import Screening
from lantern.sharing.access import AREA_WIDE_ROLES, visible_children

from .models import Pathway, PathwayStep, Referral, WorkItem


def awaiting_decision(area, *, overdue_only: bool = False, limit: int = 500) -> list[Referral]:
    rows = (
        Referral.objects.filter(area=area, status=Referral.Status.AWAITING)
        .select_related("child", "agency", "referred_by", "screening")
        .order_by("decision_due_at")
    )
    if overdue_only:
        rows = rows.filter(decision_due_at__lt=timezone.now())
    return list(rows[:limit])


# --- Work trays -------------------------------------------------------------------------------

TRAYS = {
    "mine": "Your work",
    "team": "Your team's work",
    "area": "Your area's work",
}
# Labels for the kinds of work the pathway opens; other apps' kinds are shown by their own
# name until they are added here.
KIND_LABELS = {
    "referral_decision": "Front-door decision",
    "police_referral_decision": "Police referral decision",
    "assessment": "Assessment",
    "strategy_discussion": "Strategy discussion",
    "meeting": "Multi-agency meeting",
    "plan": "Plan review",
    "review": "Review",
    "rescreen": "Re-screening",
    "return_interview": "Return home interview",
    "transition_plan": "Transition planning",
    "break_glass_review": "Emergency access review",
    "section_47": "Section 47 enquiry (police protection)",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def _user_area_id(user):
    """The user's area as a subquery, so a tray filter stays one query."""
    return Subquery(Agency.objects.filter(pk=user.agency_id).values("area_id")[:1])


def _mine(user) -> Q:
    """Work owned by the user, or by their role in their area when nobody is named."""
    return Q(owner=user) | Q(owner__isnull=True, owner_role=user.role,
                             area_id=_user_area_id(user))


def _team(user) -> Q:
    """Work of the people whose manager the user is: owned by them, or by their roles in the
    area when nobody is named."""
    reports = User.objects.filter(manager=user, is_active=True)
    return Q(owner__manager=user) | Q(
        owner__isnull=True, owner_role__in=reports.values("role"), area_id=_user_area_id(user)
    )


def _visible(user) -> Q:
    # Work about a child the user may not see stays out of their trays (need to know).
    return Q(child__isnull=True) | Q(child__in=visible_children(user).values("pk"))


def trays_for(user) -> list[str]:
    trays = ["mine"]
    if User.objects.filter(manager=user, is_active=True).exists():
        trays.append("team")
    if user.role in AREA_WIDE_ROLES:
        trays.append("area")
    return trays


def _latest_screening(field: str) -> Subquery:
    return Subquery(
        Screening.objects.filter(child=OuterRef("child")).order_by("-screened_at", "-id")
        .values(field)[:1]
    )


def work_items(user, tray: str, *, kind: str = "", category: int | None = None,
               overdue: bool = False, now=None, limit: int = 500) -> list[WorkItem]:
    """Open work in a tray, soonest due first, each with the child's latest screening category
    (`category`, `framework`): one query whatever the number of rows."""
    now = now or timezone.now()
    condition = {"mine": _mine, "team": _team}.get(tray)
    items = WorkItem.objects.filter(status=WorkItem.Status.OPEN).filter(_visible(user))
    if condition is not None:
        items = items.filter(condition(user))
    else:
        items = items.filter(area_id=_user_area_id(user))
    if kind:
        items = items.filter(kind=kind)
    if overdue:
        items = items.filter(due_at__lt=now)
    items = items.annotate(category=_latest_screening("final_category"),
                           framework=_latest_screening("framework"))
    if category is not None:
        items = items.filter(category=category)
    rows = list(items.select_related("child", "owner").order_by("due_at", "id")[:limit])
    for item in rows:
        item.kind_label = kind_label(item.kind)
        item.owner_label = owner_label(item)
    return rows


def owner_label(item: WorkItem) -> str:
    if item.owner_id:
        return item.owner.display_name
    try:
        return f"Any {Role(item.owner_role).label.lower()} in the area"
    except ValueError:
        return item.owner_role or "Nobody named"


def kinds_in_area(user) -> list[str]:
    found = set(
        WorkItem.objects.filter(status=WorkItem.Status.OPEN, area_id=_user_area_id(user))
        .values_list("kind", flat=True).distinct()
    )
    return sorted(found | set(KIND_LABELS), key=kind_label)


def overdue_counts(user, now=None) -> dict[str, int]:
    """How much of the user's work, and their team's, is overdue: one query, for the banner."""
    now = now or timezone.now()
    return WorkItem.objects.filter(
        _visible(user), status=WorkItem.Status.OPEN, due_at__lt=now
    ).aggregate(mine=Count("id", filter=_mine(user)), team=Count("id", filter=_team(user)))


# --- A child's pathway ------------------------------------------------------------------------

def child_pathway(child) -> dict:
    """The child's pathway steps (every pathway, newest first, steps in order) with their due
    and actual dates, and open work about the child that belongs to no step: a fixed number of
    queries."""
    pathways = list(
        Pathway.objects.filter(child=child).prefetch_related(
            Prefetch("steps", queryset=PathwayStep.objects.select_related("work_item", "by"))
        )
    )
    current = next((p for p in pathways if p.is_open), None)
    other_work = list(
        WorkItem.objects.filter(child=child, status=WorkItem.Status.OPEN, step__isnull=True)
        .order_by("due_at")
    )
    return {"pathways": pathways, "current_pathway": current, "other_work": other_work,
            "now": timezone.now()}
