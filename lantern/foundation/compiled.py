"""ORM queries compiled to SQL once per process and run again with each request's values
(issue 18).

Building a queryset and compiling it to SQL costs more Python than PostgreSQL takes to run
most of Lantern's reads: on the busiest pages a third of the time went to it. A `Compiled`
query keeps the ORM as the one statement of what is read, builds it once with marker values
in place of the caller's, remembers where each marker went in the SQL's parameters, and from
then on runs that SQL with the real values, turning the rows into what the queryset would
have given (models, with `select_related` ones; dicts; tuples; flat values), converted as
the ORM converts them.

    due_soon = Compiled(lambda owner, today: WorkItem.objects.filter(
        owner_id=owner, due__lte=today).order_by("due")[:50])
    items = due_soon(owner=user.pk, today=today)     # a list of WorkItem

What may vary between calls, and what may not:

- Keyword arguments are values: each must reach the SQL only as a parameter of its own,
  unchanged (an `=`, `<`, `IN (subquery)` comparison...) or, for text, as `__contains`,
  `__startswith`, `__endswith` and `__iexact` put it (escaped for LIKE). A value the build
  function looks at in Python, a slice bound or a list would make a different statement;
  compiling finds a marker missing from the parameters and says so, and values of a type
  other than int, str, date or datetime (None, bool, lists) are refused. A value a shape
  does not use at all is left out.
- The build function reads nothing but its arguments: the time now, a setting or an object's
  attribute read while building would be kept in the statement for every later call.
  Compiling builds the query twice, with two series of markers, and refuses a statement
  that differs between them other than by its values (as the time now does).
- Positional arguments are the shape: passed to the build function as they are and part of
  the cache key (a tray's name, a page size), so each shape is compiled once; a query keeps
  its last KEPT shapes' statements.

Querysets with `prefetch_related` or made from a related manager are refused: their second
queries or known objects are not in the SQL.

Prepared on PostgreSQL (`prepared=True`): PostgreSQL spent longer planning most of these reads
than running them (1.8 ms of planning to 0.5 ms of running on a child's record at 100,000
children). A prepared query is planned once per connection, for any values (a generic plan:
Lantern's connections set `plan_cache_mode=force_generic_plan`, which touches only prepared
statements, and Django prepares none of its own). A generic plan cannot use what the values
are, so it is only for reads whose best plan does not depend on them (rows by a child, a
person, a key); a read whose plan does (a worker's whole tray against an area's) stays
unprepared. `prepared_cursor()` gives the same to a read written in SQL. PREPARED_STATEMENTS=0
(lantern.settings) runs every statement unprepared, as behind a pooler in transaction mode.
"""

import datetime
import enum
import functools
import re
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import psycopg
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models import query as orm_query
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
)
from django.db.models.sql.compiler import SQLCompiler
from psycopg._queries import PostgresQuery, _query2pg_nocache

from lantern.foundation.instances import maker

T = TypeVar("T")

_MARKER_INT = 2_000_000_011  # within a 32-bit integer column, far above any id Lantern holds
_MARKER_DAY = datetime.date(1901, 1, 1)


# Statements kept a query, its shapes asked for most recently first kept.
KEPT = 64


class CompileError(TypeError):
    """The query cannot be compiled once for all values (see the module's docstring)."""


def _marker(index: int, value: object, series: int) -> object:
    """The `index`th value's marker; a second series of markers differs from the first."""
    if isinstance(value, bool) or value is None:
        raise CompileError(f"{value!r} changes the statement's shape: pass it positionally")
    index += 1000 * series
    if isinstance(value, int):
        return _MARKER_INT + index
    if isinstance(value, str):
        return f"\ue000lantern_marker_{index}\ue000"
    if isinstance(value, datetime.datetime):
        return datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
            days=index, seconds=7)
    if isinstance(value, datetime.date):
        return _MARKER_DAY + datetime.timedelta(days=index)
    raise CompileError(f"values of type {type(value).__name__} cannot be compiled once")


