"""Work trays and the overdue banner: which open work items are whose. Every app opens its
work through lantern.foundation.work, so these queries see all of it, whatever opened it."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from lantern.domain.labels import in_sentence

from . import rows as rows_of
from .access import AREA_WIDE_ROLES, Viewer, child_visible_sql, visible_through
from .compiled import Compiled
from .models import NAME_FIELDS, Agency, Child, Role, User, WorkItem, name_fields

TRAYS = {
    "mine": "Your work",
    "team": "Your team's work",
    "area": "Your area's work",
}
# Labels for the kinds of work the apps open; a kind not listed here is shown by its own name.
KIND_LABELS = {
    "referral_decision": "Front-door decision",
    "police_referral_decision": "Police referral decision",
    "assessment": "Assessment",
    "strategy_discussion": "Strategy discussion",
    "meeting": "Multi-agency meeting",
    "plan": "Plan review",
    "review": "Review",
    "rescreen": "Re-screening",
    "return_interview": "Return home interview",
    "transition_plan": "Transition planning",
    "break_glass_review": "Emergency access review",
    "section_47": "Section 47 enquiry (police protection)",
    "tasking_action": "Action from a tasking meeting",
    "dip_sample_action": "Action from a dip-sample audit",
    "dip_sample_audit": "Dip-sample audit",
    "urgent_alert": "Urgent: immediate risk",
    "possible_match": "Child who may already be known",
    "tracked_response": "Category 3 or trafficking response",
    "adult_safeguarding": "Tell adult safeguarding (aged 18 or over)",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def _user_area_id(user):
    """The user's area: the value when their agency came with them (signed-in users do), else
    a subquery, so a tray filter stays one query either way."""
    if isinstance(user, Viewer):  # a query compiled once a role (site.queries.work_items)
        return user.area_id
    if User.agency.is_cached(user) and user.agency is not None:
        return user.agency.area_id
    return Subquery(Agency.objects.filter(pk=user.agency_id).values("area_id")[:1])


def team_members(user) -> list[tuple[int, str, bool]]:
    """The people the user manages, as (id, role, active): one query, kept on the user object
    for the rest of the request (the trays ask it twice)."""
    cached = user.__dict__.get("_lantern_team")
    if cached is None:
        cached = _TEAM(manager=user.pk)
        user.__dict__["_lantern_team"] = cached
    return cached


# Compiled once a process and prepared (lantern.foundation.compiled): every work tray asks
# it, by the manager index whoever asks (issue 18).
_TEAM: Compiled[tuple[int, str, bool]] = Compiled(
    lambda *, manager: User.objects.filter(manager_id=manager).order_by("pk")
    .values_list("pk", "role", "is_active"), prepared=True)


def _mine(user) -> Q:
    """Work owned by the user, or by their role in their area when nobody is named."""
    return Q(owner_id=user.pk) | Q(owner__isnull=True, owner_role=user.role,
                                   area_id=_user_area_id(user))


def _team(user, *, members: list[tuple[int, str, bool]] | None = None) -> Q:
    """Work of the people whose manager the user is: owned by them, or by their roles in the
    area when nobody is named. With `members` (`team_members`), as lists of values, which
    the database answers from the owner and area indexes; else as subqueries (one query)."""
    if members is not None:
        return Q(owner_id__in=[pk for pk, _role, _active in members]) | Q(
            owner__isnull=True, owner_role__in=sorted({role for _pk, role, active in members
                                                       if active}),
            area_id=_user_area_id(user))
    reports = User.objects.filter(manager=user, is_active=True)
    # `owner_id IN (their ids)`, not a join on the owner's manager: the database then reads
    # the team's items by the owner index instead of joining every open item of the region
    # to its owner first (issue 18).
    return Q(owner_id__in=User.objects.filter(manager=user).values("pk")) | Q(
        owner__isnull=True, owner_role__in=reports.values("role"), area_id=_user_area_id(user)
    )


def _visible(user, now=None) -> Q:
    """Work about a child the user may not see stays out of their trays (need to know).

    Asked of each item's own child (its area, through the join the tray makes anyway, or its
    key among the user's grants), not as `child IN (every child the user may see)`: the
    database then checks only the tray's rows, rather than first listing every visible child
    of a region (issue 18)."""
    return Q(child__isnull=True) | visible_through(user, "child", now=now)


def trays_for(user) -> list[str]:
    trays = ["mine"]
    if any(active for _pk, _role, active in team_members(user)):
        trays.append("team")
    if user.role in AREA_WIDE_ROLES:
        trays.append("area")
    return trays


def _open(user, *, kind: str = "", overdue: bool = False, now=None) -> QuerySet[WorkItem]:
    """Open work the user may see (need to know), of one kind or overdue if asked: a tray's
    items before the tray's own condition."""
    return _open_any(kind=kind, overdue=overdue, now=now).filter(_visible(user, now))


