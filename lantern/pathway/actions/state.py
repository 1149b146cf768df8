"""A child's way through the pathway (SPEC §2): its state, the steps it went through and the
work each step opens, due by the area's policy profile. Changed only here, through the rules of
lantern/domain/pathway.py; each change writes its audit row and the child's chronology entry in
the same transaction."""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lantern.domain import pathway as rules
from lantern.domain.dates import end_of_day
from lantern.domain.labels import in_sentence
from lantern.domain.profiles import Profile, ReviewRule
from lantern.foundation import audit, notify, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Child, Role, User, WorkItem
from lantern.people import queries as people_queries

from .. import deadlines
from ..models import (
    AdultReferral,
    Decision,
    ExitRoute,
    MeetingRequirement,
    Pathway,
    PathwayStep,
    Referral,
    Step,
    TrackedResponse,
)
from ..queries import exit_held_by_responses, outstanding_requirements


class PathwayError(Exception):
    """A pathway change the rules do not allow; the message says why, for the user."""


class ManagerApprovalNeeded(PathwayError):
    """Closing with no further action at this category needs a manager (issue 14, item 8)."""


URGENT_ALERT = "urgent_alert"


STEP_WORK: dict[str, tuple[str, str]] = {
    # What the work item asks, and the role whose tray holds it when no worker is allocated.
    Step.ASSESSMENT: ("Complete the assessment", Role.SOCIAL_WORKER),
    Step.STRATEGY_DISCUSSION: ("Hold the strategy discussion", Role.SOCIAL_WORKER),
    Step.MEETING: ("Hold the {meeting}", Role.CSE_MANAGER),
    Step.PLAN: ("Review the plan", Role.SOCIAL_WORKER),
    Step.REVIEW: ("Hold the next review", Role.SOCIAL_WORKER),
}
# Whose judgement sets when a step no procedure times is done, when the profile names no
# convenor for it (a meeting step names its convenor from the profile's [[meetings]]).
STEP_JUDGEMENT: dict[str, str] = {
    Step.ASSESSMENT: "the allocated social worker and their manager",
    Step.STRATEGY_DISCUSSION: "children's social care with the police",
    Step.MEETING: "the meeting's convenor",
}
REVIEW_BASIS = ("Review date agreed with the plan (West Midlands CSE toolkit, MASE meetings: set "
                "the date for the CSE review; All Wales CSE protocol §5.9.5: agree a date to "
                "review the plan)")


def open_pathway(child: Child, *, lock: bool = True) -> Pathway | None:
    rows = Pathway.objects.filter(child=child, exited_at=None)
    if lock:
        rows = rows.select_for_update()
    return rows.first()


def start_pathway(child: Child, state: str, *, by: User | None, at: datetime) -> Pathway:
    pathway = Pathway.objects.create(child=child, area=child.area, state=state, started_at=at,
                                     updated_at=at)
    audit.record(by, "create", pathway, child=child, summary="Pathway started",
                 changes=audit.created(pathway, ("state", "started_at")))
    return pathway


def _set_state(pathway: Pathway, state: str, *, by: User | None, at: datetime, summary: str,
               before: dict | None = None, after: dict | None = None) -> None:
    """Move the pathway to `state`; `before` and `after` are other values the move changed, for
    the audit row."""
    old = pathway.state
    pathway.state = state
    pathway.updated_at = at
    pathway.save(update_fields=["state", "updated_at", "urgent", "section_47", "exited_at",
                                "exit_route", "exit_reason"])
    changes = audit.diff({"state": old, **(before or {})}, {"state": state, **(after or {})})
    audit.record(by, "advance", pathway, child=pathway.child, summary=summary, changes=changes)


def _record_step(pathway: Pathway, step: str, *, by: User | None, at: datetime, done: bool,
                 note: str = "", outcome: str = "", url: str = "", urgent: bool = False,
                 item: WorkItem | None = None, no_deadline_reason: str = "") -> PathwayStep:
    return PathwayStep.objects.create(
        pathway=pathway, step=step, started_at=at, completed_at=at if done else None,
        completed_by=by if done else None, by=by, note=note, outcome=outcome[:200], url=url,
        urgent=urgent, work_item=item, no_deadline_reason=no_deadline_reason[:300],
    )


def _complete_steps(pathway: Pathway, *, by: User | None, at: datetime,
                    outcome: str = "") -> None:
    """Finish the steps in progress (a decision still awaited stays open: its referral closes
    it) and close their work items."""
    open_steps = PathwayStep.objects.select_related("work_item").filter(
        pathway=pathway, completed_at=None
    ).exclude(step=Step.DECISION)
    for row in open_steps:
        row.completed_at = at
        row.completed_by = by
        if outcome and not row.outcome:
            row.outcome = outcome[:200]
        row.save(update_fields=["completed_at", "completed_by", "outcome"])
        if row.work_item is not None and row.work_item.status == WorkItem.Status.OPEN and not (
                _held_open_by_requirement(row.work_item)):
            work.close_items(source=row, by=by)
        if row.step == Step.STRATEGY_DISCUSSION:
            # A strategy discussion prompted elsewhere (a pattern of missing episodes) is
            # answered by this one.
            work.close_for_child(pathway.child, Step.STRATEGY_DISCUSSION, by=by,
                                 keep=_requirement_items(pathway))
            work.close_for_child(pathway.child, URGENT_ALERT, by=by)


