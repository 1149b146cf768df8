"""Every write to meetings (SPEC §5). Each audits in the same transaction; the significant
events (convened, held) write each child's chronology; holding a meeting moves each child's
pathway through lantern.pathway.actions and updates each child's one plan
(lantern.plans.actions). What meetings read (deadlines, warnings, what is still missing before
a meeting is held) is in lantern.meetings.queries.

    convene(children=[...], kind="mase_initial", by=..., chair=..., scheduled_for=..., ...)
    invite(meeting, by=..., invitee="police", user=...)   record_attendance(meeting, {...}, by=...)
    record_participation(record, by=..., ...)   save_minutes(item, minutes=..., version=..., by=...)
    request_closed_section(meeting, by=..., reason=...)   decide_closed_section(section, ...)
    record_child_outcome(record, by=..., version=..., ...)   record_oversight(record, by=..., ...)
    record_decision(meeting, children=[...], text=..., by=...)   conclude(meeting, by=...)
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from lantern.domain import meetings as rules
from lantern.domain import pathway as pathway_rules
from lantern.domain.labels import in_sentence
from lantern.domain.profiles import ParticipationRule, Profile
from lantern.foundation import audit, grants, notify, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Agency, Area, Child, GrantBasis, Role, User, WorkItem
from lantern.pathway import actions as pathway_actions
from lantern.pathway import queries as pathway_queries
from lantern.pathway.actions import Step
from lantern.people import queries as people_queries
from lantern.plans import actions as plan_actions

from . import catalogue, queries
from .models import (
    AgendaItem,
    AreaAgreement,
    Attendance,
    ChairAcceptance,
    ClosedSection,
    Invitation,
    Meeting,
    MeetingChild,
    MeetingDecision,
    Participation,
)

# How long after a meeting is held its invited professionals still see the children it was
# about, to read the minutes and agree their actions (Lantern default: the procedures set no
# period; an action in the plan is its own grant).
MEETING_ACCESS_AFTER_HELD = timedelta(days=28)


class MeetingError(Exception):
    """A meeting change the rules do not allow; the message says why, for the user."""


class StaleRecord(MeetingError):
    """Someone else saved the same part of the meeting since this edit began."""


class AbsenceNotAcknowledged(MeetingError):
    """Police or children's social care were not invited or did not attend, and whoever
    records the meeting as held has not said they understand that (issue 14, item 3)."""


@dataclass
class InviteInput:
    invitee: str
    user: User | None = None
    name: str = ""
    agency: Agency | None = None
    agency_kind: str = ""
    for_child: Child | None = None


# --- Convening --------------------------------------------------------------------------------

def _late(scheduled_for: datetime, due_at: datetime, all_day: bool) -> bool:
    if all_day:
        return timezone.localtime(scheduled_for).date() > timezone.localtime(due_at).date()
    return scheduled_for > due_at


def check_convenor(user: User, children: list[Child], chair: rules.Chair) -> bool:
    """Whether the user may convene the kind: the convenor the profile names (or a CSE team
    manager) may; a social worker or the front door otherwise only with a reason a
    manager of the area accepts (returns True: the acceptance is needed); anyone else not."""
    allocated = all(people_queries.is_allocated(user, c) for c in children)
    if rules.may_convene(chair.owner_role, user.role, allocated=allocated):
        return False
    if rules.may_convene_with_reason(user.role):
        return True
    raise MeetingError(
        f"The {chair.label} is convened by: {chair.convened_by} ({chair.citation}). "
        "Ask them, or a CSE team manager, to convene it")


@transaction.atomic
def convene(*, children: list[Child], kind: str, by: User, chair: User,
            scheduled_for: datetime, format: str, venue: str = "", late_reason: str = "",
            trigger=None, invitations: Sequence[InviteInput] = (),
            chair_reason: str = "", convenor_reason: str = "") -> Meeting:
    """Convene a meeting of the kind for the children, chaired by whom the area's profile
    names, within the profile's timescale (or with the reason it cannot be). A chair of a role
    the profile does not name needs a reason, and a manager's acceptance before the meeting
    can be held (issue 14, item 2); so does a convenor of a role it does not name."""
    data = catalogue.get()
    area = by.working_agency.area
    profile = pathway_queries.profile_for(area)
    kind_rule = data.kind(kind)
    if kind not in rules.offered_kinds(data, profile):
        raise MeetingError(f"The {profile.name} profile has no {in_sentence(kind_rule.label)}")
    if not children:
        raise MeetingError("Select the children the meeting is about")
    if len(children) > 1 and not kind_rule.several_children:
        raise MeetingError(f"A {in_sentence(kind_rule.label)} is about one child: convene a "
                           "complex strategy meeting for several linked children")
    who = catalogue.chair(profile, kind)
    convenor_needs_acceptance = check_convenor(by, children, who)
    if convenor_needs_acceptance and not convenor_reason.strip():
        raise MeetingError(
            f"The {in_sentence(who.label)} is convened by: {who.convened_by} ({who.citation}). "
            "Say why you convene it: a manager of the area then accepts it before the meeting "
            "can be recorded as held")
    needs_acceptance = rules.chair_needs_acceptance(who, chair.role)
    if needs_acceptance and not chair_reason.strip():
        raise MeetingError(
            f"The {in_sentence(who.label)} is chaired by: {who.chaired_by} ({who.citation}). "
            f"Choose a chair of that role, or say why {chair.display_name} chairs it: a "
            "manager then accepts it before the meeting can be recorded as held")
    if not rules.format_allowed(kind_rule, format):
        raise MeetingError(f"A {in_sentence(kind_rule.label)} is a meeting, never a telephone "
                           f"discussion ({kind_rule.citation})")
    due = [(at, basis, day) for at, basis, day in (queries.deadline(c, kind_rule)
                                                   for c in children) if at is not None]
    due_at, due_basis, all_day = min(due, key=lambda d: d[0]) if due else (None, "", False)
    if due_at is not None and _late(scheduled_for, due_at, all_day) and not late_reason.strip():
        when = timezone.localtime(due_at)
        raise MeetingError(
            f"The meeting is due by {when:%-d %B %Y}"
            + ("" if all_day else f" {when:%H:%M}")
            + f" ({due_basis}). Choose an earlier date or say why it cannot be held by then")
    joint = any(c.area_id != area.pk for c in children)
    meeting = Meeting.objects.create(
        area=area, kind=kind, profile=profile.code, label=who.label,
        chair_basis=(f"Chaired by: {who.chaired_by}. Convened by: {who.convened_by}. "
                     f"({who.citation}"
                     + ("; the profile names no such meeting, so Lantern uses the usual chair"
                        " of this kind)" if who.adopted else ")"))[:400],
        chair=chair, convened_by=by, scheduled_for=scheduled_for, format=format, venue=venue,
        chair_reason=chair_reason.strip() if needs_acceptance else "",
        chair_acceptance=ChairAcceptance.AWAITED if needs_acceptance else "",
        convenor_reason=convenor_reason.strip() if convenor_needs_acceptance else "",
        convenor_acceptance=ChairAcceptance.AWAITED if convenor_needs_acceptance else "",
        joint=joint, trigger=trigger, due_at=due_at, due_basis=due_basis[:300],
        late_reason=late_reason.strip() if due_at and _late(scheduled_for, due_at, all_day)
        else "",
        agenda_template=kind_rule.agenda,
    )
    for child in children:
        MeetingChild.objects.create(meeting=meeting, child=child)
    for other in sorted({c.area for c in children if c.area_id != area.pk}, key=lambda a: a.pk):
        _ask_agreement(meeting, other, by=by)
    if needs_acceptance:
        work.open_item(area=area, kind=CHAIR_ACCEPTANCE,
                       title=f"Accept or refuse the chair of a {in_sentence(who.label)}",
                       due_at=scheduled_for,
                       basis=f"Before the meeting: {chair.display_name} is not of a role the "
                       f"procedure names to chair it ({who.chaired_by}; {who.citation})",
                       owner_role=Role.CSE_MANAGER, source=meeting,
                       url=meeting.get_absolute_url(), by=by)
    if convenor_needs_acceptance:
        work.open_item(area=area, kind=CONVENOR_ACCEPTANCE,
                       title=f"Accept or refuse the convenor of a {in_sentence(who.label)}",
                       due_at=scheduled_for,
                       basis=f"Before the meeting: {by.display_name} is not of a role the "
                       f"procedure names to convene it ({who.convened_by}; {who.citation})",
                       owner_role=Role.CSE_MANAGER, source=meeting,
                       url=meeting.get_absolute_url(), by=by)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=i, code=item.code, title=item.title,
                   citation=item.citation, closed_hint=item.closed_hint)
        for i, item in enumerate(data.agendas[kind_rule.agenda], start=1)
    )
    _invite(meeting, InviteInput("chair", user=chair), by=by)
    if by.pk != chair.pk:
        _invite(meeting, InviteInput("convenor", user=by), by=by)
    for invitation in invitations:
        if invitation.user is not None and Invitation.objects.filter(
                meeting=meeting, user=invitation.user).exists():
            continue
        _invite(meeting, invitation, by=by)
    when = timezone.localtime(scheduled_for)
    for child in children:
        audit.record(by, "create", meeting, child=child, summary=f"Convened: {who.label}",
                     changes=audit.created(meeting, ("kind", "profile", "chair_id",
                                                     "scheduled_for", "format", "joint",
                                                     "due_at", "late_reason", "chair_reason",
                                                     "chair_acceptance", "convenor_reason",
                                                     "convenor_acceptance")))
        add_chronology(child, kind="meeting_convened",
                       title=f"{who.label} convened for {when:%-d %B %Y at %H:%M}",
                       occurred_at=meeting.convened_at, by=by,
                       detail=f"Chair: {chair.display_name}. {meeting.chair_basis}"
                       + (f" {chair.display_name} is not of a role the procedure names to "
                          f"chair it; the reason given: {meeting.chair_reason} A manager's "
                          "acceptance is awaited." if needs_acceptance else "")
                       + (f" {by.display_name} is not of a role the procedure names to convene "
                          f"it; the reason given: {meeting.convenor_reason} A manager's "
                          "acceptance is awaited." if convenor_needs_acceptance else ""),
                       url=meeting.get_absolute_url())
        if child.area_id == area.pk:
            # Another area's child's pathway moves on only once that area agrees
            # (record_agreement): the convening area does not write to it before.
            _move_pathway_on_convening(child, kind_rule, meeting, by=by)
    return meeting


def _move_pathway_on_convening(child: Child, kind: rules.Kind, meeting: Meeting, *,
                               by: User) -> None:
    """A meeting or strategy discussion convened moves the child's pathway to that step (and
    its deadline), where the pathway may go there; a review is already the plan's next step."""
    if kind.step == "review":
        return
    pathway = pathway_queries.open_pathway(child)
    if pathway is None or pathway.state == kind.step:
        return
    if pathway_rules.allowed(pathway.state, kind.step):
        pathway_actions.advance(child, kind.step, by=by,
                                note=f"{meeting.label} convened ({meeting.get_absolute_url()})")


