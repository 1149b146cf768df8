"""Queries for the sharing pages: each owns its joins."""

import csv

from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone

from lantern.foundation.models import AuditEvent, AuditShown

from . import access, lawful_bases
from .models import SharingDecision


def sharing_decisions(user, *, outcome: str = "", consent: str = "",
                      limit: int = 1000) -> list[SharingDecision]:
    rows = (
        access.visible_sharing_decisions(user)
        .filter(child__area=user.agency.area)
        .select_related("child", "recorded_by", "agency")
        .order_by("-decided_at")
    )
    if outcome:
        rows = rows.filter(outcome=outcome)
    if consent:
        rows = rows.filter(consent=consent)
    return list(rows[:limit])


def sharing_counts(area) -> dict:
    rows = SharingDecision.objects.filter(child__area=area)
    return rows.aggregate(
        total=Count("id"),
        shared=Count("id", filter=Q(outcome=SharingDecision.Outcome.SHARED)),
        not_shared=Count("id", filter=Q(outcome=SharingDecision.Outcome.NOT_SHARED)),
        consent_given=Count("id", filter=Q(consent=SharingDecision.Consent.GIVEN)),
        consent_refused=Count("id", filter=Q(consent=SharingDecision.Consent.REFUSED)),
        consent_not_sought=Count("id", filter=Q(consent=SharingDecision.Consent.NOT_SOUGHT)),
        overridden=Count("id", filter=~Q(override="")),
    )


def sharing_csv(rows: list[SharingDecision]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="information-sharing-decisions-{stamp}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["decided at", "child reference", "child", "outcome", "what",
                     "with whom", "purpose", "lawful basis", "consent", "about consent",
                     "override", "override reason", "decided by", "recorded by", "agency"])
    for row in rows:
        writer.writerow([
            timezone.localtime(row.decided_at).strftime("%Y-%m-%d %H:%M"), row.child_id,
            _cell(row.child.full_name), row.get_outcome_display(), _cell(row.what),
            _cell(row.recipient), _cell(row.purpose), lawful_bases.label(row.lawful_basis),
            row.get_consent_display(), _cell(row.consent_detail), row.get_override_display(),
            _cell(row.override_reason), _cell(row.decided_by_name),
            row.recorded_by.display_name, row.agency.name,
        ])
    return response


def _cell(text: str) -> str:
    """Spreadsheet programs run cells that start with = + - @ as formulas: neutralise them."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def access_log(child, limit: int = 2000) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            Q(child=child)
            | Q(seq__in=AuditShown.objects.filter(child=child).values("event_id"))
        ).select_related("actor__agency")
        .order_by("-seq")[:limit]
    )
