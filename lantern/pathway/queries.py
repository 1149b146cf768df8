"""Queries for the pathway's lists: each owns its joins so the page's query count stays flat."""

from functools import lru_cache
from operator import attrgetter

from django.db import connection
from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from lantern.domain.profiles import Due, Profile
from lantern.foundation import rows as rows_of
from lantern.foundation import trays
from lantern.foundation.access import (
    Viewer,
    child_visible_sql,
    viewing,
    visible_children,
    visible_in_area,
    visible_through,
)
from lantern.foundation.compiled import Compiled
from lantern.foundation.figures import Slice
from lantern.foundation.flags import has_rows
from lantern.foundation.http import parse_id, url_pattern
from lantern.foundation.models import (
    NAME_FIELDS,
    Agency,
    Child,
    User,
    WorkItem,
    beyond_name,
)
from lantern.foundation.when import due_phrase, short_datetime

from . import deadlines, drawn, policy
from .models import (
    AdultReferral,
    Concern,
    ConcernDiscussion,
    Decision,
    MeetingRequirement,
    Outcome,
    Pathway,
    PathwayStep,
    Referral,
    Step,
    TrackedResponse,
)


def _awaiting(role: str, overdue_only: bool, offset: int, limit: int, *, viewer: int,
              viewer_agency: int, viewer_area: int, now) -> QuerySet[Referral]:
    user = Viewer(viewer, viewer_agency, viewer_area, role)
    rows = (
        Referral.objects.filter(visible_through(user, "child", now=now))
        .filter(area_id=viewer_area, status=Referral.Status.AWAITING)
        .select_related("child")
        .only(*AWAITING_FIELDS)
        # The agency's name and the screening's category as columns of the row, not models
        # made for each of 50 rows (issue 18).
        .annotate(agency_name=F("agency__name"),
                  screening_category=F("screening__final_category"))
        .order_by("decision_due_at", "id")
    )
    if overdue_only:
        rows = rows.filter(decision_due_at__lt=now)
    return rows[offset:offset + limit]


# Compiled once a role, list and page (lantern.foundation.compiled), planned once a
# connection: building it took longer than PostgreSQL takes to answer it.
_AWAITING: Compiled[Referral] = Compiled(_awaiting, prepared=True)


def awaiting_decision(user, *, overdue_only: bool = False, offset: int = 0,
                      limit: int = 50) -> list[Referral]:
    """The front door's tray: referrals to the user's area awaiting a decision, soonest due
    first, among the referrals the user may see (lantern.pathway.access); `limit` of them from
    `offset` (a page)."""
    seen = viewing(user)
    if seen is None:
        return []
    role, values = seen
    now = timezone.now()
    found: list[Referral] = _AWAITING(role, overdue_only, offset, limit, now=now, **values)
    # What each row draws, worked out once here rather than by `reverse()`, two date filters
    # and `due_phrase` a row in the template (the tray draws 50).
    url = url_pattern("pathway:referral")
    for referral in found:
        referral.url = url(referral.pk)
        referral.received_text = short_datetime(referral.received_at)
        referral.due_text = short_datetime(referral.decision_due_at)
        referral.due_words = due_phrase(referral.decision_due_at, now)
        referral.past_due = referral.decision_due_at < now
    return found


# What a row of referrals awaiting a decision draws (the front door's tray, the home page):
# the child's name, the referring agency's, the screening's category; not the reason, the
# consent details, the child's other columns or the screening's answers.
AWAITING_FIELDS = (
    "child", "urgent", "received_at", "status", "decision_due_at", "due_basis",
    "child__given_names", "child__family_name", "child__known_as",
)


# --- A child's pathway ------------------------------------------------------------------------

# What a pathway holds beside its steps, as `child_pathway` reads it: (relation, model, rows).
_PATHWAY_PARTS = (
    ("requirements", MeetingRequirement, lambda: MeetingRequirement.objects.select_related(
        "work_item", "excepted_by").defer(*beyond_name("excepted_by"))),
    ("responses", TrackedResponse, lambda: TrackedResponse.objects.select_related(
        "work_item__owner", "excepted_by").defer(
            *beyond_name("work_item__owner"), *beyond_name("excepted_by"))),
    ("adult_referrals", AdultReferral, lambda: AdultReferral.objects.select_related(
        "work_item__owner", "excepted_by", "recorded_by").defer(
            *beyond_name("work_item__owner"), *beyond_name("excepted_by"),
            *beyond_name("recorded_by"))),
)