def _invite(meeting: Meeting, given: InviteInput, *, by: User) -> Invitation:
    data = catalogue.get()
    spec = data.invitees.get(given.invitee)
    professional = spec.professional if spec else True
    agency = given.agency or (given.user.agency if given.user is not None else None)
    agency_kind = given.agency_kind or (agency.kind if agency is not None else
                                        (spec.agency_kind if spec else ""))
    name = given.name.strip() or (given.user.display_name if given.user else "")
    if not name:
        raise MeetingError(f"Enter the name of the {queries.invitee_label(given.invitee).lower()}")
    invitation = Invitation.objects.create(
        meeting=meeting, invitee=given.invitee, user=given.user, name=name[:200],
        agency=agency, agency_kind=agency_kind, professional=professional,
        for_child=given.for_child, added_by=by)
    audit.record(by, "invite", invitation,
                 summary=f"Invited: {queries.invitee_label(given.invitee)}",
                 changes=audit.created(invitation, ("invitee", "user_id", "agency_id",
                                                    "professional")))
    if invitation.user is not None and professional:
        # The meeting shares information about its children with the professionals invited
        # (seed 000 §14), for the meeting's purpose and time: the grant ends when the meeting
        # is cancelled, or a while after it is held (MEETING_ACCESS_AFTER_HELD).
        # Another area's children only once that area has agreed (AreaAgreement).
        agreed = set(meeting.agreements.filter(state=AreaAgreement.State.AGREED)
                     .values_list("area_id", flat=True))
        for record in MeetingChild.objects.filter(meeting=meeting).select_related("child"):
            if record.child.area_id == meeting.area_id:
                grants.grant(record.child, basis=GrantBasis.MEETING_INVITATION,
                             user=invitation.user, by=by, source=invitation,
                             reason=f"Invited to a meeting ({meeting.label})")
            elif record.child.area_id in agreed:
                grants.grant(record.child, basis=GrantBasis.CROSS_AREA_AGREEMENT,
                             user=invitation.user, by=by, source=invitation,
                             reason=f"Invited to a joint meeting ({meeting.label}) the child's "
                             "area agreed to")
    return invitation


