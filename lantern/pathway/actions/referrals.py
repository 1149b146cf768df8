"""Concerns, referrals to the front door and its decisions. Each writes its audit row and the
child's chronology entry in the same transaction, and moves the child's pathway (.state)."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from lantern.foundation import audit, notify, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Child, Role, User
from lantern.people import actions as people_actions
from lantern.people import queries as people_queries

from .. import deadlines, discussions
from ..models import (
    Concern,
    ConcernDiscussion,
    Consent,
    Decision,
    Outcome,
    PathwayStep,
    Referral,
    Step,
)
from .adults import open_adult_referral
from .state import (
    URGENT_ALERT,
    PathwayError,
    check_closure,
    check_decision_may_close,
    decision_on_pathway,
    note_event,
    open_pathway,
    raise_urgent,
    referral_on_pathway,
    start_pathway,
    urgent_route,
)

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
        agency=by.working_agency,
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
        title=("Urgent concern" if urgent else "Concern")
        + f" recorded by {by.working_agency.name}",
        occurred_at=occurred,
        by=by,
        url=concern.get_absolute_url(),
    )
    note_event(child, Step.CONCERN, by=by, at=concern.recorded_at,
               url=concern.get_absolute_url())
    if urgent:
        raise_urgent(child, by=by, at=concern.recorded_at,
                     what="immediate risk of significant harm reported in a concern",
                     url=concern.get_absolute_url())
    return concern


DISCUSSION_FIELDS = ("discussed_with", "notes", "outcome", "screening")


class DiscussionError(Exception):
    """The discussion cannot be recorded as asked (the message says why)."""


class AlreadyDiscussed(DiscussionError):
    pass


@transaction.atomic
def record_discussion(
    concern: Concern,
    *,
    by: User,
    discussed_with: str,
    notes: str,
    outcome: str,
    screening=None,
) -> ConcernDiscussion:
    """The designated safeguarding lead records their discussion of a concern with the
    professional who recorded it, and what they agreed (SPEC §1; seed 000 §13, seed 001
    "Professional response"). Once per concern: a second lead who discussed it at the same time
    is told, not silently overwritten. An outcome that confirms a screening names one of this
    concern's."""
    locked = Concern.objects.select_for_update().select_related("child", "agency").get(
        pk=concern.pk)
    if ConcernDiscussion.objects.filter(concern=locked).exists():
        raise AlreadyDiscussed("This concern's discussion has already been recorded.")
    chosen = discussions.outcomes().get(outcome)
    if chosen is None:
        raise DiscussionError("Select what you agreed")
    if chosen.needs_screening and (screening is None or screening.concern_id != locked.pk):
        raise DiscussionError("There is no screening of this concern to confirm: choose to "
                              "complete it together now, or another outcome")
    if not chosen.needs_screening:
        screening = None
    discussion = ConcernDiscussion.objects.create(
        concern=locked, discussed_by=by, discussed_with=discussed_with, notes=notes,
        outcome=outcome, screening=screening,
    )
    child = locked.child
    audit.record(by, "create", discussion, child=child,
                 summary="Recorded the designated safeguarding lead's discussion of a concern",
                 changes=audit.created(discussion, DISCUSSION_FIELDS))
    add_chronology(
        child,
        kind="concern_discussion",
        title=f"Concern discussed with the designated safeguarding lead of "
        f"{locked.agency.name}: {discussions.label(outcome)}",
        occurred_at=discussion.discussed_at,
        by=by,
        agency=locked.agency,
        url=locked.get_absolute_url(),
    )
    return discussion


class ReferralError(Exception):
    pass


# Decisions that close the child's pathway with no further action (nor anything beyond one
# agency's own response).
CLOSING_OUTCOMES = frozenset({Outcome.NO_FURTHER_ACTION, Outcome.SINGLE_AGENCY})
# Decisions that end the child's pathway (closed, or to early help).
ENDING_OUTCOMES = CLOSING_OUTCOMES | {Outcome.EARLY_HELP}


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
    due = deadlines.referral_decision_due(child.area, received_at)
    referral = Referral.objects.create(
        child=child,
        area=child.area,
        concern=concern,
        screening=screening,
        referred_by=by,
        agency=by.working_agency,
        received_at=received_at,
        reason=reason,
        urgent=urgent,
        consent=consent,
        consent_detail=consent_detail,
        decision_due_at=due.at,
        due_basis=due.basis[:300],
    )
    audit.record(
        by, "create", referral, child=child, summary="Referred to the front door",
        changes=audit.created(
            referral, ("reason", "urgent", "consent", "consent_detail", "decision_due_at",
                       "concern_id", "screening_id")
        ),
    )
    item = work.open_item(
        area=child.area,
        child=child,
        kind="referral_decision",
        title="Decide on the referral",
        due_at=due.at,
        all_day=due.all_day,
        basis=due.basis,
        owner_role=Role.FRONT_DOOR,
        source=referral,
        by=by,
    )
    add_chronology(
        child,
        kind="referral",
        title=f"Referred to the front door by {by.working_agency.name}",
        occurred_at=received_at,
        by=by,
        detail=f"Decision due by {timezone.localtime(due.at):%d %B %Y %H:%M}",
        url=referral.get_absolute_url(),
    )
    referral_on_pathway(referral, item, by=by)
    _tell_of_referral(referral, by=by)
    # A referral of a young person aged 18 or over: adult safeguarding is told (issue 14).
    age = child.age(timezone.localdate(received_at))
    if age is not None:
        open_adult_referral(child, age=age.years, by=by, at=received_at,
                            trigger=f"Referred to the front door, aged {age.years}")
    return referral