def child_pathway(child) -> dict:
    """The child's pathway steps (every pathway, newest first, steps in order) with their due
    and actual dates, and open work about the child that belongs to no step: two queries,
    and one more for each kind of part (required meetings, tracked responses, adult
    safeguarding referrals) the child's pathways have, however many rows each holds."""
    # A child's pathway seldom has required meetings, tracked responses or adult safeguarding
    # referrals: whether it has each is asked in the pathways' own query, and each is read
    # only for the pathways that have some (issue 18); the others get an empty list without
    # a query. The people are drawn by name only: their other columns are not read.
    # Every one is read, so put in order here, newest first (as the screenings, referrals
    # and missing episodes the record reads whole): Django's ORDER BY costs more to compile
    # the more columns a query reads (0.1 ms a query).
    found, found_steps = _pathways_and_steps(child)
    pathways = sorted(found, key=attrgetter("started_at"), reverse=True)
    # Their steps read with them, in order here (as above), each pathway's left as a prefetch
    # leaves it (`pathway.steps.all()` without a query): Django's prefetch cost as much again.
    by_pathway = {pathway.pk: pathway for pathway in pathways}
    steps: dict[int, list[PathwayStep]] = {pk: [] for pk in by_pathway}
    for step in sorted(found_steps, key=attrgetter("started_at", "pk")):
        step.pathway = by_pathway[step.pathway_id]
        steps[step.pathway_id].append(step)
    for pathway in pathways:
        _prefetched(pathway, "steps", PathwayStep, steps[pathway.pk])
    for name, model, rows in _PATHWAY_PARTS:
        having = [p for p in pathways if getattr(p, f"has_{name}")]
        if having:
            prefetch_related_objects(having, Prefetch(name, queryset=rows()))
        _none_prefetched([p for p in pathways if p not in having], name, model)
    for pathway in pathways:
        items = [r.work_item for r in pathway.responses.all()] + [
            a.work_item for a in pathway.adult_referrals.all()]
        for item in items:
            if item is not None:
                item.owner_label = trays.owner_label(item)
    current = next((p for p in pathways if p.is_open), None)
    other_work = _other_work(child)
    now = timezone.now()
    for pathway in pathways:
        # Drawn in Python, as the template's loop drew them (pathway/tests/test_drawn.py).
        pathway.steps_html = drawn.step_rows(  # type: ignore[attr-defined]
            steps[pathway.pk], now)
    return {"pathways": pathways, "current_pathway": current, "other_work": other_work,
            "now": now}


# The child's pathways, their steps and their other open work are read in SQL, their rows made
# into models: the ORM took about 1.2 ms of Python to build the three queries (issue 18).
# `site/tests/test_record_sql.py` holds each to the ORM query it replaced.
_PATHWAY = list(Pathway._meta.concrete_fields)
_STEP = list(PathwayStep._meta.concrete_fields)
_WORK = list(WorkItem._meta.concrete_fields)


def _pathways_and_steps(child) -> tuple[list[Pathway], list[PathwayStep]]:
    """The child's pathways, each with whether it has each kind of part (`has_requirements`,
    ...: `has_rows`), and their steps, each with its work item (or None): one query (the
    pathways' and the steps' were two, a round trip more for the record, issue 18); each in
    no order."""
    sql, params = pathways_statement(child)
    names = _pathways_sql(connection.vendor)[2]
    pathways: dict[int, Pathway] = {}
    steps = []
    width, flags = len(_PATHWAY), len(names)
    for row in rows_of.fetch(sql, params, prepared=True):
        pathway = pathways.get(row[0])
        if pathway is None:
            pathway = rows_of.made(Pathway, _PATHWAY, row[:width])
            for name, value in zip(names, row[width:width + flags], strict=True):
                setattr(pathway, name, bool(value))
            pathways[pathway.pk] = pathway
        step, item = rows_of.parts(row[width + flags:], (PathwayStep, _STEP), (WorkItem, _WORK))
        if step is not None:  # a pathway without steps: its row alone
            rows_of.cache(step, "work_item", item)
            steps.append(step)
    return list(pathways.values()), steps


def pathways_statement(child) -> tuple[str, list]:
    """`_pathways_and_steps`' statement and its parameters (the record reads it ahead)."""
    sql, params, _ = _pathways_sql(connection.vendor)
    return sql, [*params, child.pk]


