"""Who sees information-sharing decisions, uses and reviews emergency (break-glass) access,
and reads who has looked at a child's record; built on lantern.foundation.access."""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Field, IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from lantern.foundation.access import can_contribute, is_active_user, visible_children
from lantern.foundation.models import Child, Role

from .models import BreakGlassGrant, SharingDecision

# The annotation `break_glass_annotations` puts on a child.
BREAK_GLASS_FOUND = "live_break_glass_id"


def active_break_glass(user, child) -> BreakGlassGrant | None:
    """The user's live emergency access to the child, if any. When the child was loaded with
    `break_glass_annotations(user)` and no live emergency access was found then, no query."""
    if getattr(child, BREAK_GLASS_FOUND, True) is None:
        return None
    return (
        BreakGlassGrant.objects.filter(user=user, child=child, expires_at__gt=timezone.now())
        .order_by("-expires_at").first()
    )


def break_glass_annotations(user, now=None) -> dict:
    """For `get_child_for_user(..., annotations=...)`: the id of the user's live emergency
    access to the child (the latest to expire), or None, so a page that shows the child asks
    `active_break_glass` without a query of its own in the usual case (none). Written from
    the models' names (as `foundation.flags.has_rows`) rather than built, resolved and compiled
    by the ORM on each showing (about 0.3 ms, issue 18); `test_break_glass` holds it to the
    ORM's subquery. `now`: the time, as a value (a compiled query passes its own)."""
    quote = connection.ops.quote_name
    live, meta = quote("live"), BreakGlassGrant._meta

    def column(name: str) -> str:
        field = meta.get_field(name)
        assert isinstance(field, Field) and field.column, f"{name} is no column"
        return f"{live}.{quote(field.column)}"

    expires = meta.get_field("expires_at")
    return {BREAK_GLASS_FOUND: RawSQL(  # noqa: S611 - names from the models; values parameters
        f"(SELECT {column('id')} FROM {quote(meta.db_table)} {live} "  # noqa: S608
        f"WHERE {column('child')} = {quote(Child._meta.db_table)}.{quote(Child._meta.pk.column)} "
        f"AND {column('user')} = %s AND {column('expires_at')} > %s "
        f"ORDER BY {column('expires_at')} DESC LIMIT 1)",
        [user.pk, expires.get_db_prep_value(now or timezone.now(), connection)],
        output_field=IntegerField())}


def can_break_glass(user) -> bool:
    return can_contribute(user)


def can_review_break_glass(user) -> bool:
    return is_active_user(user) and user.role == Role.CSE_MANAGER


# --- Information-sharing decisions -----------------------------------------------------------
# Reported on by managers of the area; board members and auditors see counts only.
SHARING_REPORT_ROLES = frozenset({Role.CSE_MANAGER, Role.FRONT_DOOR})


def visible_sharing_decisions(user) -> QuerySet[SharingDecision]:
    return SharingDecision.objects.filter(child__in=visible_children(user))


def get_sharing_decision_for_user(user, decision_id, *, for_change: bool = False
                                  ) -> tuple[SharingDecision, bool]:
    """The decision, and False: a decision is a record of what was decided and why, never
    changed afterwards (a new decision is recorded instead)."""
    decision = (
        visible_sharing_decisions(user)
        .select_related("child", "recorded_by", "agency").filter(pk=decision_id).first()
    )
    if decision is None:
        raise Http404("No decision found")
    if for_change:
        raise PermissionDenied("An information-sharing decision is not changed once recorded.")
    return decision, False


def can_report_sharing(user) -> bool:
    return is_active_user(user) and user.role in SHARING_REPORT_ROLES


# --- Who has looked at a child's record --------------------------------------------------------
# CSE team managers see the access log of their area's children; board members and auditors
# see it by child reference number, without the child's identity (dip-sample audits).
ACCESS_LOG_ROLES = frozenset({Role.CSE_MANAGER, Role.BOARD})


def may_read_access_log(user, child) -> bool:
    return user.role in ACCESS_LOG_ROLES and child.area_id == user.area_id


def access_log_shows_identity(user) -> bool:
    """Board members and auditors read the log by reference number, without the identity."""
    return user.role == Role.CSE_MANAGER


def get_access_log_for_user(user, child_id, *, for_change: bool = False
                            ) -> tuple[Child, bool]:
    """The child whose access log the user may read, and False: the log is the audit trail,
    which nobody changes. 404 otherwise."""
    if not is_active_user(user) or user.role not in ACCESS_LOG_ROLES:
        raise Http404("No access log found")
    child = Child.objects.select_related("area").filter(
        pk=child_id, area_id=user.agency.area_id
    ).first()
    if child is None:
        raise Http404("No access log found")
    if for_change:
        raise PermissionDenied("The audit trail is not changed.")
    return child, False
