"""Information-sharing decisions, emergency (break-glass) access and its review, and who has
looked at a child's record."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lantern.foundation import audit
from lantern.foundation.access import can_contribute, get_child_for_user, visible_children
from lantern.foundation.http import AuthenticatedHttpRequest, parse_id
from lantern.foundation.models import Role

from . import access, actions, lawful_bases, queries
from .forms import (
    BreakGlassForm,
    BreakGlassReviewForm,
    ChildReferenceForm,
    SharingDecisionForm,
)
from .models import BreakGlassGrant, SharingDecision

# --- Information-sharing decisions -------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def record_decision(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    if not can_contribute(request.user):
        raise PermissionDenied("Your role does not record information-sharing decisions.")
    child, _can_change = get_child_for_user(request.user, child_id)
    form = SharingDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.record_sharing_decision(
            child,
            by=request.user,
            outcome=data["outcome"],
            what=data["what"],
            recipient=data["recipient"],
            purpose=data["purpose"],
            lawful_basis=data["lawful_basis"],
            consent=data["consent"],
            consent_detail=data["consent_detail"],
            override=data.get("override") or "",
            override_reason=data.get("override_reason") or "",
            decided_by_name=data["decided_by_name"],
        )
        messages.success(request, "Information-sharing decision recorded.")
        return redirect(child)
    if request.method == "GET":
        audit.record(request.user, "view", child, child=child,
                     summary="Opened the information-sharing page")
    return render(request, "sharing/record_decision.html", {"child": child, "form": form})


@require_http_methods(["GET"])
def decision_detail(request: AuthenticatedHttpRequest, decision_id: int) -> HttpResponse:
    decision, _ = access.get_sharing_decision_for_user(request.user, decision_id)
    audit.record(request.user, "view", decision, child=decision.child,
                 summary="Read an information-sharing decision")
    return render(request, "sharing/decision.html",
                  {"decision": decision, "child": decision.child,
                   "basis_label": lawful_bases.label(decision.lawful_basis)})


@require_http_methods(["GET"])
def decisions_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Managers: the area's information-sharing decisions, filterable and exportable as CSV.
    Board members and auditors: the same as counts, without names."""
    user = request.user
    if user.role == Role.BOARD:
        return render(request, "sharing/decisions_counts.html",
                      {"counts": queries.sharing_counts(user.working_agency.area)})
    if not access.can_report_sharing(user):
        raise PermissionDenied("The information-sharing report is for managers.")
    rows = queries.sharing_decisions(user, outcome=request.GET.get("outcome", ""),
                                     consent=request.GET.get("consent", ""))
    audit.record(user, "report", summary="Information-sharing decisions report",
                 changes={"children": sorted({r.child_id for r in rows}),
                          "format": request.GET.get("format", "html")})
    if request.GET.get("format") == "csv":
        return queries.sharing_csv(rows)
    return render(request, "sharing/decisions_report.html",
                  {"rows": rows, "outcome": request.GET.get("outcome", ""),
                   "consent": request.GET.get("consent", ""),
                   "outcomes": SharingDecision.Outcome.choices,
                   "consents": SharingDecision.Consent.choices})


# --- Break-glass (emergency) access ------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def break_glass(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.can_break_glass(request.user):
        raise PermissionDenied("Your role does not open children's records.")
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = actions.find_child_for_emergency(
            data["given_names"], data["family_name"], data["date_of_birth"]
        )
        if len(matches) == 1:
            child = matches[0]
            if visible_children(request.user).filter(pk=child.pk).exists():
                return redirect(child)
            grant = actions.break_glass(child, by=request.user, reason=data["reason"])
            messages.warning(
                request,
                f"Emergency access until {timezone.localtime(grant.expires_at):%H:%M}. Your "
                "reason is recorded and the CSE team manager has been told.",
            )
            return redirect(child)
        audit.record(request.user, "break_glass_refused", reason=data["reason"],
                     summary=f"Emergency access found {len(matches)} matching records")
        form.add_error(
            None,
            "No single record matches these details exactly. Check the legal names and date "
            "of birth, or phone the front door." if not matches else
            "More than one record matches these details. Phone the front door.",
        )
    return render(request, "sharing/break_glass.html", {"form": form})


@require_http_methods(["GET", "POST"])
def break_glass_reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.can_review_break_glass(request.user):
        raise PermissionDenied("Emergency access is reviewed by CSE team managers.")
    area = request.user.working_agency.area
    forms_by_grant = {}
    if request.method == "POST":
        grant = BreakGlassGrant.objects.filter(
            pk=parse_id(request.POST.get("grant")) or 0, child__area=area
        ).select_related("child").first()
        if grant is None:
            raise Http404("No emergency access found")
        form = BreakGlassReviewForm(request.POST, prefix=f"g{grant.pk}")
        if form.is_valid():
            actions.review_break_glass(grant, by=request.user,
                                       review=form.cleaned_data["review"],
                                       note=form.cleaned_data["note"])
            messages.success(request, "Review recorded.")
            return redirect("sharing:break_glass_reviews")
        forms_by_grant[grant.pk] = form
    grants = list(
        BreakGlassGrant.objects.filter(child__area=area)
        .select_related("user__agency", "child", "reviewed_by")[:200]
    )
    for grant in grants:
        grant.form = forms_by_grant.get(grant.pk) or BreakGlassReviewForm(prefix=f"g{grant.pk}")
    audit.record(request.user, "list", summary="Opened the emergency access reviews",
                 changes={"children": sorted({g.child_id for g in grants})})
    return render(request, "sharing/break_glass_reviews.html",
                  {"grants": grants, "now": timezone.now()})


# --- Who has looked at a child's record ----------------------------------------------------------

@require_http_methods(["GET"])
def access_log(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child, _ = access.get_access_log_for_user(request.user, child_id)
    show_identity = access.access_log_shows_identity(request.user)
    events = queries.access_log(child)
    audit.record(request.user, "view_access_log", child, child=child,
                 summary="Read who has looked at the child's record")
    return render(request, "sharing/access_log.html",
                  {"child": child, "show_identity": show_identity, "events": events})


@require_http_methods(["GET"])
def audit_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Board members and auditors open a child's access log by reference number."""
    if request.user.role not in access.ACCESS_LOG_ROLES:
        raise PermissionDenied("The audit pages are for managers and auditors.")
    form = ChildReferenceForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("sharing:access_log", child_id=form.cleaned_data["reference"])
    return render(request, "sharing/audit_lookup.html", {"form": form})
