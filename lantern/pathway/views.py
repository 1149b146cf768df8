from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lantern.domain import language
from lantern.domain import pathway as rules
from lantern.foundation import audit
from lantern.foundation.access import (
    DECIDING_ROLES,
    get_child_for_user,
    is_active_user,
    require_contributor,
)
from lantern.foundation.forms import LONG_TEXT
from lantern.foundation.http import AuthenticatedHttpRequest
from lantern.foundation.models import Role, User, WorkItem
from lantern.foundation.paging import paginate

from . import actions, deadlines, discussions, queries
from .access import get_concern_for_user, get_referral_for_user
from .forms import (
    AdultExceptionForm,
    AdultReferralForm,
    AdvanceForm,
    ConcernForm,
    DecisionForm,
    DiscussionForm,
    MeetingExceptionForm,
    PoliceReferralDecisionForm,
    ReferralForm,
    ResponseExceptionForm,
    ResponseForm,
    UrgentRouteForm,
)
from .models import AdultReferral, MeetingRequirement, Referral, Step, TrackedResponse


@require_http_methods(["GET", "POST"])
def record_concern(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    require_contributor(request.user)
    child, _can_change = get_child_for_user(request.user, child_id)
    form = ConcernForm(request.POST if request.method == "POST" else None,
                       born_on=child.date_of_birth)
    findings = language.check(form.data.get("narrative", "")) if form.is_bound else []
    # Wording the author has not yet been shown is shown before the concern is saved (SPEC
    # §12: help them notice it): the check while typing waits for a pause, so a concern sent
    # at once was saved unseen. Once seen, it is theirs to keep or change.
    unseen = _unseen_wording(request, findings)
    if request.method == "POST" and form.is_valid() and not unseen:
        data = form.cleaned_data
        concern = actions.record_concern(
            child,
            by=request.user,
            observed_on=data["observed_on"],
            observed_time=data["observed_time"],
            narrative=data["narrative"],
            child_words=data["child_words"],
            urgent=data["urgent"],
            discussed_with=data["discussed_with"],
        )
        messages.success(
            request,
            "Concern recorded. Screen the child for risk now, or refer them to the front door.",
        )
        if concern.urgent:
            messages.warning(
                request,
                "You said the child is at immediate risk: phone the front door or police now "
                "if you have not already.",
            )
        # The screening is the concern's next page, prefilled from it (issue 15, item 3).
        return redirect(reverse("screening:new", args=[child.pk]) + f"?concern={concern.pk}")
    audit.record(request.user, "view", child, child=child,
                 summary="Opened the record-a-concern page")
    return render(
        request, "pathway/record_concern.html",
        {"child": child, "form": form, "findings": findings,
         "wording_checked": language.checked(findings),
         "wording_unseen": unseen and form.is_valid()},
    )


def _unseen_wording(request: AuthenticatedHttpRequest, findings: list) -> bool:
    """Whether the narrative sent has wording to check that the page did not show its author
    (the check's findings, named in the form's `wording_checked` field, `_language.html`)."""
    seen = set(request.POST.get(language.CHECKED_FIELD, "").split(language.SEPARATOR))
    return bool({finding.text.lower() for finding in findings} - seen)


@require_http_methods(["POST"])
def language_check(request: AuthenticatedHttpRequest) -> HttpResponse:
    """htmx: child-centred wording suggestions for what the user is typing (SPEC §12)."""
    require_contributor(request.user)
    text = request.POST.get("narrative", "") or request.POST.get("text", "")
    findings = language.check(text)
    return render(request, "pathway/_language.html",
                  {"findings": findings, "wording_checked": language.checked(findings)})


@require_http_methods(["GET"])
def concern_detail(request: AuthenticatedHttpRequest, concern_id: int) -> HttpResponse:
    concern, _ = get_concern_for_user(request.user, concern_id)
    audit.record(request.user, "view", concern, child=concern.child,
                 summary="Read a concern")
    discussion = queries.discussion_of(concern)
    return render(request, "pathway/concern.html", {
        "concern": concern, "child": concern.child, "discussion": discussion,
        "outcome_label": discussions.label(discussion.outcome) if discussion else "",
        "may_discuss": discussion is None and _is_lead_of(request.user, concern),
    })


# --- The designated safeguarding lead's queue (SPEC §1; issue 15, item 3) ---------------------

def _require_lead(user) -> None:
    if not (is_active_user(user) and user.role == Role.DSL):
        raise PermissionDenied("Concerns to discuss are for designated safeguarding leads.")


def _is_lead_of(user, concern) -> bool:
    return is_active_user(user) and user.role == Role.DSL and concern.agency_id == user.agency_id


@require_http_methods(["GET"])
def discussions_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The designated safeguarding lead's queue: their agency's concerns to discuss with the
    professional who recorded them and confirm, urgent first, then the longest waiting."""
    _require_lead(request.user)
    rows, pagination = paginate(request, lambda offset, limit: queries.discussion_queue(
        request.user, offset=offset, limit=limit))
    # The rows shown are the rows audited.
    audit.record(request.user, "list", summary="Opened the concerns to discuss",
                 changes={"children": sorted({c.child_id for c in rows}),
                          "page": pagination.number})
    return render(request, "pathway/discussions.html",
                  {"rows": rows, "pagination": pagination})


@require_http_methods(["GET", "POST"])
def discuss_concern(request: AuthenticatedHttpRequest, concern_id: int) -> HttpResponse:
    """Record the discussion of a concern and what was agreed; the screening of the concern,
    if there is one, is what the lead confirms."""
    _require_lead(request.user)
    concern, _ = get_concern_for_user(request.user, concern_id)
    if concern.agency_id != request.user.agency_id:
        raise PermissionDenied("Another agency recorded this concern: its own designated "
                               "safeguarding lead discusses it.")
    child, _can_change = get_child_for_user(request.user, concern.child_id)
    discussion = queries.discussion_of(concern)
    screening = concern.screenings.select_related("screened_by").order_by("-screened_at").first()
    form = None
    if discussion is None:
        form = DiscussionForm(
            request.POST if request.method == "POST" else None,
            initial={"discussed_with": _referrer(concern)},
        )
    if request.method == "POST":
        if form is None:
            # Another lead recorded it first: theirs is shown, and what this lead typed is
            # kept on the page for them to copy (issue 13's pattern for the front door).
            return _discussed_first(request, concern, child, screening,
                                    request.POST.get("notes", ""))
        if form.is_valid():
            data = form.cleaned_data
            try:
                discussion = actions.record_discussion(
                    concern, by=request.user, discussed_with=data["discussed_with"],
                    notes=data["notes"], outcome=data["outcome"], screening=screening,
                )
            except actions.AlreadyDiscussed:
                return _discussed_first(request, concern, child, screening, data["notes"])
            except actions.DiscussionError as error:
                form.add_error("outcome", str(error))
            else:
                messages.success(request, f"Discussion recorded for {child.full_name}.")
                step = discussions.outcomes()[discussion.outcome].next
                if step == "screen":
                    return redirect(reverse("screening:new", args=[child.pk])
                                    + f"?concern={concern.pk}")
                if step == "refer":
                    return redirect("pathway:refer", child_id=child.pk)
                return redirect("pathway:discussions")
    else:
        audit.record(request.user, "view", concern, child=child,
                     summary="Opened a concern to discuss it")
    return render(request, "pathway/discuss.html", {
        "concern": concern, "child": child, "form": form, "screening": screening,
        "discussion": discussion,
        "outcome_label": discussions.label(discussion.outcome) if discussion else "",
    })


def _discussed_first(request: AuthenticatedHttpRequest, concern, child, screening,
                     notes: str) -> HttpResponse:
    discussion = queries.discussion_of(concern)
    return render(request, "pathway/discuss.html", {
        "concern": concern, "child": child, "form": None, "screening": screening,
        "discussion": discussion, "discussed_first": True, "your_notes": notes[:LONG_TEXT],
        "outcome_label": discussions.label(discussion.outcome) if discussion else "",
    }, status=409)


def _referrer(concern) -> str:
    who = concern.recorded_by
    return f"{who.display_name}, {who.job_title}" if who.job_title else who.display_name


@require_http_methods(["GET", "POST"])
def refer(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    require_contributor(request.user)
    child, _can_change = get_child_for_user(request.user, child_id)
    latest_concern = queries.latest_agency_concern(child, request.user.agency)
    latest_screening = child.screenings.order_by("-screened_at").first()
    open_referral = Referral.objects.filter(
        child=child, status=Referral.Status.AWAITING
    ).first()
    form = ReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referral = actions.refer(
            child,
            by=request.user,
            reason=data["reason"],
            urgent=data["urgent"],
            consent=data["consent"],
            consent_detail=data["consent_detail"],
            concern=latest_concern,
            screening=latest_screening,
        )
        messages.success(
            request,
            f"Referral sent to the front door of {child.area.name}. They will decide by "
            f"{timezone.localtime(referral.decision_due_at):%-d %B %Y at %H:%M}.",
        )
        return redirect(child)
    audit.record(request.user, "view", child, child=child, summary="Opened the referral page")
    return render(
        request,
        "pathway/refer.html",
        {
            "child": child,
            "form": form,
            "latest_concern": latest_concern,
            "latest_screening": latest_screening,
            "open_referral": open_referral,
            "decision_rule": deadlines.profile_for(child.area).timescale("referral_decision")
            .rule(child.area.nation),
        },
    )


def _police_decision_item(referral: Referral) -> WorkItem | None:
    return WorkItem.objects.filter(
        source_type=Referral._meta.label_lower, source_id=str(referral.pk),
        kind="police_referral_decision", status=WorkItem.Status.OPEN,
    ).first()


@require_http_methods(["GET", "POST"])
def referral_detail(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    referral, may_decide = get_referral_for_user(request.user, referral_id)
    awaiting = referral.status == Referral.Status.AWAITING
    police_item = _police_decision_item(referral) if may_decide else None
    police_form = PoliceReferralDecisionForm() if police_item else None
    form = None
    if may_decide and awaiting:
        social_workers = User.objects.filter(
            role=Role.SOCIAL_WORKER, agency__area=referral.area, is_active=True
        ).select_related("agency").order_by("last_name", "first_name")
        form = DecisionForm(
            request.POST if request.method == "POST" else None, social_workers=social_workers
        )
    if request.method == "POST":
        if may_decide and not awaiting:
            # Someone else decided while this worker was writing: not a refusal (issue 13).
            return _decided_first(request, referral, request.POST.get("rationale", ""))
        if form is None:
            raise PermissionDenied("Only the front door of the child's area decides referrals.")
        if form.is_valid():
            try:
                actions.decide_referral(
                    referral,
                    form.cleaned_data["outcome"],
                    by=request.user,
                    rationale=form.cleaned_data["rationale"],
                    allocate_to=form.cleaned_data["allocate_to"],
                )
            except actions.AlreadyDecided:
                return _decided_first(request, referral, form.cleaned_data["rationale"])
            except actions.PathwayError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Decision recorded for {referral.child.full_name}.")
                return redirect("pathway:tray")
    else:
        audit.record(request.user, "view", referral, child=referral.child,
                     summary="Read a referral")
    return render(
        request,
        "pathway/referral.html",
        {"referral": referral, "child": referral.child, "form": form,
         "decision": getattr(referral, "decision", None) if not awaiting else None,
         "police_item": police_item, "police_form": police_form},
    )


def _decided_first(request: AuthenticatedHttpRequest, referral: Referral,
                   rationale: str) -> HttpResponse:
    """The worker who lost the race to decide: who decided, when and what, and the rationale
    they typed, kept on the page for them to copy into a case note or a challenge."""
    referral = Referral.objects.select_related(
        "child__area", "agency", "decision__decided_by", "decision__allocated_to"
    ).get(pk=referral.pk)
    decision = referral.decision
    audit.record(request.user, "view", referral, child=referral.child,
                 summary="Read a referral another worker had just decided")
    return render(
        request,
        "pathway/referral.html",
        {"referral": referral, "child": referral.child, "form": None, "decision": decision,
         "decided_first": True, "your_rationale": rationale[:LONG_TEXT],
         "police_item": None, "police_form": None},
        status=409,
    )


@require_http_methods(["POST"])
def police_referral_decision(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    """Stockport's flowchart: whether to refer a sexually active young person under 18 to the
    police, within 24 hours of the referral, with the reasons either way (seed 000 §14.1)."""
    referral, may_decide = get_referral_for_user(request.user, referral_id, for_change=True)
    police_item = _police_decision_item(referral)
    if police_item is None:
        messages.error(request, "The police referral decision has already been recorded.")
        return redirect(referral)
    police_form = PoliceReferralDecisionForm(request.POST)
    if police_form.is_valid():
        actions.record_police_referral_decision(
            referral, refer_to_police=police_form.cleaned_data["refer_to_police"],
            reasons=police_form.cleaned_data["reasons"], by=request.user,
        )
        messages.success(request, "Police referral decision recorded.")
        return redirect(referral)
    return render(
        request, "pathway/referral.html",
        {"referral": referral, "child": referral.child, "form": None, "decision": None,
         "police_item": police_item, "police_form": police_form},
    )


@require_http_methods(["GET"])
def tray(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The front door's work tray: referrals awaiting a decision, the soonest due first."""
    if request.user.role not in DECIDING_ROLES:
        raise PermissionDenied("The referrals tray is for the front door.")
    overdue_only = request.GET.get("show") == "overdue"
    rows, pagination = paginate(request, lambda offset, limit: queries.awaiting_decision(
        request.user, overdue_only=overdue_only, offset=offset, limit=limit))
    # The rows shown are the rows audited: a page of 50, not every referral awaiting.
    audit.record(request.user, "list", summary="Opened the front-door referrals tray",
                 changes={"children": [r.child_id for r in rows], "page": pagination.number})
    return render(
        request,
        "pathway/tray.html",
        {"rows": rows, "pagination": pagination, "overdue_only": overdue_only,
         "now": timezone.now()},
    )


def _may_record_response(user: User, response: TrackedResponse | AdultReferral,
                         can_change: bool) -> bool:
    """Those who may change the child's record, and whoever holds the response's (or the
    adult safeguarding referral's) work: its named owner, or, in the child's area, the role
    whose tray holds it (the police, for evidence)."""
    if can_change:
        return True
    item = response.work_item
    if item is None or item.status != WorkItem.Status.OPEN:
        return False
    if item.owner_id is not None:
        return item.owner_id == user.pk
    return bool(item.owner_role == user.role and user.agency is not None
                and user.agency.area_id == response.area_id)


def _response_prefix(response: TrackedResponse) -> str:
    return f"response-{response.pk}"


def _response_form(response: TrackedResponse, profile, data=None) -> ResponseForm:
    outcomes = [(o.code, o.label) for o in actions.allowed_outcomes(response, profile)]
    return ResponseForm(data, outcomes=outcomes, prefix=_response_prefix(response))


def _exception_prefix(response: TrackedResponse) -> str:
    return f"response-exception-{response.pk}"


def _adult_prefix(adult: AdultReferral) -> str:
    return f"adult-{adult.pk}"


def _adult_exception_prefix(adult: AdultReferral) -> str:
    return f"adult-exception-{adult.pk}"


def _adult_forms(found: dict, *, user, can_change: bool, may_except: bool, adult_form,
                 adult_exception_form, adult_for) -> None:
    """Each outstanding adult safeguarding referral gets the form to record it, for those who
    may, and a manager's exception form (issue 14, item 10)."""
    for adult in (a for pathway in found["pathways"] for a in pathway.adult_referrals.all()):
        if not adult.outstanding:
            continue
        if _may_record_response(user, adult, can_change):
            adult.form = (adult_form if adult.pk == adult_for and adult_form
                          else AdultReferralForm(prefix=_adult_prefix(adult)))
        if may_except:
            adult.exception_form = (
                adult_exception_form if adult.pk == adult_for and adult_exception_form
                else AdultExceptionForm(prefix=_adult_exception_prefix(adult)))


def _pathway_context(child, *, advance_form=None, urgent_form=None, user=None,
                     can_change=False, exception_form=None, exception_for=None,
                     response_form=None, response_exception_form=None,
                     response_for=None, adult_form=None, adult_exception_form=None,
                     adult_for=None) -> dict:
    profile = deadlines.profile_for(child.area)
    may_except = bool(user is not None and can_change and actions.may_except(user))
    found = queries.child_pathway(child)
    if user is not None:
        _adult_forms(found, user=user, can_change=can_change, may_except=may_except,
                     adult_form=adult_form, adult_exception_form=adult_exception_form,
                     adult_for=adult_for)
        # Each open response the user may record gets its form (a decision awaited after the
        # pathway ended is still recorded); a manager who may change the record gets the
        # exception form for a response keeping the child on the pathway.
        responses = [r for pathway in found["pathways"] for r in pathway.responses.all()]
        for response in responses:
            if response.done_at is None and _may_record_response(user, response, can_change):
                response.form = (response_form if response.pk == response_for and response_form
                                 else _response_form(response, profile))
            if response.holds_exit and may_except:
                response.exception_form = (
                    response_exception_form if response.pk == response_for
                    and response_exception_form
                    else ResponseExceptionForm(prefix=_exception_prefix(response)))
    return {
        "child": child, **found, "profile": profile,
        "now": timezone.now(), "advance_form": advance_form, "urgent_form": urgent_form,
        "may_except": may_except, "exception_form": exception_form,
        "exception_for": exception_for, "response_form": response_form,
        "response_exception_form": response_exception_form,
        "adult_form": adult_form, "adult_exception_form": adult_exception_form,
        "timescales": [
            (t, t.rule(child.area.nation)) for t in profile.timescales.values()
        ],
    }


@require_http_methods(["GET", "POST"])
def pathway(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """A child's pathway: each step with its due and actual dates, the area's timescales, and
    (for those who may change the record) the next step."""
    child, can_change = get_child_for_user(
        request.user, child_id, for_change=request.method == "POST"
    )
    current = queries.child_pathway(child)["current_pathway"]
    steps = [(s, Step(s).label) for s in rules.choices_from(current.state if current else None)]
    advance_form = None
    if can_change and current is not None and steps:
        advance_form = AdvanceForm(request.POST if request.method == "POST" else None,
                                   steps=steps)
    if request.method == "POST":
        if advance_form is None:
            raise PermissionDenied("The pathway cannot move on from here.")
        if advance_form.is_valid():
            data = advance_form.cleaned_data
            try:
                actions.advance(child, data["to"], by=request.user, note=data["note"],
                                review_on=data["review_on"], exit_route=data["exit_route"])
            except actions.PathwayError as error:
                advance_form.add_error(None, str(error))
            else:
                messages.success(request, f"{child.full_name}'s pathway is updated.")
                return redirect("pathway:pathway", child_id=child.pk)
    else:
        audit.record(request.user, "view", child, child=child, summary="Read the pathway")
    urgent_form = UrgentRouteForm() if can_change and current is not None else None
    return render(request, "pathway/pathway.html",
                  _pathway_context(child, advance_form=advance_form, urgent_form=urgent_form,
                                   user=request.user, can_change=can_change))


@require_http_methods(["POST"])
def urgent_route(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """Immediate significant harm: straight to a section 47 enquiry and an urgent strategy
    discussion (seed 000 §13; seed 003 §11)."""
    child, _can_change = get_child_for_user(request.user, child_id, for_change=True)
    urgent_form = UrgentRouteForm(request.POST)
    if urgent_form.is_valid():
        try:
            actions.take_urgent_route(child, by=request.user,
                                      reason=urgent_form.cleaned_data["reason"])
        except actions.PathwayError as error:
            urgent_form.add_error(None, str(error))
        else:
            messages.warning(request, "Urgent route taken: a section 47 enquiry has started and "
                             "an urgent strategy discussion is due now.")
            return redirect("pathway:pathway", child_id=child.pk)
    return render(request, "pathway/pathway.html",
                  _pathway_context(child, urgent_form=urgent_form))


@require_http_methods(["POST"])
def meeting_exception(request: AuthenticatedHttpRequest, child_id: int, requirement_id: int
                      ) -> HttpResponse:
    """A manager records why a meeting the child's category calls for will not be held."""
    child, _can_change = get_child_for_user(request.user, child_id, for_change=True)
    if not actions.may_except(request.user):
        raise PermissionDenied("Only a manager may record an exception.")
    requirement = MeetingRequirement.objects.filter(pk=requirement_id, child=child).first()
    if requirement is None:
        raise Http404
    form = MeetingExceptionForm(request.POST)
    if form.is_valid():
        try:
            actions.record_meeting_exception(requirement, by=request.user,
                                             reason=form.cleaned_data["reason"])
        except actions.PathwayError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Exception recorded: {requirement.label} will not be "
                             "held.")
            return redirect("pathway:pathway", child_id=child.pk)
    return render(request, "pathway/pathway.html",
                  _pathway_context(child, user=request.user, can_change=True,
                                   exception_form=form, exception_for=requirement.pk))


def _open_response(child, response_id: int) -> TrackedResponse:
    response = (TrackedResponse.objects.select_related("work_item", "area")
                .filter(pk=response_id, child=child).first())
    if response is None:
        raise Http404
    return response


@require_http_methods(["POST"])
def record_response(request: AuthenticatedHttpRequest, child_id: int, response_id: int
                    ) -> HttpResponse:
    """Record what was done about a category 3 or trafficking response (issue 14, item 6)."""
    child, can_change = get_child_for_user(request.user, child_id)
    response = _open_response(child, response_id)
    if not _may_record_response(request.user, response, can_change):
        raise PermissionDenied("Only those who may change the child's record, or who hold this "
                               "work, record what was done.")
    profile = deadlines.profile_for(child.area)
    form = _response_form(response, profile, request.POST)
    if form.is_valid():
        try:
            actions.record_response(response, outcome=form.cleaned_data["outcome"],
                                    note=form.cleaned_data["note"], by=request.user)
        except actions.PathwayError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Recorded: {response.label}.")
            return redirect(reverse("pathway:pathway", args=[child.pk])
                            + f"#response-{response.pk}")
    return render(request, "pathway/pathway.html",
                  _pathway_context(child, user=request.user, can_change=can_change,
                                   response_form=form, response_for=response.pk))


@require_http_methods(["POST"])
def response_exception(request: AuthenticatedHttpRequest, child_id: int, response_id: int
                       ) -> HttpResponse:
    """A manager records why a child with trafficking indicators may leave the pathway before
    the National Referral Mechanism decides."""
    child, _can_change = get_child_for_user(request.user, child_id, for_change=True)
    if not actions.may_except(request.user):
        raise PermissionDenied("Only a manager may record an exception.")
    response = _open_response(child, response_id)
    form = ResponseExceptionForm(request.POST, prefix=_exception_prefix(response))
    if form.is_valid():
        try:
            actions.record_response_exception(response, by=request.user,
                                              reason=form.cleaned_data["reason"])
        except actions.PathwayError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Exception recorded: the pathway may end before the "
                             "decision.")
            return redirect(reverse("pathway:pathway", args=[child.pk])
                            + f"#response-{response.pk}")
    return render(request, "pathway/pathway.html",
                  _pathway_context(child, user=request.user, can_change=True,
                                   response_exception_form=form, response_for=response.pk))


def _open_adult(child, adult_id: int) -> AdultReferral:
    adult = (AdultReferral.objects.select_related("work_item", "area")
             .filter(pk=adult_id, child=child).first())
    if adult is None:
        raise Http404
    return adult


@require_http_methods(["POST"])
def adult_referral(request: AuthenticatedHttpRequest, child_id: int, adult_id: int
                   ) -> HttpResponse:
    """Record that adult safeguarding was told of a young person aged 18 or over at risk:
    when, to whom and their reference (issue 14, item 10)."""
    child, can_change = get_child_for_user(request.user, child_id)
    adult = _open_adult(child, adult_id)
    if not _may_record_response(request.user, adult, can_change):
        raise PermissionDenied("Only those who may change the young person's record, or who "
                               "hold this work, record it.")
    form = AdultReferralForm(request.POST, prefix=_adult_prefix(adult))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_adult_referral(adult, by=request.user,
                                          referred_on=data["referred_on"],
                                          referred_to=data["referred_to"],
                                          reference=data["reference"])
        except actions.PathwayError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Recorded: adult safeguarding has been told.")
            return redirect(adult.get_absolute_url())
    return render(request, "pathway/pathway.html",
                  _pathway_context(child, user=request.user, can_change=can_change,
                                   adult_form=form, adult_for=adult.pk))


@require_http_methods(["POST"])
def adult_exception(request: AuthenticatedHttpRequest, child_id: int, adult_id: int
                    ) -> HttpResponse:
    """A manager records why adult safeguarding will not be told."""
    child, _can_change = get_child_for_user(request.user, child_id, for_change=True)
    if not actions.may_except(request.user):
        raise PermissionDenied("Only a manager may record an exception.")
    adult = _open_adult(child, adult_id)
    form = AdultExceptionForm(request.POST, prefix=_adult_exception_prefix(adult))
    if form.is_valid():
        try:
            actions.record_adult_exception(adult, by=request.user,
                                           reason=form.cleaned_data["reason"])
        except actions.PathwayError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Exception recorded: adult safeguarding will not be "
                             "told.")
            return redirect(adult.get_absolute_url())
    return render(request, "pathway/pathway.html",
                  _pathway_context(child, user=request.user, can_change=True,
                                   adult_exception_form=form, adult_for=adult.pk))
