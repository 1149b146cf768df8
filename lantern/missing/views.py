from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lantern.foundation import audit
from lantern.foundation.access import can_change_child, can_contribute, get_child_for_user
from lantern.foundation.http import AuthenticatedHttpRequest
from lantern.foundation.models import Agency, Child, WorkItem
from lantern.missing.access import get_measure_for_user, get_missing_episode_for_user
from lantern.people import actions as people_actions
from lantern.people import queries as people_queries
from lantern.people.actions import StaleEdit

from . import actions, lists, queries, reminders
from . import settings as local
from .forms import (
    EpisodeForm,
    HandoverForm,
    InterviewForm,
    LookedAfterStatusForm,
    MeasureDecisionForm,
    MeasureForm,
    MeasureTakenForm,
    ParentsDecisionForm,
    PlacementForm,
    ProfileForm,
    ReturnForm,
    TransitionForm,
)
from .models import MissingEpisode, ReturnInterview


def _child(request: AuthenticatedHttpRequest, child_id: int, *, for_change: bool = False):
    if not can_contribute(request.user):
        raise PermissionDenied("Your role does not work with individual children's records.")
    return get_child_for_user(request.user, child_id, for_change=for_change)


def _stale(form, current, what: str) -> None:
    """Someone saved since this edit began: say so, show theirs, and let the user save again
    from the version now saved (their own words stay in the form)."""
    form.add_error(None, f"Someone else changed this {what} since you opened it. Their "
                   "version is shown below: check it, then save yours again.")
    form.data = form.data.copy()
    form.data["version"] = current.version if current else ""


def _area_agencies(child: Child):
    return Agency.objects.filter(area=child.area).order_by("name")


# --- Episodes -------------------------------------------------------------------------------------