def _tell_of_referral(referral: Referral, *, by: User) -> None:
    """The social services CSE lead officer and the allocated social worker are told of the
    referral, where the area's procedures say so (lantern/domain/data/notifications.toml)."""
    profile = deadlines.profile_for(referral.area)
    workers = [a.user for a in people_queries.open_allocations(referral.child,
                                                               role=Role.SOCIAL_WORKER)]
    notify.tell_by_rules("referral", area=referral.area, url=referral.get_absolute_url(),
                         source=referral, by=by, child=referral.child, profile=profile.code,
                         base=profile.base, people={"allocated_social_worker": workers})


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
    if outcome in CLOSING_OUTCOMES:
        check_closure(locked.child, by=by)
    if outcome in ENDING_OUTCOMES:
        check_decision_may_close(locked.child)
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
    # The front door has acted on the child: an urgent alert about them is answered.
    work.close_for_child(locked.child, URGENT_ALERT, by=by)
    child = locked.child
    on_time = decision.decided_at <= locked.decision_due_at
    audit.record(
        by, "decide", locked, child=child,
        summary=f"Decided: {decision.get_outcome_display()}",
        changes=audit.diff(
            {"status": Referral.Status.AWAITING},
            {"status": Referral.Status.DECIDED, "outcome": outcome, "rationale": rationale,
             "allocated_to": allocate_to.pk if allocate_to else None},
        ),
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
        people_actions.allocate(child, allocate_to, by=by)
    decision_on_pathway(locked, decision, by=by)
    return decision


class PoliceDecisionMissing(PathwayError):
    pass


@transaction.atomic
def record_police_referral_decision(referral: Referral, *, refer_to_police: bool, reasons: str,
                                    by: User) -> None:
    if not reasons.strip():
        raise PathwayError("Enter the reasons for your decision")
    closed = work.close_items(source=referral, kind="police_referral_decision", by=by)
    if not closed:
        raise PoliceDecisionMissing("There is no police referral decision waiting")
    audit.record(by, "decide", referral, child=referral.child,
                 summary="Decided whether to refer to the police",
                 changes=audit.diff(None, {"refer_to_police": refer_to_police,
                                           "reasons": reasons}))
    add_chronology(
        referral.child, kind="police_referral_decision",
        title="Decided to refer to the police" if refer_to_police
        else "Decided not to refer to the police",
        occurred_at=timezone.now(), by=by, detail=reasons, url=referral.get_absolute_url(),
    )


@transaction.atomic
def take_urgent_route(child: Child, *, by: User, reason: str,
                      at: datetime | None = None) -> PathwayStep:
    """Immediate significant harm (or police protection, an emergency protection order):
    straight to a section 47 enquiry and an urgent strategy discussion (seed 000 §13; seed 003
    §11). A referral still awaiting the front door is decided as a section 47 enquiry."""
    at = at or timezone.now()
    if not reason.strip():
        raise PathwayError("Enter why the child needs the urgent route")
    # The urgent route is the section 47 enquiry that police protection called for.
    work.close_for_child(child, "section_47", by=by)
    awaiting = (Referral.objects.filter(child=child, status=Referral.Status.AWAITING)
                .order_by("received_at").first())
    if awaiting is not None:
        decide_referral(awaiting, Outcome.SECTION_47, by=by, rationale=reason)
        return PathwayStep.objects.filter(pathway__child=child, urgent=True,
                                          step=Step.STRATEGY_DISCUSSION).latest("id")
    pathway = open_pathway(child)
    if pathway is None:
        pathway = start_pathway(child, Step.STRATEGY_DISCUSSION, by=by, at=at)
    return urgent_route(pathway, by=by, at=at, reason=reason)
