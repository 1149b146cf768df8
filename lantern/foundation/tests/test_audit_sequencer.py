"""Audited reads and writes without the chain head's lock (issue 18 item 4): with the
sequencer, `record` writes an entry sealed on its own, and `seal` chains entries in the order
they were written; tamper evidence holds across the wait (ADR 11)."""

from io import StringIO

import pytest
from django.core.management import call_command

from lantern.foundation import audit
from lantern.foundation.models import AuditChainHead, AuditEntry, AuditEvent


@pytest.fixture
def sequencer(settings, p, child):
    """The trail as production writes it; the named people and Jade were chained already."""
    settings.AUDIT_SEALING = "sequencer"


def _last(n):
    return list(AuditEvent.objects.order_by("-seq")[:n])[::-1]


def test_record_writes_an_entry_and_leaves_the_chain_alone(sequencer, p, child):
    head = AuditChainHead.objects.get().last_seq
    audit.record(p.alice, "view", child, child=child, summary="Viewed the record")
    assert AuditEntry.objects.count() == 1
    assert AuditChainHead.objects.get().last_seq == head
    assert not AuditEvent.objects.filter(seq__gt=head).exists()


def test_the_sequencer_chains_entries_in_the_order_they_were_written(sequencer, p, child):
    for summary in ("first", "second", "third"):
        audit.record(p.alice, "view", child, child=child, summary=summary)
    assert audit.seal() == 3
    assert [e.summary for e in _last(3)] == ["first", "second", "third"]
    assert not AuditEntry.objects.exists()
    assert audit.verify() is None


def test_a_chained_row_keeps_the_time_it_was_written(sequencer, p, child):
    audit.record(p.alice, "view", child, child=child, summary="read")
    written = AuditEntry.objects.get().at
    audit.seal()
    assert _last(1)[0].at == written


def test_an_entry_changed_while_it_waited_is_found_after_it_is_chained(sequencer, p, child):
    audit.record(p.alice, "view", child, child=child, summary="Viewed the record")
    AuditEntry.objects.update(summary="Nothing to see")
    audit.seal()
    broken = audit.verify()
    assert broken is not None and broken.seq == _last(1)[0].seq
    assert "while it waited" in broken.problem


def test_waiting_entries_are_pending_not_a_break(sequencer, p, child):
    audit.record(p.alice, "view", child, child=child)
    result = audit.verify_all()
    assert result.broken is None and result.pending == 1


def test_audit_verify_runs_the_sequencer_first(sequencer, p, child):
    audit.record(p.alice, "view", child, child=child)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()
    assert not AuditEntry.objects.exists()


def test_lantern_work_runs_the_sequencer(sequencer, p, child):
    audit.record(p.alice, "view", child, child=child)
    call_command("work", "--once", stdout=StringIO())
    assert not AuditEntry.objects.exists()


def test_inline_sealing_chains_at_once(settings, p, child):
    settings.AUDIT_SEALING = "inline"
    event = audit.record(p.alice, "view", child, child=child, summary="at once")
    assert event.seq == AuditChainHead.objects.get().last_seq
    assert not AuditEntry.objects.exists()
    assert audit.verify() is None
