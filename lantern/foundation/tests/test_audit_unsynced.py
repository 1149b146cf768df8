"""An audited read's entry, its own transaction, does not wait for PostgreSQL to flush it to
disk; an entry written with a change commits with the change and waits (audit._insert,
ADR 11, issue 18)."""

import pytest
from django.db import connection, transaction

from lantern.foundation import audit
from lantern.foundation.models import AuditEntry

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="synchronous_commit is PostgreSQL's"),
    # As a request reads: outside any transaction, each statement committed on its own.
    pytest.mark.django_db(transaction=True),
]


class _Executed:
    def __init__(self):
        self.sql = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(sql)
        return execute(sql, params, many, context)


@pytest.fixture
def sequencer(settings):
    settings.AUDIT_SEALING = "sequencer"


def _inserts(executed) -> list[str]:
    return [sql for sql in executed.sql if sql.startswith("INSERT INTO")]


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.fixture
def waiting():
    """The connection waiting for the disk, as in production (the tests' own does not)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        before = cursor.fetchone()[0]
        cursor.execute("SET synchronous_commit = on")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('synchronous_commit', %s, false)", [before])


def test_an_audited_read_does_not_wait_for_the_disk(sequencer, p, child):
    executed = _Executed()
    with connection.execute_wrapper(executed):
        audit.record(p.alice, "view", child, child=child, summary="Viewed the record")
    (insert,) = _inserts(executed)
    assert "set_config('synchronous_commit', 'off', true)" in insert
    assert AuditEntry.objects.filter(summary="Viewed the record").count() == 1


def test_the_next_transaction_waits_for_the_disk_again(sequencer, waiting, p, child):
    audit.record(p.alice, "view", child, child=child, summary="Viewed the record")
    assert _synchronous_commit() == "on"


def test_a_partnership_may_have_audited_reads_wait_for_the_disk(sequencer, settings, p,
                                                                 child):
    settings.AUDIT_READS_WAIT_FOR_DISK = True
    executed = _Executed()
    with connection.execute_wrapper(executed):
        audit.record(p.alice, "view", child, child=child, summary="Viewed the record")
    (insert,) = _inserts(executed)
    assert "synchronous_commit" not in insert


def test_an_entry_written_with_a_change_waits_with_it(sequencer, p, child):
    executed = _Executed()
    with connection.execute_wrapper(executed), transaction.atomic():
        child.known_as = "Jay"
        child.save(update_fields=["known_as"])
        audit.record(p.alice, "update", child, child=child, summary="Changed the record")
    (insert,) = [sql for sql in _inserts(executed) if "auditentry" in sql]
    assert "synchronous_commit" not in insert