@lru_cache(maxsize=2)
def _pathways_sql(vendor: str) -> tuple[str, tuple, tuple[str, ...]]:
    """`_pathways_and_steps`' statement, its parameters but the child and its flags' names,
    written once a process (the same for every child)."""
    flags = [(f"has_{name}", has_rows(model, "pathway", Pathway))
             for name, model, _ in _PATHWAY_PARTS]
    quote = connection.ops.quote_name
    table = quote(Pathway._meta.db_table)
    # Table and column names from the models; every value a parameter.
    sql = (f"SELECT {rows_of.columns(table, _PATHWAY)}, "  # noqa: S608
           f"{', '.join(flag.sql for _, flag in flags)}, "
           f"{rows_of.columns('s', _STEP)}, {rows_of.columns('w', _WORK)} FROM {table} "
           f"LEFT JOIN {quote(PathwayStep._meta.db_table)} s ON s.pathway_id = {table}.id "
           f"LEFT JOIN {quote(WorkItem._meta.db_table)} w ON w.id = s.work_item_id "
           f"WHERE {table}.child_id = %s")
    return (sql, tuple(p for _, flag in flags for p in flag.params),
            tuple(name for name, _ in flags))


def _other_work(child) -> list[WorkItem]:
    """Open work about the child that belongs to no step, soonest due first: not a required
    meeting's, a tracked response's or an adult safeguarding referral's, shown with those."""
    return rows_of.read(*other_work_read(child))


def other_work_read(child) -> tuple:
    """What `_other_work` reads: `rows.read`'s arguments (the record reads it ahead)."""
    shown_with = [model._meta.label_lower
                  for model in (MeetingRequirement, TrackedResponse, AdultReferral)]
    return (
        # Table and column names from the models; every value a parameter.
        f"{WorkItem._meta.db_table} w WHERE w.child_id = %s AND w.status = %s "  # noqa: S608
        f"AND NOT EXISTS (SELECT 1 FROM {PathwayStep._meta.db_table} s "
        "WHERE s.work_item_id = w.id) "
        f"AND w.source_type NOT IN ({', '.join(['%s'] * len(shown_with))}) "
        "ORDER BY w.due_at ASC",
        [child.pk, WorkItem.Status.OPEN, *shown_with], ("w", WorkItem, _WORK))


def _prefetched(pathway: Pathway, name: str, model, rows: list) -> None:
    """`rows` as `pathway.<name>` (a reverse relation) once prefetched: `pathway.<name>.all()`
    is then that list without a query."""
    found = model.objects.none()
    found._result_cache = rows
    found._prefetch_done = True
    pathway.__dict__.setdefault("_prefetched_objects_cache", {})[name] = found


def _none_prefetched(pathways: list[Pathway], name: str, model) -> None:
    """Each pathway's `name` known to be empty, as a prefetch leaves it. Prefetching
    `model.objects.none()` did the same but built and compiled a query for each kind of part
    (0.4 ms each, issue 18)."""
    for pathway in pathways:
        _prefetched(pathway, name, model, [])


def outstanding_requirements(pathway: Pathway) -> list[MeetingRequirement]:
    """The meetings the child's category calls for, neither held nor excepted by a manager."""
    return list(MeetingRequirement.objects.filter(pathway=pathway, held_at=None,
                                                  excepted_at=None))


def meeting_exceptions(area=None, since=None) -> int:
    """How many required meetings a manager excepted (for monitoring, SPEC §11)."""
    rows = MeetingRequirement.objects.filter(excepted_at__isnull=False)
    if area is not None:
        rows = rows.filter(area=area)
    if since is not None:
        rows = rows.filter(excepted_at__gte=since)
    return rows.count()


def monitoring_exceptions(s: Slice) -> dict[str, int]:
    """Managers' exceptions recorded in the period about children in the slice (issue 14:
    "counted in monitoring"): required meetings not held, children let leave the pathway
    before a tracked response's decision, adult safeguarding not told. The agency is the
    excepting manager's. Three indexed counts."""
    def count(model) -> int:
        return model.objects.filter(s.period("excepted_at"), s.children(),
                                    s.agency("excepted_by__agency_id")).count()

    return {"meetings": count(MeetingRequirement), "responses": count(TrackedResponse),
            "adults": count(AdultReferral)}


def reviews_held(child) -> int:
    """Reviews held on the child's pathway in progress (0 without one)."""
    return PathwayStep.objects.filter(pathway__child=child, pathway__exited_at=None,
                                      step=Step.REVIEW).count()
