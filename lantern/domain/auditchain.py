"""The audit trail's keyed hash chain. Each row's seal is an HMAC-SHA-256, under a key kept
outside the database, of its own content and the previous row's seal: changing or removing
any row breaks every seal after it, and without the key nobody can compute new ones. Each row
names the key that sealed it, so keys can be rotated. No Django here.

The chain head (last sequence number and seal) is also signed from time to time and the
signature appended to a checkpoint log outside the database (`checkpoint_message` is what is
signed); docs/decisions/0010-keyed-audit-chain.md gives the threat model."""

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

# The fields a seal covers, in order. Changing this list invalidates existing chains.
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
    "key_id",
)

KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
KEY_BYTES = 32


class KeyringError(ValueError):
    """A keyring file that cannot be used, with the line at fault named."""


@dataclass(frozen=True)
class Keyring:
    """The audit keys by id; `current` seals new rows, the others verify older ones."""

    keys: Mapping[str, bytes]
    current: str


def parse_keyring(text: str, *, source: str = "keyring") -> Keyring:
    """Read a keyring: one key a line, `<key id> <64 hex digits>`, oldest first; the last line
    is the key that seals new rows. Blank lines and lines starting with # are ignored."""
    keys: dict[str, bytes] = {}
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not KEY_ID.match(parts[0]):
            raise KeyringError(f"{source}: line {number}: expected '<key id> <64 hex digits>'")
        key_id, hex_key = parts
        try:
            key = bytes.fromhex(hex_key)
        except ValueError:
            raise KeyringError(f"{source}: line {number}: the key is not hexadecimal") from None
        if len(key) != KEY_BYTES:
            raise KeyringError(f"{source}: line {number}: the key must be {KEY_BYTES} bytes "
                               f"({KEY_BYTES * 2} hex digits)")
        if key_id in keys:
            raise KeyringError(f"{source}: line {number}: key id '{key_id}' appears twice")
        keys[key_id] = key
        current = key_id
    if not keys:
        raise KeyringError(f"{source}: holds no key")
    return Keyring(keys=keys, current=current)


def format_key(key_id: str, key: bytes) -> str:
    """One keyring line."""
    return f"{key_id} {key.hex()}\n"


# The fields an entry's own seal covers when it is written, before the sequencer gives it its
# place in the chain: everything but the place (`seq`).
ENTRY_FIELDS = tuple(name for name in HASHED_FIELDS if name != "seq")


def canonical(row: Mapping[str, object]) -> str:
    # A row written through the sequencer also carries its entry seal, which the chain's seal
    # then covers (rows chained before there was a sequencer have none, and hash as before).
    names = HASHED_FIELDS + (("entry_mac",) if row.get("entry_mac") else ())
    return json.dumps(
        {name: row.get(name) for name in names},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def entry_mac(row: Mapping[str, object], key: bytes) -> str:
    """An entry's own seal, made when it is written (no lock, no place in the chain yet):
    HMAC-SHA-256 under `key` of its content. Kept when the entry is chained, so an entry
    changed while it waited is still found afterwards."""
    message = json.dumps({name: row.get(name) for name in ENTRY_FIELDS}, sort_keys=True,
                         separators=(",", ":"), ensure_ascii=False, default=str).encode()
    return hmac.new(key, b"entry|" + message, hashlib.sha256).hexdigest()


def row_hash(row: Mapping[str, object], prev_hash: str, key: bytes) -> str:
    """The row's seal: HMAC-SHA-256 under `key` of the previous seal and the row's content."""
    message = f"{prev_hash}|{canonical(row)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def checkpoint_message(seq: int, head_hash: str, at: str) -> bytes:
    """What a checkpoint signs: the chain head at a moment."""
    return json.dumps({"at": at, "hash": head_hash, "seq": seq}, sort_keys=True,
                      separators=(",", ":")).encode()


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str


def verify(rows: Iterable[Mapping[str, Any]], *, keyring: Keyring, head_seq: int,
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
        key_id = str(row.get("key_id") or "")
        key = keyring.keys.get(key_id)
        if key is None:
            return Break(seq, f"it names key '{key_id}', which is not in the keyring")
        if not hmac.compare_digest(row_hash(row, prev, key), str(row["hash"])):
            return Break(seq, f"its seal does not match its content under key '{key_id}': it "
                              "was changed after it was written, or sealed without the key")
        if row.get("entry_mac") and not hmac.compare_digest(entry_mac(row, key),
                                                            str(row["entry_mac"])):
            return Break(seq, "its content differs from what was written before it was chained: "
                              "it was changed while it waited for the sequencer")
        prev = row["hash"]
        expected_seq += 1
    last = expected_seq - 1
    if last != head_seq or prev != head_hash:
        return Break(last + 1, f"rows after {last} were removed (the chain head is {head_seq})")
    return None