def _open_any(*, kind: str = "", overdue: bool = False, now=None) -> QuerySet[WorkItem]:
    """Open work of one kind or overdue if asked, whoever may see it: what `page` walks in
    due order, each item then asked whether it is in `_open`."""
    items = WorkItem.objects.filter(status=WorkItem.Status.OPEN)
    if kind:
        items = items.filter(kind=kind)
    if overdue:
        items = items.filter(due_at__lt=now or timezone.now())
    return items


def _in_tray(user, tray: str) -> Q:
    if tray == "mine":
        return _mine(user)
    if tray == "team":
        return _team(user, members=team_members(user))
    return Q(area_id=_user_area_id(user))


def tray_items(user, tray: str, *, kind: str = "", overdue: bool = False,
               now=None, part: Q | None = None) -> QuerySet[WorkItem]:
    """Open work in a tray (not yet run, so a page may add its own columns and filters); with
    `part` (one of `branches(user, tray)`), only that part of it."""
    return _open(user, kind=kind, overdue=overdue, now=now).filter(
        _in_tray(user, tray) if part is None else part)


URGENT = "urgent_alert"


@dataclass(frozen=True)
class Part:
    """One part of a tray's condition (`branches`), answered by one index in due order. A
    team member's own (`named`) is walked from the index of each person's open work whoever
    may see it, each item then asked whether the user may (`_first_of_each`): of a team's
    many parts, asking each part's own rows cost more to start than it saved (at 100,000
    children the team tray 3.9 ms rather than 3.1; one person's own tray, 1.6 rather than
    1.9, is better asked in its part)."""
    condition: Q
    named: bool = False


def branches(user, tray: str) -> list[Part]:
    """The tray's condition as parts, each answered by one index in due order: the OR of
    `_mine`/`_team` (and the team's `owner_id IN (...)`) written out one owner or one role
    at a time. Together they select exactly the tray's items (a test holds them to it)."""
    if tray == "mine":
        return [Part(Q(owner_id=user.pk)), Part(Q(owner__isnull=True, owner_role=user.role,
                                                  area_id=_user_area_id(user)))]
    if tray == "team":
        members = team_members(user)
        roles = sorted({role for _pk, role, active in members if active})
        return [Part(Q(owner_id=pk), named=True) for pk, _role, _active in members] + [
            Part(Q(owner__isnull=True, owner_role=role, area_id=_user_area_id(user)))
            for role in roles]
    return [Part(Q(area_id=_user_area_id(user)))]


# The trays' orders, made once with their identities worked out: Django hashes each ORDER BY
# expression as it compiles a query, and an expression's identity (its constructor's arguments,
# bound by inspect.signature) is worked out the first time, then kept on it and its copies
# (issue 18: 0.1-0.2 ms of each tray query's CPU). Never changed: queries resolve copies.
DUE_FIRST = F("due_at").asc(nulls_last=True)
URGENT_FIRST = Case(When(kind=URGENT, then=Value(0)), default=Value(1))
for _expression in (DUE_FIRST, URGENT_FIRST):
    _expression.identity  # noqa: B018 - kept by cached_property


def _due_order():
    return (DUE_FIRST, "id")


