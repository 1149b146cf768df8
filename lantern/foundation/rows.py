"""Models made from plain rows of a query written in SQL (issue 17): for the few reads whose
ORM building cost more than running them, and whose rows are still wanted as models."""

from typing import TypeVar

from django.db import connection
from django.db.models import Field, Model

from .compiled import prepared_cursor

M = TypeVar("M", bound=Model)


def fields_of(model: type[Model], *names: str) -> list[Field]:
    """The model's fields with these names (or attribute names), in the model's own order: the
    order to select their columns in and the order `Model.from_db` takes their values."""
    wanted = set(names)
    return [f for f in model._meta.concrete_fields if f.name in wanted or f.attname in wanted]


def made(model: type[M], fields: list[Field], values) -> M:
    """A model from one row's values of `fields` (`fields_of`), each converted from the
    database as the ORM converts it (the backend's converters, as SQLite's times made aware,
    then the field's own, as JSON decoded); the other fields are deferred."""
    return model.from_db(connection.alias, [f.attname for f in fields], [
        _converted(value, steps) for value, steps
        in zip(values, _converters(fields), strict=True)])


def _converted(value, steps):
    for convert, expression in steps:
        value = convert(value, expression, connection)
    return value


# The converters of each list of fields, worked out once a process (they depend on the
# fields and the database's backend alone).
_CONVERTERS: dict[tuple, list] = {}


def _converters(fields: list[Field]) -> list[list]:
    key = (connection.alias, *fields)
    found = _CONVERTERS.get(key)
    if found is None:
        found = []
        for field in fields:
            column = field.get_col(field.model._meta.db_table)
            found.append([(convert, column) for convert in
                          connection.ops.get_db_converters(column)
                          + column.get_db_converters(connection)])
        _CONVERTERS[key] = found
    return found


def columns(alias: str, fields: list[Field]) -> str:
    """`alias.column, ...` of these fields (`fields_of`), to select in their order."""
    return ", ".join(f"{alias}.{f.column}" for f in fields)


def fetch(sql: str, params, *, prepared: bool = False) -> list[tuple]:
    """Every row of a query written in SQL, as plain tuples; `prepared`: planned once a
    connection with a generic plan on PostgreSQL (`compiled.prepared_cursor`), for a read
    whose best plan does not depend on its values."""
    with prepared_cursor() if prepared else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def parts(row, *groups: list[Field]) -> list[tuple]:
    """One row of several models' columns (`columns` of each group, in turn) cut into each
    model's values."""
    cut, start = [], 0
    for fields in groups:
        cut.append(tuple(row[start:start + len(fields)]))
        start += len(fields)
    return cut