def _event_at(pathway: Pathway, timescale_event: str, at: datetime) -> tuple[datetime, str]:
    """The moment a timescale counts from: the latest referral on the pathway, or now."""
    if timescale_event == "referral":
        referral_step = (
            PathwayStep.objects.filter(pathway=pathway, step=Step.REFERRAL)
            .order_by("-started_at", "-id").first()
        )
        if referral_step is not None:
            return referral_step.started_at, ""
        return at, "; counted from when the step started, as no referral was recorded then"
    return at, ""


def _owner(child: Child, role: str) -> tuple[User | None, str]:
    """The allocated worker of that role, else the role itself (everyone in it in the area)."""
    allocation = (people_queries.open_allocations(child, role=role)
                  .order_by("-started_at").first())
    if allocation is not None:
        return allocation.user, ""
    return None, role


def _requirement_items(pathway: Pathway) -> list[int]:
    return list(MeetingRequirement.objects.filter(
        pathway=pathway, held_at=None, excepted_at=None, work_item__isnull=False
    ).values_list("work_item_id", flat=True))


def _held_open_by_requirement(item: WorkItem) -> bool:
    """A required meeting's work stays open when the pathway moves on: only holding the meeting
    or a manager's exception closes it."""
    return MeetingRequirement.objects.filter(work_item=item, held_at=None,
                                             excepted_at=None).exists()


def _judgement_basis(profile: Profile, step: str, why: str) -> str:
    """What an untimed step's work says instead of a deadline: whose judgement sets it."""
    rule = None
    if step == Step.MEETING and profile.meeting_kind:
        rule = profile.meeting(profile.meeting_kind)
    elif step == Step.STRATEGY_DISCUSSION:
        rule = profile.meeting("strategy_discussion")
    if rule is not None:
        return (f"{why}: when it is held is the judgement of its convenor "
                f"({rule.convened_by}; {rule.citation})")[:300]
    return f"{why}: when it is done is the judgement of {STEP_JUDGEMENT[step]}"[:300]


def _open_step(pathway: Pathway, step: str, *, by: User | None, at: datetime, note: str = "",
               urgent: bool = False, review_on: date | None = None,
               profile: Profile | None = None) -> PathwayStep:
    """Start a work step and open its work item, due by the profile's timescale (or, for a plan
    or review, the review date agreed)."""
    child = pathway.child
    area = pathway.area
    profile = profile or deadlines.profile_for(area)
    title, role = STEP_WORK[step]
    meeting_rule = profile.meeting(profile.meeting_kind) if profile.meeting_kind else None
    if step == Step.MEETING and meeting_rule is not None:
        role = meeting_rule.owner_role
    if step == Step.STRATEGY_DISCUSSION and (
        strategy_rule := profile.meeting("strategy_discussion")
    ):
        role = strategy_rule.owner_role
    meeting_label = meeting_rule.label if meeting_rule else "multi-agency meeting"
    review_rule = profile.meeting(profile.review_kind) if profile.review_kind else None
    if step in (Step.PLAN, Step.REVIEW) and review_rule is not None:
        # The meeting that holds the reviews (Coventry: the MASE review, convened by the CSE
        # team) is its convenor's work (issue 14, item 4).
        title, role = f"Hold the {in_sentence(review_rule.label)}", review_rule.owner_role

    due_at, all_day, basis, reason = None, False, "", ""
    if step in (Step.PLAN, Step.REVIEW):
        if review_on is not None:
            due_at, all_day, basis = end_of_day(review_on), True, REVIEW_BASIS
        else:
            reason = ("No date set for another review: the review held judged none was "
                      "needed")
    else:
        code = rules.URGENT_TIMESCALE if urgent else rules.STEP_TIMESCALE[step]
        timescale = profile.timescales.get(code)
        reconvened = step == Step.MEETING and _meeting_held_since_referral(pathway)
        if timescale is None or reconvened:
            basis = _judgement_basis(
                profile, step,
                f"A reconvened meeting (the {profile.name} timescale is for the first)"
                if reconvened else f"The {profile.name} procedure sets no timescale")
        else:
            event, note_on_event = _event_at(pathway, timescale.event, at)
            due = deadlines.step_due(area, code, event, profile=profile)
            assert due is not None  # the profile sets this timescale (checked above)
            due_at, all_day, basis = due.at, due.all_day, (due.basis + note_on_event)[:300]

    row = _record_step(pathway, step, by=by, at=at, done=False, note=note, urgent=urgent,
                       no_deadline_reason=reason)
    # An urgent strategy discussion keeps its own immediate deadline.
    shared = None if urgent else _requirement_item(pathway, step)
    if shared is not None:
        # A required meeting already opened this work: the step is the same work.
        row.work_item = shared
        row.save(update_fields=["work_item"])
    elif due_at is not None or basis:
        owner, owner_role = _owner(child, role)
        item = work.open_item(
            area=area, child=child, kind=step, by=by,
            title=("Urgently: " if urgent else "")
            + title.format(meeting=meeting_label)
            + (" with the police (section 47 enquiry)" if urgent else ""),
            due_at=due_at, all_day=all_day, basis=basis, owner=owner, owner_role=owner_role,
            source=row, url=reverse("pathway:pathway", args=[child.pk]),
        )
        row.work_item = item
        row.save(update_fields=["work_item"])
    return row


