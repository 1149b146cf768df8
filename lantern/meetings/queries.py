"""Queries for meeting pages: each owns its joins, so the pages' query counts stay flat."""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from lantern.domain import meetings as rules
from lantern.domain.labels import in_sentence
from lantern.foundation.access import visible_children
from lantern.foundation.figures import Slice
from lantern.foundation.models import Child
from lantern.pathway import queries as pathway_queries
from lantern.pathway.actions import Step
from lantern.plans import queries as plans_queries

from . import access, catalogue
from .models import (
    AgendaItem,
    Attendance,
    ChairAcceptance,
    ClosedSection,
    Invitation,
    Meeting,
    MeetingChild,
    MeetingDecision,
)

SPECIAL_INVITEES = {"chair": "Chair", "convenor": "Convenor"}
# Meeting kinds that count as the strategy discussion the network referral needs (seed 003 §4).
STRATEGY_KINDS = frozenset({"strategy_discussion", "strategy_meeting", "mase_initial",
                            "mase_review", "mase_looked_after", "statutory_review",
                            "complex_strategy"})


def invitee_label(code: str) -> str:
    if code in SPECIAL_INVITEES:
        return SPECIAL_INVITEES[code]
    found = catalogue.get().invitees.get(code)
    return found.label if found else code.replace("_", " ").capitalize()


def deadline(child: Child, kind: rules.Kind) -> tuple[datetime | None, str, bool]:
    """When the meeting is due for this child and why: the open work item of the pathway step
    it is (its deadline was set by the profile when the step started, or by the review date
    agreed), else the profile's meeting timescale from the latest referral."""
    pathway = pathway_queries.open_pathway(child)
    steps = {"meeting": (Step.MEETING,), "strategy_discussion": (Step.STRATEGY_DISCUSSION,),
             "review": (Step.PLAN, Step.REVIEW)}[kind.step]
    if pathway is not None:
        item = pathway_queries.current_step_work(pathway, steps)
        if item is not None:
            return item.due_at, item.basis, item.all_day
    if kind.step == "meeting":
        referral = pathway_queries.latest_referral(child)
        if referral is not None:
            due = pathway_queries.step_due(child.area, "meeting", referral.received_at)
            if due is not None:
                return due.at, due.basis, due.all_day
    return None, "", False


def warnings(meeting: Meeting, invitations: list[Invitation]) -> list[dict]:
    """SPEC §5: police and children's social care must attend a strategy or MASE meeting."""
    kind = catalogue.get().kind(meeting.kind)
    professional = [i for i in invitations if i.professional]
    recorded = any(i.attendance != Attendance.INVITED for i in professional)
    found = rules.attendance_warnings(
        kind, invited={i.agency_kind for i in professional},
        attended={i.agency_kind for i in professional if i.attendance == Attendance.ATTENDED}
        if recorded else None)
    names = {"police": "the police", "csc": "children's social care"}
    return [{"agency_kind": w.agency_kind, "stage": w.stage,
             "text": (f"Nobody from {names.get(w.agency_kind, w.agency_kind)} is invited"
                      if w.stage == "invited" else
                      f"Nobody from {names.get(w.agency_kind, w.agency_kind)} attended")
             + f": they should always attend a {in_sentence(kind.label)} (SPEC §5; Stockport CSE "
               f"procedure §14)"}
            for w in found]


