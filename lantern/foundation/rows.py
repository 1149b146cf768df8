"""Models made from plain rows of a query written in SQL (issue 17): for the few reads whose
ORM building cost more than running them, and whose rows are still wanted as models."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model
from django.db.models.fields.mixins import FieldCacheMixin

from lantern.foundation.compiled import kept_ahead, prepared_cursor, run_together, taken_ahead
from lantern.foundation.instances import maker

M = TypeVar("M", bound=Model)


def fields_of(model: type[Model], *names: str) -> list[Field]:
    """The model's fields with these names (or attribute names), in the model's own order: the
    order to select their columns in and the order `Model.from_db` takes their values."""
    wanted = set(names)
    return [f for f in model._meta.concrete_fields if f.name in wanted or f.attname in wanted]


def made(model: type[M], fields: list[Field], values, db=None) -> M:
    """A model from one row's values of `fields` (`fields_of`), each converted from the
    database as the ORM converts it (JSON decoded; on SQLite, times made aware); the other
    fields are deferred. `db`: the connection, when the caller has it."""
    db = db or connections[DEFAULT_DB_ALIAS]
    make, converters = _plan(db, model, fields)
    return make(db.alias, values if converters is None else [
        value if value is None or not convert else _converted(value, convert, db)
        for convert, value in zip(converters, values, strict=True)])


# Each model and list of fields' maker (`instances.maker`) and converters from the database
# (the backend's and the field's own, as the ORM's compiler finds them; None when no field
# has any): worked out once a process, as they depend on the model, the fields and the
# database only.
_plans: dict[tuple[str, type[Model], int], tuple[list[Field], Callable, list[tuple] | None]] = {}


def _plan(db, model: type[Model], fields: list[Field]) -> tuple[Callable, list[tuple] | None]:
    found = _plans.get((db.vendor, model, id(fields)))
    if found is None or found[0] is not fields:
        if len(_plans) >= 256:  # callers name their fields once, but keep the process bounded
            _plans.clear()
        converters = []
        for field in fields:
            col = field.get_col(field.model._meta.db_table)
            found_for = [*db.ops.get_db_converters(col), *col.get_db_converters(db)]
            converters.append((col, found_for) if found_for else ())
        found = _plans[(db.vendor, model, id(fields))] = (
            fields, maker(model, tuple(f.attname for f in fields)),
            converters if any(converters) else None)
    return found[1], found[2]


def _converted(value, convert: tuple, db):
    col, converters = convert
    for converter in converters:
        value = converter(value, col, db)
    return value


def columns(alias: str, fields: list[Field]) -> str:
    """The columns of `fields` (`fields_of`) of the table named `alias` in a query, in order:
    what to SELECT for `made`."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in fields)


@dataclass(frozen=True)
class _Read:
    """What `read` makes of `tables` and its shapes, worked out once a process: the statement,
    each shape's model and fields, and each relation to set (the shape's index, its owner's,
    the relation's field, and the field back when it is one-to-one)."""

    shapes: tuple
    sql: str
    made_as: list[tuple[type[Model], list[Field]]]
    relations: list[tuple[int, int, Any, Any]]


_reads: dict[tuple, _Read] = {}


def _read_plan(tables: str, shapes: tuple) -> _Read:
    key = (tables, *((shape[0], shape[1], id(shape[2]), *shape[3:]) for shape in shapes))
    plan = _reads.get(key)
    if plan is not None and all(a[2] is b[2] for a, b in zip(plan.shapes, shapes, strict=True)):
        return plan  # the same lists of fields (not others at the same address since)
    selected = ", ".join(columns(shape[0], shape[2]) for shape in shapes)
    paths = {"": 0, **{shape[3]: n for n, shape in enumerate(shapes) if n}}
    relations = []
    for n, shape in enumerate(shapes[1:], start=1):
        owner, _, name = shape[3].rpartition(".")
        owner_model: type[Model] = shapes[paths[owner]][1]
        field = owner_model._meta.get_field(name)
        assert isinstance(field, FieldCacheMixin), f"{name} is no relation"
        remote = field.remote_field if field.one_to_one else None
        relations.append((n, paths[owner], field, remote))
    if len(_reads) >= 256:  # statements are written from names, but keep the process bounded
        _reads.clear()
    plan = _reads[key] = _Read(
        shapes, f"SELECT {selected} FROM {tables}",  # noqa: S608 - see `read`
        [(shape[1], shape[2]) for shape in shapes], relations)
    return plan


