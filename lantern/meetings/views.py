"""Meeting pages: convening, the running meeting (attendance, participation, agenda and
minutes, closed sections, each child's record, decisions), holding it, and the minutes as PDF.
Every object comes through lantern.meetings.access; every read and write is audited."""

from collections.abc import Callable
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lantern.domain import meetings as rules
from lantern.foundation import audit
from lantern.foundation.access import (
    NO_IDENTITY_ROLES,
    get_child_for_user,
    require_contributor,
    visible_children,
)
from lantern.foundation.http import AuthenticatedHttpRequest, parse_id
from lantern.foundation.models import Child, Role, User
from lantern.foundation.pdf import response as pdf_response
from lantern.pathway import actions as pathway_actions
from lantern.pathway import queries as pathway_queries
from lantern.people import queries as people_queries
from lantern.screening import queries as screening_queries

from . import access, actions, catalogue, pdf, queries
from .forms import (
    AgreementForm,
    AttendanceForm,
    CancelForm,
    ChairDecisionForm,
    ChildRecordForm,
    ClosedDecisionForm,
    ClosedMinutesForm,
    ClosedRequestForm,
    ConcludeForm,
    ConveneForm,
    ConvenorDecisionForm,
    DecisionForm,
    InviteForm,
    KindForm,
    MinutesForm,
    OversightForm,
    ParticipationForm,
)
from .models import (
    AgendaItem,
    AreaAgreement,
    ChairAcceptance,
    ClosedSection,
    Meeting,
    MeetingChild,
)

CHAIR_ROLES = (Role.CSE_MANAGER, Role.SOCIAL_WORKER, Role.POLICE, Role.FRONT_DOOR)


def _form_data(request):
    return request.POST if request.method == "POST" else None


# --- Lists ------------------------------------------------------------------------------------

@require_http_methods(["GET"])
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_contributor(request.user)
    rows = queries.meetings_for(request.user)
    audit.record(request.user, "list", summary="Opened the meetings list",
                 changes={"meetings": [m.pk for m in rows],
                          "children": sorted({child.pk for m in rows
                                              for child, named in m.child_rows if named})})
    return render(request, "meetings/list.html", {"rows": rows})