def conclusion_problems(meeting: Meeting, records: list[MeetingChild]) -> list[str]:
    """What still has to be recorded before the meeting is held (for the chair to see)."""
    kind = catalogue.get().kind(meeting.kind)
    extra = catalogue.get().additions(pathway_queries.profile(meeting.profile), meeting.kind)
    with_plans = plans_queries.children_with_active_plans([r.child_id for r in records])
    problems = []
    # Attendance is recorded before the meeting is held (issue 14, item 3): each professional
    # invited attended, sent apologies or did not attend, and someone attended.
    invitations = list(Invitation.objects.filter(meeting=meeting, professional=True)
                       .values_list("attendance", flat=True))
    if Attendance.INVITED in invitations:
        problems.append("Record whether each professional invited attended")
    elif Attendance.ATTENDED not in invitations:
        problems.append("Record who attended: nobody is recorded as attending")
    if meeting.chair_acceptance == ChairAcceptance.AWAITED:
        problems.append(f"A manager accepts {meeting.chair.display_name} as chair: the "
                        "procedure names another role to chair it")
    elif meeting.chair_acceptance == ChairAcceptance.REFUSED:
        problems.append(f"A manager refused {meeting.chair.display_name} as chair: cancel the "
                        "meeting and convene it again with a chair the procedure names")
    if meeting.convenor_acceptance == ChairAcceptance.AWAITED:
        problems.append(f"A manager accepts {meeting.convened_by.display_name} as convenor: the "
                        "procedure names another role to convene it")
    elif meeting.convenor_acceptance == ChairAcceptance.REFUSED:
        problems.append(f"A manager refused {meeting.convened_by.display_name} as convenor: "
                        "cancel the meeting and have it convened by whom the procedure names")
    profile = pathway_queries.profile(meeting.profile)
    for record in records:
        # A child whose record the reader may not see (another area's, before it agrees to a
        # joint meeting) is never named (`named`, set by meeting_page).
        who = (record.child.full_name if getattr(record, "named", True)
               else f"the child in {record.child.area.name}")
        if kind.sets_level and record.risk_category is None:
            problems.append(f"Set the level of risk for {who}")
        # seed 001: the police input and both oversights, where the kind completes the CSE
        # risk assessment (not at a CP conference link or CMOG).
        for missing in rules.risk_assessment_problems(
                kind, police_input=bool(record.police_input.strip()),
                manager_oversight=record.manager_oversight_by_id is not None,
                police_oversight=record.police_oversight_by_id is not None):
            problems.append(RISK_ASSESSMENT_PROBLEMS[missing].format(who=who))
        if not record.outcomes:
            problems.append(f"Select the outcomes for {who}")
        review = _review_needed(profile, kind, record)
        if record.next_review_on is None and review is not None:
            problems.append(f"Set the date of {who}'s next review: at category "
                            f"{record.risk_category} " + ("reviews are regular" if review.regular
                                                          else "a review must follow")
                            + f" ({review.citation})")
        elif record.next_review_on is None and not record.exit_strategy.strip():
            problems.append(f"Set the date of {who}'s next review")
        if extra.exit_strategy and not record.exit_strategy.strip():
            problems.append(f"Name the exit strategy for {who} ({extra.citation})")
        if not record.child_participation:
            problems.append(f"Record whether {who} and their family attend")
        if kind.agenda == "review" and record.child_id in with_plans and (
                not record.plan_review.strip()):
            problems.append(f"Review {who}'s plan")
    return problems


RISK_ASSESSMENT_PROBLEMS = {
    "police_input": "Record the police input to {who}'s risk assessment",
    "manager_oversight": "The CSE team manager's oversight of {who}'s risk assessment",
    "police_oversight": "The police oversight of {who}'s risk assessment",
}


def _review_needed(profile, kind: rules.Kind, record: MeetingChild):
    """The review rule for the level the meeting set, when it calls for (another) review: an
    exit strategy does not replace the date of the next review then (issue 14, item 4). A
    review meeting counts itself among the reviews held."""
    if not record.risk_framework or record.risk_category is None:
        return None
    rule = profile.review_rule(record.risk_framework, record.risk_category)
    if rule is None:
        return None
    held = pathway_queries.reviews_held(record.child) + (
        1 if kind.step == "review" and kind.sets_level else 0)
    return rule if rule.needs_date(held) else None


def strategy_held(child_ids) -> dict[int, datetime]:
    """Children for whom a strategy discussion or meeting has been held and a multi-agency
    plan agreed (seed 003 §4: the precondition of a network referral), with when both were
    true."""
    held: dict[int, datetime] = {}
    for child_id, when in (MeetingChild.objects.filter(
            child_id__in=list(child_ids), meeting__status=Meeting.Status.HELD,
            meeting__kind__in=STRATEGY_KINDS)
            .order_by("meeting__held_at").values_list("child_id", "meeting__held_at")):
        if when is not None:  # a held meeting has its time; never count one without
            held.setdefault(child_id, when)
    plans = plans_queries.first_plan_agreed(held)
    return {c: max(when, plans[c]) for c, when in held.items() if c in plans}




def meetings_for(user, *, limit: int = 200) -> list[Meeting]:
    """Meetings the user may see, soonest first from a week ago, each with its children."""
    since = timezone.now() - timedelta(days=7)
    rows = (access.visible_meetings(user).filter(scheduled_for__gte=since)
            .select_related("area", "chair")
            .prefetch_related(Prefetch("records",
                                       queryset=MeetingChild.objects.select_related(
                                           "child__area")))
            .order_by("scheduled_for", "pk")[:limit])
    return _named(user, list(rows))


def _named(user, meetings: list[Meeting]) -> list[Meeting]:
    """Mark, on each meeting, which of its children the user may see (one query)."""
    ids = {r.child_id for m in meetings for r in m.records.all()}
    named = set(visible_children(user).filter(pk__in=ids).values_list("pk", flat=True))
    for meeting in meetings:
        meeting.child_rows = [(r.child, r.child_id in named) for r in meeting.records.all()]
    return meetings


def child_meetings(child) -> list[Meeting]:
    return list(Meeting.objects.filter(records__child=child).select_related("chair")
                .order_by("-scheduled_for"))


