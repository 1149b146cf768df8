import pytest
from django.core.management import call_command
from django.db import connection

from lantern.foundation import audit
from lantern.foundation.models import AuditEvent


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
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER foundation_auditevent_no_update ON foundation_auditevent")
        else:
            cursor.execute("DROP TRIGGER foundation_auditevent_no_update")


def test_verify_names_the_first_changed_row(p, child, capsys):
    _drop_guard()  # an attacker with database access
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