def _meeting_held_since_referral(pathway: Pathway) -> bool:
    latest_referral = (
        PathwayStep.objects.filter(pathway=pathway, step=Step.REFERRAL)
        .order_by("-started_at").values_list("started_at", flat=True).first()
    )
    held = PathwayStep.objects.filter(pathway=pathway, step=Step.MEETING)
    if latest_referral is not None:
        held = held.filter(started_at__gte=latest_referral)
    return held.exists()


def _chronicle(pathway: Pathway, row: PathwayStep, *, by: User | None, title: str,
               detail: str = "") -> None:
    item = row.work_item
    due = item.due_at if item is not None else None
    if item is not None and due is not None and not detail:
        when = timezone.localtime(due)
        detail = ("Due by " + (f"{when:%-d %B %Y}" if item.all_day
                               else f"{when:%-d %B %Y %H:%M}") + f". {item.basis}")
    add_chronology(pathway.child, kind=f"pathway_{row.step}", title=title,
                   occurred_at=row.started_at, by=by, detail=detail,
                   url=reverse("pathway:pathway", args=[pathway.child_id]))


def note_event(child: Child, step: str, *, by: User, at: datetime, url: str = "") -> None:
    """A concern or screening: starts a pathway when there is none, and moves it while it is at
    its early steps. Later, the event is in the chronology and the pathway stays where it is.
    (The screening app calls this with Step.SCREENING when a screening is recorded.)"""
    pathway = open_pathway(child)
    if pathway is None:
        pathway = start_pathway(child, step, by=by, at=at)
    elif not rules.event_moves_pathway(pathway.state):
        return
    elif pathway.state != step:
        _set_state(pathway, step, by=by, at=at, summary=f"Pathway: {in_sentence(Step(step).label)}")
    _record_step(pathway, step, by=by, at=at, done=True, url=url)


def referral_on_pathway(referral: Referral, item: WorkItem, *, by: User) -> None:
    """A referral opens its front-door decision on the child's pathway. From the early steps
    the pathway moves to the decision; further on, it stays where it is (SPEC §2)."""
    child = referral.child
    at = referral.received_at
    pathway = open_pathway(child)
    new = pathway is None
    if pathway is None:
        pathway = start_pathway(child, Step.DECISION, by=by, at=at)
    early = new or rules.referral_moves_pathway(pathway.state)
    screening_url = _screening_url(referral.screening_id) if referral.screening_id else ""
    if screening_url and early and not PathwayStep.objects.filter(
        pathway=pathway, step=Step.SCREENING, url=screening_url
    ).exists() and referral.screening is not None:
        _record_step(pathway, Step.SCREENING, by=by, at=referral.screening.screened_at,
                     done=True, url=screening_url)
    _record_step(pathway, Step.REFERRAL, by=by, at=at, done=True, urgent=referral.urgent,
                 url=referral.get_absolute_url())
    _record_step(pathway, Step.DECISION, by=by, at=at, done=False, item=item,
                 url=referral.get_absolute_url())
    if early and not new:
        _set_state(pathway, Step.DECISION, by=by, at=at,
                   summary="Pathway: referred, awaiting the front door's decision")
    _open_police_referral_decision(referral, by=by)


def _screening_url(screening_id: int) -> str:
    return reverse("screening:detail", args=[screening_id])


def _open_police_referral_decision(referral: Referral, *, by: User) -> None:
    """Stockport's flowchart for a sexually active young person under 18: the decision whether
    to refer to the police within 24 hours of the referral, reasons recorded either way."""
    due = deadlines.step_due(referral.area, "police_referral_decision", referral.received_at)
    age = referral.child.age()
    if due is None or (age is not None and age.years >= 18):
        return
    work.open_item(
        area=referral.area, child=referral.child, kind="police_referral_decision", by=by,
        title="Decide whether to refer to the police",
        due_at=due.at, all_day=due.all_day, basis=due.basis, owner_role=Role.FRONT_DOOR,
        source=referral,
    )


