"""Writing the audit trail. Every read and write of a child's record goes through `record`,
called inside the same transaction as the write it describes. Each row is sealed on its own
with the audit key (settings.AUDIT_KEY_FILE, kept outside the database) when it is written,
then chained: `_chain` is the one place the chain is extended. With AUDIT_SEALING
"sequencer" (production) `record` only inserts the sealed entry, taking no lock, and `seal`
(the sequencer: `lantern work` runs it every second, `lantern audit` before it verifies or
signs) chains the waiting entries in order under the chain head's lock; with "inline"
(development and tests) `record` chains its row at once. `checkpoint` signs the chain head into
a log outside the database and `verify` checks rows, keys and the latest checkpoint
(docs/decisions/0010-keyed-audit-chain.md, docs/decisions/0011-audit-sequencer.md).
"""

import base64
import contextvars
import functools
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from lantern.domain import auditchain

from .compiled import prepared_cursor
from .drawn import display
from .models import AuditChainHead, AuditEntry, AuditEvent, AuditShown

# The request being served, so an audit row written deep inside an action still says where
# the access came from. Set by lantern.foundation.middleware.AuditContextMiddleware; None in
# commands and tests.
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)


def client_ip(request: HttpRequest | None) -> str:
    """The address a request came from. Behind Lantern's TLS proxy (BEHIND_TLS_PROXY) that is
    the last address the proxy added to X-Forwarded-For (earlier ones the client could forge);
    otherwise the connection's. The audit trail and the sign-in lockout both use it."""
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        address = forwarded or address
    return address[:45]


def _label(actor) -> str:
    if actor is None:
        return "system"
    agency = f", {actor.agency.name}" if actor.agency_id else ""
    return f"{actor.username} ({display(actor, 'role')}{agency})"


# Values written as they are, asked first by their exact type: a list or chart's row holds
# a page's children and records, 50 or more (issue 18).
_PLAIN = frozenset({str, int, bool, type(None)})


def _jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [v if type(v) in _PLAIN else _jsonable(v) for v in value]
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
    entry = AuditEntry(
        actor=actor,
        actor_label=_label(actor),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        child=child,
        summary=summary[:300],
        changes=_jsonable(dict(changes or {})),
        reason=reason,
        ip_address=client_ip(request),
        path=(request.get_full_path()[:300] if request is not None else ""),
    )
    return _append(entry)


def children_shown(changes: Mapping[str, Any]) -> set[int]:
    """The children an audit row says a response showed: `changes["children"]`, a list of
    child ids (one row per response, however many children it listed)."""
    ids = changes.get("children") if isinstance(changes, Mapping) else None
    if not isinstance(ids, list):
        return set()
    return {pk for pk in ids if isinstance(pk, int) and not isinstance(pk, bool)}


def sealing_inline() -> bool:
    return getattr(settings, "AUDIT_SEALING", "inline") == "inline"


def _append(entry: AuditEntry) -> AuditEvent:
    """Seal the entry on its own under the current audit key; then either chain it at once
    (inline) or leave it for the sequencer, inserted without any lock. Returns the chained row,
    or (sequencer) an unsaved row without its place in the chain."""
    keyring = load_keyring()
    entry.key_id = keyring.current
    entry.at = timezone.now()
    entry.mac = auditchain.entry_mac(_row(entry), keyring.keys[entry.key_id])
    if not sealing_inline():
        _insert(entry)
        return _event(entry)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        (event,) = _chain([entry], head, keyring)
    return event


# Every audited page inserts one entry: the statement written once a process from the model's
# fields (what `save()` would insert, each value prepared by its field as `save()` prepares
# it) and prepared on PostgreSQL, rather than the ORM building the insert each time.
_ENTRY_FIELDS = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]


@functools.cache
def _insert_sql() -> str:
    quote = connection.ops.quote_name
    return (f"INSERT INTO {quote(AuditEntry._meta.db_table)} "  # noqa: S608 - the model's names
            f"({', '.join(quote(f.column) for f in _ENTRY_FIELDS)}) "
            f"VALUES ({', '.join(['%s'] * len(_ENTRY_FIELDS))}) "
            f"RETURNING {quote(AuditEntry._meta.pk.column)}")


def _insert(entry: AuditEntry) -> None:
    params = [f.get_db_prep_save(f.pre_save(entry, True), connection) for f in _ENTRY_FIELDS]
    with prepared_cursor() as cursor:
        cursor.execute(_insert_sql(), params)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding, entry._state.db = False, connection.alias


