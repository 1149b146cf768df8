"""A query compiled once (lantern.foundation.compiled) gives what its queryset gives, for any
values, and refuses values that would change its statement."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.foundation import compiled
from lantern.foundation.compiled import KEPT, Compiled, CompileError, one_of, prepared_cursor
from lantern.foundation.models import Area, Child, ChronologyEntry, User
from lantern.testing import AreaFactory, UserFactory

START = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = ["concern", "screening", "missing"]


@pytest.fixture
def entries(db):
    """Two children (one born 2012, one 2014) with entries of each kind a day apart, some
    recorded by alice."""
    area = AreaFactory.create()
    alice = UserFactory.create(username="alice")
    children = [Child.objects.create(area=area, given_names="Jade", family_name="Example",
                                     date_of_birth=date(2012 + 2 * i, 5, 1)) for i in range(2)]
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(child=children[n % 2], occurred_at=START + timedelta(days=n),
                        kind=KINDS[n % 3], title=f"Entry {n}",
                        recorded_by=alice if n % 4 == 0 else None)
        for n in range(24))
    return children


by_child_since: Compiled[ChronologyEntry] = Compiled(
    lambda child, since: ChronologyEntry.objects.filter(child_id=child, occurred_at__gte=since)
    .select_related("recorded_by").order_by("-occurred_at"))


by_child_since_prepared: Compiled[ChronologyEntry] = Compiled(
    lambda child, since: ChronologyEntry.objects.filter(child_id=child, occurred_at__gte=since)
    .select_related("recorded_by").order_by("-occurred_at"), prepared=True)


def _entries_since(child: int, since: datetime):
    return ChronologyEntry.objects.filter(child_id=child, occurred_at__gte=since).select_related(
        "recorded_by").order_by("-occurred_at")


def _same_models(got, expected) -> None:
    assert [(e.pk, e.occurred_at, e.title, e.recorded_by_id) for e in got] == [
        (e.pk, e.occurred_at, e.title, e.recorded_by_id) for e in expected]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, 2), days=st.integers(-3, 30), kind=st.sampled_from([*KINDS, "other"]))
def test_gives_what_the_queryset_gives_for_any_values(entries, which, days, kind):
    child = entries[which].pk if which < 2 else 0
    since = START + timedelta(days=days, hours=days % 5)
    _same_models(by_child_since(child=child, since=since), _entries_since(child, since))
    _same_models(by_child_since_prepared(child=child, since=since), _entries_since(child, since))
    counted = Compiled(lambda child, kind: ChronologyEntry.objects.filter(child_id=child, kind=kind)
                       .values("kind").annotate(n=Count("pk")).order_by())
    assert counted(child=child, kind=kind) == list(
        ChronologyEntry.objects.filter(child_id=child, kind=kind).values("kind")
        .annotate(n=Count("pk")).order_by())


def test_related_models_come_with_their_row(entries):
    recorded = [e for e in by_child_since(child=entries[0].pk, since=START) if e.recorded_by_id]
    with CaptureQueriesContext(connection) as captured:
        assert {e.recorded_by.username for e in recorded} == {"alice"}
    assert len(captured) == 0


def test_a_call_runs_one_query(entries):
    by_child_since(child=entries[0].pk, since=START)
    with CaptureQueriesContext(connection) as captured:
        by_child_since(child=entries[1].pk, since=START)
    assert len(captured) == 1


def test_dates_compare_as_the_orm_compares_them(entries):
    born_by = Compiled(lambda day: Child.objects.filter(date_of_birth__lte=day).values_list(
        "pk", flat=True).order_by("pk"))
    assert born_by(day=date(2013, 1, 1)) == [entries[0].pk]
    assert born_by(day=date(2015, 1, 1)) == [entries[0].pk, entries[1].pk]
    assert born_by(day=date(2000, 1, 1)) == []


def test_a_value_used_twice_and_inside_a_subquery(entries):
    with_entries_of = Compiled(lambda kind, since: Child.objects.filter(
        Exists(ChronologyEntry.objects.filter(child=OuterRef("pk"), kind=kind,
                                              occurred_at__gte=since)),
        chronology__kind=kind).distinct().values_list("pk", "date_of_birth").order_by("pk"))
    got = with_entries_of(kind="missing", since=START + timedelta(days=21))
    assert got == [(entries[1].pk, date(2014, 5, 1))]  # entry 23, missing, the second child
    assert with_entries_of(kind="concern", since=START + timedelta(days=22)) == []


def test_an_empty_query_runs_no_sql(entries):
    none_of = Compiled(lambda child: Child.objects.filter(pk__in=[], area_id=child))
    with CaptureQueriesContext(connection) as captured:
        assert none_of(child=entries[0].pk) == []
    assert len(captured) == 0


def test_the_shape_is_compiled_once_for_each_positional_argument(entries):
    newest = Compiled(lambda size, child: ChronologyEntry.objects.filter(child_id=child)
                      .order_by("-occurred_at").values_list("title", flat=True)[:size])
    assert newest(2, child=entries[0].pk) == ["Entry 22", "Entry 20"]
    assert newest(3, child=entries[0].pk) == ["Entry 22", "Entry 20", "Entry 18"]


@pytest.mark.parametrize("value", [None, True, [1, 2], 1.5])
def test_values_that_change_the_statement_are_refused(db, value):
    query = Compiled(lambda child: Child.objects.filter(pk=child))
    with pytest.raises(CompileError):
        query(child=value)


def test_a_value_that_does_not_reach_the_sql_as_a_parameter_is_refused(db):
    tagged = Compiled(lambda tag: User.objects.filter(username=f"gen-{tag}"))
    with pytest.raises(CompileError, match="tag does not reach the SQL"):
        tagged(tag="1")


@pytest.mark.parametrize("lookup", ["contains", "icontains", "startswith", "istartswith",
                                    "endswith", "iendswith", "iexact", "exact"])
@pytest.mark.parametrize("value", ["Entry 1", "ntry", "entry 2", "%", "_", "Entry\\", "1%"])
def test_text_compares_as_the_orm_compares_it(entries, lookup, value):
    """LIKE's wildcards in a value match themselves, as they do through the ORM."""
    ChronologyEntry.objects.filter(title="Entry 12").update(title="Entry 1%")
    ChronologyEntry.objects.filter(title="Entry 13").update(title="Entry_13")
    titled = Compiled(lambda title: ChronologyEntry.objects.filter(
        **{f"title__{lookup}": title}).order_by("pk").values_list("title", flat=True))
    assert titled(title=value) == list(ChronologyEntry.objects.filter(
        **{f"title__{lookup}": value}).order_by("pk").values_list("title", flat=True))


