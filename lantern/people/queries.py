"""What other apps ask about allocations: who is allocated to a child, whom a worker holds."""

from django.db import connection
from django.db.models import QuerySet

from lantern.foundation import rows as rows_of
from lantern.foundation.flags import has_rows
from lantern.foundation.http import url_pattern
from lantern.foundation.models import NAME_FIELDS, Agency, Child, User

from .forms import ETHNICITIES
from .models import Allocation, ChildMerge


def open_allocations(child=None, *, role: str = "", children=None) -> QuerySet[Allocation]:
    """Current allocations of active workers to a child (or to any of `children`), optionally
    of one role, each with its worker."""
    rows = Allocation.objects.filter(ended_at=None, user__is_active=True)
    if child is not None:
        rows = rows.filter(child=child)
    if children is not None:
        rows = rows.filter(child__in=children)
    if role:
        rows = rows.filter(user__role=role)
    return rows.select_related("user")


def is_allocated(user, child) -> bool:
    return Allocation.objects.filter(child=child, user=user, ended_at=None).exists()


def manages_case(user, child) -> bool:
    """Is the user the team or service manager responsible for the child's case: the manager
    of a worker allocated to the child, or that manager's own manager (seed 001, Children
    Looked After). Two queries at most."""
    managers = set(open_allocations(child).exclude(user__manager=None)
                   .values_list("user__manager_id", "user__manager__manager_id"))
    return any(user.pk in pair for pair in managers)


def allocated_to(user, *, limit: int = 50) -> list[Allocation]:
    """The user's open allocations, by the child's family name (their home page), each with
    the link to the child's record (`child_url`), worked out once here rather than by
    `reverse()` a row (a social worker's home page lists 50). Written in SQL, its rows made
    into models (0.5-1.4 ms of Python to build and read it with the ORM, issue 18), and
    prepared: its plan does not depend on the values. Ties of family name go by the child's
    key (they came in no set order). A test holds it to the ORM's rows, read either way
    (lantern/site/tests/test_home_sql.py).

    Read one of two ways, chosen by the database as it runs, by how many children the user
    holds (one count from the index of open allocations by worker): fewer than
    `WALK_NAMES_FROM`, each of their children's names read by key and the first `limit`
    kept; more, the children walked in family-name order (their own index, migration
    foundation 0021) and each kept if the user holds them, until `limit` are. The heavy social
    worker's 2,486 children were 2,486 index probes (7,459 index pages at 100,000 children)
    for 50 names; walked, 1,752 names in order and 28 pages (about 1 ms rather than 9 in
    EXPLAIN). For a worker with few children the walk would read most names of the region."""
    allocation, child = Allocation._meta.db_table, Child._meta.db_table
    names = rows_of.columns("c", _ALLOCATED_CHILD)
    held = f"SELECT child_id FROM {allocation} WHERE user_id = %s AND ended_at IS NULL"  # noqa: S608
    # Table and column names from the models; every value a parameter. The probes' join is
    # planned alone (OFFSET 0), for all of the worker's children: else the generic plan walks
    # the names for everyone (43 ms for a worker with 298 children). The walk's `(... IN
    # ...) IS TRUE` (the same, for keys never NULL) keeps the IN a hashed set asked of each
    # name walked, rather than a join led by the allocations; each child kept is then asked
    # for its allocation by key.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    found_rows = rows_of.fetch(
        f"WITH counted AS (SELECT COUNT(*) AS n FROM ({held}) mine) "  # noqa: S608
        f"SELECT * FROM (SELECT * FROM (SELECT {rows_of.columns('a', _ALLOCATED)}, {names} "
        f"FROM {allocation} a INNER JOIN {child} c ON c.id = a.child_id "
        f"WHERE a.user_id = %s AND a.ended_at IS NULL AND (SELECT n FROM counted) < %s "
        f"{fence}) joined ORDER BY {_BY_NAME} LIMIT %s) probed "
        f"UNION ALL SELECT * FROM (SELECT (SELECT a.id FROM {allocation} a "
        f"WHERE a.child_id = c.id AND a.user_id = %s AND a.ended_at IS NULL), c.id, {names} "
        f"FROM (SELECT {names} FROM {child} c WHERE (c.id IN ({held})) IS TRUE "
        f"AND (SELECT n FROM counted) >= %s ORDER BY c.family_name, c.id LIMIT %s) c) walked "
        f"ORDER BY {_BY_NAME} LIMIT %s",
        [user.pk, user.pk, WALK_NAMES_FROM, limit, user.pk, user.pk, WALK_NAMES_FROM, limit,
         limit], prepared=True)
    url = url_pattern("child")
    found = []
    for row in found_rows:
        allocation_row, child_row = rows_of.parts(row, (Allocation, _ALLOCATED),
                                                  (Child, _ALLOCATED_CHILD))
        rows_of.cache(allocation_row, "child", child_row)
        allocation_row.child_url = url(allocation_row.child_id)
        found.append(allocation_row)
    return found


