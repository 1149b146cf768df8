from typing import Any

from lantern.domain import auditchain


def _chain(n: int) -> list[dict[str, Any]]:
    rows, prev = [], auditchain.GENESIS
    for seq in range(1, n + 1):
        row: dict[str, Any] = {"seq": seq, "at": f"2026-11-28T10:00:0{seq}+00:00", "actor_id": 1,
               "actor_label": "alice", "action": "view", "object_type": "people.child",
               "object_id": "7", "child_id": 7, "summary": "Opened", "changes": {},
               "reason": "", "ip_address": "127.0.0.1", "path": "/children/7/",
               "prev_hash": prev}
        row["hash"] = auditchain.row_hash(row, prev)
        prev = row["hash"]
        rows.append(row)
    return rows


def test_an_untouched_chain_verifies():
    rows = _chain(5)
    assert auditchain.verify(rows, head_seq=5, head_hash=rows[-1]["hash"]) is None


def test_a_changed_row_is_named():
    rows = _chain(5)
    rows[2]["summary"] = "Nothing to see"
    broken = auditchain.verify(rows, head_seq=5, head_hash=rows[-1]["hash"])
    assert broken is not None
    assert broken.seq == 3 and "changed" in broken.problem


def test_a_removed_row_is_named():
    rows = _chain(5)
    del rows[1]
    broken = auditchain.verify(rows, head_seq=5, head_hash=rows[-1]["hash"])
    assert broken is not None
    assert broken.seq == 2 and "missing" in broken.problem


def test_rows_removed_from_the_end_are_found_through_the_head():
    rows = _chain(5)
    head = rows[-1]["hash"]
    broken = auditchain.verify(rows[:3], head_seq=5, head_hash=head)
    assert broken is not None
    assert broken.seq == 4


def test_a_rehashed_forgery_breaks_the_next_link():
    rows = _chain(4)
    rows[1]["summary"] = "forged"
    rows[1]["hash"] = auditchain.row_hash(rows[1], rows[1]["prev_hash"])
    broken = auditchain.verify(rows, head_seq=4, head_hash=rows[-1]["hash"])
    assert broken is not None
    assert broken.seq == 3
