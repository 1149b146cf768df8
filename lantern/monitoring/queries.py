"""What the monitoring pages read from the foundation's own tables (work items, children);
the feature apps' figures come through their `monitoring_*` queries. One aggregate query each,
whatever the amount of data."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet

from lantern.foundation.access import NO_IDENTITY_ROLES
from lantern.foundation.compiled import Compiled, prepared_cursor
from lantern.foundation.figures import Slice
from lantern.foundation.http import url_pattern
from lantern.foundation.models import Agency, Area, Child, Role, User, WorkItem

from .models import (
    CseLead,
    DipSample,
    DipSampleAction,
    DipSampleGrade,
    DipSampleItem,
    SixMonthlyReview,
)


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


def area_name(area_id: int) -> str:
    return Area.objects.filter(pk=area_id).values_list("name", flat=True).first() or ""


def agencies() -> list[Agency]:
    return list(Agency.objects.select_related("area").order_by("area__name", "name"))


def _lead_agencies(by_area: bool, searching: bool, *, area: int = 0,
                   search: str = "") -> QuerySet[Agency]:
    agencies = Agency.objects.select_related("area").order_by("area__name", "name")
    if by_area:
        agencies = agencies.filter(area_id=area)
    if searching:
        agencies = agencies.filter(
            Q(name__icontains=search)
            | Q(cse_leads__name__icontains=search, cse_leads__removed_at=None)).distinct()
    return agencies


def _current_leads(by_area: bool, *, area: int = 0) -> QuerySet[CseLead]:
    current = CseLead.objects.filter(removed_at=None).order_by("name")
    return current.filter(agency__area_id=area) if by_area else current


# Compiled once a process (lantern.foundation.compiled): anyone signed in opens the directory.
_LEAD_AGENCIES: Compiled[Agency] = Compiled(_lead_agencies)
_CURRENT_LEADS: Compiled[CseLead] = Compiled(_current_leads)


def leads(*, search: str = "", area_id: int | None = None) -> list[Agency]:
    """Every agency, by area, with its current CSE leads (`current_leads`): two queries.
    `search` keeps the agencies whose name, or one of whose leads' names, contains it;
    `area_id` the agencies of one area."""
    by_area = area_id is not None
    place = {"area": area_id} if area_id is not None else {}
    agencies = _LEAD_AGENCIES(by_area, bool(search), **place,
                              **({"search": search} if search else {}))
    current: dict[int, list[CseLead]] = {}
    for lead in _CURRENT_LEADS(by_area, **place):
        current.setdefault(lead.agency_id, []).append(lead)
    for agency in agencies:
        agency.current_leads = current.get(agency.pk, [])  # type: ignore[attr-defined]
    return agencies


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
    """The area's six-monthly reviews, the latest period first: what the list shows of them
    (not their narrative nor an issued review's frozen figures)."""
    return list(SixMonthlyReview.objects.filter(area_id=area_id)
                .only("area_id", "period_start", "period_end", "status", "issued_at"))


def review(review_id: int, *, area_id: int) -> SixMonthlyReview:
    """One of the area's reviews (DoesNotExist for another area's)."""
    return SixMonthlyReview.objects.select_related("area", "issued_by").get(
        pk=review_id, area_id=area_id)


# --- The monthly dip-sample audit (issue 17 item 4) --------------------------------------------

AUDIT_PERMISSION = "monitoring.audit_dip_sample"


def dip_sample_auditors(area_id: int) -> list[User]:
    """Who audits the area's dip samples: active people of its agencies with the auditor role
    (board member or auditor), or given the quality-assurance permission (directly or through
    a group). One query."""
    app, codename = AUDIT_PERMISSION.split(".")
    perm = Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app)
    group = Q(groups__permissions__codename=codename,
              groups__permissions__content_type__app_label=app)
    return list(User.objects.filter(is_active=True, agency__area_id=area_id)
                .filter(Q(role=Role.BOARD) | perm | group).distinct()
                .order_by("pk"))


