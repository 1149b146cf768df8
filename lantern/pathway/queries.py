"""Queries for the pathway's lists: each owns its joins so the page's query count stays flat."""

from django.utils import timezone

from .models import Referral


def awaiting_decision(area, *, overdue_only: bool = False, limit: int = 500) -> list[Referral]:
    rows = (
        Referral.objects.filter(area=area, status=Referral.Status.AWAITING)
        .select_related("child", "agency", "referred_by", "screening")
        .order_by("decision_due_at")
    )
    if overdue_only:
        rows = rows.filter(decision_due_at__lt=timezone.now())
    return list(rows[:limit])