def decision_on_pathway(referral: Referral, decision: Decision, *, by: User) -> None:
    pathway = open_pathway(referral.child)
    if pathway is None:
        return
    at = decision.decided_at
    PathwayStep.objects.filter(
        pathway=pathway, step=Step.DECISION, completed_at=None, url=referral.get_absolute_url()
    ).update(completed_at=at, completed_by=by, outcome=decision.get_outcome_display(),
             note=decision.rationale)
    route = rules.OUTCOME_ROUTES[decision.outcome]
    if route.urgent:
        urgent_route(pathway, by=by, at=at, reason=decision.rationale)
    elif route.to == Step.EXIT:
        if pathway.state == Step.DECISION:
            _exit(pathway, route=route.exit_route, reason=decision.rationale, by=by, at=at)
    elif rules.allowed(pathway.state, route.to):
        _advance(pathway, route.to, by=by, at=at, note=decision.rationale)


def _advance(pathway: Pathway, to: str, *, by: User, at: datetime, note: str,
             review_on: date | None = None) -> PathwayStep:
    old = pathway.state
    _complete_steps(pathway, by=by, at=at, outcome=f"Moved on to {in_sentence(Step(to).label)}")
    row = _open_step(pathway, to, by=by, at=at, note=note, review_on=review_on)
    _set_state(pathway, to, by=by, at=at,
               summary=f"Pathway: {in_sentence(Step(old).label)} to {in_sentence(Step(to).label)}",
               after={"note": note,
                      "due_at": row.work_item.due_at if row.work_item is not None else None})
    _chronicle(pathway, row, by=by, title=_started_title(to, row))
    return row


def _started_title(step: str, row: PathwayStep) -> str:
    titles: dict[str, str] = {
        Step.ASSESSMENT: "Assessment started",
        Step.STRATEGY_DISCUSSION: "Strategy discussion called",
        Step.MEETING: "Multi-agency meeting to be held",
        Step.PLAN: "Plan agreed",
        Step.REVIEW: "Review held",
    }
    return titles.get(step, Step(step).label)


def urgent_route(pathway: Pathway, *, by: User, at: datetime, reason: str) -> PathwayStep:
    _complete_steps(pathway, by=by, at=at, outcome="Urgent route taken")
    pathway.urgent = True
    pathway.section_47 = True
    row = _open_step(pathway, Step.STRATEGY_DISCUSSION, by=by, at=at, note=reason, urgent=True)
    old = pathway.state
    _set_state(pathway, Step.STRATEGY_DISCUSSION, by=by, at=at,
               summary="Urgent route: section 47 enquiry and urgent strategy discussion "
                       "with the police",
               before={"urgent": False, "section_47": False, "from": old},
               after={"urgent": True, "section_47": True, "from": None, "reason": reason})
    _chronicle(pathway, row, by=by,
               title="Urgent route: section 47 enquiry and urgent strategy discussion",
               detail=reason)
    return row


def _exit(pathway: Pathway, *, route: str, reason: str, by: User, at: datetime) -> PathwayStep:
    _complete_steps(pathway, by=by, at=at, outcome="Pathway ended")
    pathway.exited_at = at
    pathway.exit_route = route
    pathway.exit_reason = reason
    row = _record_step(pathway, Step.EXIT, by=by, at=at, done=True, note=reason,
                       outcome=ExitRoute(route).label)
    _set_state(pathway, Step.EXIT, by=by, at=at,
               summary=f"Pathway ended: {in_sentence(ExitRoute(route).label)}",
               before={"exit_route": "", "exit_reason": ""},
               after={"exit_route": route, "exit_reason": reason})
    add_chronology(pathway.child, kind="pathway_exit",
                   title=f"Pathway ended: {in_sentence(ExitRoute(route).label)}", occurred_at=at,
                   by=by, detail=reason, url=reverse("pathway:pathway", args=[pathway.child_id]))
    return row


def _review_level(pathway: Pathway) -> rules.Level | None:
    """The level of risk the child's reviews follow: the one the latest meeting held on this
    pathway set, or a later higher screening, else the latest screening (rules.review_level).
    Read through the child's `screenings` and `meeting_records` relations, not by importing
    the screening and meetings apps, which sit above pathway."""
    child = pathway.child
    screened = (child.screenings.order_by("-screened_at")
                .values("framework", "final_category", "screened_at").first())
    screening = (rules.Level(screened["framework"], screened["final_category"],
                             screened["screened_at"])
                 if screened is not None and screened["final_category"] is not None else None)
    set_at = (child.meeting_records.filter(
        meeting__status="held", meeting__held_at__gte=pathway.started_at,
        risk_category__isnull=False).exclude(risk_framework="")
        .order_by("-meeting__held_at", "-meeting_id")
        .values("risk_framework", "risk_category", "meeting__held_at").first())
    meeting = None
    if set_at is not None and set_at["risk_category"] is not None and (
            set_at["meeting__held_at"] is not None):  # as filtered: a held meeting's level
        meeting = rules.Level(set_at["risk_framework"], set_at["risk_category"],
                              set_at["meeting__held_at"], by_meeting=True)
    return rules.review_level(screening, meeting)


