import base64
import hashlib
import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from lantern.domain import auditchain
from lantern.foundation import audit
from lantern.foundation.models import AuditChainHead, AuditEvent


def test_rows_are_chained_in_sequence(p, child):
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for earlier, later in zip(events, events[1:], strict=False):
        assert later.prev_hash == earlier.hash


def test_an_untouched_trail_verifies(p, child):
    assert audit.verify() is None


def test_audit_rows_cannot_be_updated_through_the_model(p, child):
    event = AuditEvent.objects.first()
    event.summary = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(summary="changed")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_an_update(p, child):
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE foundation_auditevent SET summary = 'x' WHERE seq = 1")


def _drop_guard():
    """What an attacker with the database can do: lift the triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER foundation_auditevent_no_update ON foundation_auditevent")
        else:
            cursor.execute("DROP TRIGGER foundation_auditevent_no_update")
            cursor.execute("DROP TRIGGER foundation_auditevent_no_delete")


def test_the_database_refuses_a_delete(p, child):
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM foundation_auditevent WHERE seq = 1")


def test_rows_are_sealed_with_the_current_audit_key(p, child):
    keyring = audit.load_keyring()
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {keyring.current}


def test_verify_names_the_first_changed_row(p, child, capsys):
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE foundation_auditevent SET summary = 'nothing' WHERE seq = 2")
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert "row 2" in capsys.readouterr().err


def test_verify_names_a_removed_row(p, child, capsys):
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM foundation_auditevent WHERE seq = 1")
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    assert "row 1" in capsys.readouterr().err


def _unkeyed_hash(row: dict, prev: str) -> str:
    """The chain's published algorithm before it was keyed: SHA-256 with no secret."""
    return hashlib.sha256(f"{prev}|{auditchain.canonical(row)}".encode()).hexdigest()


def test_an_attacker_without_the_key_cannot_rewrite_the_trail(p, child, capsys):
    """Issue 13 (why 2): with the database but not the key files, drop the triggers, make a
    row's actor "system", delete another row, recompute every later seal with unkeyed SHA-256,
    renumber and move the head: verify still names the first forged row."""
    for _ in range(4):
        audit.record(p.alice, "view", child, child=child, summary="Opened the record")
    _drop_guard()
    rows = [audit._row(e) for e in AuditEvent.objects.order_by("seq")]
    rows[2]["actor_id"], rows[2]["actor_label"] = None, "system"
    del rows[4]
    prev = rows[1]["hash"]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM foundation_auditevent WHERE seq >= 3")
    for seq, row in enumerate(rows[2:], start=3):
        row["seq"], row["prev_hash"] = seq, prev
        row["hash"] = prev = _unkeyed_hash(row, prev)
        fields = {k: v for k, v in row.items() if k not in ("actor_id", "child_id", "at")}
        AuditEvent(actor_id=row["actor_id"], child_id=row["child_id"],
                   at=datetime.fromisoformat(row["at"]), **fields).save()
    AuditChainHead.objects.filter(id=1).update(last_seq=len(rows), last_hash=prev)

    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "broken at row 3" in err
    assert "seal does not match" in err


def test_a_rotated_key_seals_new_rows_and_old_rows_still_verify(p, child, settings, tmp_path):
    keyring = tmp_path / "audit-keyring"
    keyring.write_text(Path(settings.AUDIT_KEY_FILE).read_text()
                       + auditchain.format_key("next", bytes(32)))
    settings.AUDIT_KEY_FILE = str(keyring)
    event = audit.record(p.alice, "view", child, child=child)
    assert event.key_id == "next"
    assert AuditEvent.objects.exclude(key_id="next").exists()
    assert audit.verify() is None


def test_a_row_whose_key_is_missing_is_named(p, child, settings, tmp_path):
    first = AuditEvent.objects.order_by("seq").first()
    keyring = tmp_path / "audit-keyring"
    keyring.write_text(auditchain.format_key("other", bytes(32)))
    settings.AUDIT_KEY_FILE = str(keyring)
    broken = audit.verify()
    assert broken is not None
    assert broken.seq == first.seq and f"'{first.key_id}'" in broken.problem


def test_without_a_key_file_nothing_is_written(p, settings):
    settings.AUDIT_KEY_FILE = ""
    with pytest.raises(ImproperlyConfigured, match="AUDIT_KEY_FILE"):
        audit.record(p.alice, "view")