CHAIR_ACCEPTANCE = "chair_acceptance"
CONVENOR_ACCEPTANCE = "convenor_acceptance"


def _lock_for_acceptance(meeting: Meeting, role: str, by: User, *,
                         not_by: tuple[str, ...]) -> Meeting:
    """The meeting, locked, once the rules for a manager's acceptance of its chair or
    convenor (`role`) are checked."""
    locked = (Meeting.objects.select_for_update().select_related("chair", "convened_by")
              .get(pk=meeting.pk))
    if getattr(locked, f"{role}_acceptance") != ChairAcceptance.AWAITED:
        raise MeetingError(f"No {role} is awaiting a manager's acceptance at this meeting")
    if locked.status != Meeting.Status.CONVENED:
        raise MeetingError("The meeting is no longer open")
    if not (pathway_actions.may_except(by) and by.working_agency.area_id == locked.area_id):
        raise MeetingError(f"Only a manager in the convening area accepts the {role}")
    if by.pk in [getattr(locked, field) for field in not_by]:
        raise MeetingError("Another manager decides: not the convenor"
                           + (" or the chair" if role == "chair" else ""))
    return locked


def _record_acceptance(locked: Meeting, role: str, person: User, *, by: User, accept: bool,
                       reason: str, work_kind: str) -> Meeting:
    """A manager's acceptance or refusal of the meeting's chair or convenor (`role`, naming
    the `{role}_acceptance`, `_decided_by`, `_decided_at`, `_reason` and `_decision_reason`
    fields): saved, audited and written to each child's chronology; the manager's work
    closes."""
    reason = reason.strip()
    if not accept and not reason:
        raise MeetingError(f"Enter why the {role} is refused")
    given = getattr(locked, f"{role}_reason")
    old = {f"{role}_acceptance": getattr(locked, f"{role}_acceptance"),
           f"{role}_decision_reason": ""}
    now = timezone.now()
    setattr(locked, f"{role}_acceptance",
            ChairAcceptance.ACCEPTED if accept else ChairAcceptance.REFUSED)
    setattr(locked, f"{role}_decided_by", by)
    setattr(locked, f"{role}_decided_at", now)
    setattr(locked, f"{role}_decision_reason", reason)
    locked.save(update_fields=[f"{role}_acceptance", f"{role}_decided_by",
                               f"{role}_decided_at", f"{role}_decision_reason"])
    verb = "accepted" if accept else "refused"
    why = {"chair": "Why they chair", "convenor": "Why they convene"}[role]
    for record in MeetingChild.objects.filter(meeting=locked).select_related("child"):
        audit.record(by, f"accept_{role}" if accept else f"refuse_{role}", locked,
                     child=record.child, reason=reason or given,
                     summary=f"{role.capitalize()} {verb}: {person.display_name}",
                     changes=audit.diff(old, {f"{role}_acceptance":
                                              getattr(locked, f"{role}_acceptance"),
                                              f"{role}_decision_reason": reason}))
        add_chronology(record.child, kind=f"meeting_{role}_decided",
                       title=f"{locked.label}: a manager {verb} {person.display_name} "
                             f"as {role}",
                       occurred_at=now, by=by,
                       detail=f"{why}: {given}" + (f" The manager: {reason}" if reason else ""),
                       url=locked.get_absolute_url())
    work.close_items(source=locked, kind=work_kind, by=by)
    return locked