def _review_rule(pathway: Pathway) -> tuple[ReviewRule | None, rules.Level | None]:
    level = _review_level(pathway)
    if level is None:
        return None, None
    return (deadlines.profile_for(pathway.area).review_rule(level.framework, level.category),
            level)


def _reviews_needed(pathway: Pathway) -> tuple[int, int, str]:
    """(minimum, held, citation) for the level of risk the child's reviews follow under the
    area's profile, once a plan is agreed."""
    if not PathwayStep.objects.filter(pathway=pathway, step=Step.PLAN).exists():
        return 0, 0, ""
    rule, level = _review_rule(pathway)
    if rule is None or level is None:
        return 0, 0, ""
    held = PathwayStep.objects.filter(pathway=pathway, step=Step.REVIEW).count()
    set_by = "set by the meeting" if level.by_meeting else "from the latest screening"
    return rule.minimum, held, f"category {level.category} {set_by}; {rule.citation}"


def _review_rule_is_regular(pathway: Pathway) -> bool:
    rule, _level = _review_rule(pathway)
    return bool(rule and rule.regular)


@transaction.atomic
def advance(child: Child, to: str, *, by: User, note: str, review_on: date | None = None,
            exit_route: str = "", at: datetime | None = None) -> PathwayStep:
    """Move a child's pathway on to its next step (SPEC §2), as a worker records it: start an
    assessment, a strategy discussion or meeting, agree a plan, hold a review, or exit."""
    at = at or timezone.now()
    if not note.strip():
        raise PathwayError("Enter what was decided and why")
    pathway = open_pathway(child)
    current = pathway.state if pathway else None
    if pathway is None or not rules.allowed(current, to):
        raise PathwayError(
            f"A pathway at {in_sentence(Step(current).label) if current else 'its start'} "
            f"cannot move to {in_sentence(Step(to).label)}"
        )
    if to == Step.EXIT:
        return exit_pathway(child, route=exit_route, reason=note, by=by, at=at)
    if to == Step.PLAN:
        _check_requirements(pathway, "a plan is agreed")
    if to == Step.PLAN and review_on is None:
        raise PathwayError("Enter the date the plan will be reviewed")
    if review_on is not None and review_on < timezone.localdate(at):
        raise PathwayError("The review date must be today or in the future")
    if to == Step.REVIEW and review_on is None and _review_rule_is_regular(pathway):
        raise PathwayError(
            "Enter the date of the next review: reviews are regular at this level of risk"
        )
    return _advance(pathway, to, by=by, at=at, note=note, review_on=review_on)


@transaction.atomic
def exit_pathway(child: Child, *, route: str, reason: str, by: User,
                 at: datetime | None = None) -> PathwayStep:
    """End a child's pathway: to a team around the child, a child in need plan, child
    protection, or closed, always with the reason."""
    at = at or timezone.now()
    if route not in rules.EXIT_ROUTES:
        raise PathwayError("Select where the child's pathway goes next")
    if not reason.strip():
        raise PathwayError("Enter the reason for ending the pathway")
    pathway = open_pathway(child)
    if pathway is None:
        raise PathwayError("The child has no pathway in progress")
    if route == "close":
        check_closure(child, by=by)
    if Referral.objects.filter(child=child, status=Referral.Status.AWAITING).exists():
        raise PathwayError("Decide the referral awaiting the front door first")
    _check_requirements(pathway, "the pathway ends")
    _check_responses(pathway)
    minimum, held, citation = _reviews_needed(pathway)
    check = rules.exit_review_check(plan_made=minimum > 0, reviews_held=held, minimum=minimum)
    if not check.ok:
        raise PathwayError(
            f"Hold {minimum} review{'s' if minimum != 1 else ''} of the plan before the pathway "
            f"ends ({held} held so far; {citation})"
        )
    return _exit(pathway, route=route, reason=reason, by=by, at=at)


@transaction.atomic
def record_section_47(child: Child, *, by: User, reason: str) -> None:
    """A section 47 enquiry decided elsewhere than at the front door, such as by a MASE meeting
    (seed 001: the meeting then becomes a strategy discussion and the statutory process takes
    over). Marks the child's open pathway; moving it is `advance`'s."""
    pathway = open_pathway(child)
    if pathway is None or pathway.section_47:
        return
    pathway.section_47 = True
    pathway.save(update_fields=["section_47"])
    audit.record(by, "update", pathway, child=child, summary="Section 47 enquiry decided",
                 changes=audit.diff({"section_47": False}, {"section_47": True, "reason": reason}))


# --- Meetings the decided category calls for (issue 14, item 1) -------------------------------

MEETING_STEP = {"strategy_discussion": Step.STRATEGY_DISCUSSION}  # any other kind: MEETING


def _requirement_step(kind: str) -> str:
    return MEETING_STEP.get(kind, Step.MEETING)


