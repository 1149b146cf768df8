from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lantern.foundation import audit
from lantern.foundation.access import (
    can_contribute,
    get_child_for_user,
    require_contributor,
    visible_children,
)
from lantern.foundation.http import AuthenticatedHttpRequest
from lantern.foundation.models import Role, WorkItem
from lantern.pathway import queries as pathway_queries

from . import actions, bichard, queries, registry
from .forms import BichardForm, ScreeningForm
from .models import BichardAssessment, Screening
from .suggestions import indicator_suggestions


def _form(request: AuthenticatedHttpRequest, child, data=None, initial=None) -> ScreeningForm:
    area = child.area
    framework, checklists = registry.frameworks_for_profile(area.policy_profile)
    age = child.age()
    if age is None:
        raise Http404("The child's age is needed to screen them")
    return ScreeningForm(
        data,
        framework=framework,
        checklists=checklists,
        age=age.years,
        learning_disability=child.learning_disability,
        screener_role=request.user.role,
        local_settings=area.local_settings,
        initial=initial,
    )


@require_http_methods(["GET", "POST"])
def new_screening(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    require_contributor(request.user, "Your role does not screen children.")
    child, _can_change = get_child_for_user(request.user, child_id)
    # The concern this screening follows (`?concern=`, issue 15 item 3): the page shows it and
    # the child's words start the child's views; the screening is linked to it.
    concern = None
    if "concern" in request.GET:
        concern = pathway_queries.concern_for(child, request.GET["concern"])
        if concern is None:
            raise Http404("No such concern about this child")
    form = _form(request, child, request.POST if request.method == "POST" else None,
                 initial={"child_views": concern.child_words} if concern else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        concern = concern or pathway_queries.latest_agency_concern(child, request.user.agency)
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
            checklists=form.checklist_items(),
            settings=child.area.local_settings,
        )
        messages.success(
            request,
            f"Screening saved: {screening.final_category_name}. "
            + ("The framework requires a referral to children's social care."
               if screening.requires_referral else ""),
        )
        return redirect(screening)
    if request.method == "GET":
        audit.record(request.user, "view", child, child=child,
                     summary="Opened the screening page")
    latest = child.screenings.order_by("-screened_at").first()
    # Indicators the child's missing episodes suggest are ticked in advance, with their
    # reasons, for the practitioner to confirm or untick (lantern.screening.suggestions). The
    # suggestion panel is worked out as if they were ticked, so the page agrees with itself.
    suggested = {} if form.is_bound else dict(indicator_suggestions(child, form.framework.code))
    preview = form
    if suggested:
        preview = _form(request, child, QueryDict(mutable=True))
        cast(QueryDict, preview.data).setlist("indicators", list(suggested))
    return render(
        request,
        "screening/new.html",
        {"child": child, "form": form, "concern": concern, **_suggestion_context(preview),
         "groups": _groups(form, form.framework, "indicators", suggested),
         "checklists": [
             {"framework": checklist, "groups": _groups(form, checklist, "checklist")}
             for checklist in form.checklists
         ],
         "suggested": suggested,
         "latest": latest,
         "rescreen": queries.rescreen_prompt(child, latest) if latest else None},
    )


@require_http_methods(["POST"])
def suggest(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """htmx: the framework's suggestion for the indicators ticked so far, with its reasons."""
    require_contributor(request.user, "Your role does not screen children.")
    child, _can_change = get_child_for_user(request.user, child_id)
    form = _form(request, child, request.POST)
    return render(request, "screening/_suggestion.html", _suggestion_context(form))


def _suggestion_context(form: ScreeningForm) -> dict:
    suggestion, problem = form.suggestion()
    framework = form.framework
    return {
        "suggestion": suggestion,
        "problem": problem,
        "framework": framework,
        "drivers": [framework.indicator(c) for c in suggestion.drivers] if suggestion else [],
        "suggested_categories": [
            c for c in framework.categories
            if suggestion and suggestion.minimum <= c.number <= suggestion.maximum
        ],
    }


def _groups(form: ScreeningForm, framework, field: str,
            suggested: dict[str, str] | None = None) -> list[dict]:
    suggested = suggested or {}
    ticked = form.ticked(field) if form.is_bound else frozenset(suggested)
    groups = []
    for group in framework.groups:
        items = []
        for indicator in framework.indicators_in(group.code):
            items.append({
                "indicator": indicator,
                "checked": indicator.code in ticked,
                "suggested": suggested.get(indicator.code, ""),
                "evidence": form[f"evidence_{indicator.code}"],
            })
        groups.append({"group": group, "items": items, "field": field})
    return groups


@require_http_methods(["GET"])
def screening_detail(request: AuthenticatedHttpRequest, screening_id: int) -> HttpResponse:
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
    evidence = screening.evidence or {}

    def items(definition, codes):
        return [
            {"indicator": definition.indicator(code), "evidence": evidence.get(code, ""),
             "group": definition.group(definition.indicator(code).group)}
            for code in codes if definition.has_indicator(code)
        ]

    # The framework's indicators, then each checklist ticked alongside it, read with the
    # versions the screening used.
    sections = [{"title": "Indicators", "items": items(framework, screening.indicators),
                 "empty": "No indicators were ticked."}]
    for code, ticked_list in (screening.checklists or {}).items():
        checklist = registry.get(code, ticked_list["version"])
        sections.append({"title": checklist.name, "items": items(checklist, ticked_list["items"]),
                         "empty": "Nothing was ticked."})
    rescreen = WorkItem.objects.filter(
        source_type=Screening._meta.label_lower, source_id=str(screening.pk),
        kind=actions.RESCREEN,
    ).select_related("owner", "closed_by").first()
    return render(
        request,
        "screening/detail.html",
        {"screening": screening, "child": screening.child, "framework": framework,
         "sections": sections, "rescreen": rescreen,
         "may_rescreen": request.user.role == Role.SOCIAL_WORKER and can_contribute(
             request.user)},
    )


# --- Concerns about sexual activity: the Bichard questions (seed 000, appendix 2) ---------------

@require_http_methods(["GET", "POST"])
def new_bichard(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    if not can_contribute(request.user):
        raise PermissionDenied("Your role does not assess children.")
    child, _can_change = get_child_for_user(request.user, child_id)
    age = child.age()
    if age is None or age.years >= 18:
        raise Http404("This assessment is for young people under 18")
    form = BichardForm(request.POST if request.method == "POST" else None,
                       child_age=age.years)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = actions.record_bichard(
            child, by=request.user, answers=form.answers(),
            discussed_with=data["discussed_with"],
            refer_to_social_care=data["refer_to_social_care"], reasons=data["reasons"],
            consent=data["consent"], consent_detail=data["consent_detail"],
            other_person_age=data["other_person_age"],
        )
        if assessment.refer_to_social_care:
            messages.success(request, "Assessment recorded. Now make the referral to "
                                      "children's social care.")
            return redirect("pathway:refer", child_id=child.pk)
        messages.success(request, "Assessment recorded with the reasons for not referring.")
        return redirect(assessment)
    if request.method == "GET":
        audit.record(request.user, "view", child, child=child,
                     summary="Opened the assessment of concerns about sexual activity")
    return render(request, "screening/bichard_new.html",
                  {"child": child, "form": form, "age": age,
                   "questions": bichard.load()})


@require_http_methods(["GET"])
def bichard_detail(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = (
        BichardAssessment.objects.filter(child__in=visible_children(request.user))
        .select_related("child", "assessed_by", "agency").filter(pk=assessment_id).first()
    )
    if assessment is None:
        raise Http404("No assessment found")
    audit.record(request.user, "view", assessment, child=assessment.child,
                 summary="Read an assessment of concerns about sexual activity")
    questions = bichard.load().questions
    rows = [(q, assessment.answers.get(q.code, {})) for q in questions]
    child_age = assessment.child.age(assessment.assessed_at.date())
    gap = (assessment.other_person_age - child_age.years
           if assessment.other_person_age is not None and child_age else None)
    return render(request, "screening/bichard_detail.html",
                  {"assessment": assessment, "child": assessment.child, "rows": rows,
                   "age_gap": gap})
