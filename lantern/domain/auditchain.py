"""The audit trail's hash chain: each row's hash covers its own content and the previous
row's hash, so changing or removing any row breaks every hash after it. No Django here."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

# The fields a hash covers, in order. Changing this list invalidates existing chains.
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "child_id",
    "summary",
    "changes",
    "reason",
    "ip_address",
    "path",
)


def canonical(row: Mapping[str, object]) -> str:
    return json.dumps(
        {name: row.get(name) for name in HASHED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def row_hash(row: Mapping[str, object], prev_hash: str) -> str:
    return hashlib.sha256(f"{prev_hash}|{canonical(row)}".encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str


def verify(rows: Iterable[Mapping[str, Any]], *, head_seq: int,
           head_hash: str) -> Break | None:
    """Walk rows in sequence order; return the first break, or None when the chain holds.
    Each row mapping has the HASHED_FIELDS plus `prev_hash` and `hash`."""
    expected_seq = 1
    prev = GENESIS
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            return Break(expected_seq, f"row {expected_seq} is missing (next row is {seq})")
        if row["prev_hash"] != prev:
            return Break(seq, "its link to the previous row does not match")
        if row_hash(row, prev) != row["hash"]:
            return Break(seq, "its content was changed after it was written")
        prev = row["hash"]
        expected_seq += 1
    last = expected_seq - 1
    if last != head_seq or prev != head_hash:
        return Break(last + 1, f"rows after {last} were removed (the chain head is {head_seq})")
    return None