def _event(entry: AuditEntry) -> AuditEvent:
    return AuditEvent(
        at=entry.at, actor_id=entry.actor_id, actor_label=entry.actor_label,
        action=entry.action, object_type=entry.object_type, object_id=entry.object_id,
        child_id=entry.child_id, summary=entry.summary, changes=entry.changes,
        reason=entry.reason, ip_address=entry.ip_address, path=entry.path,
        key_id=entry.key_id, entry_mac=entry.mac,
    )


def _chain(entries: list[AuditEntry], head: AuditChainHead,
           keyring: auditchain.Keyring) -> list[AuditEvent]:
    """The one place the chain grows, called holding the head's lock: number each entry after
    the head, seal it under its key over the previous seal, save the rows and move the head."""
    events = []
    for entry in entries:
        event = _event(entry)
        event.seq = head.last_seq + 1
        event.prev_hash = head.last_hash
        event.hash = auditchain.row_hash(_row(event), head.last_hash,
                                         keyring.keys[event.key_id])
        head.last_seq, head.last_hash = event.seq, event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events)
    head.save(update_fields=["last_seq", "last_hash"])
    # The children a list, search, chart or picker showed: indexed for their access logs, as
    # each row takes its place in the chain (inline at once; with the sequencer, when sealed).
    AuditShown.objects.bulk_create(
        [AuditShown(event_id=event.seq, child_id=pk)
         for event in events for pk in sorted(children_shown(event.changes))])
    return events


SEAL_BATCH = 2000


def seal() -> int:
    """The sequencer: chain every waiting entry, oldest first, a batch per transaction under
    the head's lock (so copies running at once take turns and never fork the chain). Entries
    still inside an open transaction wait for the next pass. Returns how many were chained."""
    keyring = load_keyring()
    total = 0
    while True:
        with transaction.atomic():
            head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
            entries = list(AuditEntry.objects.order_by("id")[:SEAL_BATCH])
            if entries:
                _chain(entries, head, keyring)
                AuditEntry.objects.filter(id__in=[e.id for e in entries]).delete()
        total += len(entries)
        if len(entries) < SEAL_BATCH:
            return total


def pending() -> int:
    """Entries written but not chained yet."""
    return AuditEntry.objects.count()


# --- keys ---------------------------------------------------------------------------------------

_keyring_cache: dict[tuple[str, float], auditchain.Keyring] = {}


def load_keyring() -> auditchain.Keyring:
    """The audit keyring named by settings.AUDIT_KEY_FILE (read again when the file changes, so
    a rotated key is used without a restart)."""
    path = getattr(settings, "AUDIT_KEY_FILE", "")
    if not path:
        raise ImproperlyConfigured("Set AUDIT_KEY_FILE: the audit trail cannot be written or "
                                   "checked without its key.")
    try:
        stamp = (str(path), os.stat(path).st_mtime)
    except OSError as error:
        raise ImproperlyConfigured(f"AUDIT_KEY_FILE {path}: {error.strerror}") from None
    if stamp not in _keyring_cache:
        text = Path(path).read_text()
        _keyring_cache.clear()
        _keyring_cache[stamp] = auditchain.parse_keyring(text, source=str(path))
    return _keyring_cache[stamp]


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


def _row(event: AuditEvent | AuditEntry) -> dict:
    return {
        "seq": getattr(event, "seq", None),
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
        "key_id": event.key_id,
        "prev_hash": getattr(event, "prev_hash", ""),
        "hash": getattr(event, "hash", ""),
        "entry_mac": getattr(event, "entry_mac", ""),
    }


def _rows() -> Iterable[dict]:
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        yield _row(event)


# --- checkpoints: the chain head signed into a log outside the database ------------------------

def _signing_key() -> Ed25519PrivateKey:
    path = getattr(settings, "AUDIT_SIGNING_KEY_FILE", "")
    if not path:
        raise ImproperlyConfigured("Set AUDIT_SIGNING_KEY_FILE to sign audit checkpoints.")
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"AUDIT_SIGNING_KEY_FILE {path}: not an Ed25519 key.")
    return key


def _checkpoint_log() -> Path:
    path = getattr(settings, "AUDIT_CHECKPOINT_LOG", "")
    if not path:
        raise ImproperlyConfigured("Set AUDIT_CHECKPOINT_LOG: where audit checkpoints are kept.")
    return Path(path)