def _adapters(alias: str, marker: object) -> list[Callable[[Any], Any]]:
    """The ways the backend may have put a marker into the parameters: unchanged; adapted as
    a date or datetime column's value (SQLite passes both as text); or, for text, escaped
    for LIKE and within `%` as `contains`, `startswith`, `endswith` and their case-blind
    forms put it (the markers hold `_`, which the escaping changes, so a value Django
    escaped is never taken for one it passed unchanged)."""
    ops = connections[alias].ops
    if isinstance(marker, datetime.datetime):
        return [lambda v: v, ops.adapt_datetimefield_value]
    if isinstance(marker, datetime.date):
        return [lambda v: v, ops.adapt_datefield_value]
    if isinstance(marker, str):
        return [lambda v: v, *(
            (lambda v, before=before, after=after:
             f"{before}{ops.prep_for_like_query(v)}{after}")
            for before in ("", "%") for after in ("", "%"))]
    return [lambda v: v]


def _written_into(marker: object, sql: str, params) -> bool:
    """Whether a marker went into the statement some other way than as a parameter of its
    own: written into its text (a slice bound) or within another parameter."""
    needle = marker.isoformat()[:10] if isinstance(marker, datetime.date) else str(marker)
    return needle in sql or any(needle in str(param) for param in params)


@dataclass(frozen=True)
class _Slot:
    position: int
    name: str
    adapt: Callable[[Any], Any]


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    slots: tuple[_Slot, ...]
    kinds: dict[str, type]
    compiler: SQLCompiler | None  # None: the query can have no rows
    queryset: QuerySet

    def same_as(self, other: "_Statement") -> bool:
        """Whether another series of markers gave this statement, with its values in the same
        places and the same parameters everywhere else."""
        places = [(slot.position, slot.name) for slot in self.slots]
        fixed = [p for i, p in enumerate(self.params) if i not in {s.position for s in self.slots}]
        return (self.sql == other.sql and places == [(s.position, s.name) for s in other.slots]
                and fixed == [p for i, p in enumerate(other.params)
                              if i not in {s.position for s in other.slots}])

    def params_for(self, values: dict[str, object]) -> list:
        if set(values) != set(self.kinds):
            raise CompileError(f"expected the values {sorted(self.kinds)}, got {sorted(values)}")
        for name, value in values.items():
            if type(value) is not self.kinds[name]:
                raise CompileError(f"{name} was compiled as {self.kinds[name].__name__}, "
                                   f"not {type(value).__name__}")
        params = list(self.params)
        for slot in self.slots:
            params[slot.position] = slot.adapt(values[slot.name])
        return params


def _compile(queryset: QuerySet, markers: dict[str, object], kinds: dict[str, type]) -> _Statement:
    if getattr(queryset, "_prefetch_related_lookups", ()) or getattr(
            queryset, "_known_related_objects", {}):
        raise CompileError("prefetch_related and related managers cannot be compiled once")
    if queryset._iterable_class not in (ModelIterable, ValuesIterable, ValuesListIterable,
                                        FlatValuesListIterable):
        raise CompileError(f"{queryset._iterable_class.__name__} results are not supported")
    alias = queryset.db
    compiler = queryset.query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # no values can give rows
        return _Statement("", (), (), kinds, None, queryset)
    slots: dict[int, _Slot] = {}
    for name, marker in markers.items():
        found = False
        for adapt in _adapters(alias, marker):
            adapted = adapt(marker)
            for position, param in enumerate(params):
                if type(param) is type(adapted) and param == adapted:
                    slots.setdefault(position, _Slot(position, name, adapt))
                    found = True
        if not found and _written_into(marker, sql, params):
            raise CompileError(f"{name} does not reach the SQL as a parameter of its own")
        # Found nowhere: a value this shape does not use (a role's visibility without the
        # area), left out of the statement.
    return _Statement(sql, tuple(params), tuple(slots.values()), kinds, compiler, queryset)


# A word the code itself gives a statement (a status, a kind, a role): written into the SQL as
# a literal by `words_written`, only of these letters, so it needs no quoting but its own.
_WORD = re.compile(r"[a-z][a-z_]{0,62}")