def exit_held_by_responses(pathway: Pathway) -> list[TrackedResponse]:
    """The responses keeping a child with trafficking indicators on the pathway: waiting for a
    decision (the National Referral Mechanism's), with no manager's exception."""
    return list(TrackedResponse.objects.filter(pathway=pathway, blocks_exit=True,
                                               decided_at=None, excepted_at=None))


def response_exceptions(area=None, since=None) -> int:
    """How many children a manager let leave the pathway before a decision a tracked
    response waits for (for monitoring, SPEC §11)."""
    rows = TrackedResponse.objects.filter(excepted_at__isnull=False)
    if area is not None:
        rows = rows.filter(area=area)
    if since is not None:
        rows = rows.filter(excepted_at__gte=since)
    return rows.count()


def open_pathway(child) -> Pathway | None:
    """The child's pathway in progress, if any (its `state` is the step it is at)."""
    return Pathway.objects.filter(child=child, exited_at=None).first()


def current_step_work(pathway: Pathway, steps) -> WorkItem | None:
    """The open work item of the step the pathway is at, when that step is one of `steps`:
    its deadline was set by the profile when the step started (or by the review date)."""
    if pathway.state not in steps:
        return None
    row = (PathwayStep.objects.filter(pathway=pathway, step=pathway.state, completed_at=None,
                                      work_item__status="open")
           .select_related("work_item").order_by("-started_at").first())
    return row.work_item if row is not None else None


def latest_referral(child) -> Referral | None:
    return Referral.objects.filter(child=child).order_by("-received_at").first()


def recent_referrals(children, *, limit: int = 3) -> list[Referral]:
    """The latest referrals about any of the children, with who referred them."""
    return list(Referral.objects.filter(child__in=children)
                .select_related("referred_by__agency").order_by("-received_at")[:limit])


def child_referrals(child) -> list[Referral]:
    """Every referral about the child, newest first, with its decision (the child's record),
    each with its link (`url`) and the day it was received (`received_day`, "3 Mar 2026"),
    worked out once here rather than by `reverse()` and the date filter a row. Written in SQL,
    its rows made into models (the ORM took about 0.6 ms of Python to build the query, issue
    18); `site/tests/test_record_sql.py` holds it to the ORM's."""
    referrals = rows_of.read(*referrals_read(child))
    url = url_pattern("pathway:referral")
    for referral in referrals:
        referral.url = url(referral.pk)
        referral.received_day = short_datetime(referral.received_at, all_day=True)
    referrals.sort(key=attrgetter("received_at"), reverse=True)  # all read: see child_pathway
    return referrals


def referrals_read(child) -> tuple:
    """What `child_referrals` reads: `rows.read`'s arguments (the record reads it ahead)."""
    return (
        # Table and column names from the models; every value a parameter.
        f"{Referral._meta.db_table} r "
        f"INNER JOIN {Agency._meta.db_table} a ON a.id = r.agency_id "
        f"LEFT JOIN {Decision._meta.db_table} d ON d.referral_id = r.id "
        "WHERE r.child_id = %s", [child.pk], ("r", Referral, _REFERRAL),
        ("a", Agency, _AGENCY, "agency"), ("d", Decision, _DECISION, "decision"))


# What the record draws of each referral: when, from whom, the decision or when it is due.
_REFERRAL = rows_of.fields_of(Referral, "id", "child", "agency", "received_at", "status",
                           "decision_due_at")
_AGENCY = rows_of.fields_of(Agency, "id", "name")
_DECISION = rows_of.fields_of(Decision, "id", "referral", "outcome")


def _agency_rows(user, model, newest: str, joins: str, limit: int,
                 **groups: tuple) -> list[list]:
    """The newest `limit` rows of `model` (`x`) the user's agency made, about children (`c`)
    the user may see, each made into the models of `groups` (alias: (model, fields), `x` and
    `c` first, then those of `joins`; `rows.parts`): one query written in SQL, each row's
    child's grants probed by key (`by_key`, led by the agency's own rows), prepared, as its
    plan does not depend on the values (0.35-0.5 ms to plan and run each time at 100,000
    children, 0.1 prepared)."""
    seen, seen_params = child_visible_sql(user, "x.child_id", "c.area_id", by_key=True)
    found = rows_of.fetch(
        # Table and column names from the models; every value a parameter.
        f"SELECT {', '.join(rows_of.columns(a, g[1]) for a, g in groups.items())} "  # noqa: S608
        f"FROM {model._meta.db_table} x INNER JOIN {Child._meta.db_table} c "
        f"ON c.id = x.child_id {joins} "
        f"WHERE x.agency_id = %s AND {seen} ORDER BY x.{newest} DESC LIMIT %s",
        [user.agency_id, *seen_params, limit], prepared=True)
    return [rows_of.parts(row, *groups.values()) for row in found]


