"""Writing the audit trail. Every read and write of a child's record goes through `record`,
called inside the same transaction as the write it describes."""

import contextvars
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from lantern.domain import auditchain

from .models import AuditChainHead, AuditEvent

# The request being served, so an audit row written deep inside an action still says where
# the access came from. Set by lantern.foundation.middleware.AuditContextMiddleware; None in
# commands and tests.
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)


def _client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:45]


def _label(actor) -> str:
    if actor is None:
        return "system"
    agency = f", {actor.agency.name}" if actor.agency_id else ""
    return f"{actor.username} ({actor.get_role_display()}{agency})"


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    child=None,
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one audit row. `action` is a verb such as view, create, update, search, decide.
    `changes` maps field names to {"old": ..., "new": ...} for writes."""
    request = request or current_request.get()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=actor,
            actor_label=_label(actor),
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            child=child,
            summary=summary[:300],
            changes=_jsonable(dict(changes or {})),
            reason=reason,
            ip_address=_client_ip(request),
            path=(request.get_full_path()[:300] if request is not None else ""),
            prev_hash=head.last_hash,
        )
        event.hash = auditchain.row_hash(_row(event), head.last_hash)
        event.save()
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def _value(source: models.Model | Mapping[str, Any] | None, name: str) -> Any:
    if source is None:
        return None
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name)


def diff(
    before: models.Model | Mapping[str, Any] | None,
    after: models.Model | Mapping[str, Any],
    fields: Iterable[str] | None = None,
    *,
    changed_only: bool = False,
) -> dict[str, dict]:
    """The {"field": {"old": ..., "new": ...}} mapping an audit row's `changes` holds.

    `before` and `after` are records (read by attribute) or mappings (read by key); `before` is
    None for something new, and a field `before` does not hold was None. `fields` are the ones
    to describe, by default every key of `after`. With `changed_only`, a field whose value is
    the same before and after is left out (an edit names only what it changed).

        audit.diff(None, concern, CONCERN_FIELDS)                  a record created
        audit.diff(locked, new_values, changed_only=True)          an edit
        audit.diff({"status": "open"}, {"status": "done", "note": note})   a decision
    """
    if fields is None:
        if not isinstance(after, Mapping):
            raise TypeError("name the fields to describe when `after` is a record")
        fields = list(after)
    changes = {}
    for name in fields:
        old, new = _value(before, name), _value(after, name)
        if changed_only and old == new:
            continue
        changes[name] = {"old": _jsonable(old), "new": _jsonable(new)}
    return changes


def created(instance: models.Model, fields: Iterable[str]) -> dict[str, dict]:
    """The new values of a created record's fields, for the audit row."""
    return diff(None, instance, fields)


def _row(event: AuditEvent) -> dict:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "child_id": event.child_id,
        "summary": event.summary,
        "changes": event.changes,
        "reason": event.reason,
        "ip_address": event.ip_address,
        "path": event.path,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def _rows() -> Iterable[dict]:
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        yield _row(event)


def verify() -> auditchain.Break | None:
    head = AuditChainHead.objects.filter(id=1).first()
    return auditchain.verify(
        _rows(),
        head_seq=head.last_seq if head else 0,
        head_hash=head.last_hash if head else auditchain.GENESIS,
    )
