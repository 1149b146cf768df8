"""Who may see and change which child: the access primitives every view, API endpoint, export
and search goes through. Deny by default (SPEC §9, need to know).

A user sees a child for one of two reasons, and never because they wrote something about them:
- their role is front door, CSE team manager or police, in the child's area (area-wide by
  design: the area's front door decides every referral, its CSE team manager oversees every
  child at risk, its police investigate);
- they (or their agency, for a grant to an agency) hold a live *grant* for the child: a row of
  `Grant` with its basis, start, end and revocation, written only by the audited actions in
  lantern.foundation.grants (allocation, the referring agency, a meeting invitation, an
  action in the child's plan, a cross-area agreement, emergency access).
Analysts, board members and administrators see no identities at all.

What they may do with it comes in three steps:
- see the record (any live grant, or an area-wide role);
- add to it (record a concern, a screening, a referral, an episode...): a live grant that is
  not read-only, or an area-wide role; emergency access is read-only;
- change it (its details, pathway, plan): front door or CSE team manager of the child's area,
  or a live grant that gives the right to change (an allocation).
An expired or revoked grant gives nothing: the record is then a 404 like any other.

Every kind of record has one helper of the same shape, `get_<kind>_for_user(user, id,
for_change=False) -> (obj, can_change)`: Http404 when the user may not see it (outsiders learn
nothing, not even that it exists), PermissionDenied when they asked to change it without the
right. The child's is here; each feature keeps its own beside its models. The child's helper
also refuses (403) any POST by someone who may only read the record, so a write through it
cannot forget the check.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from .audit import current_request
from .http import parse_id
from .models import Child, Grant, Role

# Roles that see every child of their own area.
AREA_WIDE_ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER, Role.POLICE})
# Roles that may change an area's child records and pathway without being allocated.
AREA_CHANGE_ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER})
# Roles that never see a child's identity (SPEC §1: board has no routine access to identities).
NO_IDENTITY_ROLES = frozenset({Role.ANALYST, Role.BOARD, Role.ADMIN})
# Roles that decide on referrals at the front door.
DECIDING_ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER})


def is_active_user(user) -> bool:
    """Signed in, not switched off, and working for an agency."""
    return bool(user.is_authenticated and user.is_active and user.agency_id)


def _works_with_children(user) -> bool:
    return is_active_user(user) and user.role not in NO_IDENTITY_ROLES


def _granted_ids(user, now=None, **only) -> QuerySet:
    """The ids of the children for whom the user (or their agency) holds a live grant, as a
    subquery: `SELECT child_id FROM grant WHERE (user_id = %s OR agency_id = %s) AND
    starts_at <= now AND (ends_at IS NULL OR ends_at > now) AND revoked_at IS NULL`, which
    PostgreSQL answers from the partial indexes on live grants (a bitmap OR of the user's and
    the agency's), however many children there are."""
    return Grant.objects.live(now).held_by(user).filter(**only).order_by().values("child_id")


def _children(user, *, by_key: bool = False, now=None, **only) -> QuerySet[Child]:
    """One shape for every kind of visibility: `id IN (<live grant child ids>)`, and for an
    area-wide role `area_id = <area> OR id IN (...)` (a cross-area agreement reaches outside
    the area). PostgreSQL answers the IN with one hashed subplan from the grant indexes, not a
    correlated EXISTS per child (docs/performance.md, "Visibility")."""
    if not _works_with_children(user):
        return Child.objects.none()
    return Child.objects.filter(_visibility(user, "area_id", "pk", by_key=by_key, now=now,
                                            **only))


class InGrantedIds(Func):
    """`<child key> = ANY(ARRAY(<live grant child ids>))` on PostgreSQL, `IN (...)` elsewhere.

    PostgreSQL runs `ARRAY(subquery)` once per query (an InitPlan) and the planner counts its
    cost once. `IN (subquery)` became a hashed SubPlan whose cost the planner added to every
    probe of a nested loop, so it read every child of the region and hash-joined them rather
    than walk a list's own index and probe each row's child (issue 18: the front door's
    referrals took 80-190 ms at 100,000 children instead of 2 ms). Either way the grants are
    read once; the rule is the same (test_visibility_equivalence)."""

    output_field = BooleanField()

    def __init__(self, key, granted: QuerySet):
        super().__init__(key, Subquery(granted))

    def as_sql(self, compiler, connection, **extra_context):
        key, subquery = self.get_source_expressions()
        key_sql, key_params = compiler.compile(key)
        sub_sql, sub_params = compiler.compile(subquery)
        return f"{key_sql} IN {sub_sql}", (*key_params, *sub_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        key, subquery = self.get_source_expressions()
        key_sql, key_params = compiler.compile(key)
        sub_sql, sub_params = compiler.compile(subquery)
        return f"{key_sql} = ANY(ARRAY{sub_sql})", (*key_params, *sub_params)


def _visibility(user, area_field: str, id_field: str, *, by_key: bool = False, now=None,
                **only) -> Q:
    """The visibility rule as a condition on a child's area and key, wherever they are (the
    child's own columns, or through a relation): `id IN (<live grant child ids>)`, and for an
    area-wide role `area = <area> OR ...`. For a user who works with children.

    Lists read the user's grants once (InGrantedIds). A look-up of one child by key
    (`by_key`) keeps `IN (subquery)`: PostgreSQL then probes that child's grants by index
    (0.1 ms) rather than read all of the user's grants first (0.5-3.4 ms for a social worker
    with 300-2,500 of them)."""
    if by_key:
        granted = Q(**{f"{id_field}__in": _granted_ids(user, now, **only)})
    else:
        granted = Q(InGrantedIds(F(id_field), _granted_ids(user, now, **only)))
    if user.role in AREA_WIDE_ROLES:
        return Q(**{area_field: user.agency.area_id}) | granted
    return granted


def visible_through(user, relation: str, *, by_key: bool = False, now=None) -> Q:
    """Rows whose child (through `relation`, e.g. "child") the user may see, as a condition on
    the rows themselves: the same rule as `visible_children`, asked of each row's child by its
    key and area (a join the row has anyway) rather than as `EXISTS` over every child the user
    may see, so a list can be read in its own order and checked row by row (issue 18). Rows
    without a child are not matched: the caller says what they mean.

    `by_key`: each row's child's grants probed by key (`IN`, as for one child), for a list led
    by an index of its own to a few rows (the user's own work, their agency's latest concerns
    and referrals). With the grant ids read first (`= ANY(ARRAY(...))`) PostgreSQL guessed one
    row for them and read every open item of every child a social worker with 2,486 grants
    may see (at 100,000 children: 3-11 ms for such a list, 0.3-1.7 ms by key)."""
    if not _works_with_children(user):
        return Q(pk__in=[])
    return _visibility(user, f"{relation}__area_id", f"{relation}_id", by_key=by_key, now=now)


def child_visible_sql(user, child: str, area: str, *, by_key: bool = False
                      ) -> tuple[str, list]:
    """`visible_through` written out in SQL, for a query written in SQL because building it
    with the ORM cost more than running it (the weekly tasking list's priority subjects,
    issue 17): a condition on a child's key and area (columns or expressions `child` and
    `area`), with its parameters. The same rule, the same grants' indexes
    (test_visibility_sql); the tables and columns are the models' own. `by_key` as for
    `visible_through`: each row's child's grants probed by key (`IN`)."""
    if not _works_with_children(user):
        return "1 = 0", []
    grant, fields = Grant._meta.db_table, {f.name: f.column for f in Grant._meta.fields}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    held, params = f"{fields['user']} = %s", [user.pk]
    if user.agency_id:
        held, params = f"({held} OR {fields['agency']} = %s)", [user.pk, user.agency_id]
    # Table and column names from the model; every value a parameter.
    granted = (f"SELECT {fields['child']} FROM {grant} WHERE ({fields['ends_at']} IS NULL OR "  # noqa: S608
               f"{fields['ends_at']} > %s) AND {fields['revoked_at']} IS NULL AND "
               f"{fields['starts_at']} <= %s AND {held}")
    # As InGrantedIds: the grants read once, not a hashed subplan probed per row.
    in_granted = (f"{child} = ANY(ARRAY({granted}))"
                  if connection.vendor == "postgresql" and not by_key
                  else f"{child} IN ({granted})")
    if user.role in AREA_WIDE_ROLES:
        return f"({area} = %s OR {in_granted})", [user.agency.area_id, now, now, *params]
    return in_granted, [now, now, *params]


@dataclass(frozen=True)
class Viewer:
    """A user as far as the visibility rule reads them, for a query compiled once for every
    user of a role (lantern.foundation.compiled): `viewing(user)` gives the role (the
    statement's shape) and the values; the query's build function makes a Viewer of the
    values' markers and passes it, and the time now, where a user would go."""

    pk: int
    agency_id: int
    area_id: int
    role: str
    is_authenticated: bool = True
    is_active: bool = True

    @property
    def agency(self) -> "Viewer":  # `user.agency.area_id`
        return self


def viewing(user) -> tuple[str, dict[str, int]] | None:
    """The user's role and the values a compiled query takes for their visibility
    (`viewer`, `viewer_agency`, `viewer_area`); None for someone who sees no child, whose
    lists are empty without asking the database."""
    if not _works_with_children(user):
        return None
    return user.role, {"viewer": user.pk, "viewer_agency": user.agency_id,
                       "viewer_area": user.agency.area_id}


def visible_in_area(user, relation: str) -> Q:
    """Rows whose child (through `relation`) is a child of the user's own area whom the user
    may see: the area's lists (the tasking lists, issue 17). An area-wide role sees every
    child of its area, so for them it is the area alone, which the database reads from the
    rows' own indexes probing each row's child; the `OR` of `visible_through` made it read
    every child of the area first. For anyone else, the area and their grants."""
    if not _works_with_children(user) or not user.agency_id:
        return Q(pk__in=[])
    area = Q(**{f"{relation}__area_id": user.agency.area_id})
    if user.role in AREA_WIDE_ROLES:
        return area
    return area & Q(**{f"{relation}_id__in": _granted_ids(user)})


def visible_children(user, now=None) -> QuerySet[Child]:
    """Children the user may see. Lists and search start here, so they never leak a name."""
    return _children(user, now=now)


def writable_children(user) -> QuerySet[Child]:
    """Children the user may add to (a concern, a screening, a referral...): not read-only."""
    return _children(user, read_only=False)


def may_add_to_child(user, child: Child) -> bool:
    return _children(user, by_key=True, read_only=False).filter(pk=child.pk).exists()


def can_change_child(user, child: Child) -> bool:
    """Emergency (break-glass) access is read-only, so it never gives the right to change."""
    if not _works_with_children(user):
        return False
    if user.role in AREA_CHANGE_ROLES and child.area_id == user.agency.area_id:
        return True
    return (Grant.objects.live().held_by(user)
            .filter(child_id=child.pk, changes=True, read_only=False).exists())


def _posting() -> bool:
    request = current_request.get()
    return request is not None and request.method == "POST"


class MergedRecord(Exception):
    """A page (or the API) asked to read a record merged into another (issue 15, item 2).
    `lantern.foundation.middleware.MergedRecordMiddleware` answers it as the child's record
    does: the same page of the kept record for those who may see that one, else 404."""

    def __init__(self, child: Child):
        super().__init__(f"record {child.pk} was merged into record {child.merged_into_id}")
        self.child = child


def visible_child(user, child: int, *, now, related: tuple[str, ...] = (),
                  annotations: dict | None = None) -> QuerySet[Child]:
    """The child with key `child` if the user may see them (at most one row), with the area,
    the one-to-one relations `related` and the `annotations`: what `get_child_for_user` reads.
    `now` is a value (the time the grants are live at), so a page may compile the query once
    for every user of a role (`Viewer`, lantern.foundation.compiled) and pass it as
    `get_child_for_user(..., compiled=...)`."""
    children = _children(user, by_key=True, now=now).select_related("area", *related)
    if annotations:
        children = children.annotate(**annotations)
    # By key, so in no order: `.first()` ordered the one row by name, and compiling an ORDER BY
    # costs Django more the more columns are read (the record reads about 90: 0.3 ms).
    return children.filter(pk=child).order_by()[:1]


def get_child_for_user(user, child_id, *, for_change: bool = False,
                       for_adding: bool | None = None, related: tuple[str, ...] = (),
                       annotations: dict | None = None, compiled=None,
                       merged: bool = False) -> tuple[Child, bool]:
    """The child and whether the user may change their record. 404 when the user may not see
    the child (outsiders learn nothing, not even that the record exists); 403 when they may see
    it but asked to change it without the right, or to add to it (`for_adding`, which is true
    by default while a POST is served) with read-only access.

    A page that shows more about the child may load it in the same query: `related`, one-to-one
    relations to join (`select_related`), and `annotations`, expressions on the child (each
    app's queries module says which). Or, instead of both, `compiled`: a Compiled query of
    `visible_child` built as `(role, *, child, viewer, viewer_agency, viewer_area, now)` with a
    `Viewer` of those values (the child's record, issue 18), run with the user's `viewing`
    values and the time now.

    A record merged into another is never opened to read: MergedRecord is raised (the page
    leads to the kept record, or 404), unless the caller handles it itself (`merged`: the
    child's record, and the merge pages)."""
    if not isinstance(child_id, int):
        child_id = parse_id(child_id)  # typed into a query string or form: read strictly
    child: Child | None = None
    if compiled is not None:
        assert not related and not annotations, "the compiled query says what it reads"
        seen = viewing(user)
        if seen is not None and child_id is not None:
            role, values = seen
            found = compiled(role, child=child_id, now=timezone.now(), **values)
            child = found[0] if found else None
    elif child_id is not None:
        child = next(iter(visible_child(user, child_id, now=timezone.now(), related=related,
                                        annotations=annotations)), None)
    if child is None:
        raise Http404("No child found")
    if for_adding is None:
        for_adding = _posting()
    if (for_adding or for_change) and child.merged_into_id:
        # Its history moved to the record it was merged into (issue 15, item 2).
        raise PermissionDenied("This record was merged into another record of the same "
                               "child. Add to that record instead.")
    if child.merged_into_id and not merged:
        raise MergedRecord(child)
    if (for_adding or for_change) and not may_add_to_child(user, child):
        raise PermissionDenied("Your access to this record is read-only.")
    can_change = can_change_child(user, child)
    if for_change and not can_change:
        raise PermissionDenied("You can see this record but not change it.")
    return child, can_change


def can_contribute(user) -> bool:
    """May record concerns, screenings and referrals about children they can see."""
    return _works_with_children(user)


def require_contributor(user, reason: str = "") -> None:
    """403 for a role that does not work with individual children's records; `reason` says
    what the page does, when that is clearer ("Your role does not screen children.")."""
    if not can_contribute(user):
        raise PermissionDenied(reason or "Your role does not work with individual children's "
                               "records.")