def _requirement_item(pathway: Pathway, step: str) -> WorkItem | None:
    """The open work of an outstanding required meeting that this step is, not yet a step's."""
    for requirement in (MeetingRequirement.objects.filter(pathway=pathway, held_at=None,
                                                          excepted_at=None,
                                                          work_item__status="open")
                        .select_related("work_item")):
        if _requirement_step(requirement.kind) == step and not PathwayStep.objects.filter(
                work_item=requirement.work_item).exists():
            return requirement.work_item
    return None


def _check_requirements(pathway: Pathway, before: str) -> None:
    outstanding = outstanding_requirements(pathway)
    if outstanding:
        first = outstanding[0]
        raise PathwayError(
            f"Hold the required meeting ({first.label}) before {before}: the child's category "
            f"calls for it ({first.citation}). A manager may record an exception, with the "
            f"reason")


def _check_responses(pathway: Pathway) -> None:
    """A child with trafficking indicators stays on the pathway until the National Referral
    Mechanism decides, unless a manager records an exception (issue 14, item 6)."""
    held = exit_held_by_responses(pathway)
    if held:
        first = held[0]
        raise PathwayError(
            f"Record the decision on the child's referral to the National Referral Mechanism "
            f"before the pathway ends: the child's screening records that they may have been "
            f"trafficked ({first.citation}). A manager may record an exception, with the reason"
            if first.code == "nrm_referral" else
            f"Record the decision ({first.label}) before the pathway ends ({first.citation}). "
            f"A manager may record an exception, with the reason")


def check_decision_may_close(child: Child) -> None:
    """A front-door decision that ends the pathway ends it only when the meetings the child's
    category calls for are held or excepted, and the decisions a child with trafficking
    indicators waits for are made or excepted, as any other exit (issue 14, items 1 and 6)."""
    pathway = open_pathway(child)
    if pathway is not None and pathway.state == Step.DECISION:
        _check_requirements(pathway, "the pathway ends")
        _check_responses(pathway)


def _already_held(pathway: Pathway, counts: tuple[str, ...]) -> bool:
    """A meeting of a kind that answers the requirement, held on this pathway. Read through
    the child's `meeting_records` relation (the meetings app's foreign key to the child), not
    by importing the meetings app, which sits above pathway."""
    return pathway.child.meeting_records.filter(
        meeting__status="held", meeting__kind__in=counts,
        meeting__held_at__gte=pathway.started_at).exists()


@transaction.atomic
def require_meetings(child: Child, *, framework: str, category: int | None, by: User,
                     at: datetime | None = None) -> list[MeetingRequirement]:
    """Open, as work on the child's pathway, each meeting the decided category of a framework
    calls for under the area's profile (its [[required_meetings]]), due by the profile's
    timescale. Called when a screening is recorded and when a meeting sets the level of risk.
    A kind already required, or already held, on this pathway is not required again."""
    at = at or timezone.now()
    pathway = open_pathway(child)
    if pathway is None:
        return []
    profile = deadlines.profile_for(pathway.area)
    opened: list[MeetingRequirement] = []
    if category is None:  # no category decided: none calls for a meeting
        return opened
    for rule in profile.meetings_required(framework, category):
        if MeetingRequirement.objects.filter(pathway=pathway, kind=rule.kind).exists():
            continue
        if _already_held(pathway, rule.counts):
            continue
        meeting = profile.meeting(rule.kind)
        label = meeting.label if meeting else rule.kind.replace("_", " ")
        requirement = MeetingRequirement.objects.create(
            pathway=pathway, child=child, area=pathway.area, kind=rule.kind, label=label,
            counts=list(rule.counts), framework=framework, category=category,
            citation=rule.citation[:300], required_at=at)
        requirement.work_item = _requirement_work(pathway, requirement, rule.timescale,
                                                  meeting, profile, by=by, at=at)
        requirement.save(update_fields=["work_item"])
        audit.record(by, "create", requirement, child=child,
                     summary=f"Required: {label}",
                     changes=audit.created(requirement, ("kind", "framework", "category",
                                                         "citation", "work_item_id")))
        add_chronology(child, kind="meeting_required", title=f"{label} required",
                       occurred_at=at, by=by,
                       detail=f"{framework.upper()} category {category} calls for it "
                              f"({rule.citation}).",
                       url=reverse("pathway:pathway", args=[child.pk]))
        opened.append(requirement)
    return opened


