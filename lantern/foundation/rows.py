"""Models made from plain rows of a query written in SQL (issue 17): for the few reads whose
ORM building cost more than running them, and whose rows are still wanted as models."""

from typing import TypeVar

from django.db import connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def fields_of(model: type[Model], *names: str) -> list[Field]:
    """The model's fields with these names (or attribute names), in the model's own order: the
    order to select their columns in and the order `Model.from_db` takes their values."""
    wanted = set(names)
    return [f for f in model._meta.concrete_fields if f.name in wanted or f.attname in wanted]


def made(model: type[M], fields: list[Field], values) -> M:
    """A model from one row's values of `fields` (`fields_of`), each converted from the
    database as the ORM converts it (JSON decoded); the other fields are deferred."""
    return model.from_db(connection.alias, [f.attname for f in fields], [
        f.from_db_value(value, None, connection) if hasattr(f, "from_db_value") else value
        for f, value in zip(fields, values, strict=True)])