def _words_written(statement: _Statement) -> _Statement:
    """The statement with each parameter that is not one of the caller's values and is a
    plain word (`_WORD`) written into the SQL as a literal, its values' places moved to
    match."""
    if statement.compiler is None or "%%" in statement.sql:
        return statement
    pieces = statement.sql.split("%s")
    if len(pieces) != len(statement.params) + 1:
        return statement
    values = {slot.position for slot in statement.slots}
    sql, params, moved = [pieces[0]], list[object](), dict[int, int]()
    for position, param in enumerate(statement.params):
        word = param.value if isinstance(param, enum.Enum) else param
        if position not in values and type(word) is str and _WORD.fullmatch(word):
            sql[-1] += f"'{word}'" + pieces[position + 1]
            continue
        moved[position] = len(params)
        params.append(param)
        sql.append(pieces[position + 1])
    slots = tuple(_Slot(moved[slot.position], slot.name, slot.adapt) for slot in statement.slots)
    return _Statement("%s".join(sql), tuple(params), slots, statement.kinds, statement.compiler,
                      statement.queryset)


class Compiled(Generic[T]):
    """A query built by `build` (a function returning a QuerySet), compiled once per process
    for each shape (positional arguments) and database, run with each call's values
    (keyword arguments); calling it gives the list the queryset would have given.

    `words_written`: the words the statement holds that are not values (a status, a kind, a
    role, given by the code or the shape) are written into its SQL rather than passed as
    parameters, so that a generic plan (`prepared`) can use the partial indexes they name
    (`WHERE status = 'open'`)."""

    def __init__(self, build: Callable[..., QuerySet], *, prepared: bool = False,
                 words_written: bool = False):
        self.build = build
        self.prepared = prepared
        self.words_written = words_written
        self._statements: dict[tuple, _Statement] = {}

    def statement(self, *shape: Hashable, **values: object) -> _Statement:
        key = (shape, tuple(sorted((k, type(v)) for k, v in values.items())))
        statement = self._statements.get(key)
        if statement is None:
            kinds = {name: type(value) for name, value in values.items()}
            first, second = (
                _compile(self.build(*shape, **markers), markers, kinds)
                for markers in ({name: _marker(index, value, series) for index, (name, value)
                                 in enumerate(sorted(values.items()))} for series in (0, 1)))
            if not first.same_as(second):
                raise CompileError(
                    "the statement depends on more than its values (the time now, a setting, "
                    "an object's attribute?): build it from its arguments alone")
            if len(self._statements) >= KEPT:
                # A shape asked for by a request (a page number) must not grow the process.
                del self._statements[next(iter(self._statements))]
            if self.words_written:
                first = _words_written(first)
            statement = self._statements[key] = first
        return statement

    def statements(self, *shape: Hashable, **values: object) -> list[tuple[str, list]]:
        """The statement a call with these arguments runs, with its parameters, for a block
        that will make the call to run ahead (`rows.ahead`): prepared reads only, and none for
        a call that needs no query."""
        statement = self.statement(*shape, **values)
        params = statement.params_for(values)
        if not self.prepared or statement.compiler is None:
            return []
        return [(statement.sql, params)]

    def __call__(self, *shape: Hashable, **values: object) -> list[T]:
        statement = self.statement(*shape, **values)
        if statement.compiler is None:
            statement.params_for(values)
            return []
        compiler = statement.compiler
        params = statement.params_for(values)
        alias = compiler.using or DEFAULT_DB_ALIAS
        # Run ahead on the default database only (`run_together`).
        rows = (taken_ahead(statement.sql, params)
                if self.prepared and alias == DEFAULT_DB_ALIAS else None)
        if rows is None:
            with _cursor(alias, prepared=self.prepared) as cursor:
                cursor.execute(statement.sql, params)
                rows = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [row[:compiler.col_count] for row in rows]
        return list(_results(statement.queryset, compiler, rows))


def _results(queryset: QuerySet, compiler: SQLCompiler, rows: list) -> Any:
    """The rows as the queryset's own iterable class gives them (see django.db.models.query)."""
    kind = queryset._iterable_class
    if kind is ValuesListIterable:
        return _converted(compiler, rows, tuple_expected=True)
    if kind is FlatValuesListIterable:
        return (row[0] for row in _converted(compiler, rows))
    if kind is ValuesIterable:
        query = queryset.query
        names = list(query.selected) if query.selected else [
            *query.extra_select, *query.values_select, *query.annotation_select]
        return ({name: row[i] for i, name in enumerate(names)}
                for row in _converted(compiler, rows))
    return _models(queryset, compiler, _converted(compiler, rows))


