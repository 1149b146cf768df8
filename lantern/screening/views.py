from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lantern.missing.suggestions import indicator_suggestions
from lantern.pathway.models import Concern
from lantern.sharing import audit
from lantern.sharing.access import can_contribute, get_child_for_user, visible_children

from . import actions, registry
from .forms import ScreeningForm
from .models import Screening


def _form(request: HttpRequest, child, data=None) -> ScreeningForm:
    area = child.area
    framework = registry.framework_for_profile(area.policy_profile)
    age = child.age()
    if age is None:
        raise Http404("The child's age is needed to screen them")
    return ScreeningForm(
        data,
        framework=framework,
        age=age.years,
        learning_disability=child.learning_disability,
        screener_role=request.user.role,
        local_settings=area.local_settings,
    )


@require_http_methods(["GET", "POST"])
def new_screening(request: HttpRequest, child_id: int) -> HttpResponse:
    if not can_contribute(request.user):
        raise PermissionDenied("Your role does not screen children.")
    child, _can_change = get_child_for_user(request.user, child_id)
    form = _form(request, child, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        concern = (
            Concern.objects.filter(child=child, agency=request.user.agency)
            .order_by("-recorded_at").first()
        )
        screening = actions.record_screening(
            child,
            by=request.user,
            given=form.screening_input(data["indicators"]),
            suggestion=form.computed,
            final_category=data["final_category"],
            analysis=data["analysis"],
            rationale=data["rationale"],
            child_views=data["child_views"],
            protective_factors=data["protective_factors"],
            evidence=form.evidence(),
            concern=concern,
        )
        messages.success(
            request,
            f"Screening saved: category {screening.final_category}. "
            + ("The framework requires a referral to children's social care."
               if form.computed.requires_referral else ""),
        )
        return redirect("screening:detail", screening_id=screening.pk)
    if request.method == "GET":
        audit.record(request.user, "view", child, child=child,
                     summary="Opened the screening page")
    # Indicators the child's missing episodes suggest are ticked in advance, with their
    # reasons, for the practitioner to confirm or untick (lantern.missing.suggestions).
    suggested = {} if form.is_bound else dict(indicator_suggestions(child, form.framework.code))
    preview = _form(request, child, QueryDict(mutable=True)) if suggested else form
    if suggested:
        preview.data.setlist("indicators", list(suggested))
    suggestion, problem = preview.suggestion()
    return render(
        request,
        "screening/new.html",
        {"child": child, "form": form, "framework": form.framework,
         "suggestion": suggestion, "problem": problem, "groups": _groups(form, suggested),
         "suggested": suggested},
    )


@require_http_methods(["POST"])
def suggest(request: HttpRequest, child_id: int) -> HttpResponse:
    """htmx: the framework's suggestion for the indicators ticked so far, with its reasons."""
    if not can_contribute(request.user):
        raise PermissionDenied("Your role does not screen children.")
    child, _can_change = get_child_for_user(request.user, child_id)
    form = _form(request, child, request.POST)
    suggestion, problem = form.suggestion()
    return render(
        request,
        "screening/_suggestion.html",
        {"suggestion": suggestion, "problem": problem, "framework": form.framework},
    )


def _groups(form: ScreeningForm, suggested: dict[str, str]) -> list[dict]:
    ticked = form.ticked() if form.is_bound else frozenset(suggested)
    groups = []
    for group in form.framework.groups:
        items = []
        for indicator in form.framework.indicators_in(group.code):
            items.append({
                "indicator": indicator,
                "checked": indicator.code in ticked,
                "suggested": suggested.get(indicator.code, ""),
                "evidence": form[f"evidence_{indicator.code}"],
            })
        groups.append({"group": group, "items": items})
    return groups


@require_http_methods(["GET"])
def screening_detail(request: HttpRequest, screening_id: int) -> HttpResponse:
    screening = (
        Screening.objects.filter(child__in=visible_children(request.user))
        .select_related("child", "screened_by", "agency")
        .filter(pk=screening_id)
        .first()
    )
    if screening is None:
        raise Http404("No screening found")
    audit.record(request.user, "view", screening, child=screening.child,
                 summary="Read a screening")
    framework = screening.framework_definition
    ticked = [framework.indicator(code) for code in screening.indicators
              if framework.has_indicator(code)]
    return render(
        request,
        "screening/detail.html",
        {"screening": screening, "child": screening.child, "framework": framework,
         "ticked": ticked},
    )
