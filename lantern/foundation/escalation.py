"""What `lantern work` does on each pass: open work whose deadline has passed is marked overdue
and its owner told (the named worker, or everyone in the owning role in the area), then it is
escalated to their manager. Email goes through Django's email backend (the console in
development). Several copies may run at once: each item is claimed before anyone is told, with
SELECT ... FOR UPDATE SKIP LOCKED where the database has it (PostgreSQL) and otherwise a
compare-and-swap UPDATE (SQLite), so nobody is told twice."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from lantern.domain.labels import in_sentence
from lantern.domain.sources import cited

from . import audit
from .models import Role, User, WorkItem
from .trays import kind_label

log = logging.getLogger(__name__)


@dataclass
class Pass:
    notified: int = 0
    escalated: int = 0


def _people_in_role(item: WorkItem) -> list[User]:
    return list(
        User.objects.filter(role=item.owner_role, agency__area_id=item.area_id, is_active=True)
        .select_related("manager").order_by("pk")
    )


def owners(item: WorkItem) -> list[User]:
    """Who the work belongs to: the named owner, or everyone in the owning role in the area."""
    if item.owner is not None:
        return [item.owner] if item.owner.is_active else []
    return _people_in_role(item)


def managers(item: WorkItem) -> list[User]:
    """Who overdue work escalates to: the owners' managers, or else the area's CSE team
    managers, so that missed work always reaches someone who manages it."""
    found = {u.manager.pk: u.manager for u in owners(item)
             if u.manager is not None and u.manager.is_active}
    if not found:
        found = {u.pk: u for u in User.objects.filter(
            role=Role.CSE_MANAGER, agency__area_id=item.area_id, is_active=True
        )}
    return [found[pk] for pk in sorted(found)]


def _when(item: WorkItem) -> str:
    if item.due_at is None:
        return "with no timescale"
    due = timezone.localtime(item.due_at)
    return f"{due:%-d %B %Y}" if item.all_day else f"{due:%-d %B %Y at %H:%M}"


def _link(item: WorkItem) -> str:
    return f"{settings.BASE_URL}{item.url or '/work/'}"


# Emails name the kind of work, never the child: sign in to see who it is about.
def _notify(item: WorkItem, now: datetime) -> list[User]:
    people = owners(item)
    addresses = sorted({u.email for u in people if u.email})
    if addresses:
        send_mail(
            subject=f"Overdue in Lantern: {kind_label(item.kind)}",
            message=(
                f"Work for you in Lantern is overdue: {kind_label(item.kind).lower()}, due "
                f"{_when(item)}.\n\nWhy that deadline: {cited(item.basis)}\n\nOpen it in Lantern: "
                f"{_link(item)}\n\nLantern does not put children's names in email."
            ),
            from_email=None,
            recipient_list=addresses,
        )
    return people


def _escalate(item: WorkItem, now: datetime) -> list[User]:
    people = managers(item)
    addresses = sorted({u.email for u in people if u.email})
    whose = item.owner.display_name if item.owner is not None else (
        f"the {in_sentence(Role(item.owner_role).label)} role" if item.owner_role in Role.values
        else "nobody named"
    )
    if addresses:
        send_mail(
            subject=f"Overdue work in your team: {kind_label(item.kind)}",
            message=(
                f"Work held by {whose} in Lantern is overdue: {kind_label(item.kind).lower()}, "
                f"due {_when(item)}.\n\nWhy that deadline: {cited(item.basis)}\n\nOpen it in "
                f"Lantern: {_link(item)}\n\nLantern does not put children's names in email."
            ),
            from_email=None,
            recipient_list=addresses,
        )
    return people


def _due(field: str, now: datetime):
    items = WorkItem.objects.filter(status=WorkItem.Status.OPEN, due_at__lt=now,
                                    **{f"{field}__isnull": True})
    if field == "escalated_at":
        items = items.filter(overdue_notified_at__isnull=False)
    return items.order_by("due_at", "pk")


def claim(pk: int, field: str, now: datetime) -> bool:
    """Compare-and-swap: set `field` only if nobody has yet. True for the one copy that did."""
    return bool(
        WorkItem.objects.filter(pk=pk, status=WorkItem.Status.OPEN, **{f"{field}__isnull": True})
        .update(**{field: now})
    )


def _handle(item: WorkItem, field: str, now: datetime,
            tell: Callable[[WorkItem, datetime], list[User]]) -> None:
    told = tell(item, now)
    action = "overdue" if field == "overdue_notified_at" else "escalate"
    audit.record(
        None, action, item, child=item.child,
        summary=("Overdue: owner told" if action == "overdue" else "Overdue: escalated to "
                 "the manager") + f" ({kind_label(item.kind).lower()})",
        changes=audit.diff(None, {field: now, "told": [u.pk for u in told]}),
    )


def _run(field: str, tell, now: datetime, batch: int) -> int:
    done = failures = 0
    tried: set[int] = set()
    skip_locked = connection.features.has_select_for_update_skip_locked
    while done < batch and failures < 10:
        # One item per transaction: if telling someone fails, that item is left unclaimed and
        # tried again on the next pass; the others go ahead.
        try:
            handled = _claim_and_handle(field, tell, now, tried, skip_locked)
        except Exception:
            failures += 1
            log.exception("lantern work: could not set %s on an overdue item", field)
            continue
        if handled is None:
            return done
        done += handled
    return done


def _claim_and_handle(field: str, tell, now: datetime, tried: set[int],
                      skip_locked: bool) -> int | None:
    """Claim and handle the next item: 1 if handled, 0 if another copy had it, None if no item
    is left."""
    with transaction.atomic():
        candidates = _due(field, now).exclude(pk__in=tried)
        if skip_locked:
            locked = candidates.select_for_update(skip_locked=True).first()
            if locked is None:
                return None
            tried.add(locked.pk)
            setattr(locked, field, now)
            locked.save(update_fields=[field])
            pk = locked.pk
        else:
            pk = candidates.values_list("pk", flat=True).first()
            if pk is None:
                return None
            tried.add(pk)
            if not claim(pk, field, now):
                return 0  # another copy got there first
        item = WorkItem.objects.select_related("owner__manager", "child").get(pk=pk)
        _handle(item, field, now, tell)
        return 1


def run_once(now: datetime | None = None, batch: int = 500) -> Pass:
    """One pass: mark and notify overdue work, then escalate it."""
    now = now or timezone.now()
    result = Pass()
    result.notified = _run("overdue_notified_at", _notify, now, batch)
    result.escalated = _run("escalated_at", _escalate, now, batch)
    return result
