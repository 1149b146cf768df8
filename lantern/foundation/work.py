"""Opening and closing work items: the one deadline machinery every app uses.

    work.open_item(child=..., kind="rescreen", title=..., due_at=..., basis=...,
                   owner=user | None, owner_role="social_worker", source=obj, by=user,
                   all_day=False)  # all_day: met any time on due_at's local date
    # due_at=None when no procedure sets a timescale: basis then says whose judgement sets it.
    work.close_items(source=obj, kind="rescreen", by=user)

Both audit in the caller's transaction.
"""

from datetime import datetime

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from . import audit
from .models import WorkItem

# Work held in another tray only while nobody of the role is allocated to the child: a re-screen
# is a social worker's (seed 001, screening tool guidance 1) and waits with the front door until
# one is allocated. A category 3 or trafficking response (issue 14, item 6) is the allocated
# social worker's, and waits in the tray its profile names until one is; so is telling adult
# safeguarding of a young person aged 18 or over at risk (issue 14, item 10).
WAITS_FOR_ALLOCATION = {"rescreen": "social_worker", "tracked_response": "social_worker",
                        "adult_safeguarding": "social_worker"}


class Unowned(ValueError):
    """Work must have a named owner or a named team tray (issue 14, item 7)."""


def _ref(source: models.Model | None) -> tuple[str, str]:
    if source is None:
        return "", ""
    return source._meta.label_lower, str(source.pk)


@transaction.atomic
def open_item(
    *,
    area,
    kind: str,
    title: str,
    due_at: datetime | None,
    basis: str,
    by,
    child=None,
    owner=None,
    owner_role: str = "",
    source: models.Model | None = None,
    url: str = "",
    all_day: bool = False,
) -> WorkItem:
    if owner is None and not owner_role:
        raise Unowned(f"work {kind!r} needs an owner or the role whose tray holds it")
    source_type, source_id = _ref(source)
    item = WorkItem.objects.create(
        child=child,
        area=area,
        kind=kind,
        title=title[:200],
        owner=owner,
        owner_role=owner_role,
        due_at=due_at,
        all_day=all_day,
        basis=basis[:300],
        source_type=source_type,
        source_id=source_id,
        url=url or (source.get_absolute_url()
                     if source is not None and hasattr(source, "get_absolute_url") else ""),
    )
    audit.record(
        by, "open_work", item, child=child, summary=f"Opened work: {item.get_kind_label()}",
        changes=audit.created(item, ("kind", "owner_id", "owner_role", "due_at", "basis")),
    )
    return item


def diff_status(status: str) -> dict:
    return audit.diff({"status": WorkItem.Status.OPEN}, {"status": status})


@transaction.atomic
def close_items(*, source: models.Model, kind: str | None = None, by,
                status: str = WorkItem.Status.DONE) -> int:
    """Close the open items about `source` (of `kind`, if given). Returns how many closed."""
    source_type, source_id = _ref(source)
    items = WorkItem.objects.select_for_update().filter(
        source_type=source_type, source_id=source_id, status=WorkItem.Status.OPEN
    )
    if kind is not None:
        items = items.filter(kind=kind)
    now = timezone.now()
    closed = 0
    for item in items:
        item.status = status
        item.closed_at = now
        item.closed_by = by
        item.save(update_fields=["status", "closed_at", "closed_by"])
        audit.record(
            by, "close_work", item, child=item.child,
            summary=f"Closed work: {item.get_kind_label()}",
            changes=diff_status(status),
        )
        closed += 1
    return closed


@transaction.atomic
def close_for_child(child, kind: str, *, by, keep=()) -> int:
    """Close the child's open items of `kind`, whatever opened them (e.g. a strategy discussion
    prompted by missing episodes, once the pathway's strategy discussion is held), except the
    items whose ids are in `keep`."""
    closed = 0
    items = WorkItem.objects.select_for_update().filter(child=child, kind=kind,
                                                        status=WorkItem.Status.OPEN
                                                        ).exclude(pk__in=list(keep))
    for item in items:
        item.status = WorkItem.Status.DONE
        item.closed_at = timezone.now()
        item.closed_by = by
        item.save(update_fields=["status", "closed_at", "closed_by"])
        audit.record(by, "close_work", item, child=child,
                     summary=f"Closed work: {item.get_kind_label()}",
                     changes=diff_status(WorkItem.Status.DONE))
        closed += 1
    return closed


@transaction.atomic
def close_item(item: WorkItem, *, by, status: str = WorkItem.Status.DONE) -> bool:
    """Close one open item (e.g. a required meeting held, or excepted by a manager)."""
    locked = WorkItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != WorkItem.Status.OPEN:
        return False
    locked.status = status
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.save(update_fields=["status", "closed_at", "closed_by"])
    audit.record(by, "close_work", locked, child=locked.child,
                 summary=f"Closed work: {locked.get_kind_label()}", changes=diff_status(status))
    return True


@transaction.atomic
def reopen_items(pks, *, by) -> int:
    """Reopen items closed on purpose and now wanted again (a merge of two records undone,
    issue 15): open as they were, with their deadlines. Returns how many reopened."""
    reopened = 0
    for item in WorkItem.objects.select_for_update().filter(pk__in=list(pks)).exclude(
            status=WorkItem.Status.OPEN):
        old = item.status
        item.status, item.closed_at, item.closed_by = WorkItem.Status.OPEN, None, None
        item.save(update_fields=["status", "closed_at", "closed_by"])
        audit.record(by, "reopen_work", item, child=item.child,
                     summary=f"Reopened work: {item.get_kind_label()}",
                     changes=audit.diff({"status": old}, {"status": WorkItem.Status.OPEN}))
        reopened += 1
    return reopened


@transaction.atomic
def follow_allocation(child, worker, *, by) -> int:
    """A worker allocated to the child takes the child's open work of their role that nobody
    holds by name: the items in their role's tray, and work waiting elsewhere only until one is
    allocated (WAITS_FOR_ALLOCATION). Returns how many moved; each move is audited."""
    waiting = [kind for kind, role in WAITS_FOR_ALLOCATION.items() if role == worker.role]
    items = WorkItem.objects.select_for_update().filter(
        Q(owner_role=worker.role) | Q(kind__in=waiting),
        child=child, status=WorkItem.Status.OPEN, owner__isnull=True)
    moved = 0
    for item in items:
        old_role = item.owner_role
        item.owner = worker
        item.owner_role = worker.role
        item.save(update_fields=["owner", "owner_role"])
        audit.record(by, "reassign_work", item, child=child,
                     summary=f"Work moved to the allocated worker: {item.get_kind_label()}",
                     changes=audit.diff({"owner_id": None, "owner_role": old_role},
                                        {"owner_id": worker.pk, "owner_role": worker.role}))
        moved += 1
    return moved