def agency_referrals(user, *, limit: int = 10) -> list[Referral]:
    """Referrals the user's agency made, about children the user may see (their home page),
    each with its link (`url`, rather than `reverse()` a row), newest first.

    Written in SQL (`_agency_rows`), its rows made into models: 1.1 ms of Python to build
    with the ORM, 0.2 now (issue 18). A test holds it to the ORM's rows
    (lantern/site/tests/test_home_sql.py)."""
    decisions = f"LEFT JOIN {Decision._meta.db_table} d ON d.referral_id = x.id"
    found_rows = _agency_rows(user, Referral, "received_at", decisions, limit,
                              x=(Referral, _AGENCY_REFERRAL), c=(Child, _CHILD_NAMES),
                              d=(Decision, _DECISION))
    url = url_pattern("pathway:referral")
    found = []
    for referral, child, decision in found_rows:
        rows_of.cache(referral, "child", child)
        # What select_related leaves: the decision, or that there is none (no query asks).
        rows_of.cache(referral, "decision", decision)
        referral.url = url(referral.pk)
        found.append(referral)
    return found


# What the home page's lists draw: the child's name, when, and the decision (issue 18).
_AGENCY_REFERRAL = rows_of.fields_of(Referral, "id", "child", "received_at", "status")
_CHILD_NAMES = rows_of.fields_of(Child, "id", "given_names", "family_name")
_DECISION = rows_of.fields_of(Decision, "id", "referral", "outcome")


def agency_concerns(user, *, limit: int = 10) -> list[Concern]:
    """Concerns the user's agency recorded, about children the user may see (their home
    page), each with its link (`url`, rather than `reverse()` a row), newest first. Written in
    SQL as `agency_referrals` (`_agency_rows`)."""
    recorders = f"INNER JOIN {User._meta.db_table} u ON u.id = x.recorded_by_id"
    found_rows = _agency_rows(user, Concern, "recorded_at", recorders, limit,
                              x=(Concern, _AGENCY_CONCERN), c=(Child, _CHILD_NAMES),
                              u=(User, _RECORDER))
    url = url_pattern("pathway:concern")
    found = []
    for concern, child, recorder in found_rows:
        rows_of.cache(concern, "child", child)
        rows_of.cache(concern, "recorded_by", recorder)
        concern.url = url(concern.pk)
        found.append(concern)
    return found


# What the list draws: the child's name, when, by whom, whether urgent (issue 18).
_AGENCY_CONCERN = rows_of.fields_of(Concern, "id", "child", "recorded_by", "observed_on",
                                 "recorded_at", "urgent")
_RECORDER = rows_of.fields_of(User, *NAME_FIELDS)


def latest_agency_concern(child, agency) -> Concern | None:
    """The latest concern the agency recorded about the child (what a referral or screening
    is about)."""
    return Concern.objects.filter(child=child, agency=agency).order_by("-recorded_at").first()


def agency_concern_choices(child, agency) -> QuerySet[Concern]:
    """The agency's concerns about the child, newest first (a screening names one)."""
    return Concern.objects.filter(child=child, agency=agency).order_by("-recorded_at")


def concerns_since(child, since=None) -> dict:
    """How many concerns about the child were recorded after `since` (all of them when None),
    how many urgent, and when the first was: one query, by the child's key, of every concern's
    time (a child has a few, the most-concerned at 100,000 children 151), counted here. The
    query does not depend on `since`, so the child's record runs it ahead with its other reads
    (`concerns_statements`), before it knows when the child was last screened (issue 18)."""
    after = [(at, urgent) for at, urgent in _concern_times(child=child.pk)
             if since is None or at > since]
    return {"count": len(after), "urgent": sum(1 for _at, urgent in after if urgent),
            "first": min((at for at, _urgent in after), default=None)}


def concerns_statements(child) -> list[tuple[str, list]]:
    """The read `concerns_since` makes, for the record to run it ahead (`rows.ahead`)."""
    return _concern_times.statements(child=child.pk)


# Compiled once a process and prepared on PostgreSQL (read by the child's key).
_concern_times: Compiled[tuple] = Compiled(
    lambda child: Concern.objects.filter(child_id=child).order_by()
    .values_list("recorded_at", "urgent"), prepared=True)


