"""`rows.ahead`: prepared reads run before a block, together (one psycopg pipeline on
PostgreSQL); in the block each is its rows without a query, once; nothing is kept after it;
where statements are not prepared the block reads as usual."""

import pytest
from django.db import ProgrammingError, connection
from django.test.utils import CaptureQueriesContext

from lantern.foundation import rows
from lantern.foundation.compiled import Compiled
from lantern.foundation.models import Area

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="a pipeline is PostgreSQL's")
ONE_MORE = ("SELECT %s + 1", [41])


class _Executed:
    """The statements Django's cursors execute (prepared ones included)."""

    def __init__(self):
        self.sql: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(sql)
        return execute(sql, params, many, context)


@on_postgresql
def test_a_read_run_ahead_is_its_rows_without_a_query():
    executed = _Executed()
    with rows.ahead([ONE_MORE]), connection.execute_wrapper(executed):
        assert rows.fetch(*ONE_MORE, prepared=True) == [(42,)]
    assert executed.sql == []


@on_postgresql
def test_a_read_run_ahead_is_read_from_there_once():
    executed = _Executed()
    with rows.ahead([ONE_MORE]), connection.execute_wrapper(executed):
        rows.fetch(*ONE_MORE, prepared=True)
        assert rows.fetch(*ONE_MORE, prepared=True) == [(42,)]
    assert executed.sql == [ONE_MORE[0]]


@on_postgresql
def test_only_the_same_statement_with_the_same_values_is_read_from_there():
    executed = _Executed()
    with rows.ahead([ONE_MORE]) as left, connection.execute_wrapper(executed):
        assert rows.fetch("SELECT %s + 1", [1], prepared=True) == [(2,)]
        assert rows.fetch("SELECT %s + 2", [41], prepared=True) == [(43,)]
        assert len(left) == 1
    assert len(executed.sql) == 2


@on_postgresql
def test_nothing_run_ahead_is_kept_after_the_block():
    with rows.ahead([ONE_MORE]):
        pass
    executed = _Executed()
    with connection.execute_wrapper(executed):
        assert rows.fetch(*ONE_MORE, prepared=True) == [(42,)]
    assert executed.sql == [ONE_MORE[0]]


@on_postgresql
@pytest.mark.django_db(transaction=True)  # as a request runs, outside a transaction
def test_a_statement_in_error_raises_djangos_error_and_the_connection_goes_on():
    with pytest.raises(ProgrammingError), rows.ahead([ONE_MORE, ("SELECT no_such_column", [])]):
        pass
    assert rows.fetch(*ONE_MORE, prepared=True) == [(42,)]


def test_where_queries_are_logged_the_block_reads_as_usual():
    with CaptureQueriesContext(connection) as queries, rows.ahead([ONE_MORE]) as left:
        assert left == {}
        assert rows.fetch(*ONE_MORE, prepared=True) == [(42,)]
    assert len(queries) == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_statement_after_one_in_error_is_prepared_afresh_when_read_again():
    with pytest.raises(ProgrammingError), rows.ahead([("SELECT no_such_column", []), ONE_MORE]):
        pass
    assert rows.fetch(*ONE_MORE, prepared=True) == [(42,)]
    assert rows.fetch(*ONE_MORE, prepared=True) == [(42,)]


_AREA_NAMES: Compiled[str] = Compiled(
    lambda area: Area.objects.filter(pk=area).values_list("name", flat=True), prepared=True)


@on_postgresql
def test_a_prepared_compiled_read_run_ahead_is_its_rows_without_a_query(p):
    executed = _Executed()
    with (rows.ahead(_AREA_NAMES.statements(area=p.north.pk)),
          connection.execute_wrapper(executed)):
        assert _AREA_NAMES(area=p.north.pk) == ["Northbridge"]
    assert executed.sql == []


def test_a_compiled_read_not_prepared_has_no_statement_to_run_ahead(p):
    unprepared = Compiled(lambda area: Area.objects.filter(pk=area).values_list("name"))
    assert unprepared.statements(area=p.north.pk) == []


def test_nothing_to_run_ahead_sends_nothing(monkeypatch):
    monkeypatch.setattr(rows, "run_together", lambda statements: pytest.fail("sent"))
    with rows.ahead([]) as left:
        assert left == {}