# The dip-sample audits page's two lists, written out: each request ran the ORM's compilation
# of them, four times longer than PostgreSQL took to answer (issue 17: the page at 3x the floor).
_SAMPLES_SQL = """
SELECT s.id, s.area_id, s.month, s.size, s.drawn_by_id, s.drawn_at,
       u.username AS drawn_by_username, u.first_name AS drawn_by_first_name,
       u.last_name AS drawn_by_last_name,
       COUNT(i.id) AS item_count, COUNT(i.completed_at) AS completed_count
FROM monitoring_dipsample s
JOIN foundation_user u ON u.id = s.drawn_by_id
LEFT JOIN monitoring_dipsampleitem i ON i.sample_id = s.id
WHERE s.area_id = %s
GROUP BY s.id, u.id
ORDER BY s.month DESC
"""


def dip_samples(area_id: int) -> list[DipSample]:
    """The area's samples, the latest month first, each with how many records it holds and
    how many are audited (`item_count`, `completed_count`) and who drew it (`drawn_by`: their
    names only). One query."""
    samples = list(DipSample.objects.raw(_SAMPLES_SQL, [area_id]))
    url = url_pattern("monitoring:dip_sample")
    for sample in samples:
        sample.url = url(sample.pk)
        names = vars(sample)
        sample.drawn_by = User(pk=sample.drawn_by_id, username=names["drawn_by_username"],
                               first_name=names["drawn_by_first_name"],
                               last_name=names["drawn_by_last_name"])
    return samples


def dip_sample(sample_id: int, *, area_id: int) -> DipSample:
    return DipSample.objects.select_related("area", "drawn_by").get(pk=sample_id,
                                                                    area_id=area_id)


def dip_sample_items(sample: DipSample) -> list[DipSampleItem]:
    """The sample's records with their auditor, grades and actions: three queries."""
    return list(sample.items.select_related("auditor").prefetch_related(
        "grades", Prefetch("actions", queryset=DipSampleAction.objects.select_related(
            "owner", "work_item"))))


_MINE_SQL = """
SELECT i.id, i.kind, s.month
FROM monitoring_dipsampleitem i
JOIN monitoring_dipsample s ON s.id = i.sample_id
WHERE i.auditor_id = %s AND i.completed_at IS NULL
ORDER BY s.month, i.id
LIMIT 200
"""


@dataclass(frozen=True)
class SampleMonth:
    month: date


@dataclass(frozen=True)
class AuditorRecord:
    """A record given to an auditor, as their list shows it: its key, its sample's month, and
    the list's words and link for it, worked out here rather than a reverse(), a choice's label
    and a date filter a row (issue 17)."""

    pk: int
    sample: SampleMonth
    title: str
    url: str
    month_text: str


def my_dip_sample_items(user) -> list[AuditorRecord]:
    """The records given to `user` to audit that they have not completed, oldest sample first.
    One query, read as plain rows (40 records took 1.9 ms as models)."""
    url = url_pattern("monitoring:dip_sample_item")
    kinds = dict(DipSampleItem.Kind.choices)
    with prepared_cursor() as cursor:
        cursor.execute(_MINE_SQL, [user.pk])
        rows = cursor.fetchall()
    return [AuditorRecord(pk, SampleMonth(month), f"{kinds.get(kind, kind)}, record {pk}",
                          url(pk), f"{month:%B %Y}") for pk, kind, month in rows]


def dip_sample_item(item_id: int) -> DipSampleItem | None:
    return (DipSampleItem.objects.select_related("sample", "sample__area", "auditor")
            .prefetch_related("grades", Prefetch(
                "actions", queryset=DipSampleAction.objects.select_related("owner",
                                                                            "work_item")))
            .filter(pk=item_id).first())


def owns_dip_sample_action(user, item_id: int) -> bool:
    return DipSampleAction.objects.filter(item_id=item_id, owner=user).exists()


def dip_sample_grades(s: Slice) -> list[tuple[str, str, int]]:
    """Grades given in audits completed in the period, as (quality area, grade, count). One
    query."""
    grades = DipSampleGrade.objects.filter(s.period("item__completed_at"),
                                           s.children("item__child__"))
    return list(grades.values_list("area", "grade").annotate(n=Count("id"))
                .order_by("area", "grade"))


def dip_sample_action(action_id: int) -> DipSampleAction | None:
    return (DipSampleAction.objects.select_related("item", "item__child", "work_item")
            .filter(pk=action_id).first())