def test_a_value_the_shape_does_not_use_is_left_out(entries):
    query = Compiled(lambda by_area, child, area: Child.objects.filter(
        pk=child, **({"area_id": area} if by_area else {})).values_list("pk", flat=True))
    assert query(False, child=entries[0].pk, area=0) == [entries[0].pk]
    assert query(True, child=entries[0].pk, area=0) == []


def test_a_value_of_another_type_than_compiled_is_refused(entries):
    query = Compiled(lambda child: Child.objects.filter(pk=child))
    query(child=entries[0].pk)
    with pytest.raises(CompileError):
        query.statement(child=entries[0].pk).params_for({"child": str(entries[0].pk)})


def test_querysets_whose_rows_are_not_in_the_sql_are_refused(db):
    query = Compiled(lambda area: Area.objects.filter(pk=area).prefetch_related("children"))
    with pytest.raises(CompileError, match="prefetch_related"):
        query(area=1)


def test_a_prepared_query_is_counted_as_any_other(entries):
    by_child_since_prepared(child=entries[0].pk, since=START)
    with CaptureQueriesContext(connection) as captured:
        by_child_since_prepared(child=entries[1].pk, since=START)
    assert len(captured) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_a_prepared_query_is_prepared_on_postgresql(entries):
    by_child_since_prepared(child=entries[0].pk, since=START)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements "
                       "WHERE statement LIKE %s", ["%foundation_chronologyentry%occurred_at%"])
        assert cursor.fetchone()[0] >= 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_statements_are_not_prepared_when_switched_off(entries, settings):
    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return cursor.fetchone()[0]

    before = prepared()
    settings.PREPARED_STATEMENTS = False
    Compiled(lambda child: ChronologyEntry.objects.filter(child_id=child, kind="gone"),
             prepared=True)(child=entries[0].pk)
    assert prepared() == before
    settings.PREPARED_STATEMENTS = True
    Compiled(lambda child: ChronologyEntry.objects.filter(child_id=child, kind="here"),
             prepared=True)(child=entries[0].pk)
    assert prepared() == before + 1


def test_a_read_in_sql_through_a_prepared_cursor(entries):
    with prepared_cursor() as cursor:
        cursor.execute("SELECT title FROM foundation_chronologyentry WHERE child_id = %s "
                       "ORDER BY occurred_at DESC", [entries[1].pk])
        assert [row[0] for row in cursor.fetchall()][:2] == ["Entry 23", "Entry 21"]