@require_http_methods(["GET"])
def episodes(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """A child's missing episodes on a timeline, with their pattern and what it prompts."""
    child, can_change = _child(request, child_id)
    audit.record(request.user, "view", child, child=child,
                 summary="Read the missing episodes")
    return render(request, "missing/episodes.html",
                  _episodes_context(child, can_change))


def _episodes_context(child: Child, can_change: bool, *, failed=None) -> dict:
    rows = queries.on_timeline(queries.with_interview_items(queries.episodes_for(child)))
    return {
        "child": child, "can_change": can_change, "episodes": rows,
        "pattern": queries.pattern_for(child, rows), "now": timezone.now(),
        "prompts": queries.open_prompts(child), "failed": failed,
        "profile": queries.profile_for(child), "rhi_hours": local.rhi_hours(child.area),
    }


@require_http_methods(["GET", "POST"])
def record_episode(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child, _can_change = _child(request, child_id)
    form = EpisodeForm(request.POST if request.method == "POST" else None,
                       agencies=_area_agencies(child))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        episode = actions.record_episode(
            child, by=request.user, missing_from=data["missing_from"],
            placement_agency=data["placement_agency"],
            went_missing_at=data["went_missing_at"], reported_at=data["reported_at"],
            reported_by=data["reported_by"], police_reference=data["police_reference"],
            circumstances=data["circumstances"],
        )
        if data["still_missing"]:
            messages.success(request, "Missing episode recorded. Record when they are found "
                             "from this page.")
            if child.looked_after:
                messages.warning(request, "Hand the missing-person profile to police now if "
                                 "you have not already.")
            return redirect(episode)
        messages.success(request, "Missing episode recorded. Now record when and where they "
                         "were found.")
        return redirect("missing:record_return", episode_id=episode.pk)
    if request.method == "GET":
        audit.record(request.user, "view", child, child=child,
                     summary="Opened the record-a-missing-episode page")
    return render(request, "missing/record_episode.html", {"child": child, "form": form})


@require_http_methods(["GET"])
def episode_detail(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode, may_change = get_missing_episode_for_user(request.user, episode_id)
    audit.record(request.user, "view", episode, child=episode.child,
                 summary="Read a missing episode")
    interview = ReturnInterview.objects.filter(episode=episode).select_related(
        "interviewer_agency", "recorded_by").first()
    rhi_item = queries.with_interview_items([episode])[0].rhi_item
    return render(request, "missing/episode.html", {
        "episode": episode, "child": episode.child, "may_change": may_change,
        "interview": interview, "rhi_item": rhi_item, "now": timezone.now(),
        # The looked-after pages change the child's record: offered only to those who may.
        "may_change_child": episode.child.looked_after and can_change_child(request.user,
                                                                            episode.child),
        "push": [lists.wording(lists.push_factors(), c) for c in
                 (interview.push_factors if interview else [])],
        "pull": [lists.wording(lists.pull_factors(), c) for c in
                 (interview.pull_factors if interview else [])],
    })


@require_http_methods(["GET", "POST"])
def record_return(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode, _ = get_missing_episode_for_user(request.user, episode_id, for_change=True)
    if not episode.is_missing:
        messages.info(request, "The child's return from this episode is already recorded.")
        return redirect(episode)
    form = ReturnForm(request.POST if request.method == "POST" else None, episode=episode)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        episode = actions.record_return(
            episode, by=request.user, returned_at=data["returned_at"],
            found_where=data["found_where"], found_with=data["found_with"],
            how_back=data["how_back"], how_back_detail=data["how_back_detail"],
            police_protection=data["police_protection"], harm=data["harm"],
            harm_detail=data["harm_detail"],
        )
        hours = local.rhi_hours(episode.child.area)
        assert episode.returned_at is not None  # record_return has just set it
        due = timezone.localtime(local.rhi_due(episode.child.area, episode.returned_at))
        messages.success(request, f"Return recorded. The return home interview is due by "
                         f"{due:%-d %B %Y at %H:%M} ({hours} hours after they came back).")
        if data["police_protection"]:
            messages.warning(request, "Police protection was used: a section 47 enquiry is "
                             "required. Tell the front door now if they do not know.")
        return redirect(episode)
    if request.method == "GET":
        audit.record(request.user, "view", episode, child=episode.child,
                     summary="Opened the record-a-return page")
    return render(request, "missing/record_return.html",
                  {"episode": episode, "child": episode.child, "form": form})


@require_http_methods(["GET", "POST"])
def record_interview(request: AuthenticatedHttpRequest, episode_id: int) -> HttpResponse:
    episode, _ = get_missing_episode_for_user(request.user, episode_id, for_change=True)
    if episode.is_missing:
        messages.info(request, "Record that the child is back before the return home "
                      "interview.")
        return redirect("missing:record_return", episode_id=episode.pk)
    if ReturnInterview.objects.filter(episode=episode).exists():
        messages.info(request, "The return home interview for this episode is already "
                      "recorded.")
        return redirect(episode)
    form = InterviewForm(request.POST if request.method == "POST" else None, episode=episode,
                         agencies=_area_agencies(episode.child))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = ("outcome", "held_at", "venue", "interviewer_name", "interviewer_agency",
                  "child_words", "declined_reason", "push_factors", "pull_factors",
                  "factors_notes", "people_mentioned", "places_mentioned",
                  "vehicles_mentioned", "actions")
        actions.record_interview(episode, by=request.user, **{f: data[f] for f in fields})
        messages.success(request, "Return home interview recorded.")
        return redirect(episode)
    if request.method == "GET":
        audit.record(request.user, "view", episode, child=episode.child,
                     summary="Opened the return home interview page")
    return render(request, "missing/record_interview.html",
                  {"episode": episode, "child": episode.child, "form": form})


@require_http_methods(["POST"])
def resolve_prompt(request: AuthenticatedHttpRequest, child_id: int, item_id: int) -> HttpResponse:
    """Record that a prompted re-screening or strategy discussion has been dealt with."""
    child, can_change = _child(request, child_id, for_change=True)
    item = WorkItem.objects.filter(pk=item_id, child=child,
                                   kind__in=actions.PATTERN_KINDS).first()
    if item is None:
        raise Http404("No prompt found")
    note = request.POST.get("note", "").strip()
    if item.status == WorkItem.Status.OPEN and note:
        actions.resolve_prompt(item, by=request.user, note=note)
        messages.success(request, f"Recorded as done: {item.title.split(':')[0].lower()}.")
        return redirect("missing:episodes", child_id=child.pk)
    failed = {"item": item.pk, "message": "Enter what was done" if item.status ==
              WorkItem.Status.OPEN else "This prompt is already closed"}
    return render(request, "missing/episodes.html",
                  _episodes_context(child, can_change, failed=failed))


# --- Missing-person profile -----------------------------------------------------------------------

@require_http_methods(["GET"])
def profile(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child, can_change = _child(request, child_id)
    current = queries.profile_for(child)
    audit.record(request.user, "view", current or child, child=child,
                 summary="Read the missing-person profile")
    handovers = list(current.handovers.select_related("decision", "decision__recorded_by")
                     ) if current else []
    return render(request, "missing/profile.html", {
        "child": child, "profile": current, "can_change": can_change, "handovers": handovers,
    })


@require_http_methods(["GET", "POST"])
def edit_profile(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child, _can_change = _child(request, child_id, for_change=True)
    current = queries.profile_for(child)
    if current is None and not child.looked_after:
        messages.info(request, "A missing-person profile is held for looked-after children. "
                      "Record the child as looked after first.")
        return redirect("missing:profile", child_id=child.pk)
    initial = {"version": current.version} if current else {}
    if current:
        initial.update({f: getattr(current, f) for f in actions.PROFILE_FIELDS})
    form = ProfileForm(request.POST if request.method == "POST" else None,
                       request.FILES if request.method == "POST" else None, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_profile(
                child, by=request.user, version=data["version"], photo=data["photo"],
                remove_photo=data["remove_photo"],
                **{f: data[f] for f in actions.PROFILE_FIELDS},
            )
        except StaleEdit:
            stale = True
            current = queries.profile_for(child)
            _stale(form, current, "profile")
        else:
            messages.success(request, "Missing-person profile saved.")
            return redirect("missing:profile", child_id=child.pk)
    if request.method == "GET":
        audit.record(request.user, "view", current or child, child=child,
                     summary="Opened the missing-person profile to edit")
    return render(request, "missing/edit_profile.html",
                  {"child": child, "profile": current, "form": form, "stale": stale})


def _profile_or_404(child: Child):
    current = queries.profile_for(child)
    if current is None:
        raise Http404("No missing-person profile")
    return current


@require_http_methods(["GET"])
def profile_photo(request: AuthenticatedHttpRequest, child_id: int) -> FileResponse:
    """The photo, only through here: access checked and every read audited. There is no
    public URL for it."""
    child, _ = _child(request, child_id)
    current = _profile_or_404(child)
    if not current.photo:
        raise Http404("No photo")
    audit.record(request.user, "view_photo", current, child=child,
                 summary="Viewed the missing-person profile photo")
    response = FileResponse(current.photo.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_http_methods(["GET"])
def print_profile(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """The profile on one page, to print or show to police when the child is reported
    missing."""
    child, _ = _child(request, child_id)
    current = _profile_or_404(child)
    audit.record(request.user, "view", current, child=child,
                 summary="Opened the missing-person profile to print")
    rows = queries.episodes_for(child)
    return render(request, "missing/print_profile.html", {
        "child": child, "profile": current, "age": child.age(), "now": timezone.now(),
        "pattern": queries.pattern_for(child, rows), "episodes": rows[:5],
    })


@require_http_methods(["GET", "POST"])
def hand_over(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child, _ = _child(request, child_id)
    current = _profile_or_404(child)
    missing_now = MissingEpisode.objects.filter(child=child, returned_at=None)
    form = HandoverForm(
        request.POST if request.method == "POST" else None, episodes=missing_now,
        initial={"what": actions.HANDOVER_WHAT, "purpose": actions.HANDOVER_PURPOSE,
                 "episode": missing_now.first(),
                 "decided_by_name": f"{request.user.display_name}, {request.user.job_title}"
                 if request.user.job_title else request.user.display_name},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.hand_over_profile(
            current, by=request.user, recipient=data["recipient"], what=data["what"],
            purpose=data["purpose"], lawful_basis=data["lawful_basis"],
            consent=data["consent"], consent_detail=data["consent_detail"],
            override=data.get("override") or "", override_reason=data.get("override_reason")
            or "", decided_by_name=data["decided_by_name"], episode=data["episode"],
        )
        messages.success(request, "Handover to police recorded as an information-sharing "
                         "decision.")
        return redirect("missing:profile", child_id=child.pk)
    if request.method == "GET":
        audit.record(request.user, "view", current, child=child,
                     summary="Opened the missing-person profile handover page")
    return render(request, "missing/hand_over.html",
                  {"child": child, "profile": current, "form": form})


# --- Transitions ----------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def transition(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child, can_change = _child(request, child_id, for_change=request.method == "POST")
    current = queries.transition_plan_for(child)
    form = None
    stale = False
    if can_change:
        initial = _transition_initial(child, current)
        form = TransitionForm(request.POST if request.method == "POST" else None,
                              initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                actions.save_transition_plan(child, by=request.user,
                                             version=form.cleaned_data["version"],
                                             **form.plan_values())
            except StaleEdit:
                stale = True
                current = queries.transition_plan_for(child)
                _stale(form, current, "plan")
            else:
                messages.success(request, "Transition plan saved.")
                return redirect(child)
    if request.method == "GET":
        audit.record(request.user, "view", current or child, child=child,
                     summary="Read the transition plan")
    return render(request, "missing/transition.html", {
        "child": child, "plan": current, "form": form, "stale": stale, "age": child.age(),
        "continues_to": reminders.continues_to(child),
        "outcome_words": lists.transition_outcomes(),
        "criteria_words": lists.care_act_criteria(),
        "factor_words": lists.recovery_factors(),
    })


def _transition_initial(child: Child, current) -> dict:
    if current is None:
        return {"pathway_plan_applies": child.looked_after or child.care_leaver,
                "screening_continues_to": reminders.continues_to(child)}
    initial = {f: getattr(current, f) for f in actions.PLAN_FIELDS if f != "care_act"}
    initial["version"] = current.version
    for code, answer in current.care_act.items():
        initial[f"care_act_{code}"] = answer
    return initial


# --- Looked-after children (SPEC §13; seed 001, Children Looked After) ----------------------

@require_http_methods(["GET"])
def looked_after(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """The child's looked-after status and legal status, whether their parents were told of
    significant matters, measures needing a manager's agreement, and the placement questions."""
    child, can_change = _child(request, child_id)
    audit.record(request.user, "view", child, child=child,
                 summary="Read the looked-after page")
    return render(request, "missing/looked_after.html", {
        "child": child, "can_change": can_change, **queries.looked_after_for(child),
    })


@require_http_methods(["GET", "POST"])
def looked_after_status(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child, _ = _child(request, child_id, for_change=True)
    form = LookedAfterStatusForm(
        request.POST if request.method == "POST" else None,
        initial={"version": child.version, "looked_after": child.looked_after,
                 "legal_status": child.legal_status})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            people_actions.set_looked_after(
                child, by=request.user, version=data["version"],
                looked_after=data["looked_after"], legal_status=data["legal_status"],
                reason=data["reason"])
        except StaleEdit:
            form.add_error(None, "Someone else changed this record since you opened it. Go "
                           "back to the record to see their changes, then try again.")
        except people_actions.NothingChanged:
            form.add_error(None, "You have not changed anything. Change the status, or go "
                           "back.")
        else:
            messages.success(request, "Looked-after status saved.")
            return redirect("missing:looked_after", child_id=child.pk)
    if request.method == "GET":
        audit.record(request.user, "view", child, child=child,
                     summary="Opened the looked-after status to change it")
    return render(request, "missing/looked_after_status.html", {"child": child, "form": form})


def _needs_status(request, child: Child) -> HttpResponse | None:
    if child.looked_after and child.legal_status:
        return None
    messages.info(request, "Record that the child is looked after, and their legal status, "
                  "first.")
    return redirect("missing:looked_after_status", child_id=child.pk)


@require_http_methods(["GET", "POST"])
def parents_decision(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """Whether the parents were told of a significant matter, under the child's legal status."""
    child, _ = _child(request, child_id, for_change=True)
    if (refused := _needs_status(request, child)) is not None:
        return refused
    episodes = MissingEpisode.objects.filter(child=child)
    episode_id = request.GET.get("episode", "")
    form = ParentsDecisionForm(
        request.POST if request.method == "POST" else None, episodes=episodes,
        initial={"episode": episodes.filter(pk=episode_id).first()
                 if episode_id.isdigit() else None})
    rule = lists.looked_after_rules().legal_status(child.legal_status)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_parents_decision(
                child, by=request.user, matter=data["matter"], told=data["told"],
                how_told=data["how_told"], reason=data["reason"], episode=data["episode"])
        except actions.MissingError as error:
            form.add_error("reason" if data["told"] is False else None, str(error))
        else:
            messages.success(request, "Recorded whether the parents were told.")
            return redirect("missing:looked_after", child_id=child.pk)
    if request.method == "GET":
        audit.record(request.user, "view", child, child=child,
                     summary="Opened the telling-the-parents page")
    return render(request, "missing/parents_decision.html", {
        "child": child, "form": form, "rule": rule,
        "manages_case": people_queries.manages_case(request.user, child)})


@require_http_methods(["GET", "POST"])
def propose_measure(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child, _ = _child(request, child_id, for_change=True)
    if (refused := _needs_status(request, child)) is not None:
        return refused
    form = MeasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        measure = actions.propose_measure(
            child, by=request.user, kind=data["kind"], detail=data["detail"],
            reason=data["reason"], order_in_place=data["order_in_place"])
        messages.success(request, "Proposed. The team or service manager responsible for the "
                         "child's case must agree before it is taken.")
        return redirect(measure)
    if request.method == "GET":
        audit.record(request.user, "view", child, child=child,
                     summary="Opened the page to propose a restrictive measure")
    return render(request, "missing/propose_measure.html", {
        "child": child, "form": form, "rules": lists.looked_after_rules()})


@require_http_methods(["GET", "POST"])
def measure(request: AuthenticatedHttpRequest, measure_id: int) -> HttpResponse:
    """A proposed measure: the manager responsible for the child's case agrees or not; once
    agreed, it is recorded as taken (never before)."""
    if not can_contribute(request.user):
        raise PermissionDenied("Your role does not work with individual children's records.")
    found, may_change = get_measure_for_user(request.user, measure_id,
                                             for_change=request.method == "POST")
    child = found.child
    do = request.POST.get("do", "")
    posted = request.POST if request.method == "POST" else None
    decide_form = MeasureDecisionForm(posted if do != "taken" else None)
    taken_form = MeasureTakenForm(posted if do == "taken" else None)
    if request.method == "POST":
        form = taken_form if do == "taken" else decide_form
        if form.is_valid():
            try:
                if do == "taken":
                    actions.record_measure_taken(
                        found, by=request.user, taken_at=taken_form.cleaned_data["taken_at"])
                else:
                    actions.decide_measure(found, by=request.user,
                                           agreed=decide_form.cleaned_data["agreed"],
                                           reason=decide_form.cleaned_data["reason"])
            except actions.MissingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Recorded as taken." if do == "taken"
                                 else "Decision recorded.")
                return redirect(found)
    else:
        audit.record(request.user, "view", found, child=child,
                     summary="Read a proposed restrictive measure")
    rules = lists.looked_after_rules()
    kind = rules.measure(found.kind)
    return render(request, "missing/measure.html", {
        "child": child, "measure": found, "label": kind.label if kind else found.kind,
        "rules": rules, "may_change": may_change, "decide_form": decide_form,
        "taken_form": taken_form,
        "manages_case": people_queries.manages_case(request.user, child)})


@require_http_methods(["GET", "POST"])
def placement(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """The placement questions (seed 001), answered for a looked-after child."""
    child, _ = _child(request, child_id, for_change=True)
    if (refused := _needs_status(request, child)) is not None:
        return refused
    episodes = MissingEpisode.objects.filter(child=child)
    form = PlacementForm(request.POST if request.method == "POST" else None,
                         episodes=episodes)
    if request.method == "POST" and form.is_valid():
        actions.record_placement_review(child, by=request.user, answers=form.answers(),
                                        episode=form.cleaned_data["episode"])
        messages.success(request, "Placement questions answered.")
        return redirect("missing:looked_after", child_id=child.pk)
    if request.method == "GET":
        audit.record(request.user, "view", child, child=child,
                     summary="Opened the placement questions")
    return render(request, "missing/placement.html", {"child": child, "form": form})