def checkpoints_configured() -> bool:
    """Whether a signing key and a checkpoint log are set (always in development)."""
    return bool(getattr(settings, "AUDIT_SIGNING_KEY_FILE", "")
                and getattr(settings, "AUDIT_CHECKPOINT_LOG", ""))


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    signature: str

    def line(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash, "at": self.at,
                           "signature": self.signature}, sort_keys=True) + "\n"


def checkpoint() -> Checkpoint:
    """Sign the chain head with the Ed25519 signing key and append it to the checkpoint log
    (one JSON object a line). Someone who later rewrites the database cannot make its rows
    match a head signed before, nor sign a new one without the key."""
    key = _signing_key()
    head = AuditChainHead.objects.filter(id=1).first()
    seq, head_hash = (head.last_seq, head.last_hash) if head else (0, auditchain.GENESIS)
    at = timezone.now().isoformat()
    signature = key.sign(auditchain.checkpoint_message(seq, head_hash, at))
    point = Checkpoint(seq=seq, hash=head_hash, at=at,
                       signature=base64.b64encode(signature).decode("ascii"))
    log = _checkpoint_log()
    log.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: several `lantern work` copies may append at once without losing a line.
    descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, point.line().encode())
    finally:
        os.close(descriptor)
    return point


def latest_checkpoint() -> Checkpoint | None:
    """The last line of the checkpoint log, or None when nothing was checkpointed yet (or no
    log is configured). A last line that cannot be read comes back with seq -1, for `verify`
    to report."""
    if not checkpoints_configured():
        return None
    log = _checkpoint_log()
    if not log.exists():
        return None
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    if not lines:
        return None
    try:
        data = json.loads(lines[-1])
        return Checkpoint(seq=int(data["seq"]), hash=str(data["hash"]), at=str(data["at"]),
                          signature=str(data["signature"]))
    except (ValueError, KeyError, TypeError):
        return Checkpoint(seq=-1, hash="", at="", signature="")


def checkpoint_due(every_seconds: float) -> bool:
    """Whether the last checkpoint is older than `every_seconds` (or there is none); never
    when checkpoints are not configured."""
    if not checkpoints_configured():
        return False
    point = latest_checkpoint()
    if point is None or point.seq < 0:
        return True
    try:
        at = datetime.fromisoformat(point.at)
    except ValueError:
        return True
    return (timezone.now() - at).total_seconds() >= every_seconds


def _check_checkpoint(point: Checkpoint) -> auditchain.Break | None:
    if point.seq < 0:
        return auditchain.Break(0, "the latest line of the checkpoint log cannot be read")
    public = _signing_key().public_key()
    try:
        public.verify(base64.b64decode(point.signature),
                      auditchain.checkpoint_message(point.seq, point.hash, point.at))
    except (InvalidSignature, ValueError):
        return auditchain.Break(point.seq, f"the checkpoint of {point.at} is not signed by the "
                                           "audit signing key")
    if point.seq == 0:
        return None
    row = AuditEvent.objects.filter(seq=point.seq).values_list("hash", flat=True).first()
    if row is None:
        return auditchain.Break(point.seq, f"the checkpoint of {point.at} signed row "
                                           f"{point.seq}, which is no longer in the trail")
    if row != point.hash:
        return auditchain.Break(point.seq, f"its seal differs from the one the checkpoint of "
                                           f"{point.at} signed: the chain was rewritten")
    return None


@dataclass(frozen=True)
class Verification:
    rows: int
    broken: auditchain.Break | None
    checkpoint: Checkpoint | None
    # Entries written but not chained yet: waiting for the sequencer, not a break.
    pending: int = 0


def verify() -> auditchain.Break | None:
    """The first break in the trail, or None: every row's seal under its key, the links and
    the head, then the latest checkpoint (when there is one) against the rows."""
    return verify_all().broken


def verify_all() -> Verification:
    head = AuditChainHead.objects.filter(id=1).first()
    rows = head.last_seq if head else 0
    broken = auditchain.verify(
        _rows(),
        keyring=load_keyring(),
        head_seq=rows,
        head_hash=head.last_hash if head else auditchain.GENESIS,
    )
    point = latest_checkpoint()
    if broken is None and point is not None:
        broken = _check_checkpoint(point)
    return Verification(rows=rows, broken=broken, checkpoint=point, pending=pending())