def _first_of_each(urgent: QuerySet[WorkItem], parts: Sequence[tuple[QuerySet[WorkItem], Part]],
                   seen: QuerySet[WorkItem], count: int) -> RawSQL:
    """The keys of the tray's first `count` items: the first `count` of its urgent alerts,
    then the first `count` of the rest, its parts merged by due time as each is walked in
    due order (PostgreSQL's Merge Append), so that each part is read only as far as the
    `count`th item of them all (`page`).

    A part reads the first `count` of its items the user may see, in due order; a team
    member's own part (`Part.named`) is walked from the index of each person's open work,
    whoever may see it, and the merged items asked in order whether they are among those
    `seen` (open, of the filters, about a child the user may see: an `EXISTS` by the item's
    key) until `count` are. A manager's team tray had read the first 50 of each of 25 people
    (one `LATERAL` walk each) and asked of 1,050 items' children for the 51 it shows: 7-9 ms
    of PostgreSQL at 100,000 children, 3 ms now (issue 18)."""
    # The SQL is the ORM's own, compiled with its parameters apart; only our constants are
    # written into it.
    def sql_of(query: QuerySet) -> tuple[str, list]:
        sql, params = query.query.get_compiler(using=query.db).as_sql()
        return sql, list(params)

    first, params = sql_of(urgent.order_by(*_due_order()).values_list("pk", "due_at")[:count])
    walked = []
    for n, (query, part) in enumerate(parts):
        ordered = query.exclude(kind=URGENT).order_by(*_due_order()).values_list("pk", "due_at")
        sql, more = sql_of(ordered if part.named else ordered[:count])
        walked.append(f"SELECT * FROM ({sql}) part{n}")  # noqa: S608
        params += more
    asked = ""
    if any(part.named for _query, part in parts):
        exists, more = sql_of(seen.filter(pk=WALKED).order_by().values("pk"))
        asked = f"WHERE EXISTS ({exists}) "
        params += more
    return RawSQL(  # noqa: S611
        f"SELECT pk FROM (SELECT 0 AS later, * FROM ({first}) urgent UNION ALL "  # noqa: S608
        f"SELECT 1 AS later, * FROM (SELECT * FROM ({' UNION ALL '.join(walked)}) walked "
        f"{asked}ORDER BY due_at ASC NULLS LAST, pk ASC LIMIT {int(count)}) rest) found "
        f"ORDER BY later, due_at IS NULL, due_at, pk LIMIT {int(count)}", params)


# The key of an item walked (`_first_of_each`), in the question whether it is shown.
WALKED = RawSQL("walked.pk", (), output_field=BigIntegerField())


def page(user, tray: str, *, offset: int = 0, limit: int = 50,
         shown: Callable[[QuerySet[WorkItem]], QuerySet[WorkItem]] | None = None,
         columns: Callable[[QuerySet[WorkItem]], QuerySet[WorkItem]] | None = None,
         **filters) -> list[WorkItem]:
    """A page of a tray: the same rows as `rows(tray_items(user, tray, **filters), offset=,
    limit=)` (with `shown`, the page's own columns and filters, applied to the items; with
    `columns`, columns of the rows read alone, which no part of the tray need compute), read
    without sorting the whole tray (issue 18, fourth pass).

    Sorting the whole tray (urgent alerts first, then soonest due) read every item its filter
    selects, thousands for the front door or a manager, since neither the `CASE` of "urgent
    first" nor the `OR` of owner and role lets an index give the order. Here the tray's
    urgent alerts are one part (few: the partial index of open alerts), and the rest one part
    per owner or role (`branches`), each walked from its own index in due order, merged as
    they are walked and stopped at `offset + limit` (`_first_of_each`). Any item among the
    tray's first `offset + limit` is among the first `offset + limit` of its part, so those
    are the first `offset + limit` of the parts' items sorted the tray's way by key and due
    time alone; only they are then read whole, with their child and owner joined, and sorted
    again for the page."""
    return labelled(list(page_query(user, tray, offset=offset, limit=limit, shown=shown,
                                    columns=columns, **filters)))