@transaction.atomic
def decide_chair(meeting: Meeting, *, by: User, accept: bool, reason: str = "") -> Meeting:
    """A manager of the convening area accepts, or refuses with a reason, a chair of a role the
    profile does not name (issue 14, item 2). Neither the convenor who gave the reason nor the
    chair decides it. Audited, written to each child's chronology and closes the manager's
    work; a refused chair means the meeting is cancelled and convened again."""
    locked = _lock_for_acceptance(meeting, "chair", by,
                                  not_by=("convened_by_id", "chair_id"))
    return _record_acceptance(locked, "chair", locked.chair, by=by, accept=accept,
                              reason=reason, work_kind=CHAIR_ACCEPTANCE)


@transaction.atomic
def decide_convenor(meeting: Meeting, *, by: User, accept: bool, reason: str = "") -> Meeting:
    """A manager of the convening area accepts, or refuses with a reason, a convenor of a role
    the profile does not name (issue 14, item 2; the same shape as the chair's acceptance).
    The convenor does not decide it; the chair may. Audited, written to each child's
    chronology and closes the manager's work; a refused convenor means the meeting is
    cancelled and convened again by whom the profile names."""
    locked = _lock_for_acceptance(meeting, "convenor", by, not_by=("convened_by_id",))
    return _record_acceptance(locked, "convenor", locked.convened_by, by=by, accept=accept,
                              reason=reason, work_kind=CONVENOR_ACCEPTANCE)


AGREEMENT_DAYS = 2  # Lantern's default for the other area's answer; the seeds set none.


def _ask_agreement(meeting: Meeting, area: Area, *, by: User) -> AreaAgreement:
    """A joint meeting waits for each other area's agreement before anyone it invites sees
    that area's children (seed 003 §11): that area's CSE team manager is asked in their tray."""
    agreement = AreaAgreement.objects.create(meeting=meeting, area=area)
    audit.record(by, "request_agreement", agreement,
                 summary=f"Asked {area.name} to agree to a joint meeting")
    work.open_item(area=area, kind="joint_meeting_agreement",
                   title=f"Agree or decline a joint {meeting.label.lower()} convened by "
                   f"{meeting.area.name}",
                   due_at=timezone.now() + timedelta(days=AGREEMENT_DAYS),
                   basis=f"Within {AGREEMENT_DAYS} days (Lantern's default; the procedures "
                   "set no timescale)", owner_role=Role.CSE_MANAGER, source=agreement,
                   url=meeting.get_absolute_url(), by=by)
    return agreement


@transaction.atomic
def record_agreement(agreement: AreaAgreement, *, by: User, agreed: bool,
                     reason: str = "") -> AreaAgreement:
    """The other area's CSE team manager agrees to the joint meeting, or declines with a
    reason. Agreeing gives each professional invited so far (and each invited later) a grant
    to that area's children in the meeting, ending with their invitation's access."""
    locked = AreaAgreement.objects.select_for_update().select_related("meeting").get(
        pk=agreement.pk)
    if by.role != Role.CSE_MANAGER or by.working_agency.area_id != locked.area_id:
        raise MeetingError(f"Only a CSE team manager of {locked.area.name} records its "
                           "agreement")
    if locked.state != AreaAgreement.State.AWAITED:
        raise MeetingError(f"{locked.area.name} has already "
                           f"{locked.get_state_display().lower()}")
    if not agreed and not reason.strip():
        raise MeetingError("Enter why the area declines the joint meeting")
    meeting = locked.meeting
    old = locked.state
    locked.state = AreaAgreement.State.AGREED if agreed else AreaAgreement.State.DECLINED
    locked.decided_by, locked.decided_at, locked.reason = by, timezone.now(), reason.strip()
    locked.save()
    audit.record(by, "agree" if agreed else "decline", locked,
                 summary=f"{locked.area.name} {locked.get_state_display().lower()} to a joint "
                 "meeting", reason=reason.strip(),
                 changes=audit.diff({"state": old}, {"state": locked.state}))
    work.close_items(source=locked, by=by)
    if agreed and meeting.is_open:
        records = list(MeetingChild.objects.filter(meeting=meeting, child__area=locked.area)
                       .select_related("child"))
        kind_rule = catalogue.get().kind(meeting.kind)
        for record in records:
            _move_pathway_on_convening(record.child, kind_rule, meeting, by=by)
        for invitation in Invitation.objects.filter(meeting=meeting, user__isnull=False,
                                                    professional=True).select_related("user"):
            for record in records:
                grants.grant(record.child, basis=GrantBasis.CROSS_AREA_AGREEMENT,
                             user=invitation.user, by=by, source=invitation,
                             reason=f"{locked.area.name} agreed to a joint meeting "
                             f"({meeting.label})")
    return locked


