from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lantern.domain import language
from lantern.people.models import Role, User
from lantern.sharing import audit
from lantern.sharing.access import (
    DECIDING_ROLES,
    can_contribute,
    get_child_for_user,
    get_concern_for_user,
    get_referral_for_user,
)

from . import actions, queries
from .forms import ConcernForm, DecisionForm, ReferralForm
from .models import Concern, Referral


def _require_contributor(user) -> None:
    if not can_contribute(user):
        raise PermissionDenied("Your role does not work with individual children's records.")


@require_http_methods(["GET", "POST"])
def record_concern(request: HttpRequest, child_id: int) -> HttpResponse:
    _require_contributor(request.user)
    child, _can_change = get_child_for_user(request.user, child_id)
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
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
        return redirect("screening:new", child_id=child.pk)
    audit.record(request.user, "view", child, child=child,
                 summary="Opened the record-a-concern page")
    findings = language.check(form.data.get("narrative", "")) if form.is_bound else []
    return render(
        request, "pathway/record_concern.html",
        {"child": child, "form": form, "findings": findings},
    )


@require_http_methods(["POST"])
def language_check(request: HttpRequest) -> HttpResponse:
    """htmx: child-centred wording suggestions for what the user is typing (SPEC §12)."""
    _require_contributor(request.user)
    text = request.POST.get("narrative", "") or request.POST.get("text", "")
    return render(request, "pathway/_language.html", {"findings": language.check(text)})


@require_http_methods(["GET"])
def concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = get_concern_for_user(request.user, concern_id)
    audit.record(request.user, "view", concern, child=concern.child,
                 summary="Read a concern")
    return render(request, "pathway/concern.html", {"concern": concern, "child": concern.child})


@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, child_id: int) -> HttpResponse:
    _require_contributor(request.user)
    child, _can_change = get_child_for_user(request.user, child_id)
    latest_concern = (
        Concern.objects.filter(child=child, agency=request.user.agency)
        .order_by("-recorded_at").first()
    )
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
        },
    )


@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, may_decide = get_referral_for_user(request.user, referral_id)
    awaiting = referral.status == Referral.Status.AWAITING
    form = None
    if may_decide and awaiting:
        social_workers = User.objects.filter(
            role=Role.SOCIAL_WORKER, agency__area=referral.area, is_active=True
        ).select_related("agency").order_by("last_name", "first_name")
        form = DecisionForm(
            request.POST if request.method == "POST" else None, social_workers=social_workers
        )
    if request.method == "POST":
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
                messages.error(request, "Another worker decided this referral first.")
                return redirect(referral)
            messages.success(request, f"Decision recorded for {referral.child.full_name}.")
            return redirect("pathway:tray")
    else:
        audit.record(request.user, "view", referral, child=referral.child,
                     summary="Read a referral")
    return render(
        request,
        "pathway/referral.html",
        {"referral": referral, "child": referral.child, "form": form,
         "decision": getattr(referral, "decision", None) if not awaiting else None},
    )


@require_http_methods(["GET"])
def tray(request: HttpRequest) -> HttpResponse:
    """The front door's work tray: referrals awaiting a decision, the soonest due first."""
    if request.user.role not in DECIDING_ROLES:
        raise PermissionDenied("The referrals tray is for the front door.")
    overdue_only = request.GET.get("show") == "overdue"
    rows = queries.awaiting_decision(request.user.agency.area, overdue_only=overdue_only)
    audit.record(request.user, "list", summary="Opened the front-door referrals tray",
                 changes={"children": [r.child_id for r in rows]})
    return render(
        request,
        "pathway/tray.html",
        {"rows": rows, "overdue_only": overdue_only, "now": timezone.now()},
    )
