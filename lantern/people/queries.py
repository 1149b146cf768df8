"""The queries that load a child's record for its page: one function owns the joins."""

from lantern.missing import queries as missing_queries
from lantern.pathway.models import Referral
from lantern.pathway.queries import child_pathway
from lantern.plans.queries import for_child_record as plan_summary
from lantern.screening import queries as screening_queries
from lantern.screening.models import Screening

from .models import Allocation, Child, ChronologyEntry


def child_record(child: Child) -> dict:
    """Everything the child's record page shows, in a fixed number of queries."""
    chronology = list(
        ChronologyEntry.objects.filter(child=child).select_related("agency", "recorded_by")[:200]
    )
    screenings = list(
        Screening.objects.filter(child=child).select_related("screened_by", "agency")
        .order_by("-screened_at")
    )
    referrals = list(
        Referral.objects.filter(child=child)
        .select_related("agency", "referred_by", "decision", "decision__decided_by")
        .order_by("-received_at")
    )
    allocations = list(
        Allocation.objects.filter(child=child, ended_at=None).select_related("user__agency")
    )
    latest = screenings[0] if screenings else None
    return {
        "chronology": chronology,
        "screenings": screenings,
        "latest_screening": latest,
        # Category history as a chart and table, and the prompt to re-screen after a new
        # concern (issue 3).
        "history": screening_queries.category_history(screenings),
        "rescreen": screening_queries.rescreen_prompt(child, latest),
        "referrals": referrals,
        "open_referrals": [r for r in referrals if r.status == Referral.Status.AWAITING],
        "allocations": allocations,
        # The pathway's steps with their due and actual dates (lantern.pathway.queries).
        **child_pathway(child),
        **missing_queries.for_child_record(child),
        # The one plan and the outcome measures over time (lantern.plans.queries, issue 6).
        **plan_summary(child),
    }