@require_http_methods(["GET"])
def child_meetings(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    require_contributor(request.user)
    child, _ = get_child_for_user(request.user, child_id)
    rows = queries.child_meetings(child)
    audit.record(request.user, "view", child, child=child, summary="Read the child's meetings")
    return render(request, "meetings/child_meetings.html", {
        "child": child, "rows": rows, "may_convene": bool(_convenable(request.user, [child])),
    })


# --- Convening --------------------------------------------------------------------------------

def _convenable(user, children) -> list[tuple[str, rules.Chair]]:
    """The kinds of meeting the user may convene for these children in their area."""
    if user.role in NO_IDENTITY_ROLES or not user.agency_id:
        return []
    data = catalogue.get()
    profile = pathway_queries.profile_for(user.agency.area)
    found = []
    for code in rules.offered_kinds(data, profile):
        if len(children) > 1 and not data.kind(code).several_children:
            continue
        who = catalogue.chair(profile, code)
        try:
            actions.check_convenor(user, children, who)
        except actions.MeetingError:
            continue
        found.append((code, who))
    return found


def _proposals(user, children: list[Child], kind: str, *, joint: bool
               ) -> list[tuple[str, str, str]]:
    """Who Lantern proposes to invite (SPEC §5), as (code:user_id, label, agency kind)."""
    data = catalogue.get()
    profile = pathway_queries.profile_for(user.agency.area)
    looked_after = any(c.looked_after for c in children)
    areas = {c.area_id for c in children} | {user.agency.area_id}
    choices, seen = [], set()

    def add(code, person):
        key = (code, person.pk)
        if key in seen or not person.is_active:
            return
        seen.add(key)
        choices.append((f"{code}:{person.pk}", f"{data.invitees[code].label}: "
                        f"{person.display_name}, {person.agency.name}", person.agency.kind))

    users = User.objects.select_related("agency").filter(is_active=True).exclude(
        role__in=NO_IDENTITY_ROLES)
    for invitee in rules.proposed_invitees(data.kind(kind), data.additions(profile, kind),
                                           looked_after=looked_after, joint=joint,
                                           invitees=data.invitees):
        if invitee.find == "referrer":
            for referral in pathway_queries.recent_referrals(children, limit=3):
                add(invitee.code, referral.referred_by)
        elif invitee.find == "allocated":
            for allocation in people_queries.open_allocations(
                    children=children, role=invitee.role).select_related("user__agency"):
                add(invitee.code, allocation.user)
        elif invitee.find == "role":
            for person in users.filter(role=invitee.role, agency__area_id__in=areas):
                add(invitee.code, person)
        elif invitee.find == "agency":
            for person in users.filter(agency__kind=invitee.agency_kind,
                                       agency__area_id__in=areas):
                add(invitee.code, person)
        elif invitee.find == "other_areas":
            for person in users.filter(role=Role.CSE_MANAGER, agency__area_id__in=areas).exclude(
                    agency__area_id=user.agency.area_id):
                add(invitee.code, person)
    return choices


def _named_invitees(kind: str, children, profile) -> list:
    data = catalogue.get()
    return [i for i in rules.proposed_invitees(
        data.kind(kind), data.additions(profile, kind),
        looked_after=any(c.looked_after for c in children), joint=False,
        invitees=data.invitees) if i.find == "named"]


def convene_page(request, children: list[Child], *, back_url: str, template_context: dict,
                 trigger=None, convened: Callable[[Meeting], None] | None = None
                 ) -> HttpResponse:
    """The convene-a-meeting page for these children: choose the kind, then the chair, the
    date and whom to invite. A meeting a trigger proposes is a complex strategy meeting;
    `convened` runs in the same transaction once the meeting is convened (the site's
    convene-from-trigger page accepts the trigger with it)."""
    user = request.user
    kinds = _convenable(user, children)
    if not kinds:
        raise PermissionDenied("The area's procedures name someone else to convene these "
                               "meetings.")
    allowed = dict(kinds)
    kind = request.POST.get("kind") or request.GET.get("kind")
    if trigger is not None:
        kind = "complex_strategy"
        if kind not in allowed:
            raise PermissionDenied("You may not convene a complex strategy meeting.")
    profile = pathway_queries.profile_for(user.agency.area)
    context = {"children": children, "trigger": trigger, "back_url": back_url,
               "profile": profile, **template_context}
    form: KindForm | ConveneForm
    if kind not in allowed:
        form = KindForm(request.GET if "kind" in request.GET else None, kinds=[
            (code, who.label, f"{who.situation + '. ' if who.situation else ''}Chaired by: "
             f"{who.chaired_by} ({who.citation})"
             + (f". Convened by: {who.convened_by}: you convene it with a reason, and a "
                "manager of the area accepts it before it is held"
                if actions.check_convenor(user, children, who) else ""))
            for code, who in kinds])
        if form.is_bound:
            form.is_valid()
        audit_read(user, children, "Opened the convene-a-meeting page")
        return render(request, "meetings/convene_kind.html", {**context, "form": form})
    who = allowed[kind]
    joint = any(c.area_id != user.agency.area_id for c in children)
    chairs = (User.objects.filter(is_active=True, role__in=CHAIR_ROLES,
                                  agency__area_id=user.agency.area_id)
              .select_related("agency").order_by("last_name", "first_name"))
    proposals = _proposals(user, children, kind, joint=joint)
    form = ConveneForm(_form_data(request), chairs=chairs,
                       proposals=[(value, label) for value, label, _k in proposals],
                       chair_hint=f"{who.chaired_by} ({who.citation})",
                       initial={"kind": kind, "invite": [v for v, _l, _k in proposals],
                                "chair": user.pk if user.role == who.owner_role
                                or user.role == Role.CSE_MANAGER else None})
    dues = [(at, basis, day) for at, basis, day in (
        queries.deadline(c, catalogue.get().kind(kind)) for c in children) if at is not None]
    due = min(dues, key=lambda d: d[0], default=None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        when = timezone.make_aware(datetime.combine(data["scheduled_on"],
                                                    data["scheduled_time"]))
        invitations = []
        for value in data["invite"]:
            code, _, user_id = value.partition(":")
            invitations.append(actions.InviteInput(code, user=User.objects.get(pk=user_id)))
        try:
            with transaction.atomic():
                meeting = actions.convene(
                    children=children, kind=kind, by=user, chair=data["chair"],
                    scheduled_for=when, format=data["format"], venue=data["venue"],
                    late_reason=data["late_reason"], trigger=trigger,
                    invitations=invitations, chair_reason=data["chair_reason"],
                    convenor_reason=data["convenor_reason"])
                if convened is not None:
                    convened(meeting)
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{meeting.label} convened. Invite the child and family "
                             "and anyone else from this page.")
            return redirect(meeting)
    elif request.method == "GET":
        audit_read(user, children, "Opened the convene-a-meeting page")
    kind_rule = catalogue.get().kind(kind)
    agency_kinds = {value: agency_kind for value, _l, agency_kind in proposals}
    selected = form["invite"].value() or []
    warnings = rules.attendance_warnings(
        kind_rule, invited={agency_kinds.get(v, "") for v in selected} | {user.agency.kind},
        attended=None)
    return render(request, "meetings/convene.html", {
        **context, "form": form, "who": who, "kind": kind_rule, "due": due,
        # Convened by a role the profile does not name: the reason is asked (issue 14).
        "convenor_reason_needed": actions.check_convenor(user, children, who),
        "named_invitees": _named_invitees(kind, children, profile), "joint": joint,
        "warnings": [AGENCY_NAMES.get(w.agency_kind, w.agency_kind) for w in warnings],
    })


AGENCY_NAMES = {"police": "the police", "csc": "children's social care"}


def audit_read(user, children, summary: str) -> None:
    for child in children:
        audit.record(user, "view", child, child=child, summary=summary)


@require_http_methods(["GET", "POST"])
def convene(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    require_contributor(request.user)
    child, _ = get_child_for_user(request.user, child_id)
    return convene_page(request, [child], back_url=child.get_absolute_url(),
                         template_context={"child": child})


# --- The meeting --------------------------------------------------------------------------------

def _page(request, meeting, may_change, **extra) -> HttpResponse:
    user = request.user
    context = queries.meeting_page(user, meeting)
    records = context["records"]
    open_ = meeting.is_open
    context.update({
        "may_change": may_change and open_,
        "may_request_closed": access.can_request_closed(user, meeting),
        "is_chair": user.pk == meeting.chair_id,
        "problems": queries.conclusion_problems(meeting, records)
        if may_change and open_ else [],
        "attendance_form": AttendanceForm(invitations=context["invitations"])
        if may_change and open_ else None,
        "invite_form": None, "request_form": None, "decision_form": None,
        "cancel_form": CancelForm() if may_change and open_ else None,
        "conclude_form": ConcludeForm(absences=[w["text"] for w in context["warnings"]])
        if may_change and open_ else None,
    })
    if may_change and open_:
        context["invite_form"] = InviteForm(users=_invitable(meeting),
                                            children=_child_choices(records))
        context["decision_form"] = DecisionForm(
            children=[(str(r.child_id), r.child.full_name) for r in records if r.named],
            closed_sections=ClosedSection.objects.filter(meeting=meeting, status="granted"))
        context["minutes_forms"] = {
            item.pk: MinutesForm(initial={"minutes": item.minutes, "version": item.version},
                                 prefix=f"a{item.pk}") for item in context["agenda"]}
    context["chair_form"] = (extra.pop("chair_form", None) or ChairDecisionForm()) \
        if _may_decide_chair(user, meeting) else None
    context["convenor_form"] = (extra.pop("convenor_form", None) or ConvenorDecisionForm()) \
        if _may_decide_convenor(user, meeting) else None
    context["agreements"] = list(meeting.agreements.select_related("area", "decided_by"))
    context["agreement_form"] = None
    if _awaited_agreement(user, meeting) is not None:
        context["agreement_form"] = AgreementForm()
    if context["may_request_closed"]:
        context["request_form"] = ClosedRequestForm(agenda=AgendaItem.objects.filter(
            meeting=meeting))
    forms = {**context.get("minutes_forms", {}), **extra.pop("minutes_forms", {})}
    context.update(extra)
    for item in context["agenda"]:
        item.form = forms.get(item.pk)
    return render(request, "meetings/meeting.html", context)


def _child_choices(records) -> list[tuple[str, str]]:
    return [(str(r.child_id), r.child.full_name) for r in records
            if getattr(r, "named", True)]


def _invitable(meeting):
    areas = access.areas_involved(meeting)
    return (User.objects.filter(is_active=True, agency__area_id__in=areas)
            .exclude(role__in=NO_IDENTITY_ROLES).exclude(meeting_invitations__meeting=meeting)
            .select_related("agency").order_by("last_name", "first_name"))


def _audit_meeting(user, meeting, summary: str) -> None:
    for child_id in meeting.records.filter(child__in=visible_children(user)).values_list(
            "child_id", flat=True):
        audit.record(user, "view", meeting, child=Child(pk=child_id), summary=summary)


@require_http_methods(["GET"])
def meeting_detail(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    require_contributor(request.user)
    meeting, may_change = access.get_meeting_for_user(request.user, meeting_id)
    _audit_meeting(request.user, meeting, "Read a meeting")
    return _page(request, meeting, may_change)


@require_http_methods(["POST"])
def invite(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    require_contributor(request.user)
    meeting, _ = access.get_meeting_for_user(request.user, meeting_id, for_change=True)
    records = list(meeting.records.filter(child__in=visible_children(request.user))
                   .select_related("child"))
    form = InviteForm(request.POST, users=_invitable(meeting), children=_child_choices(records))
    if form.is_valid():
        data = form.cleaned_data
        for_child = next((r.child for r in records if str(r.child_id) == data["for_child"]),
                         None)
        if for_child is None and len(records) == 1 and not catalogue.get().invitees[
                data["invitee"]].professional:
            for_child = records[0].child
        try:
            name = data["name"].strip()
            if name and data["agency_name"].strip():
                name = f"{name} ({data['agency_name'].strip()})"
            actions.invite(meeting, by=request.user, invitee=data["invitee"], user=data["user"],
                           name=name, for_child=for_child)
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Invitation added.")
            return redirect(meeting)
    return _page(request, meeting, True, invite_form=form)


@require_http_methods(["POST"])
def attendance(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    require_contributor(request.user)
    meeting, _ = access.get_meeting_for_user(request.user, meeting_id, for_change=True)
    invitations = list(meeting.invitations.all())
    form = AttendanceForm(request.POST, invitations=invitations)
    if form.is_valid():
        actions.record_attendance(meeting, form.attendance(), by=request.user)
        messages.success(request, "Attendance recorded.")
        return redirect(meeting)
    return _page(request, meeting, True, attendance_form=form)


@require_http_methods(["GET", "POST"])
def participation(request: AuthenticatedHttpRequest, meeting_id: int, child_id: int
                  ) -> HttpResponse:
    require_contributor(request.user)
    record, may_change = access.get_record_for_user(request.user, meeting_id, child_id,
                                                    for_change=request.method == "POST")
    meeting = record.meeting
    additions = catalogue.get().additions(pathway_queries.profile(meeting.profile), meeting.kind)
    rule = actions.participation_rule(pathway_queries.profile(meeting.profile))
    decides = (actions.may_decide_participation(request.user, meeting) and may_change
               and meeting.is_open)
    form = ParticipationForm(_form_data(request), rule=rule, initial={
        "child_participation": record.child_participation,
        "family_participation": record.family_participation,
        "reason": record.participation_reason,
        "decided_with": record.participation_decided_with,
        "family_warned": record.family_warned}) if decides else None
    if form is not None and not additions.family_warned:
        del form.fields["family_warned"]
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(f"Whether the child and family attend is decided by "
                                   f"{rule.describe()}.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_participation(
                    record, by=request.user, child_participation=data["child_participation"],
                    family_participation=data["family_participation"], reason=data["reason"],
                    decided_with=data.get("decided_with", ""),
                    family_warned=data.get("family_warned"))
            except actions.MeetingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The child's and family's participation is recorded.")
                return redirect(meeting)
    else:
        audit.record(request.user, "view", meeting, child=record.child,
                     summary="Read the child's and family's participation at a meeting")
    return render(request, "meetings/participation.html", {
        "record": record, "meeting": meeting, "child": record.child, "form": form,
        "rule": rule,
        "additions": additions})


@require_http_methods(["POST"])
def minutes(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    """Save one agenda item's minutes; htmx swaps the item in place."""
    require_contributor(request.user)
    meeting, _ = access.get_meeting_for_user(request.user, meeting_id, for_change=True)
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).first()
    if item is None:
        raise Http404("No agenda item found")
    form = MinutesForm(request.POST, prefix=f"a{item.pk}")
    saved = False
    if form.is_valid():
        try:
            item = actions.save_minutes(item, minutes=form.cleaned_data["minutes"],
                                        version=form.cleaned_data["version"], by=request.user)
        except actions.MeetingError as error:
            form.add_error("minutes", str(error))
        else:
            saved = True
            form = MinutesForm(initial={"minutes": item.minutes, "version": item.version},
                               prefix=f"a{item.pk}")
    if not request.htmx:
        if saved:
            messages.success(request, "Minutes saved.")
            return redirect(f"{meeting.get_absolute_url()}#agenda-{item.pk}")
        return _page(request, meeting, True, minutes_forms={item.pk: form})
    item.form = form
    return render(request, "meetings/_agenda_item.html", {
        "item": item, "meeting": meeting, "may_change": True, "saved": saved})


# --- Closed sections -----------------------------------------------------------------------------

@require_http_methods(["POST"])
def request_closed(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    require_contributor(request.user)
    meeting, may_change = access.get_meeting_for_user(request.user, meeting_id)
    if not access.can_request_closed(request.user, meeting):
        raise PermissionDenied("Professionals invited to the meeting ask for a closed section.")
    form = ClosedRequestForm(request.POST, agenda=AgendaItem.objects.filter(meeting=meeting))
    if form.is_valid():
        actions.request_closed_section(meeting, by=request.user,
                                       reason=form.cleaned_data["reason"],
                                       agenda_item=form.cleaned_data["agenda_item"])
        messages.success(request, "Closed section requested: the chair decides.")
        return redirect(meeting)
    return _page(request, meeting, may_change, request_form=form)


@require_http_methods(["GET", "POST"])
def closed_section(request: AuthenticatedHttpRequest, meeting_id: int, section_id: int
                   ) -> HttpResponse:
    require_contributor(request.user)
    section, is_chair = access.get_closed_section_for_user(request.user, meeting_id,
                                                           section_id)
    meeting = section.meeting
    deciding = is_chair and section.status == ClosedSection.Status.REQUESTED and meeting.is_open
    recording = is_chair and section.status == ClosedSection.Status.GRANTED
    which = request.POST.get("form") if request.method == "POST" else None
    decision_form = ClosedDecisionForm(request.POST if which == "decide" else None) \
        if deciding else None
    minutes_form = ClosedMinutesForm(request.POST if which == "minutes" else None,
                                     initial={"minutes": section.minutes}) if recording else None
    if request.method == "POST":
        if which == "decide" and decision_form is not None and decision_form.is_valid():
            data = decision_form.cleaned_data
            actions.decide_closed_section(section, by=request.user, grant=data["grant"],
                                          explanation_to_family=data["explanation_to_family"],
                                          refusal_reason=data["refusal_reason"])
            messages.success(request, "Decision recorded.")
            return redirect(section)
        if which == "minutes" and minutes_form is not None and minutes_form.is_valid():
            actions.save_closed_minutes(section, minutes=minutes_form.cleaned_data["minutes"],
                                        by=request.user)
            messages.success(request, "Closed section minutes saved.")
            return redirect(section)
        if decision_form is None and minutes_form is None:
            raise PermissionDenied("Only the chair decides and records a closed section.")
    else:
        _audit_meeting(request.user, meeting, "Read a closed section of a meeting")
    return render(request, "meetings/closed_section.html", {
        "section": section, "meeting": meeting, "decision_form": decision_form,
        "minutes_form": minutes_form})


# --- Each child's record ------------------------------------------------------------------------

def _categories(record: MeetingChild) -> tuple[str, list[tuple[int, str]]]:
    framework = screening_queries.framework_for_profile(record.child.area.policy_profile)
    return framework.code, [(c.number, f"{framework.category_name(c.number)}: {c.label}")
                            for c in framework.categories]


@require_http_methods(["GET", "POST"])
def child_record(request: AuthenticatedHttpRequest, meeting_id: int, child_id: int) -> HttpResponse:
    require_contributor(request.user)
    record, may_change = access.get_record_for_user(request.user, meeting_id, child_id,
                                                    for_change=request.method == "POST")
    meeting = record.meeting
    framework, categories = _categories(record)
    review = meeting.agenda_template == "review"
    editable = may_change and meeting.is_open
    form = ChildRecordForm(_form_data(request), categories=categories, review=review, initial={
        "version": record.version, "risk_category": record.risk_category,
        "risk_analysis": record.risk_analysis, "csc_input": record.csc_input,
        "police_input": record.police_input, "police_input_by": record.police_input_by,
        "health_input": record.health_input, "other_input": record.other_input,
        "outcomes": record.outcomes, "section_47": record.section_47 if record.outcomes
        else None, "next_review_on": record.next_review_on,
        "exit_strategy": record.exit_strategy, "plan_review": record.plan_review,
    }) if editable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("The meeting has been held: its record is closed.")
        if form.is_valid():
            cleaned = dict(form.cleaned_data)
            version = cleaned.pop("version")
            try:
                actions.record_child_outcome(record, by=request.user, version=version,
                                             risk_framework=framework, **cleaned)
            except actions.MeetingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{record.child.full_name}'s record of the meeting "
                                 "is saved.")
                return redirect(meeting)
    else:
        audit.record(request.user, "view", meeting, child=record.child,
                     summary="Read a child's record of a meeting")
    oversee = access.oversight_role(request.user, record)
    data = catalogue.get()
    return render(request, "meetings/child_record.html", {
        "record": record, "meeting": meeting, "child": record.child, "form": form,
        "oversee": oversee if record.risk_category is not None else "",
        "oversight_form": OversightForm() if oversee and record.risk_category is not None
        else None,
        "missing_contributors": rules.missing_contributors(data, [
            k for k, text in (("csc", record.csc_input), ("police", record.police_input),
                              ("health", record.health_input)) if text.strip()]),
        "outcome_labels": [data.outcome(c).label for c in record.outcomes],
        "additions": data.additions(pathway_queries.profile(meeting.profile), meeting.kind),
        "decisions": record.child.meeting_decisions.filter(meeting=meeting).filter(
            Q(closed_section__isnull=True) if not access.can_read_closed(request.user, meeting)
            else Q()),
    })


@require_http_methods(["POST"])
def oversight(request: AuthenticatedHttpRequest, meeting_id: int, child_id: int) -> HttpResponse:
    require_contributor(request.user)
    record, _ = access.get_record_for_user(request.user, meeting_id, child_id)
    if not access.oversight_role(request.user, record):
        raise PermissionDenied("Oversight is by the CSE team manager and the police.")
    form = OversightForm(request.POST)
    if form.is_valid():
        try:
            actions.record_oversight(
                record, by=request.user, comment=form.cleaned_data["comment"],
                recorded_on_police_systems=form.cleaned_data["recorded_on_police_systems"])
        except actions.MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Oversight recorded.")
    else:
        messages.error(request, "Enter your comments")
    return redirect(record.get_absolute_url())


@require_http_methods(["POST"])
def decision(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    require_contributor(request.user)
    meeting, _ = access.get_meeting_for_user(request.user, meeting_id, for_change=True)
    visible = {r.child_id: r.child for r in meeting.records.filter(
        child__in=visible_children(request.user)).select_related("child")}
    form = DecisionForm(request.POST,
                        children=[(str(pk), c.full_name) for pk, c in visible.items()],
                        closed_sections=ClosedSection.objects.filter(meeting=meeting,
                                                                     status="granted"))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_decision(meeting, by=request.user, text=data["text"],
                                    children=[visible[int(pk)] for pk in data["children"]],
                                    closed_section=data["closed_section"])
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Decision recorded.")
            return redirect(f"{meeting.get_absolute_url()}#decisions")
    return _page(request, meeting, True, decision_form=form)


@require_http_methods(["POST"])
def conclude(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    require_contributor(request.user)
    meeting, _ = access.get_meeting_for_user(request.user, meeting_id, for_change=True)
    form = ConcludeForm(request.POST, absences=_absences(meeting))
    if form.is_valid():
        try:
            actions.conclude(meeting, by=request.user, absence_acknowledged=bool(
                form.cleaned_data.get("absence_acknowledged")))
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The meeting is recorded as held. Each child's plan and "
                             "pathway are updated.")
            return redirect(meeting)
    return _page(request, meeting, True, conclude_form=form)


def _absences(meeting) -> list[str]:
    return [w["text"] for w in queries.warnings(
        meeting, list(meeting.invitations.all()))]


def _may_decide_chair(user, meeting) -> bool:
    """A manager of the convening area, neither the convenor nor the chair, while a chair of a
    role the profile does not name awaits acceptance (issue 14, item 2)."""
    return (meeting.is_open and meeting.chair_acceptance == ChairAcceptance.AWAITED
            and user.agency_id is not None and user.agency.area_id == meeting.area_id
            and user.pk not in (meeting.convened_by_id, meeting.chair_id)
            and pathway_actions.may_except(user))


def _may_decide_convenor(user, meeting) -> bool:
    """A manager of the convening area, not the convenor, while a convenor of a role the
    profile does not name awaits acceptance (issue 14, item 2)."""
    return (meeting.is_open and meeting.convenor_acceptance == ChairAcceptance.AWAITED
            and user.agency_id is not None and user.agency.area_id == meeting.area_id
            and user.pk != meeting.convened_by_id and pathway_actions.may_except(user))


def _decide_acceptance(request: AuthenticatedHttpRequest, meeting_id: int, role: str, *,
                       may_decide, form_class, decide, refused: str) -> HttpResponse:
    """A manager accepts, or refuses with reasons, a chair or convenor (`role`) of a role the
    area's procedure does not name for the meeting (issue 14, item 2)."""
    require_contributor(request.user)
    meeting, may_change = access.get_meeting_for_user(request.user, meeting_id)
    if not may_decide(request.user, meeting):
        raise PermissionDenied(f"A manager of the convening area, not the convenor"
                               f"{' or the chair' if role == 'chair' else ''}, accepts the "
                               f"{role}.")
    form = form_class(request.POST)
    if form.is_valid():
        try:
            decide(meeting, by=request.user, accept=form.cleaned_data["accept"],
                   reason=form.cleaned_data["reason"])
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The {role} is accepted." if form.cleaned_data["accept"]
                             else refused)
            return redirect(meeting)
    return _page(request, meeting, may_change, **{f"{role}_form": form})


@require_http_methods(["POST"])
def chair_decision(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    return _decide_acceptance(
        request, meeting_id, "chair", may_decide=_may_decide_chair,
        form_class=ChairDecisionForm, decide=actions.decide_chair,
        refused="The chair is refused: the convenor is told on the meeting's page to convene "
                "it again.")


@require_http_methods(["POST"])
def convenor_decision(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    return _decide_acceptance(
        request, meeting_id, "convenor", may_decide=_may_decide_convenor,
        form_class=ConvenorDecisionForm, decide=actions.decide_convenor,
        refused="The convenor is refused: the meeting is cancelled and convened again by whom "
                "the procedure names.")


def _awaited_agreement(user, meeting) -> AreaAgreement | None:
    """The agreement this user may record: they are a CSE team manager of an area whose
    agreement the joint meeting awaits."""
    if user.role != Role.CSE_MANAGER or not user.agency_id:
        return None
    return meeting.agreements.filter(area_id=user.agency.area_id,
                                     state=AreaAgreement.State.AWAITED).first()


@require_http_methods(["POST"])
def agreement(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """Another area's CSE team manager agrees to a joint meeting about its children, or
    declines with a reason (seed 003 §11)."""
    require_contributor(request.user)
    meeting, _ = access.get_meeting_for_user(request.user, meeting_id)
    awaited = _awaited_agreement(request.user, meeting)
    if awaited is None:
        raise PermissionDenied("Only a CSE team manager of an area asked to agree records "
                               "its agreement.")
    form = AgreementForm(request.POST)
    if form.is_valid():
        try:
            actions.record_agreement(awaited, by=request.user,
                                     agreed=form.cleaned_data["agreed"],
                                     reason=form.cleaned_data["reason"])
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your area's agreement is recorded."
                             if form.cleaned_data["agreed"] else
                             "Your area has declined the joint meeting.")
            return redirect(meeting)
    return _page(request, meeting, access.can_change(request.user, meeting),
                 agreement_form=form)


@require_http_methods(["POST"])
def cancel(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    require_contributor(request.user)
    meeting, _ = access.get_meeting_for_user(request.user, meeting_id, for_change=True)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            actions.cancel(meeting, by=request.user, reason=form.cleaned_data["reason"])
        except actions.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The meeting is cancelled. Convene it again within its "
                             "timescale.")
            return redirect(meeting)
    return _page(request, meeting, True, cancel_form=form)


@require_http_methods(["GET"])
def minutes_pdf(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """The minutes as PDF: the professional version (closed sections only for those who may
    read them) or the family version (never a closed section)."""
    require_contributor(request.user)
    meeting, _ = access.get_meeting_for_user(request.user, meeting_id)
    family = request.GET.get("version") == "family"
    closed = not family and access.can_read_closed(request.user, meeting)
    child_id = request.GET.get("child")
    body = pdf.minutes(request.user, meeting, family=family, with_closed=closed,
                       child_id=parse_id(child_id))
    _audit_meeting(request.user, meeting, "Exported the minutes of a meeting"
                   + (" (family version)" if family else ""))
    return pdf_response(body, f"meeting-{meeting.pk}-minutes{'-family' if family else ''}.pdf")