_TITLES = ("SELECT title FROM foundation_chronologyentry WHERE child_id = %s "
           "ORDER BY occurred_at DESC")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_prepared_reads_one_after_another_use_one_cursor(entries):
    with prepared_cursor() as first:
        first.execute(_TITLES, [entries[0].pk])
        first.fetchall()
    with prepared_cursor() as second:
        second.execute(_TITLES, [entries[1].pk])
        assert [row[0] for row in second.fetchall()][:2] == ["Entry 23", "Entry 21"]
    assert second is first


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_a_prepared_read_inside_another_has_a_cursor_of_its_own(entries):
    with prepared_cursor() as outer:
        outer.execute(_TITLES, [entries[1].pk])
        with prepared_cursor() as inner:
            inner.execute(_TITLES, [entries[0].pk])
            inner.fetchall()
        assert inner is not outer
        assert [row[0] for row in outer.fetchall()][:2] == ["Entry 23", "Entry 21"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_a_prepared_read_after_its_cursor_was_closed_has_a_new_one(entries):
    with prepared_cursor() as before:
        before.execute(_TITLES, [entries[0].pk])
        before.fetchall()
    before.close()
    with prepared_cursor() as after:
        after.execute(_TITLES, [entries[1].pk])
        assert [row[0] for row in after.fetchall()][:2] == ["Entry 23", "Entry 21"]
    assert after is not before


def test_a_query_that_reads_the_time_while_built_is_refused(db):
    recent = Compiled(lambda child: ChronologyEntry.objects.filter(
        child_id=child, recorded_at__lte=timezone.now()))
    with pytest.raises(CompileError, match="depends on more than its values"):
        recent(child=1)


def test_a_value_that_changes_the_statement_is_refused(db):
    query = Compiled(lambda size: Child.objects.all()[:size])  # a slice is written into the SQL
    with pytest.raises(CompileError):
        query(size=3)


def test_a_query_keeps_a_bounded_number_of_shapes(entries):
    page = Compiled(lambda offset, child: ChronologyEntry.objects.filter(child_id=child)
                    .order_by("occurred_at").values_list("title", flat=True)[offset:offset + 1])
    for offset in range(KEPT + 5):
        page(offset, child=entries[0].pk)
    assert len(page._statements) == KEPT
    assert page(1, child=entries[0].pk) == ["Entry 2"]


@pytest.mark.parametrize("titles", [["Entry 1"], ["Entry 1", "Entry 4", "none"],
                                    [f"Entry {n}" for n in range(60)]])
def test_one_of_reads_the_rows_whose_column_is_one_of_the_values(entries, titles):
    condition, params = one_of("title", titles)
    with prepared_cursor() as cursor:
        cursor.execute(f"SELECT title FROM foundation_chronologyentry WHERE {condition} "  # noqa: S608
                       "ORDER BY id", params)
        assert [row[0] for row in cursor.fetchall()] == list(
            ChronologyEntry.objects.filter(title__in=titles).order_by("id")
            .values_list("title", flat=True))


# The words a shape gives ("missing", the kind it leaves out; a title with a space kept a
# parameter) written into the SQL; the caller's own kind and title stay values.
words_written: Compiled[ChronologyEntry] = Compiled(
    lambda left_out, child, kind, title: ChronologyEntry.objects.filter(
        child_id=child, kind=kind).exclude(kind=left_out).exclude(title="Entry 99")
    .exclude(title=title).order_by("occurred_at"), prepared=True, words_written=True)


@pytest.mark.parametrize("kind", [*KINDS, "other"])
@pytest.mark.parametrize("left_out", ["missing", "concern"])
def test_words_written_into_the_sql_give_the_same_rows(entries, kind, left_out):
    child = entries[0]
    for title in ("Entry 0", "Entry 6", "missing"):
        got = words_written(left_out, child=child.pk, kind=kind, title=title)
        assert got == list(ChronologyEntry.objects.filter(child=child, kind=kind).exclude(
            kind=left_out).exclude(title=title).order_by("occurred_at"))
    statement = words_written.statement(left_out, child=child.pk, kind=kind, title="x")
    # The shape's word is in the SQL; the title with a space and the values are parameters.
    assert f"'{left_out}'" in statement.sql
    assert "Entry 99" in statement.params and "'Entry 99'" not in statement.sql
    assert statement.sql.count("%s") == len(statement.params)
    assert sorted(slot.name for slot in statement.slots) == ["child", "kind", "title"]
    assert words_written(left_out, child=child.pk, kind="screening", title="x") != \
        words_written(left_out, child=child.pk, kind="concern", title="x")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_a_long_prepared_reads_conversion_is_kept(entries):
    # Longer than psycopg keeps (4,096 bytes, 50 values), as a manager's team tray is.
    ids = [entries[1].pk, *range(-80, 0)]
    sql = (f"SELECT title FROM foundation_chronologyentry WHERE child_id IN "  # noqa: S608
           f"({', '.join(['%s'] * len(ids))}) ORDER BY occurred_at DESC /* {'x' * 4096} */")
    for _ in range(2):
        with prepared_cursor() as cursor:
            before = compiled._conversion.cache_info().hits
            cursor.execute(sql, ids)
            assert [row[0] for row in cursor.fetchall()][:2] == ["Entry 23", "Entry 21"]
    assert compiled._conversion.cache_info().hits == before + 1


def test_the_conversion_kept_is_psycopgs_own():
    # foundation.compiled keeps psycopg's conversion (a private function, psycopg pinned to
    # 3.3 in pyproject.toml): this fails first if an upgrade changes it.
    query, formats, order, parts = compiled._conversion(b"SELECT %s, %s WHERE a = %s", "utf-8")
    assert query == b"SELECT $1, $2 WHERE a = $3" and order is None and len(parts) == 4
    assert hasattr(compiled.PostgresQuery, "_ensure_bytes")