def _end_invitation_grants(meeting: Meeting, *, by: User, at: datetime, reason: str) -> None:
    for invitation in Invitation.objects.filter(meeting=meeting, user__isnull=False):
        grants.end_for_source(invitation, by=by, at=at, reason=reason)


@transaction.atomic
def invite(meeting: Meeting, *, by: User, invitee: str, user: User | None = None,
           name: str = "", agency: Agency | None = None, agency_kind: str = "",
           for_child: Child | None = None) -> Invitation:
    if not meeting.is_open:
        raise MeetingError("The meeting has been held: its invitation list is closed")
    if invitee not in catalogue.get().invitees and invitee not in queries.SPECIAL_INVITEES:
        raise MeetingError("Select who you are inviting")
    if user is not None and Invitation.objects.filter(meeting=meeting, user=user).exists():
        raise MeetingError(f"{user.display_name} is already invited")
    return _invite(meeting, InviteInput(invitee, user, name, agency, agency_kind, for_child),
                   by=by)


@transaction.atomic
def record_attendance(meeting: Meeting, attendance: dict[int, str], *, by: User) -> int:
    """Who attended, sent apologies or did not attend. Returns how many changed."""
    changed = 0
    for invitation in Invitation.objects.select_for_update().filter(
            meeting=meeting, pk__in=list(attendance)):
        new = attendance[invitation.pk]
        if new not in Attendance.values:
            raise MeetingError("Select whether each person attended")
        if invitation.attendance == new:
            continue
        old = invitation.attendance
        invitation.attendance = new
        invitation.save(update_fields=["attendance"])
        audit.record(by, "update", invitation, summary="Recorded attendance",
                     changes=audit.diff({"attendance": old}, {"attendance": new}))
        changed += 1
    return changed


@transaction.atomic
def cancel(meeting: Meeting, *, by: User, reason: str) -> Meeting:
    """Call off a meeting not yet held. The deadline for holding one stays where it was (the
    pathway's work item), so the meeting is convened again within the timescale."""
    if not reason.strip():
        raise MeetingError("Enter why the meeting is cancelled")
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status != Meeting.Status.CONVENED:
        raise MeetingError("Only a meeting not yet held can be cancelled")
    locked.status = Meeting.Status.CANCELLED
    locked.save(update_fields=["status"])
    # A chair's (or convenor's) acceptance awaited is no longer anyone's work.
    for kind in (CHAIR_ACCEPTANCE, CONVENOR_ACCEPTANCE):
        work.close_items(source=locked, kind=kind, by=by, status=WorkItem.Status.CANCELLED)
    _end_invitation_grants(locked, by=by, at=timezone.now(),
                           reason="The meeting was cancelled")
    for record in MeetingChild.objects.filter(meeting=locked).select_related("child"):
        audit.record(by, "cancel", locked, child=record.child, reason=reason.strip(),
                     summary=f"Cancelled: {locked.label}",
                     changes=audit.diff({"status": "convened"}, {"status": "cancelled"}))
        add_chronology(record.child, kind="meeting_cancelled",
                       title=f"{locked.label} cancelled", occurred_at=timezone.now(), by=by,
                       detail=reason.strip(), url=locked.get_absolute_url())
    return locked


# --- The child's and family's participation -----------------------------------------------------

def participation_rule(profile: Profile) -> ParticipationRule:
    if profile.participation is None:  # every profile read from data has one (its schema)
        raise MeetingError(f"The {profile.name} profile does not say who decides whether the "
                           "child and family attend")
    return profile.participation


def may_decide_participation(user: User, meeting: Meeting) -> bool:
    rule = pathway_queries.profile(meeting.profile).participation
    return rule is not None and rule.may_decide(user.role, is_chair=user.pk == meeting.chair_id)


@transaction.atomic
def record_participation(record: MeetingChild, *, by: User, child_participation: str,
                         family_participation: str, reason: str, decided_with: str,
                         family_warned: bool | None = None) -> MeetingChild:
    """Whether the child and family attend, decided by whom the area's profile says (issue 14,
    item 2; Coventry: the CSE team manager with the child's social work manager, seed 001;
    Bristol: the consultant social worker chairing, seed 003 §11); the decision, with whom it
    was made and why are recorded."""
    profile = pathway_queries.profile(record.meeting.profile)
    rule = participation_rule(profile)
    if not rule.may_decide(by.role, is_chair=by.pk == record.meeting.chair_id):
        raise MeetingError(f"Whether the child and family attend is decided by "
                           f"{rule.describe()} ({rule.citation})")
    if child_participation not in Participation.values or (
            family_participation not in Participation.values):
        raise MeetingError("Select whether the child and the family attend")
    if not reason.strip():
        raise MeetingError("Enter the reason for the decision")
    if rule.decided_with and not decided_with.strip():
        raise MeetingError(f"Enter who the decision was made with ({rule.decided_with})")
    extra = catalogue.get().additions(profile, record.meeting.kind)
    if extra.family_warned and family_participation in (Participation.WHOLE, Participation.PART
                                                        ) and family_warned is None:
        raise MeetingError("Say whether the parents were told beforehand that they will be "
                           "asked to leave for a confidential section")
    locked = MeetingChild.objects.select_for_update().get(pk=record.pk)
    fields = {"child_participation": child_participation,
              "family_participation": family_participation,
              "participation_reason": reason.strip(), "participation_decided_with":
              decided_with.strip(), "family_warned": family_warned,
              "participation_decided_by": by}
    changes = audit.diff(locked, fields, changed_only=True)
    for name, value in fields.items():
        setattr(locked, name, value)
    # Not a change to the risk assessment and outcomes, so their version stays as it is.
    locked.save(update_fields=list(fields))
    audit.record(by, "update", locked, child=locked.child,
                 summary="Recorded the child's and family's participation", changes=changes)
    return locked