def page_query(user, tray: str, *, offset: int = 0, limit: int = 50,
               shown: Callable[[QuerySet[WorkItem]], QuerySet[WorkItem]] | None = None,
               columns: Callable[[QuerySet[WorkItem]], QuerySet[WorkItem]] | None = None,
               **filters) -> QuerySet[WorkItem]:
    """`page`'s query, not yet run (nor its rows labelled, `labelled`): for a page compiled
    once (site.queries.work_items), built for a `Viewer` as for a user."""
    base = _open(user, **filters)
    if shown is not None:
        base = shown(base)
    parts = [((_open_any(**filters) if part.named else base).filter(part.condition), part)
             for part in branches(user, tray)]
    if not parts:
        return WorkItem.objects.none()
    urgent = base.filter(_in_tray(user, tray), kind=URGENT)
    keys = WorkItem.objects.filter(pk__in=_first_of_each(urgent, parts, base, offset + limit))
    if shown is not None:
        keys = shown(keys)
    elif columns is not None:
        keys = columns(keys)
    return _sorted(keys.only(*ROW_FIELDS), offset=offset, limit=limit)


# What a tray's row draws (the child's name and key, the owner's name; not the child's other
# columns, its search text among them): `page` reads these alone.
ROW_FIELDS = (
    "kind", "title", "url", "due_at", "all_day", "status", "basis", "owner_role", "opened_at",
    "child__given_names", "child__family_name", "child__known_as",
    "owner__first_name", "owner__last_name", "owner__username",
)


def rows(items: QuerySet[WorkItem], *, offset: int = 0, limit: int = 50) -> list[WorkItem]:
    """A tray's rows: urgent alerts first, then soonest due (work no procedure times last),
    `limit` of them from `offset` (a page), each labelled with its kind and owner in words.
    It sorts every item of `items`: a tray's pages use `page`."""
    return labelled(list(_sorted(items, offset=offset, limit=limit)))


def _sorted(items: QuerySet[WorkItem], *, offset: int, limit: int) -> QuerySet[WorkItem]:
    return (items.select_related("child", "owner").order_by(URGENT_FIRST, *_due_order())
            [offset:offset + limit])


def labelled(found: list[WorkItem]) -> list[WorkItem]:
    """A tray's rows, each labelled with its kind and owner in words."""
    for item in found:
        item.kind_label = kind_label(item.kind)
        item.owner_label = owner_label(item)
    return found


def owner_label(item: WorkItem) -> str:
    if item.owner is not None:
        return item.owner.display_name
    try:
        return f"Any {in_sentence(Role(item.owner_role).label)} in the area"
    except ValueError:
        return item.owner_role or "Nobody named"


# What the home page's urgent alerts draw (and `rows` labels): the alert, its link, the
# child's name and the owner's, not every column of the item, the child (their search text
# and JSON fields) and the owner (issue 18).
URGENT_FIELDS = ("id", "child", "kind", "title", "url", "opened_at", "basis", "owner",
                 "owner_role", "child__given_names", "child__family_name",
                 *name_fields("owner"))


def urgent_alerts(user, *, limit: int = 20) -> list[WorkItem]:
    """Open urgent alerts in the user's own tray (the front door's: immediate risk reported),
    oldest first, for the top of their home page: the rows of
    `rows(tray_items(user, "mine", kind=URGENT).only(*URGENT_FIELDS), limit=limit)`.

    Written in SQL (the visibility rule as `child_visible_sql`), its rows made into models:
    every home page asks it, mostly of none, and the ORM took 1.5 ms of Python to build the
    query PostgreSQL answers from the partial index of open alerts (issue 18). Prepared: read
    from that index whatever the values, 0.1 ms rather than 0.6-0.8 planned each time. A test
    holds it to the ORM's rows (lantern/site/tests/test_home_sql.py)."""
    area = user.agency.area_id if user.agency_id else None
    seen, seen_params = child_visible_sql(user, "w.child_id", "c.area_id")
    found = rows_of.fetch(
        # Table and column names from the models; every value a parameter.
        f"SELECT {rows_of.columns('w', _URGENT_ITEM)}, "  # noqa: S608
        f"{rows_of.columns('c', _CHILD_NAMES)}, {rows_of.columns('o', _OWNER_NAMES)} "
        f"FROM {WorkItem._meta.db_table} w "
        f"LEFT JOIN {Child._meta.db_table} c ON c.id = w.child_id "
        f"LEFT JOIN {User._meta.db_table} o ON o.id = w.owner_id "
        f"WHERE {_OPEN_URGENT} AND (w.owner_id = %s OR (w.owner_id IS NULL "
        f"AND w.owner_role = %s AND w.area_id = %s)) AND (w.child_id IS NULL OR {seen}) "
        f"ORDER BY w.due_at IS NULL, w.due_at, w.id LIMIT %s",
        [user.pk, user.role, area, *seen_params, limit], prepared=True)
    alerts = []
    for row in found:
        item, child, owner = rows_of.parts(
            row, (WorkItem, _URGENT_ITEM), (Child, _CHILD_NAMES), (User, _OWNER_NAMES))
        rows_of.cache(item, "child", child)
        rows_of.cache(item, "owner", owner)
        item.kind_label = kind_label(item.kind)
        item.owner_label = owner_label(item)
        alerts.append(item)
    return alerts