def _requirement_work(pathway: Pathway, requirement: MeetingRequirement, timescale: str,
                      meeting, profile: Profile, *, by: User, at: datetime) -> WorkItem:
    """The step in progress's open work when the pathway is already at that step, else new
    work due by the profile's timescale (or, with none, saying whose judgement sets it)."""
    step = _requirement_step(requirement.kind)
    if pathway.state == step:
        row = (PathwayStep.objects.filter(pathway=pathway, step=step, completed_at=None,
                                          work_item__status="open")
               .select_related("work_item").order_by("-started_at").first())
        if row is not None and row.work_item is not None:
            return row.work_item
    due = None
    if profile.timescales.get(timescale) is not None:
        event, note_on_event = _event_at(pathway, profile.timescales[timescale].event, at)
        due = deadlines.step_due(pathway.area, timescale, event, profile=profile)
    if due is not None:
        due_at, all_day, basis = due.at, due.all_day, (due.basis + note_on_event)[:300]
    else:
        who = f"its convenor ({meeting.convened_by})" if meeting else "its convenor"
        due_at, all_day = None, False
        basis = (f"The {profile.name} procedure sets no timescale: when it is held is the "
                 f"judgement of {who} ({requirement.citation})")[:300]
    owner, owner_role = _owner(pathway.child, meeting.owner_role if meeting
                               else Role.CSE_MANAGER)
    return work.open_item(
        area=pathway.area, child=pathway.child, kind=step, by=by,
        title=f"Hold the required meeting: {requirement.label}",
        due_at=due_at, all_day=all_day, basis=basis, owner=owner, owner_role=owner_role,
        source=requirement, url=reverse("pathway:pathway", args=[pathway.child_id]))


@transaction.atomic
def meeting_held(child: Child, *, kind: str, became_strategy_discussion: bool, by: User,
                 at: datetime, url: str) -> int:
    """A meeting was held: the child's outstanding requirements it answers are met (a MASE
    that became a strategy discussion also answers a strategy discussion, seed 001)."""
    pathway = open_pathway(child)
    if pathway is None:
        return 0
    kinds = {kind} | ({"strategy_discussion"} if became_strategy_discussion else set())
    met = 0
    for requirement in MeetingRequirement.objects.select_for_update(of=("self",)).filter(
            pathway=pathway, held_at=None, excepted_at=None).select_related("work_item"):
        if not kinds & set(requirement.counts):
            continue
        requirement.held_at = at
        requirement.meeting_url = url[:200]
        requirement.save(update_fields=["held_at", "meeting_url"])
        audit.record(by, "update", requirement, child=child,
                     summary=f"Required meeting held: {requirement.label}",
                     changes=audit.diff({"held_at": None}, {"held_at": at, "meeting": url}))
        if requirement.work_item is not None:
            work.close_item(requirement.work_item, by=by)
        met += 1
    return met


def may_except(user: User) -> bool:
    """A manager: the CSE team manager, or anyone who manages others."""
    return user.role == Role.CSE_MANAGER or user.reports.filter(is_active=True).exists()


def stamp_exception(locked: MeetingRequirement | TrackedResponse | AdultReferral, *, by: User,
                    reason: str, summary: str) -> datetime:
    """Marks a row the caller has locked with a manager's exception (when, who, why) and audits
    it: the same record for a required meeting not held, a response's decision not awaited and
    adult safeguarding not told.
    Returns when it was recorded."""
    now = timezone.now()
    locked.excepted_at = now
    locked.excepted_by = by
    locked.exception_reason = reason.strip()
    locked.save(update_fields=["excepted_at", "excepted_by", "exception_reason"])
    audit.record(by, "except", locked, child=locked.child, reason=reason.strip(), summary=summary,
                 changes=audit.diff({"excepted_at": None, "exception_reason": ""},
                                    {"excepted_at": now, "exception_reason": reason.strip()}))
    return now


@transaction.atomic
def record_meeting_exception(requirement: MeetingRequirement, *, by: User,
                             reason: str) -> MeetingRequirement:
    """A manager decides the required meeting will not be held, and says why: audited, shown
    on the child's record, and kept on the requirement so monitoring counts it."""
    if not may_except(by):
        raise PathwayError("Only a manager may record an exception to a required meeting")
    if not reason.strip():
        raise PathwayError("Enter why the meeting will not be held")
    locked = MeetingRequirement.objects.select_for_update().get(pk=requirement.pk)
    if not locked.outstanding:
        raise PathwayError("The meeting has already been held or excepted")
    now = stamp_exception(locked, by=by, reason=reason,
                          summary=f"Exception: {locked.label} not held")
    add_chronology(locked.child, kind="meeting_exception",
                   title=f"Exception recorded: {locked.label.lower()} not held",
                   occurred_at=now, by=by,
                   detail=f"{reason.strip()} (the child's category called for it: "
                          f"{locked.citation})",
                   url=reverse("pathway:pathway", args=[locked.child_id]))
    if locked.work_item is not None:
        work.close_item(locked.work_item, by=by, status=WorkItem.Status.CANCELLED)
    return locked


# --- Urgent: immediate risk reaches the front door at once (issue 14, item 8) ------------------