def _converted(compiler: SQLCompiler, rows: list, *, tuple_expected: bool = False) -> Any:
    """`compiler.results_iter([rows])`, with the converters of the statement's columns found
    once (Django finds them again for every query it runs)."""
    converters = compiler.__dict__.get("_lantern_converters")
    if converters is None:
        fields = [s[0] for s in compiler.select[0:compiler.col_count]]
        converters = compiler.__dict__["_lantern_converters"] = compiler.get_converters(fields)
    if not converters:
        return rows
    converted = compiler.apply_converters(rows, converters)
    return map(tuple, converted) if tuple_expected else converted


def _models(queryset: QuerySet, compiler: SQLCompiler, rows: Any) -> Any:
    db = queryset.db
    select, klass_info, annotation_col_map = (
        compiler.select, compiler.klass_info, compiler.annotation_col_map)
    model_cls: type[Model] = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    make = maker(model_cls, tuple(f[0].target.attname for f in select[start:end]))
    related_populators = orm_query.get_related_populators(  # type: ignore[attr-defined]
        klass_info, select, db)
    _quickly(related_populators)
    for row in rows:
        obj = make(db, row[start:end])
        for populator in related_populators:
            populator.populate(row, obj)
        for attr_name, col_pos in (annotation_col_map or {}).items():
            setattr(obj, attr_name, row[col_pos])
        yield obj


class _MadeQuickly:
    """What a `select_related` populator asks `from_db` of: `instances.maker`'s model."""

    def __init__(self, model: type[Model]):
        self.model = model
        self.names: list[str] | None = None

    def from_db(self, db: str, names: list[str], values) -> Model:
        if names is not self.names:  # the populator's one list, for every row
            self.names, self.make = names, maker(self.model, tuple(names))
        return self.make(db, values)


def _quickly(populators: list) -> None:
    """The `select_related` models made as `_models` makes the first (Django's
    RelatedPopulator calls `model_cls.from_db` and nothing else of it)."""
    for populator in populators:
        populator.model_cls = _MadeQuickly(populator.model_cls)
        _quickly(populator.related_populators)


# A prepared statement's text with psycopg's `%s` turned into PostgreSQL's `$1`...: psycopg
# keeps the conversion only for statements of at most 4,096 bytes and 50 values (against an
# ORM's endless variety), so a CSE manager's team tray (13,900 bytes, 75 values for a team of
# 25) was converted again on every request, 4% of the page (issue 18). The statements
# prepared here are few (each `Compiled` shape's, each read written in SQL): kept whatever
# their length, the last 256. psycopg's own function, its result shared as psycopg shares it:
# private to psycopg, which pyproject.toml pins to 3.3 (test_the_conversion_kept_is_psycopgs_own).
_conversion = functools.lru_cache(maxsize=256)(_query2pg_nocache)


class _KeptConversion(PostgresQuery):
    __slots__ = ()

    def convert(self, query, vars) -> None:
        if vars is None or not isinstance(query, str | bytes):  # nothing to convert
            super().convert(query, vars)
            return
        self.query, self._want_formats, self._order, self._parts = _conversion(
            self._ensure_bytes(query), self._tx.encoding)
        self.dump(vars)


class _PreparedCursor(psycopg.Cursor):
    """Parameters bound by the server, the statement prepared on first use (on a connection
    whose `prepare_threshold` never prepares statements by itself: lantern.settings), its
    conversion kept (`_conversion`)."""

    _query_cls = _KeptConversion

    def execute(self, query, params=None, *, prepare=None, binary=None):  # type: ignore[override]
        return super().execute(query, params, prepare=True, binary=binary)


