"""Whether a row has related rows, as a boolean column of a list's own query, for pages that
skip reading a part that is empty (issue 18)."""

from django.db import connection
from django.db.models import BooleanField, Field, Model
from django.db.models.expressions import RawSQL


def has_rows(model: type[Model], key: str, outer: type[Model], **equal) -> RawSQL:
    """`EXISTS (SELECT 1 FROM <model> WHERE <key> = <outer>.id AND <field> = <value>...)` on
    each row of a query of `outer` (from its own table, not as a subquery of another query):
    what `Exists(model.objects.filter(key=OuterRef("pk"), **equal))` says, written from the
    models' own table and column names rather than built, resolved and compiled by the ORM for
    each query (about 0.3 ms of CPU each; the child's record asks five). A value of None is
    `IS NULL`; the others are parameters."""
    quote = connection.ops.quote_name
    table = quote("has_rows")  # its own name, so `outer`'s table is never mistaken for it
    conditions = [f"{table}.{quote(_column(model, key))} = "
                  f"{quote(outer._meta.db_table)}.{quote(_column(outer, 'pk'))}"]
    params = []
    for name, value in equal.items():
        column = f"{table}.{quote(_column(model, name))}"
        if value is None:
            conditions.append(f"{column} IS NULL")
        else:
            conditions.append(f"{column} = %s")
            params.append(value)
    return RawSQL(  # noqa: S611 - names from the models' metadata; values are parameters
        f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} {table} "  # noqa: S608
        f"WHERE {' AND '.join(conditions)})",
        params, output_field=BooleanField())


def _column(model: type[Model], name: str) -> str:
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    assert isinstance(field, Field) and field.column, f"{model.__name__}.{name} is no column"
    return field.column
