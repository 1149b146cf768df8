from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lantern.pathway import queries as pathway_queries
from lantern.pathway.models import Concern, Referral
from lantern.people.models import Allocation
from lantern.screening import queries as screening_queries
from lantern.screening.models import Screening
from lantern.sharing import audit
from lantern.sharing.access import DECIDING_ROLES, NO_IDENTITY_ROLES, visible_children


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """Each role's home page: the work that is theirs, soonest due first."""
    user = request.user
    context: dict = {"now": timezone.now()}
    if user.role in NO_IDENTITY_ROLES or not user.agency_id:
        context["figures"] = _area_figures(user)
        return render(request, "core/home_figures.html", context)

    if user.role in DECIDING_ROLES:
        context["awaiting"] = pathway_queries.awaiting_decision(user.agency.area)[:10]
    context["allocated"] = list(
        Allocation.objects.filter(user=user, ended_at=None)
        .select_related("child").order_by("child__family_name")[:50]
    )
    context["recent_concerns"] = list(
        Concern.objects.filter(agency=user.agency, child__in=visible_children(user))
        .select_related("child", "recorded_by").order_by("-recorded_at")[:10]
    )
    context["agency_referrals"] = list(
        Referral.objects.filter(agency=user.agency, child__in=visible_children(user))
        .select_related("child", "decision").order_by("-received_at")[:10]
    )
    # Re-screening tasks (issue 3): the allocated social worker's, or the front door's.
    context["rescreen_work"] = screening_queries.rescreen_work(user)
    shown = {r.child_id for r in context.get("awaiting", [])}
    shown |= {item.child_id for item in context["rescreen_work"]}
    shown |= {a.child_id for a in context["allocated"]}
    shown |= {c.child_id for c in context["recent_concerns"]}
    shown |= {r.child_id for r in context["agency_referrals"]}
    audit.record(user, "list", summary="Opened their home page",
                 changes={"children": sorted(shown)})
    return render(request, "core/home.html", context)


def _area_figures(user) -> dict:
    """Counts without identities, for analysts, board members and administrators."""
    area = user.agency.area if user.agency_id else None
    referrals = Referral.objects.all()
    screenings = Screening.objects.all()
    if area is not None:
        referrals = referrals.filter(area=area)
        screenings = screenings.filter(child__area=area)
    now = timezone.now()
    counts = referrals.aggregate(
        total=Count("id"),
        awaiting=Count("id", filter=Q(status=Referral.Status.AWAITING)),
        overdue=Count("id", filter=Q(status=Referral.Status.AWAITING, decision_due_at__lt=now)),
        decided=Count("id", filter=Q(status=Referral.Status.DECIDED)),
        decided_on_time=Count(
            "id",
            filter=Q(status=Referral.Status.DECIDED,
                     decision__decided_at__lte=F("decision_due_at")),
        ),
    )
    by_category = list(
        screenings.values("framework", "final_category").annotate(n=Count("id"))
        .order_by("framework", "final_category")
    )
    return {"area": area, "referrals": counts, "by_category": by_category}


@login_not_required
@require_http_methods(["GET"])
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/csrf_failure.html", status=403)