# From how many open allocations a worker's children are walked in family-name order
# (`allocated_to`): about where the walk, reading 50 of every n children's names in order to
# find 50 of them (at 100,000 children), costs what n probes by key cost.
WALK_NAMES_FROM = 500
# What the list draws: the child's name and link.
_ALLOCATED = rows_of.fields_of(Allocation, "id", "child")
_ALLOCATED_CHILD = rows_of.fields_of(Child, "id", "given_names", "family_name")
# The found rows' order by position (the child's family name, then key): the allocation's and
# the child's columns share names (`id`).
assert [f.name for f in _ALLOCATED] == ["id", "child"]
_BY_NAME = (f"{len(_ALLOCATED) + 1 + [f.name for f in _ALLOCATED_CHILD].index('family_name')}, "
            f"{len(_ALLOCATED) + 1}")


def child_allocations(child) -> list[Allocation]:
    """Who is allocated to the child, with their agencies (the child's record). Written in SQL,
    its rows made into models (the ORM took about 0.4 ms of Python to build the query, issue
    18); `site/tests/test_record_sql.py` holds it to the ORM's."""
    return rows_of.read(*allocations_read(child))


def allocations_read(child) -> tuple:
    """What `child_allocations` reads: `rows.read`'s arguments (the record reads it ahead)."""
    return (
        # Table and column names from the models; every value a parameter.
        f"{Allocation._meta.db_table} l "
        f"INNER JOIN {User._meta.db_table} u ON u.id = l.user_id "
        f"LEFT JOIN {Agency._meta.db_table} a ON a.id = u.agency_id "
        "WHERE l.child_id = %s AND l.ended_at IS NULL", [child.pk],
        ("l", Allocation, _ALLOCATION), ("u", User, _WORKER, "user"),
        ("a", Agency, _AGENCY, "user.agency"))


# What the record draws of each allocation: the worker's name and agency (issue 18).
_ALLOCATION = rows_of.fields_of(Allocation, "id", "child", "user")
_WORKER = rows_of.fields_of(User, *NAME_FIELDS, "agency")
_AGENCY = rows_of.fields_of(Agency, "id", "name")


def ethnicity_choices() -> list[tuple[str, str]]:
    """The ethnic groups a child's record offers (the monitoring filters use the same)."""
    return list(ETHNICITIES)


# Set on a child loaded with `child_record_annotations()`: whether any merge not undone joined
# another record into theirs.
MERGES_FOUND = "has_merges_into"


def child_record_annotations() -> dict:
    """For `get_child_for_user(..., annotations=...)`: whether other records were merged into
    the child's, so the record asks for the merges only when there are some (issue 18)."""
    return {MERGES_FOUND: has_rows(ChildMerge, "kept", Child, undone_at=None)}


def merges_into(child) -> list[ChildMerge]:
    """The merges not undone that joined another record into this child's (the record page
    offers to undo each). No query for a child loaded with `child_record_annotations()` that
    has none."""
    if not getattr(child, MERGES_FOUND, True):
        return []
    return list(ChildMerge.objects.filter(kept=child, undone_at=None)
                .select_related("merged", "merged_by").order_by("-merged_at"))
