"""What the monitoring pages read from the foundation's own tables (work items, children);
the feature apps' figures come through their `monitoring_*` queries. One aggregate query each,
whatever the amount of data."""

from datetime import datetime

from django.db.models import Count, F, Prefetch, Q

from lantern.foundation.access import NO_IDENTITY_ROLES
from lantern.foundation.figures import Slice
from lantern.foundation.models import Agency, Area, Child, User, WorkItem

from .models import CseLead, SixMonthlyReview


def timeliness(s: Slice, now: datetime) -> list[tuple[str, int, int, int, int]]:
    """Work opened in the period, by kind, against the deadline the area's policy profile set
    when it opened: (kind, done on time, done late, open and not yet due, open and overdue).
    Cancelled work is left out. One query."""
    items = WorkItem.objects.filter(s.period("opened_at"), s.children(area=False),
                                    s.agency("owner__agency_id"))
    if s.area_id is not None:
        items = items.filter(area_id=s.area_id)
    done, open_ = WorkItem.Status.DONE, WorkItem.Status.OPEN
    return list(
        items.values_list("kind").annotate(
            on_time=Count("id", filter=Q(status=done, closed_at__lte=F("due_at"))),
            late=Count("id", filter=Q(status=done, closed_at__gt=F("due_at"))),
            open=Count("id", filter=Q(status=open_, due_at__gte=now)),
            overdue=Count("id", filter=Q(status=open_, due_at__lt=now)),
        ).order_by("kind")
    )


def completeness(area_id: int | None) -> list[tuple]:
    """For the children each agency added: how many; how many have their ethnicity, NHS
    number, date of birth, nationality, gender and disability recorded ("not known" is not
    recorded); and how many say why their ethnicity, nationality, gender or disability is not
    known (issue 16 item 5: a "not known" carries its reason). One query."""
    children = Child.objects.all()
    if area_id is not None:
        children = children.filter(area_id=area_id)
    return list(
        children.values_list("created_by_agency__name").annotate(
            n=Count("id"),
            ethnicity=Count("id", filter=~Q(ethnicity__in=("", "not_known"))),
            nhs=Count("id", filter=~Q(nhs_number="")),
            dob=Count("id", filter=Q(date_of_birth__isnull=False)),
            nationality=Count("id", filter=~Q(nationality="")),
            gender=Count("id", filter=~Q(gender__in=("", "not_known"))),
            disability=Count("id", filter=Q(disability_status__in=("yes", "no"))),
            ethnicity_why=Count("id", filter=Q(unknown_reasons__has_key="ethnicity")),
            nationality_why=Count("id", filter=Q(unknown_reasons__has_key="nationality")),
            gender_why=Count("id", filter=Q(unknown_reasons__has_key="gender")),
            disability_why=Count("id", filter=Q(unknown_reasons__has_key="disability")),
        ).order_by("created_by_agency__name")
    )


def areas() -> list[Area]:
    return list(Area.objects.order_by("name"))


def agencies() -> list[Agency]:
    return list(Agency.objects.select_related("area").order_by("area__name", "name"))


def leads(*, search: str = "") -> list[Agency]:
    """Every agency, by area, with its current CSE leads (`current_leads`): two queries.
    `search` keeps the agencies whose name, or one of whose leads' names, contains it."""
    agencies = Agency.objects.select_related("area").order_by("area__name", "name")
    current = CseLead.objects.filter(removed_at=None).order_by("name")
    if search:
        agencies = agencies.filter(
            Q(name__icontains=search)
            | Q(cse_leads__name__icontains=search, cse_leads__removed_at=None)).distinct()
    return list(agencies.prefetch_related(Prefetch("cse_leads", queryset=current,
                                                   to_attr="current_leads")))


def lead(lead_id: int) -> CseLead:
    return CseLead.objects.select_related("agency").get(pk=lead_id)


def action_owners(area_id: int | None) -> list:
    """The people of the area who may own an action: active users of its agencies in roles
    that work with children."""
    if area_id is None:  # a user without an area has no colleagues to name
        return []
    return list(User.objects.filter(is_active=True, agency__area_id=area_id)
                .exclude(role__in=NO_IDENTITY_ROLES).select_related("agency")
                .order_by("first_name", "last_name", "username"))


def reviews(area_id: int) -> list[SixMonthlyReview]:
    """The area's six-monthly reviews, the latest period first."""
    return list(SixMonthlyReview.objects.filter(area_id=area_id)
                .select_related("created_by", "issued_by"))


def review(review_id: int, *, area_id: int) -> SixMonthlyReview:
    """One of the area's reviews (DoesNotExist for another area's)."""
    return SixMonthlyReview.objects.select_related("area", "issued_by").get(
        pk=review_id, area_id=area_id)
