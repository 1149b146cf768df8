import hashlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import auditchain

KEY = bytes(range(32))
OLD_KEY = bytes(range(32, 64))
KEYRING = auditchain.Keyring(keys={"k1": OLD_KEY, "k2": KEY}, current="k2")


def _chain(n: int, key_ids: tuple[str, ...] = ("k2",)) -> list[dict[str, Any]]:
    rows, prev = [], auditchain.GENESIS
    for seq in range(1, n + 1):
        key_id = key_ids[min(seq - 1, len(key_ids) - 1)]
        row: dict[str, Any] = {"seq": seq, "at": f"2026-11-28T10:00:0{seq}+00:00", "actor_id": 1,
               "actor_label": "alice", "action": "view", "object_type": "people.child",
               "object_id": "7", "child_id": 7, "summary": "Opened", "changes": {},
               "reason": "", "ip_address": "127.0.0.1", "path": "/children/7/",
               "key_id": key_id, "prev_hash": prev}
        row["hash"] = auditchain.row_hash(row, prev, KEYRING.keys[key_id])
        prev = row["hash"]
        rows.append(row)
    return rows


def _verify(rows: list[dict[str, Any]], head_seq: int, head_hash: str) -> auditchain.Break | None:
    return auditchain.verify(rows, keyring=KEYRING, head_seq=head_seq, head_hash=head_hash)


def test_an_untouched_chain_verifies():
    rows = _chain(5)
    assert _verify(rows, 5, rows[-1]["hash"]) is None


def test_a_chain_sealed_under_a_rotated_key_verifies_with_both_keys():
    rows = _chain(4, key_ids=("k1", "k1", "k2"))
    assert _verify(rows, 4, rows[-1]["hash"]) is None


def test_a_changed_row_is_named():
    rows = _chain(5)
    rows[2]["summary"] = "Nothing to see"
    broken = _verify(rows, 5, rows[-1]["hash"])
    assert broken is not None
    assert broken.seq == 3 and "changed" in broken.problem


def test_a_removed_row_is_named():
    rows = _chain(5)
    del rows[1]
    broken = _verify(rows, 5, rows[-1]["hash"])
    assert broken is not None
    assert broken.seq == 2 and "missing" in broken.problem


def test_rows_removed_from_the_end_are_found_through_the_head():
    rows = _chain(5)
    head = rows[-1]["hash"]
    broken = _verify(rows[:3], 5, head)
    assert broken is not None
    assert broken.seq == 4


def test_a_rehashed_forgery_breaks_the_next_link():
    rows = _chain(4)
    rows[1]["summary"] = "forged"
    rows[1]["hash"] = auditchain.row_hash(rows[1], rows[1]["prev_hash"], KEY)
    broken = _verify(rows, 4, rows[-1]["hash"])
    assert broken is not None
    assert broken.seq == 3


def test_a_chain_recomputed_with_unkeyed_sha256_is_refused_at_the_first_forged_row():
    rows = _chain(5)
    rows[1]["actor_label"] = "system"
    for row in rows[1:]:  # what the published unkeyed algorithm would give
        row["prev_hash"] = rows[row["seq"] - 2]["hash"]
        row["hash"] = hashlib.sha256(
            f"{row['prev_hash']}|{auditchain.canonical(row)}".encode()).hexdigest()
    broken = _verify(rows, 5, rows[-1]["hash"])
    assert broken is not None
    assert broken.seq == 2 and "seal" in broken.problem


def test_a_row_naming_an_unknown_key_is_named():
    rows = _chain(3)
    rows[1]["key_id"] = "stolen"
    broken = _verify(rows, 3, rows[-1]["hash"])
    assert broken is not None
    assert broken.seq == 2 and "'stolen'" in broken.problem


def test_moving_a_row_to_an_older_key_breaks_its_seal():
    rows = _chain(3)
    rows[1]["key_id"] = "k1"
    broken = _verify(rows, 3, rows[-1]["hash"])
    assert broken is not None and broken.seq == 2


# --- keyrings -----------------------------------------------------------------------------------

def test_the_last_key_of_a_keyring_seals_new_rows():
    text = "# audit keys\n" + auditchain.format_key("k1", OLD_KEY) + "\n" + \
        auditchain.format_key("k2", KEY)
    keyring = auditchain.parse_keyring(text)
    assert keyring.current == "k2"
    assert keyring.keys == {"k1": OLD_KEY, "k2": KEY}


@pytest.mark.parametrize(("text", "problem"), [
    ("", "holds no key"),
    ("k1\n", "line 1: expected"),
    ("k1 zz\n", "line 1: the key is not hexadecimal"),
    ("k1 abcd\n", "line 1: the key must be 32 bytes"),
    (f"k1 {KEY.hex()}\nk1 {OLD_KEY.hex()}\n", "line 2: key id 'k1' appears twice"),
    (f"bad/id {KEY.hex()}\n", "line 1: expected"),
])
def test_a_bad_keyring_is_refused_naming_the_line(text: str, problem: str):
    with pytest.raises(auditchain.KeyringError, match=problem):
        auditchain.parse_keyring(text, source="audit.keys")


@given(st.text(max_size=200))
def test_any_keyring_text_parses_or_is_refused_with_a_keyring_error(text: str):
    try:
        keyring = auditchain.parse_keyring(text)
    except auditchain.KeyringError:
        return
    assert keyring.current in keyring.keys