def check_closure(child: Child, *, by: User) -> None:
    """Closing with no further action on a child whose latest screening is at a category the
    profile names (West Midlands 3, SERAF significant, SERA level 3) needs a manager."""
    latest = (child.screenings.order_by("-screened_at")
              .values("framework", "final_category").first())
    if latest is None:
        return
    rule = deadlines.profile_for(child.area).closing_needs_manager(latest["framework"],
                                                                  latest["final_category"])
    if rule is not None and not may_except(by):
        raise ManagerApprovalNeeded(
            f"No further action at {latest['framework'].upper()} category "
            f"{latest['final_category']} needs a manager's approval with reasons "
            f"({rule.citation}): ask a manager to decide it")


@transaction.atomic
def raise_urgent(child: Child, *, by: User, at: datetime, what: str, url: str) -> WorkItem:
    """A concern or screening reports immediate risk of significant harm (or a section 47
    concern): the front door is alerted at once (their home page, tray and email) and the
    child's pathway takes the urgent route, a section 47 enquiry and an urgent strategy
    discussion with the police (seed 000 §13)."""
    profile = deadlines.profile_for(child.area)
    timescale = profile.timescales.get(rules.URGENT_TIMESCALE)
    citation = timescale.citation if timescale else "Stockport CSE procedure §13"
    item = work.open_item(
        area=child.area, child=child, kind=URGENT_ALERT, by=by,
        title=f"Urgent: {what} ({by.agency.name if by.agency is not None else by.display_name})",
        due_at=at,
        basis=f"Immediate risk of significant harm: the front door acts at once, a section 47 "
              f"enquiry and a strategy discussion with the police ({citation})",
        owner_role=Role.FRONT_DOOR, url=url)
    notify.after_commit(
        "Urgent in Lantern: immediate risk reported",
        f"{by.agency.name if by.agency is not None else 'An agency'} has reported that a child "
        f"may be at immediate risk of significant harm. Act now: {settings.BASE_URL}/work/\n\n"
        "Lantern does not put children's names in email.",
        notify.role_addresses(Role.FRONT_DOOR, [child.area]))
    pathway = open_pathway(child)
    if pathway is None:
        pathway = start_pathway(child, Step.STRATEGY_DISCUSSION, by=by, at=at)
    if not pathway.urgent:
        urgent_route(pathway, by=by, at=at, reason=f"Urgent: {what}")
    return item


# --- Two records of one child merged (issue 15, item 2; lantern.people.actions) -------------

MERGED_REASON = "Merged into record {kept}: the child's pathway carries on there"


def _pathway_work(pathway: Pathway):
    """The open work items of a pathway: its steps', its required meetings' and its tracked
    responses' (each item names its source, lantern.foundation.work)."""
    sources = [("pathway.pathway", [pathway.pk]),
               ("pathway.pathwaystep", pathway.steps.values_list("pk", flat=True)),
               ("pathway.meetingrequirement", pathway.requirements.values_list("pk", flat=True)),
               ("pathway.trackedresponse", pathway.responses.values_list("pk", flat=True))]
    wanted = Q()
    for source_type, pks in sources:
        wanted |= Q(source_type=source_type, source_id__in=[str(pk) for pk in pks])
    return WorkItem.objects.filter(wanted, status=WorkItem.Status.OPEN)


def set_aside_for_merge(pks, *, kept: Child, by: User) -> list[int]:
    """The merged record's open pathway, when the kept record has one too: ended as closed by
    the merge, so the child has one open pathway, and its open work closed (cancelled): the
    kept record's pathway carries the child on, and nobody is asked to act on a pathway set
    aside. Returns the work items closed, which undoing the merge reopens, as
    `restore_after_merge` reopens the pathway."""
    at = timezone.now()
    closed: list[int] = []
    for pathway in Pathway.objects.select_for_update().filter(pk__in=pks, exited_at=None):
        for item in _pathway_work(pathway):
            if work.close_item(item, by=by, status=WorkItem.Status.CANCELLED):
                closed.append(item.pk)
        pathway.exited_at, pathway.exit_route = at, ExitRoute.CLOSE
        pathway.exit_reason = MERGED_REASON.format(kept=kept.pk)
        pathway.save(update_fields=["exited_at", "exit_route", "exit_reason"])
        audit.record(by, "update", pathway, child=pathway.child,
                     summary="Pathway set aside: the record was merged into another",
                     changes=audit.diff({"exited_at": None, "exit_route": ""}, pathway,
                                        ("exited_at", "exit_route")))
    return closed


def restore_after_merge(pks, *, by: User) -> None:
    """Reopen pathways a merge set aside, as they were (the merge's undoing reopens the work
    `set_aside_for_merge` closed)."""
    for pathway in Pathway.objects.select_for_update().filter(pk__in=pks):
        old = {"exited_at": pathway.exited_at, "exit_route": pathway.exit_route}
        pathway.exited_at, pathway.exit_route, pathway.exit_reason = None, "", ""
        pathway.save(update_fields=["exited_at", "exit_route", "exit_reason"])
        audit.record(by, "update", pathway, child=pathway.child,
                     summary="Pathway reopened: the merge of its record was undone",
                     changes=audit.diff(old, pathway, ("exited_at", "exit_route")))