def parts(row, *shapes: tuple[type[Model], list[Field]], db=None, known=None) -> list:
    """One model a shape from consecutive values of `row` (a query that SELECTs each shape's
    `columns` in turn), or None for a shape whose primary key is NULL (an outer join that
    found nothing). Each shape's fields start with its primary key. `known`, a dict kept over
    the rows of one read: a shape after the first whose row was made before is that one
    again (the person who recorded twenty entries is made once, as one model)."""
    db = db or connections[DEFAULT_DB_ALIAS]
    return _parts(row, _shape_plans(db, shapes), db, known)


def _shape_plans(db, shapes) -> list[tuple[int, int, Callable, list[tuple] | None]]:
    """Where each shape's values are in a row (start, stop) and how they are made (`_plan`):
    worked out once a read rather than once a row."""
    found, start = [], 0
    for model, fields in shapes:
        found.append((start, start + len(fields), *_plan(db, model, fields)))
        start += len(fields)
    return found


def _parts(row, plans, db, known) -> list:
    found: list[Model | None] = []
    for n, (start, stop, make, converters) in enumerate(plans):
        values = row[start:stop]
        if values[0] is None:
            found.append(None)
            continue
        key = (n, values[0])
        if n and known is not None and key in known:
            found.append(known[key])
            continue
        made_here = make(db.alias, values if converters is None else [
            value if value is None or not convert else _converted(value, convert, db)
            for convert, value in zip(converters, values, strict=True)])
        if n and known is not None:
            known[key] = made_here
        found.append(made_here)
    return found


def cache(instance: Model, name: str, value) -> None:
    """`value` as `instance.<name>` for a relation (forward or reverse, one-to-one or to
    one), as `select_related` leaves it: read without a query; a reverse one-to-one found
    missing (None) raises `DoesNotExist` when read, as it does after `select_related`."""
    field = instance._meta.get_field(name)
    assert isinstance(field, FieldCacheMixin), f"{name} is no relation"
    field.set_cached_value(instance, value)
    remote = field.remote_field
    if value is not None and remote is not None and field.one_to_one:
        remote.set_cached_value(value, instance)


# What a read makes of each row: (the table's alias in the query, model, `fields_of`, and, but
# for the first, the relation it is to another's: "agency", "user.agency").
Shape = tuple[str, type[Model], list[Field]] | tuple[str, type[Model], list[Field], str]


def read(tables: str, params: list, *shapes: Shape) -> list:
    """`SELECT` each shape's columns `FROM` `tables` (the tables, joins, conditions and order,
    written from the models' names; every value one of `params`): the first shape's model a
    row, each other shape's model set as its relation (as `cache` does, as `select_related`
    does). A read by a key, prepared on PostgreSQL (`prepared_cursor`, a generic plan)."""
    plan = _read_plan(tables, shapes)
    db, found = connections[DEFAULT_DB_ALIAS], []
    known: dict[tuple[int, object], Model] = {}
    plans = _shape_plans(db, plan.made_as)
    for row in fetch(plan.sql, params, prepared=True):
        made_here = _parts(row, plans, db, known)
        for n, owner_n, field, remote in plan.relations:
            owner, value = made_here[owner_n], made_here[n]
            if owner is not None:
                field.set_cached_value(owner, value)
                if value is not None and remote is not None:
                    remote.set_cached_value(value, owner)
        found.append(made_here[0])
    return found


def fetch(sql: str, params, *, prepared: bool = False) -> list[tuple]:
    """Every row of a query written in SQL, as plain tuples; `prepared`: planned once a
    connection with a generic plan on PostgreSQL (`compiled.prepared_cursor`), for a read
    whose best plan does not depend on its values. A prepared read that `ahead` ran is its
    rows from there, once."""
    if prepared:
        rows = taken_ahead(sql, params)
        if rows is not None:
            return rows
    with prepared_cursor() if prepared else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def statement(tables: str, params: list, *shapes: Shape) -> tuple[str, list]:
    """The statement `read(tables, params, *shapes)` runs, with its parameters (for `ahead`)."""
    return _read_plan(tables, shapes).sql, list(params)


@contextmanager
def ahead(statements: list[tuple[str, list]]) -> Iterator[dict]:
    """Prepared reads (`statement`, or a `fetch(sql, params, prepared=True)`'s) that the block
    will make and that depend on nothing it reads first, run before it, together: on
    PostgreSQL in one pipeline (`compiled.run_together`), one round trip rather than one a read
    (issue 18, the child's record). In the block each is its rows without a query, once; what
    the block did not read is dropped at its end. Elsewhere (SQLite, queries logged) nothing
    is run ahead and the block reads as usual. The block must not write what a statement
    reads: what was run ahead is not read again. A prepared `Compiled` read runs ahead too
    (`Compiled.statements`). Yields what is left unread (for tests)."""
    found = run_together(statements) if statements else None  # none: no round trip
    if found is None:
        yield {}
        return
    with kept_ahead(statements, found) as kept:
        yield kept