@contextmanager
def _cursor(alias: str, *, prepared: bool) -> Iterator[Any]:
    connection = connections[alias]
    if not (prepared and _prepares(connection)):
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    connection.validate_thread_sharing()
    # One cursor kept a connection and used again by each statement (making a cursor and its
    # wrapper took a quarter of a short read's time, issue 18); a fresh one for a statement
    # run while the kept one is in use (a read inside another's) or after a reconnection.
    kept = connection.__dict__.get("_lantern_prepared_cursor")
    if kept is None or kept.raw.connection is not connection.connection or kept.raw.closed:
        raw: Any = _PreparedCursor(connection.connection)  # what make_cursor wraps
        kept = connection.__dict__["_lantern_prepared_cursor"] = _Kept(
            raw, connection.make_cursor(raw))
    elif kept.in_use:
        raw = _PreparedCursor(connection.connection)
        with connection.make_cursor(raw) as cursor:
            yield cursor
        return
    kept.in_use = True
    try:
        yield kept.wrapper
    finally:
        kept.in_use = False


def _prepares(connection) -> bool:
    """Whether statements are prepared on this connection: on PostgreSQL, unless turned off
    (PREPARED_STATEMENTS) or where queries are logged (DEBUG, a test counting them), where a
    statement runs unprepared, as Django runs its own, so the log shows its SQL with its
    values: the same statement, the same rows."""
    return (connection.vendor == "postgresql" and settings.PREPARED_STATEMENTS
            and not connection.queries_logged)


@dataclass
class _Kept:
    raw: Any
    wrapper: Any
    in_use: bool = False


def run_together(statements: list[tuple[str, list]],
                 alias: str = DEFAULT_DB_ALIAS) -> list[list[tuple]] | None:
    """Each statement's rows, the statements sent to PostgreSQL together in one psycopg
    pipeline, each prepared as `prepared_cursor`'s are (issue 18: a page's reads that depend
    on nothing read before cost a round trip each, one after another). None where statements
    are not prepared (not PostgreSQL; PREPARED_STATEMENTS off; queries logged, as
    `prepared_cursor` runs them): the caller runs them as usual."""
    connection = connections[alias]
    if not _prepares(connection):
        return None
    connection.ensure_connection()
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    raw = connection.connection
    cursors = []
    try:
        with connection.wrap_database_errors:
            with raw.pipeline():
                for sql, params in statements:
                    # Each through Django's cursor, as `prepared_cursor`'s: its execute
                    # wrappers see the statement.
                    prepared: Any = _PreparedCursor(raw)  # what make_cursor wraps
                    cursors.append(connection.make_cursor(prepared))
                    cursors[-1].execute(sql, params)
            # The pipeline synchronised at its end: every result is here.
            return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


# The rows of the statements `rows.ahead` ran, by statement and parameters, until read.
_AHEAD: ContextVar[dict | None] = ContextVar("lantern_rows_ahead", default=None)


def _ahead_key(sql: str, params) -> tuple[str, str]:
    return sql, repr(list(params))


@contextmanager
def kept_ahead(statements: list[tuple[str, list]], found: list[list[tuple]]) -> Iterator[dict]:
    """The rows found for these statements (`run_together`'s), each taken once by the read
    that makes it in the block (`taken_ahead`); what was not taken is dropped at its end.
    Yields what is left (for tests)."""
    kept = {_ahead_key(sql, params): rows
            for (sql, params), rows in zip(statements, found, strict=True)}
    token = _AHEAD.set(kept)
    try:
        yield kept
    finally:
        _AHEAD.reset(token)


def taken_ahead(sql: str, params) -> list[tuple] | None:
    """The rows of this prepared read if it was run ahead (`rows.ahead`) and not yet taken."""
    kept = _AHEAD.get()
    return kept.pop(_ahead_key(sql, params), None) if kept else None


def one_of(column: str, values: list) -> tuple[str, list]:
    """`column` is one of `values`, as SQL and its parameters: `= ANY(%s)` with one list on
    PostgreSQL, so the statement is the same however many values there are (one prepared
    statement; psycopg keeps its parsing of statements of 50 parameters or fewer), `IN (...)`
    elsewhere."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def prepared_cursor(alias: str = DEFAULT_DB_ALIAS):
    """A cursor whose statements are prepared on PostgreSQL (see the module's docstring), for
    a hot read written in SQL whose best plan does not depend on its values; an ordinary
    cursor on SQLite."""
    return _cursor(alias, prepared=True)