# --- Minutes and closed sections ------------------------------------------------------------------

def _require_open(meeting: Meeting, *, held_too: bool = False) -> None:
    """The meeting as it is in the database now (an object passed in may be older)."""
    status = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).get()
    if status == Meeting.Status.CANCELLED:
        raise MeetingError("The meeting was cancelled")
    if held_too and status == Meeting.Status.HELD:
        raise MeetingError("The meeting has been held: its record is closed")


@transaction.atomic
def save_minutes(item: AgendaItem, *, minutes: str, version: int, by: User) -> AgendaItem:
    _require_open(item.meeting)
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if locked.version != version:
        raise StaleRecord(_stale_message(locked.updated_by, locked.updated_at))
    changes = audit.diff(locked, {"minutes": minutes}, changed_only=True)
    locked.minutes = minutes
    locked.updated_at = timezone.now()
    locked.updated_by = by
    locked.version += 1
    locked.save()
    for child in item.meeting.children.all():
        audit.record(by, "update", locked, child=child, summary="Recorded minutes",
                     changes=changes)
    return locked


def _stale_message(who: User | None, when: datetime | None) -> str:
    by = f" by {who.display_name}" if who else ""
    at = f" at {timezone.localtime(when):%H:%M}" if when else ""
    return (f"This was changed{by}{at} while you were editing it. Your changes have not been "
            "saved: read it as it is now, then make your changes again.")


@transaction.atomic
def request_closed_section(meeting: Meeting, *, by: User, reason: str,
                           agenda_item: AgendaItem | None = None) -> ClosedSection:
    """seed 001: any professional attending may request a closed access section."""
    _require_open(meeting)
    if not reason.strip():
        raise MeetingError("Enter why part of the meeting should be closed to the child and "
                           "family")
    section = ClosedSection.objects.create(meeting=meeting, agenda_item=agenda_item,
                                           requested_by=by, reason=reason.strip())
    audit.record(by, "create", section, summary="Requested a closed section",
                 changes=audit.created(section, ("reason", "agenda_item_id")))
    return section


@transaction.atomic
def decide_closed_section(section: ClosedSection, *, by: User, grant: bool,
                          explanation_to_family: str = "",
                          refusal_reason: str = "") -> ClosedSection:
    """seed 001: the chair decides, and explains the reasons to the child and family."""
    locked = ClosedSection.objects.select_for_update().select_related("meeting").get(
        pk=section.pk)
    if locked.meeting.chair_id != by.pk:
        raise MeetingError("Only the chair decides whether part of the meeting is closed")
    if locked.status != ClosedSection.Status.REQUESTED:
        raise MeetingError("The chair has already decided on this request")
    if grant and not explanation_to_family.strip():
        raise MeetingError("Enter what you explained to the child and family about why part "
                           "of the meeting is closed")
    if not grant and not refusal_reason.strip():
        raise MeetingError("Enter why the meeting stays open")
    locked.status = (ClosedSection.Status.GRANTED if grant else ClosedSection.Status.REFUSED)
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.explanation_to_family = explanation_to_family.strip() if grant else ""
    locked.refusal_reason = "" if grant else refusal_reason.strip()
    locked.save()
    audit.record(by, "decide", locked,
                 summary="Granted a closed section" if grant else "Refused a closed section",
                 changes=audit.diff({"status": "requested", "explanation_to_family": ""},
                                    locked, ("status", "explanation_to_family")))
    return locked


@transaction.atomic
def save_closed_minutes(section: ClosedSection, *, minutes: str, by: User) -> ClosedSection:
    locked = ClosedSection.objects.select_for_update().get(pk=section.pk)
    if locked.status != ClosedSection.Status.GRANTED:
        raise MeetingError("Minutes are recorded only for a closed section the chair granted")
    changes = audit.diff(locked, {"minutes": minutes}, changed_only=True)
    locked.minutes = minutes
    locked.minutes_updated_at = timezone.now()
    locked.save(update_fields=["minutes", "minutes_updated_at"])
    audit.record(by, "update", locked, summary="Recorded closed section minutes",
                 changes=changes)
    return locked


# --- Each child's record: risk, outcomes, decisions ----------------------------------------------

RECORD_FIELDS = ("risk_framework", "risk_category", "risk_analysis", "csc_input",
                 "police_input", "police_input_by", "health_input", "other_input", "outcomes",
                 "section_47", "next_review_on", "exit_strategy", "plan_review")


