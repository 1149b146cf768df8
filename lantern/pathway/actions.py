"""The pathway's writes: concerns, referrals, decisions. Each writes its audit row and the
child's chronology entry in the same transaction."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from lantern.people.actions import add_chronology, allocate
from lantern.people.models import Child, User
from lantern.sharing import audit

from . import deadlines, work
from .models import Concern, Consent, Decision, Outcome, Referral

CONCERN_FIELDS = ("observed_on", "observed_time", "narrative", "child_words", "urgent",
                  "discussed_with")


@transaction.atomic
def record_concern(
    child: Child,
    *,
    by: User,
    observed_on: date,
    narrative: str,
    observed_time: time | None = None,
    child_words: str = "",
    urgent: bool = False,
    discussed_with: str = "",
) -> Concern:
    concern = Concern.objects.create(
        child=child,
        agency=by.agency,
        recorded_by=by,
        observed_on=observed_on,
        observed_time=observed_time,
        narrative=narrative,
        child_words=child_words,
        urgent=urgent,
        discussed_with=discussed_with,
    )
    audit.record(by, "create", concern, child=child, summary="Recorded a concern",
                 changes=audit.created(concern, CONCERN_FIELDS))
    occurred = timezone.make_aware(
        datetime.combine(observed_on, observed_time or time(0, 0))
    )
    add_chronology(
        child,
        kind="concern",
        title=("Urgent concern" if urgent else "Concern") + f" recorded by {by.agency.name}",
        occurred_at=occurred,
        by=by,
        url=concern.get_absolute_url(),
    )
    return concern


class ReferralError(Exception):
    pass


@transaction.atomic
def refer(
    child: Child,
    *,
    by: User,
    reason: str,
    consent: str,
    consent_detail: str = "",
    urgent: bool = False,
    concern: Concern | None = None,
    screening=None,
    received_at=None,
) -> Referral:
    """Refer a child to the front door of their area. Refusal of consent never stops a
    referral by itself; the reason for referring without it is recorded (seed 000 §13)."""
    if consent in (Consent.REFUSED, Consent.NOT_SOUGHT) and not consent_detail.strip():
        raise ReferralError("Say why you are referring without consent")
    # A referral taken by phone earlier is recorded with the time it was received.
    received_at = received_at or timezone.now()
    due, basis = deadlines.referral_decision_due(received_at)
    referral = Referral.objects.create(
        child=child,
        area=child.area,
        concern=concern,
        screening=screening,
        referred_by=by,
        agency=by.agency,
        received_at=received_at,
        reason=reason,
        urgent=urgent,
        consent=consent,
        consent_detail=consent_detail,
        decision_due_at=due,
        due_basis=basis,
    )
    audit.record(
        by, "create", referral, child=child, summary="Referred to the front door",
        changes=audit.created(
            referral, ("reason", "urgent", "consent", "consent_detail", "decision_due_at",
                       "concern_id", "screening_id")
        ),
    )
    work.open_item(
        area=child.area,
        child=child,
        kind="referral_decision",
        title="Decide on the referral",
        due_at=due,
        basis=basis,
        owner_role="front_door",
        source=referral,
        by=by,
    )
    add_chronology(
        child,
        kind="referral",
        title=f"Referred to the front door by {by.agency.name}",
        occurred_at=received_at,
        by=by,
        detail=f"Decision due by {timezone.localtime(due):%d %B %Y %H:%M}",
        url=referral.get_absolute_url(),
    )
    return referral


class AlreadyDecided(Exception):
    """Another worker decided this referral first."""


@transaction.atomic
def decide_referral(
    referral: Referral,
    outcome: str,
    *,
    by: User,
    rationale: str,
    allocate_to: User | None = None,
) -> Decision:
    # Lock the referral so two workers deciding at once cannot both succeed.
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != Referral.Status.AWAITING:
        raise AlreadyDecided(referral.pk)
    decision = Decision.objects.create(
        referral=locked,
        outcome=outcome,
        rationale=rationale,
        decided_by=by,
        allocated_to=allocate_to,
    )
    locked.status = Referral.Status.DECIDED
    locked.save(update_fields=["status"])
    work.close_items(source=locked, kind="referral_decision", by=by)
    child = locked.child
    on_time = decision.decided_at <= locked.decision_due_at
    audit.record(
        by, "decide", locked, child=child,
        summary=f"Decided: {decision.get_outcome_display()}",
        changes={
            "status": {"old": Referral.Status.AWAITING, "new": Referral.Status.DECIDED},
            "outcome": {"old": None, "new": outcome},
            "rationale": {"old": None, "new": rationale},
            "allocated_to": {"old": None, "new": allocate_to.pk if allocate_to else None},
        },
    )
    add_chronology(
        child,
        kind="decision",
        title=f"Front door decision: {Outcome(outcome).label}",
        occurred_at=decision.decided_at,
        by=by,
        detail="Decided within the timescale" if on_time else "Decided after the deadline",
        url=locked.get_absolute_url(),
    )
    if allocate_to is not None:
        allocate(child, allocate_to, by=by)
    return decision