def concern_before(child, when) -> bool:
    return Concern.objects.filter(child=child, recorded_at__lt=when).exists()


def referral_figures(area=None) -> dict:
    """Counts of referrals without identities (analysts, board members, administrators)."""
    referrals = Referral.objects.all()
    if area is not None:
        referrals = referrals.filter(area=area)
    now = timezone.now()
    return referrals.aggregate(
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


# --- Policy profiles ---------------------------------------------------------------------------

def profile(code: str) -> Profile:
    """A shipped or local profile by code. LookupError when there is none."""
    return policy.get(code)


def profile_for(area) -> Profile:
    return policy.for_area(area)


def shipped_profile_codes() -> list[str]:
    return policy.file_codes()


def shipped_profiles() -> list[Profile]:
    return [policy.file_profile(code) for code in policy.file_codes()]


def step_due(area, timescale: str, event, *, profile: Profile | None = None) -> Due | None:
    """The deadline for a step under the area's profile, or None when it sets no timescale."""
    return deadlines.step_due(area, timescale, event, profile=profile)


def add_profile_check(name: str, check: policy.ProfileCheck) -> None:
    """Another app checks what every local profile says about it, when the profile is built
    (screening: the frameworks it names). Called from that app's AppConfig.ready."""
    policy.add_check(name, check)


# --- Monitoring (issue 17): aggregates without identities -----------------------------------

def monitoring_referrals(s: Slice) -> dict:
    """Referrals received in the period: how many each agency made, and how the front door
    decided them. Two queries, whatever the number of referrals."""
    rows = Referral.objects.filter(s.period("received_at"), s.children(), s.agency("agency_id"))
    by_agency = list(rows.values_list("agency__name").annotate(n=Count("id"))
                     .order_by("agency__name"))
    decided = dict(rows.filter(status=Referral.Status.DECIDED)
                   .values_list("decision__outcome").annotate(n=Count("id")).order_by())
    awaiting = sum(n for _, n in by_agency) - sum(decided.values())
    outcomes = [(label, decided.get(code, 0)) for code, label in Outcome.choices]
    return {"by_agency": by_agency,
            "outcomes": outcomes + [("Awaiting a decision", awaiting)]}


# --- Tasking (issue 17; seed 004: daily and weekly tasking meetings) --------------------------

def tasking_urgent_concerns(user, since, *, offset: int = 0, limit: int = 100,
                            pk: int | None = None) -> list[Concern]:
    """Urgent concerns recorded since `since` about children of the user's area whom the user
    may see, newest first: one query. With `pk`, that concern only, if it is one of them."""
    found = Concern.objects.filter(visible_in_area(user, "child"), urgent=True,
                                   recorded_at__gte=since)
    if pk is not None:
        found = found.filter(pk=pk)
    return list(found.select_related("child", "agency")
                .order_by("-recorded_at", "-pk")[offset:offset + limit])


# --- Concerns a designated safeguarding lead discusses (SPEC §1) ------------------------------

def concerns_to_discuss(user) -> QuerySet[Concern]:
    """Concerns the user's agency recorded that its designated safeguarding lead has not yet
    discussed, about children the user may see."""
    return Concern.objects.filter(agency_id=user.agency_id, discussion__isnull=True,
                                  child__in=visible_children(user))


def discussion_queue(user, *, offset: int = 0, limit: int = 50) -> list[Concern]:
    """The lead's queue: urgent concerns first, then those waiting longest, each with its
    child, who recorded it and how many screenings of it there are, in one query."""
    return list(
        concerns_to_discuss(user)
        .select_related("child", "recorded_by")
        .annotate(screening_count=Count("screenings"))
        .order_by("-urgent", "recorded_at", "id")[offset:offset + limit]
    )


def concern_for(child, concern_id) -> Concern | None:
    """One of the child's concerns by its id as typed in a query string (the screening page
    is prefilled from it), or None when the child has no such concern. The caller has already
    checked that the user may see the child."""
    pk = parse_id(concern_id)
    if pk is None:
        return None
    return (Concern.objects.filter(pk=pk, child=child)
            .select_related("recorded_by", "agency").first())


def discussion_of(concern) -> ConcernDiscussion | None:
    """The designated safeguarding lead's discussion of the concern, if it has been had."""
    return (ConcernDiscussion.objects.filter(concern=concern)
            .select_related("discussed_by", "screening").first())