@transaction.atomic
def record_child_outcome(record: MeetingChild, *, by: User, version: int, **values
                         ) -> MeetingChild:
    """The child's own record of the meeting: the CSE risk assessment and the level of risk
    the meeting sets (seed 001), its outcomes (SPEC §5), and the date of the next review."""
    unknown = set(values) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _require_open(record.meeting, held_too=True)
    data = catalogue.get()
    for code in values.get("outcomes", []):
        data.outcome(code)
    review = values.get("next_review_on")
    if review is not None and review < timezone.localdate():
        raise MeetingError("The review date must be today or in the future")
    locked = MeetingChild.objects.select_for_update().get(pk=record.pk)
    if locked.version != version:
        raise StaleRecord(_stale_message(None, locked.updated_at))
    changes = audit.diff(locked, values, changed_only=True)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save()
    audit.record(by, "update", locked, child=locked.child,
                 summary="Recorded the meeting's risk assessment and outcomes", changes=changes)
    return locked


@transaction.atomic
def record_oversight(record: MeetingChild, *, by: User, comment: str,
                     recorded_on_police_systems: bool = False) -> MeetingChild:
    """seed 001: management oversight and comments by the CSE team manager and the police
    detective sergeant, who ensures the level of risk is recorded on police systems."""
    if not comment.strip():
        raise MeetingError("Enter your comments on the risk assessment")
    locked = MeetingChild.objects.select_for_update().get(pk=record.pk)
    if locked.risk_category is None:
        raise MeetingError("The meeting has not yet set the level of risk")
    now = timezone.now()
    if by.role == Role.CSE_MANAGER:
        fields = {"manager_oversight": comment.strip(), "manager_oversight_by": by,
                  "manager_oversight_at": now}
    elif by.role == Role.POLICE:
        fields = {"police_oversight": comment.strip(), "police_oversight_by": by,
                  "police_oversight_at": now,
                  "recorded_on_police_systems": recorded_on_police_systems}
    else:
        raise MeetingError("Oversight is by the CSE team manager and the police")
    changes = audit.diff(locked, fields, changed_only=True)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    audit.record(by, "oversee", locked, child=locked.child,
                 summary="Recorded oversight of the CSE risk assessment", changes=changes)
    return locked


@transaction.atomic
def record_decision(meeting: Meeting, *, children: list[Child], text: str, by: User,
                    closed_section: ClosedSection | None = None) -> list[MeetingDecision]:
    """A decision about one or several children: one row for each, so each child's record
    holds the decisions that concern them."""
    _require_open(meeting)
    if not text.strip():
        raise MeetingError("Enter the decision")
    if not children:
        raise MeetingError("Select the children the decision concerns")
    in_meeting = set(meeting.records.values_list("child_id", flat=True))
    if any(c.pk not in in_meeting for c in children):
        raise MeetingError("A decision concerns only children the meeting is about")
    if closed_section is not None and not ClosedSection.objects.filter(
            pk=closed_section.pk, meeting=meeting,
            status=ClosedSection.Status.GRANTED).exists():
        raise MeetingError("Select a closed section of this meeting that the chair granted")
    rows = []
    for child in children:
        row = MeetingDecision.objects.create(meeting=meeting, child=child, text=text.strip(),
                                             closed_section=closed_section, recorded_by=by)
        audit.record(by, "create", row, child=child, summary="Recorded a meeting decision",
                     changes=audit.created(row, ("text", "closed_section_id")))
        rows.append(row)
    return rows


# --- Holding the meeting ------------------------------------------------------------------------

@transaction.atomic
def conclude(meeting: Meeting, *, by: User, at: datetime | None = None,
             absence_acknowledged: bool = False) -> Meeting:
    """The meeting has been held: each child's record is final, their plan takes its review
    date (and, at a review, the review), and their pathway moves on. Not before the meeting's
    start, not without attendance recorded, and, when the police or children's social care
    were absent, only once that is acknowledged (issue 14, item 3)."""
    at = at or timezone.now()
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status != Meeting.Status.CONVENED:
        raise MeetingError("The meeting has already been recorded as held or was cancelled")
    records = list(MeetingChild.objects.filter(meeting=locked).select_related("child__area"))
    problems = queries.conclusion_problems(locked, records)
    if problems:
        raise MeetingError("Before the meeting is recorded as held: " + "; ".join(problems))
    if at < locked.scheduled_for:
        when = timezone.localtime(locked.scheduled_for)
        raise MeetingError(f"The meeting starts at {when:%H:%M} on {when:%-d %B %Y}: it cannot "
                           "be recorded as held before it starts")
    absences = [w["text"] for w in queries.warnings(
        locked, list(Invitation.objects.filter(meeting=locked)))]
    if absences and not absence_acknowledged:
        raise AbsenceNotAcknowledged(
            "Confirm that the meeting was held without them: " + "; ".join(absences))
    kind = catalogue.get().kind(locked.kind)
    locked.status = Meeting.Status.HELD
    locked.held_at = at
    locked.concluded_by = by
    locked.became_strategy_discussion = any(
        rules.becomes_strategy_discussion(kind, section_47=r.section_47) for r in records)
    locked.save()
    _end_invitation_grants(locked, by=by, at=at + MEETING_ACCESS_AFTER_HELD,
                           reason="The meeting was held: invitees read its record for "
                                  f"{MEETING_ACCESS_AFTER_HELD.days} days")
    for record in records:
        child = record.child
        audit.record(by, "hold", locked, child=child, summary=f"Held: {locked.label}",
                     changes=audit.diff({"status": "convened"},
                                        {"status": "held", "risk_category": record.risk_category,
                                         "outcomes": record.outcomes,
                                         "next_review_on": record.next_review_on,
                                         "absence_acknowledged": absences or None}))
        plan = plan_actions.start_plan(child, by=by, meeting=locked)
        if kind.agenda == "review" and record.plan_review.strip():
            plan_actions.review_plan(plan, by=by, meeting=locked, summary=record.plan_review,
                                     next_review_on=record.next_review_on)
        elif record.next_review_on is not None:
            plan_actions.set_review_date(plan, by=by, next_review_on=record.next_review_on)
        add_chronology(child, kind="meeting_held", title=f"{locked.display_label} held",
                       occurred_at=at, by=by, detail=_held_detail(record),
                       url=locked.get_absolute_url())
        _move_pathway_on_holding(child, kind, locked, record, by=by, at=at)
        _tell_referrer(locked, kind, record, by=by)
    return locked


