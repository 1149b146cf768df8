"""Writing grants: the only way anyone comes to see a child's record besides the area-wide roles
(lantern.foundation.access). Each function writes the grant (or its end) and its audit row in
one transaction. The features call these from the actions that involve someone with a child:
people (allocation), pathway (the referring agency), meetings (invitation), plans (an action's
owner), sharing (emergency access). Recording a concern, a screening or anything else about a
child never calls them: writing gives no access.

The audit summary names the basis and the holder, never the child (auditors read summaries
without seeing identities); the audit row's child is set, so the grant is in the child's
access log.
"""

from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from . import audit
from .models import Agency, Child, Grant, GrantBasis, User

GRANT_FIELDS = ("user", "agency", "basis", "read_only", "changes", "starts_at", "ends_at",
                "reason", "source_type", "source_id")


def _source(source: models.Model | None) -> tuple[str, str]:
    if source is None:
        return "", ""
    return source._meta.label_lower, str(source.pk)


@transaction.atomic
def grant(
    child: Child,
    *,
    basis: GrantBasis | str,
    by: User | None,
    reason: str,
    user: User | None = None,
    agency: Agency | None = None,
    read_only: bool = False,
    changes: bool = False,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    source: models.Model | None = None,
) -> Grant:
    """Give `user` (or every member of `agency`) access to the child on `basis`. A live grant
    of the same holder, basis and source is returned as it is (granting twice changes
    nothing)."""
    if (user is None) == (agency is None):
        raise TypeError("a grant is to a user or to an agency, not both or neither")
    if read_only and changes:
        raise ValueError("a read-only grant cannot give the right to change the record")
    source_type, source_id = _source(source)
    existing = Grant.objects.live().filter(
        child=child, user=user, agency=agency, basis=basis, source_type=source_type,
        source_id=source_id,
    ).first()
    if existing is not None:
        return existing
    now = timezone.now()
    row = Grant.objects.create(
        child=child, user=user, agency=agency, basis=basis, read_only=read_only,
        changes=changes, starts_at=starts_at or now, ends_at=ends_at, created_at=now,
        created_by=by, reason=reason[:300], source_type=source_type, source_id=source_id,
    )
    holder = user.display_name if user is not None else str(agency)
    audit.record(
        by, "grant", row, child=child,
        summary=f"Access granted to {holder}: {row.get_basis_display()}",
        changes=audit.created(row, GRANT_FIELDS), reason=reason,
    )
    return row


@transaction.atomic
def revoke(row: Grant, *, by: User | None, reason: str) -> Grant:
    """End a grant now, before its time. A revoked grant stays in the table, as history."""
    current = Grant.objects.select_for_update().get(pk=row.pk)
    if current.revoked_at is not None:
        return current
    current.revoked_at = timezone.now()
    current.revoked_by = by
    current.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        by, "revoke", current, child=current.child,
        summary=f"Access ended: {current.get_basis_display()}",
        changes=audit.diff({"revoked_at": None}, {"revoked_at": current.revoked_at}),
        reason=reason,
    )
    return current


@transaction.atomic
def end_for_source(source: models.Model, *, by: User | None, reason: str,
                   at: datetime | None = None) -> int:
    """End the live grants that follow `source` (an allocation ended, an invitation
    withdrawn, a meeting cancelled or held): at `at`, or now when it is not given. Returns how
    many ended."""
    source_type, source_id = _source(source)
    at = at or timezone.now()
    ended = 0
    rows = Grant.objects.live().select_for_update().filter(source_type=source_type,
                                                           source_id=source_id)
    for row in rows:
        before = row.ends_at
        row.ends_at = at if before is None else min(before, at)
        row.save(update_fields=["ends_at"])
        audit.record(
            by, "grant_end", row, child=row.child,
            summary=f"Access ends: {row.get_basis_display()}",
            changes=audit.diff({"ends_at": before}, {"ends_at": row.ends_at}), reason=reason,
        )
        ended += 1
    return ended


def live_grants(user, child: Child) -> models.QuerySet[Grant]:
    """The grants by which `user` sees `child` now."""
    return Grant.objects.live().held_by(user).filter(child=child)
