"""Information-sharing decisions and break-glass access. Each writes its audit row (and the
child's chronology entry) in the same transaction."""

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lantern.domain import names
from lantern.foundation import audit, grants, notify, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Child, GrantBasis, Role, User

from .models import BreakGlassGrant, SharingDecision

BREAK_GLASS_HOURS = 4
# A manager reviews emergency access within three days (a local default; the seeds are silent).
BREAK_GLASS_REVIEW_HOURS = 72

# The outcome other apps record when they share (a missing-person profile handed to police).
SHARED = SharingDecision.Outcome.SHARED

SHARING_FIELDS = ("outcome", "what", "recipient", "recipient_agency_id", "purpose",
                  "lawful_basis", "consent", "consent_detail", "override", "override_reason",
                  "decided_by_name", "decided_at")


class SharingDecisionError(ValueError):
    pass


@transaction.atomic
def record_sharing_decision(
    child: Child,
    *,
    by: User,
    outcome: str,
    what: str,
    recipient: str,
    purpose: str,
    lawful_basis: str,
    consent: str,
    decided_by_name: str,
    decided_at: datetime | None = None,
    consent_detail: str = "",
    override: str = "",
    override_reason: str = "",
    recipient_agency=None,
) -> SharingDecision:
    shared_without_consent = (outcome == SharingDecision.Outcome.SHARED
                              and consent != SharingDecision.Consent.GIVEN)
    if shared_without_consent and not (override and override_reason.strip()):
        raise SharingDecisionError(
            "Sharing without consent needs the reason consent was overridden"
        )
    if consent == SharingDecision.Consent.NOT_SOUGHT and not consent_detail.strip():
        raise SharingDecisionError("Say why consent was not sought")
    decision = SharingDecision.objects.create(
        child=child,
        outcome=outcome,
        what=what,
        recipient=recipient,
        recipient_agency=recipient_agency,
        purpose=purpose,
        lawful_basis=lawful_basis,
        consent=consent,
        consent_detail=consent_detail,
        override=override if shared_without_consent else "",
        override_reason=override_reason if shared_without_consent else "",
        decided_by_name=decided_by_name,
        recorded_by=by,
        agency=by.working_agency,
        decided_at=decided_at or timezone.now(),
    )
    audit.record(by, "create", decision, child=child,
                 summary="Recorded an information-sharing decision",
                 changes=audit.created(decision, SHARING_FIELDS))
    verb = "Shared information with" if outcome == SharingDecision.Outcome.SHARED else (
        "Decided not to share information with")
    add_chronology(
        child, kind="sharing", title=f"{verb} {recipient}", occurred_at=decision.decided_at,
        by=by, url=reverse("sharing:decision", args=[decision.pk]),
        detail=f"Consent: {decision.get_consent_display().lower()}",
    )
    return decision


def find_child_for_emergency(given_names: str, family_name: str, date_of_birth) -> list[Child]:
    """Children in any area whose legal name and date of birth match exactly (after
    normalising spelling marks and case). Exact on purpose: emergency access is for a known
    child, never for browsing."""
    wanted = names.normalise(f"{given_names} {family_name}")
    return [
        child for child in Child.objects.select_related("area").filter(
            date_of_birth=date_of_birth
        )
        if names.normalise(child.full_name) == wanted
    ]


@transaction.atomic
def break_glass(child: Child, *, by: User, reason: str) -> BreakGlassGrant:
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=by, child=child, reason=reason, granted_at=now,
        expires_at=now + timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit.record(by, "break_glass", grant, child=child, reason=reason,
                 summary=f"Emergency access for {BREAK_GLASS_HOURS} hours",
                 changes=audit.created(grant, ("expires_at",)))
    # Read-only and expiring: it never lets the user add to or change the record.
    grants.grant(child, basis=GrantBasis.BREAK_GLASS, user=by, by=by, read_only=True,
                 starts_at=now, ends_at=grant.expires_at, reason=reason, source=grant)
    review_url = reverse("sharing:break_glass_reviews")
    work.open_item(
        area=child.area, child=child, kind="break_glass_review",
        title=f"Review emergency access by {by.display_name}",
        due_at=now + timedelta(hours=BREAK_GLASS_REVIEW_HOURS),
        basis="Emergency access is reviewed by a CSE team manager within 3 days "
              "(Lantern default)",
        owner_role=Role.CSE_MANAGER, source=grant, url=review_url, by=by,
    )
    managers = notify.cse_manager_addresses([child.area])
    message = (
        f"{by.display_name} ({by.working_agency.name}) used emergency access to a child's record "
        f"in {child.area.name} at {timezone.localtime(now):%H:%M on %d %B %Y}.\n\n"
        f"Their reason: {reason}\n\nReview it in Lantern: {review_url}\n"
    )
    # Sent once the grant is saved; a mail failure must not block emergency access (the
    # review item in the CSE team manager's tray stands regardless).
    notify.after_commit("Lantern: emergency access to a child's record", message, managers)
    return grant


@transaction.atomic
def review_break_glass(grant: BreakGlassGrant, *, by: User, review: str,
                       note: str = "") -> BreakGlassGrant:
    old = grant.review
    grant.review = review
    grant.review_note = note
    grant.reviewed_by = by
    grant.reviewed_at = timezone.now()
    grant.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    audit.record(by, "review_break_glass", grant, child=grant.child,
                 summary="Reviewed emergency access",
                 changes=audit.diff({"review": old, "review_note": ""},
                                    {"review": review, "review_note": note}))
    work.close_items(source=grant, kind="break_glass_review", by=by)
    return grant