STRATEGY_KINDS = ("strategy_discussion", "strategy_meeting")


def _tell_referrer(meeting: Meeting, kind: rules.Kind, record: MeetingChild, *, by: User
                   ) -> None:
    """The person who made the child's latest referral is told that the strategy discussion
    (or meeting) was held, where the area's procedures say so (seed 002 §5.8)."""
    if not (kind.code in STRATEGY_KINDS
            or rules.becomes_strategy_discussion(kind, section_47=record.section_47)):
        return
    child = record.child
    referral = pathway_queries.latest_referral(child)
    if referral is None:
        return
    profile = pathway_queries.profile_for(child.area)
    notify.tell_by_rules("strategy_concluded", area=child.area, url=meeting.get_absolute_url(),
                         source=meeting, by=by, child=child, profile=profile.code,
                         base=profile.base, people={"referrer": [referral.referred_by]})


def _held_detail(record: MeetingChild) -> str:
    data = catalogue.get()
    outcomes = ", ".join(in_sentence(data.outcome(c).label) for c in record.outcomes)
    parts = ([f"Level of risk set: category {record.risk_category}."]
             if record.risk_category is not None else []) + [f"Outcomes: {outcomes}."]
    if record.section_47:
        parts.append("A section 47 enquiry was decided.")
    if record.next_review_on:
        parts.append(f"Next review by {record.next_review_on:%-d %B %Y}.")
    if record.exit_strategy:
        parts.append(f"Exit strategy: {record.exit_strategy}")
    return " ".join(parts)


def _move_pathway_on_holding(child: Child, kind: rules.Kind, meeting: Meeting,
                             record: MeetingChild, *, by: User, at: datetime) -> None:
    """The pathway moves through its own actions: a meeting agrees the plan (with its review
    date); a review is held (setting the next); a MASE deciding on a section 47 enquiry becomes
    a strategy discussion there and then (seed 001), after which the plan is agreed."""
    pathway = pathway_queries.open_pathway(child)
    if pathway is None:
        return
    # The requirements this meeting answers are met, then the level it set may call for more.
    pathway_actions.meeting_held(child, kind=meeting.kind,
                                 became_strategy_discussion=meeting.became_strategy_discussion,
                                 by=by, at=at, url=meeting.get_absolute_url())
    pathway_actions.responses_met_by_meeting(child, kind=meeting.kind, by=by, at=at,
                                             url=meeting.get_absolute_url())
    if record.risk_framework and record.risk_category is not None:
        pathway_actions.require_meetings(child, framework=record.risk_framework,
                                         category=record.risk_category, by=by, at=at)
        pathway_actions.open_responses(child, framework=record.risk_framework,
                                       category=record.risk_category, by=by, at=at)
    note = f"{meeting.display_label} held ({meeting.get_absolute_url()})"
    if record.section_47:
        pathway_actions.record_section_47(child, by=by, reason=note)
        if pathway.state != Step.STRATEGY_DISCUSSION and pathway_rules.allowed(
                pathway.state, Step.STRATEGY_DISCUSSION):
            pathway_actions.advance(child, Step.STRATEGY_DISCUSSION, by=by, at=at,
                                    note=note + ": the meeting became a strategy discussion")
        pathway = pathway_queries.open_pathway(child)
    review_on = record.next_review_on
    if pathway is None:
        return
    if review_on is None:
        # A review held with no further review needed still counts as a review held (the
        # minimum the level calls for, issue 14 item 4); its record named the exit strategy.
        # A review group that sets no level (CMOG) is not the review of the plan.
        if kind.step == "review" and kind.sets_level and pathway.state in (Step.PLAN,
                                                                            Step.REVIEW):
            pathway_actions.advance(child, Step.REVIEW, by=by, at=at,
                                    note=note + ": no further review needed")
        return
    target = Step.REVIEW if pathway.state in (Step.PLAN, Step.REVIEW) else Step.PLAN
    if target == Step.PLAN and pathway_queries.outstanding_requirements(pathway):
        # Another meeting the child's category calls for is still to be held: the pathway
        # waits for it (or a manager's exception) before the plan step (issue 14).
        return
    if pathway_rules.allowed(pathway.state, target):
        pathway_actions.advance(child, target, by=by, at=at, note=note, review_on=review_on)