_URGENT_ITEM = rows_of.fields_of(WorkItem, *URGENT_FIELDS)
# The partial index's own condition, written as constants (ours, not the user's) so that the
# prepared statement's generic plan may use the index: with them as parameters PostgreSQL
# cannot know the index applies and reads every open item (0.6 → 8 ms, issue 18).
assert URGENT.isidentifier() and WorkItem.Status.OPEN.isidentifier()
_OPEN_URGENT = f"w.status = '{WorkItem.Status.OPEN}' AND w.kind = '{URGENT}'"
_CHILD_NAMES = rows_of.fields_of(Child, "id", "given_names", "family_name")
_OWNER_NAMES = rows_of.fields_of(User, *NAME_FIELDS)


# Each kind of the area's open work once, by a skip through the index of open items by area
# and kind (workitem_open_area_kind): the next kind after the last found, so the database reads
# one index entry a kind rather than every open item of the area (10,593 at 100,000 children)
# to keep four kinds. The open status is written into the statement, not a parameter, so that
# its generic plan (prepared) may use that partial index.
_KINDS_SQL = f"""
WITH RECURSIVE kinds(kind) AS (
    SELECT MIN(kind) FROM foundation_workitem WHERE area_id = %s AND status = '{WorkItem.Status.OPEN.value}'
    UNION ALL
    SELECT (SELECT MIN(w.kind) FROM foundation_workitem w
            WHERE w.area_id = %s AND w.status = '{WorkItem.Status.OPEN.value}' AND w.kind > kinds.kind)
    FROM kinds WHERE kinds.kind IS NOT NULL
)
SELECT kind FROM kinds WHERE kind IS NOT NULL
"""  # noqa: E501, S608 - the status is the model's own constant


def kinds_in_area(user) -> list[str]:
    area = _user_area_id(user)
    if isinstance(area, int):
        # Prepared: a skip through the index whatever the area (0.7 ms each time to plan
        # and run at 100,000 children).
        found = {row[0] for row in rows_of.fetch(_KINDS_SQL, [area, area], prepared=True)}
    else:
        # order_by() drops the model's ordering (due_at), which would otherwise join the
        # DISTINCT and return every open item of the area rather than each kind once.
        found = set(
            WorkItem.objects.filter(status=WorkItem.Status.OPEN, area_id=area)
            .order_by().values_list("kind", flat=True).distinct()
        )
    return sorted(found | set(KIND_LABELS), key=kind_label)


def tray_reads(user) -> list[tuple[str, list]]:
    """The reads a work tray's page makes first, which depend on nothing read before: the
    user's team (`team_members`, unless known already) and their area's kinds of work
    (`kinds_in_area`). Run ahead together (`rows.ahead`): one round trip rather than two
    (issue 18)."""
    area = _user_area_id(user)
    team = [] if "_lantern_team" in user.__dict__ else _TEAM.statements(manager=user.pk)
    return [*team, *([(_KINDS_SQL, [area, area])] if isinstance(area, int) else [])]


def overdue_counts(user, now=None) -> dict[str, int]:
    """How much of the user's work, and their team's, is overdue: one query, for the banner.

    Counted from the user's own items (owned by them, or by their role in their area) and
    their team's, through the owner and area indexes, never from every child they may see:
    a count names no child, and the trays apply the need-to-know rule to the rows they show
    (issue 18: the visibility condition made every page scan every child)."""
    now = now or timezone.now()
    return WorkItem.objects.filter(
        _mine(user) | _team(user), status=WorkItem.Status.OPEN, due_at__lt=now
    ).aggregate(mine=Count("id", filter=_mine(user)), team=Count("id", filter=_team(user)))