def meeting_page(user, meeting: Meeting) -> dict:
    """Everything the meeting's page shows, in a fixed number of queries."""
    invitations = list(Invitation.objects.filter(meeting=meeting)
                       .select_related("user", "agency"))
    for invitation in invitations:
        invitation.invitee_label = invitee_label(invitation.invitee)
    records = list(MeetingChild.objects.filter(meeting=meeting)
                   .select_related("child__area", "manager_oversight_by",
                                   "police_oversight_by"))
    named = set(visible_children(user).filter(pk__in=[r.child_id for r in records])
                .values_list("pk", flat=True))
    read_closed = access.can_read_closed(user, meeting)
    sections = list(ClosedSection.objects.filter(meeting=meeting)
                    .select_related("requested_by", "decided_by", "agenda_item"))
    decisions = list(MeetingDecision.objects.filter(meeting=meeting, child_id__in=named)
                     .select_related("closed_section"))
    if not read_closed:
        decisions = [d for d in decisions if d.closed_section_id is None]
    for record in records:
        record.named = record.child_id in named
        record.decision_rows = [d for d in decisions if d.child_id == record.child_id]
    agenda = list(AgendaItem.objects.filter(meeting=meeting).select_related("updated_by"))
    return {
        "meeting": meeting,
        "invitations": invitations,
        "records": records,
        "agenda": agenda,
        "read_closed": read_closed,
        "closed_sections": sections if read_closed else [],
        "closed_count": sum(1 for s in sections if s.status == ClosedSection.Status.GRANTED),
        "warnings": warnings(meeting, invitations),
    }


# --- Monitoring (issue 17): aggregates without identities -----------------------------------

def chair_exceptions(area=None) -> int:
    """Meetings convened with a chair of a role the profile does not name (issue 14, item 2),
    whatever a manager then decided: one indexed count."""
    rows = Meeting.objects.exclude(chair_acceptance="")
    if area is not None:
        rows = rows.filter(area=area)
    return rows.count()


def monitoring_exceptions(s: Slice) -> dict[str, int]:
    """Meetings convened in the period, about a child in the slice, with a chair or a convenor
    of a role the profile does not name (issue 14, item 2), whatever a manager then decided;
    the agency is the convenor's. One query."""
    about = MeetingChild.objects.filter(s.children(), meeting=OuterRef("pk"))
    return Meeting.objects.filter(
        s.period("convened_at"), s.agency("convened_by__agency_id"), Exists(about),
    ).aggregate(chairs=Count("id", filter=~Q(chair_acceptance="")),
                convenors=Count("id", filter=~Q(convenor_acceptance="")))


def monitoring_meetings(s: Slice) -> dict:
    """Meetings held in the period by kind, with the children each kind involved, and the
    children involved in any (seed 002 §7: "the numbers of strategy meetings held ... numbers
    of children involved"). Three queries. A meeting counts when any child it was about is in
    the slice."""
    records = MeetingChild.objects.filter(
        s.children(), s.period("meeting__held_at"), meeting__status=Meeting.Status.HELD)
    held = (Meeting.objects.filter(s.period("held_at"), status=Meeting.Status.HELD)
            .filter(Exists(records.filter(meeting=OuterRef("pk"))))
            .values_list("kind").annotate(n=Count("id")).order_by("kind"))
    children = dict(records.values_list("meeting__kind")
                    .annotate(n=Count("child", distinct=True)).order_by())
    kinds = catalogue.get().kinds
    rows = [(kinds[kind].label if kind in kinds else kind, n, children.get(kind, 0))
            for kind, n in held]
    return {"by_kind": rows,
            "children": records.aggregate(n=Count("child", distinct=True))["n"]}


# --- The monthly dip-sample audit (issue 17 item 4) --------------------------------------------

def dip_sample_candidates(area_id: int, since, until) -> list[tuple[int, int, object, int | None]]:
    """The CSE risk assessments of the area's children recorded at meetings held in [since,
    until) (a child's record of a held meeting with a risk category or analysis), as (id,
    child id, held at, who gave management oversight): the risk assessments a month's dip
    sample is drawn from (seed 001). One query of ids."""
    return list(
        MeetingChild.objects.filter(child__area_id=area_id, meeting__status=Meeting.Status.HELD,
                                    meeting__held_at__gte=since, meeting__held_at__lt=until)
        .exclude(risk_category__isnull=True, risk_analysis="")
        .values_list("id", "child_id", "meeting__held_at", "manager_oversight_by_id")
        .order_by("id"))


def dip_sample_risk_assessment(record_id: int) -> MeetingChild | None:
    """One child's risk assessment from a meeting, as the dip-sample auditor reads it (access
    is the caller's: a live dip-sample grant)."""
    return (MeetingChild.objects.select_related("meeting", "manager_oversight_by",
                                                "police_oversight_by")
            .filter(pk=record_id).first())