# --- checkpoints ---------------------------------------------------------------------------------

def test_a_checkpoint_signs_the_head_into_the_log(p, child, settings, capsys):
    call_command("audit", "checkpoint")
    line = json.loads(Path(settings.AUDIT_CHECKPOINT_LOG).read_text().splitlines()[-1])
    assert line["seq"] == AuditChainHead.objects.get().last_seq
    call_command("audit", "verify")
    assert "the latest checkpoint" in capsys.readouterr().out


def test_cutting_the_end_of_the_trail_is_found_by_the_checkpoint(p, child, capsys):
    """Someone with the database cuts the last rows and moves the head back: the chain that is
    left holds, but the signed checkpoint names a row that is gone."""
    audit.record(p.alice, "view", child, child=child)
    point = audit.checkpoint()
    _drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM foundation_auditevent WHERE seq = %s", [point.seq])
    last = AuditEvent.objects.order_by("seq").last()
    AuditChainHead.objects.filter(id=1).update(last_seq=last.seq, last_hash=last.hash)
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    err = capsys.readouterr().err
    assert f"row {point.seq}" in err and "no longer in the trail" in err


def test_a_checkpoint_not_signed_by_the_key_is_refused(p, child, settings):
    point = audit.checkpoint()
    forged = audit.Checkpoint(seq=point.seq, hash=point.hash, at=point.at,
                              signature=base64.b64encode(bytes(64)).decode())
    with open(settings.AUDIT_CHECKPOINT_LOG, "a") as log:
        log.write(forged.line())
    broken = audit.verify()
    assert broken is not None and "not signed by the audit signing key" in broken.problem


def test_lantern_work_signs_a_checkpoint_when_the_last_is_an_hour_old(p, child, settings):
    call_command("work", "--once")
    call_command("work", "--once")
    lines = Path(settings.AUDIT_CHECKPOINT_LOG).read_text().splitlines()
    assert len(lines) == 1
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        call_command("work", "--once")
    assert len(Path(settings.AUDIT_CHECKPOINT_LOG).read_text().splitlines()) == 2


def test_production_refuses_to_start_without_the_audit_key():
    code = (
        "import os; os.environ.pop('DEBUG', None); os.environ['SECRET_KEY'] = 'x' * 50;"
        "import lantern.wsgi"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.returncode != 0
    assert "Set AUDIT_KEY_FILE" in out.stderr


def test_verify_reports_success(p, child, capsys):
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def test_a_child_record_write_records_old_and_new_values(p, child):
    from lantern.people.actions import update_child

    update_child(child, by=p.fiona, version=child.version, known_as="Jay")
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes == {"known_as": {"old": "", "new": "Jay"}}
    assert event.child_id == child.pk


# --- audit.diff: the old and new values an audit row describes ---------------------------------

def test_diff_of_something_new_has_no_old_values(p, child):
    assert audit.diff(None, child, ("given_names", "area")) == {
        "given_names": {"old": None, "new": "Jade"},
        "area": {"old": None, "new": str(p.north.pk)},
    }


def test_diff_of_an_edit_names_only_what_changed(p, child):
    changes = audit.diff(child, {"known_as": "JJ", "given_names": "Jade"}, changed_only=True)
    assert changes == {"known_as": {"old": "", "new": "JJ"}}


def test_diff_of_a_decision_reads_fields_missing_before_as_none():
    changes = audit.diff({"status": "awaiting"}, {"status": "decided", "outcome": "nfa"})
    assert changes == {"status": {"old": "awaiting", "new": "decided"},
                       "outcome": {"old": None, "new": "nfa"}}


def test_diff_keeps_unchanged_fields_unless_told_otherwise():
    assert audit.diff({"note": ""}, {"note": ""}) == {"note": {"old": "", "new": ""}}


def test_diff_of_a_record_needs_its_fields_named(child):
    with pytest.raises(TypeError):
        audit.diff(None, child)


def test_without_checkpoint_settings_verify_says_so_and_work_carries_on(p, child, settings,
                                                                       capsys):
    settings.AUDIT_CHECKPOINT_LOG = ""
    call_command("audit", "verify")
    assert "no checkpoint log is configured" in capsys.readouterr().out
    call_command("work", "--once")
    assert "Audit checkpoints are off" in capsys.readouterr().err
