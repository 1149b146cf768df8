"""Models made from a row's values as `Model.from_db` makes them, without `Model.__init__`
(issue 18).

`from_db` calls the model's `__init__`, which sends two signals and sets each field through
the generic path: about 17 microseconds a model on the benchmark machine, where filling the
instance's dictionary takes 3. A child's record makes about a hundred models, a work tray
more. `maker(model, names)` gives a function making the same instance the quick way when
that is the same thing:

- the model keeps Django's own `__init__` and `from_db` (and no class after Model among its
  bases has an `__init__` that Model's would call);
- each named field is set through a descriptor that only stores the value (Django's
  `DeferredAttribute`, or `ForeignKeyDeferredAttribute`, which on a new instance has no cached
  object to forget);
- the names are fields' attribute names in the model's own order (the order `from_db` reads
  its values in);
- no receiver of `pre_init` or `post_init` is connected (checked at each call: a receiver
  connected later is still sent the signals).

Otherwise it calls `from_db`. Fields not named are deferred, as with `from_db`.
"""

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

M = TypeVar("M", bound=Model)

_STORING = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _quick(model: type[Model], names: tuple[str, ...]) -> bool:
    if model.__init__ is not Model.__init__:
        return False
    # Nor an __init__ that Model.__init__ reaches through `super().__init__()` (a mixin after
    # Model among the bases).
    after = model.__mro__[model.__mro__.index(Model) + 1:]
    if any("__init__" in vars(base) for base in after if base is not object):
        return False
    if model.from_db.__func__ is not Model.from_db.__func__:  # type: ignore[attr-defined]
        return False
    order = [f.attname for f in model._meta.concrete_fields]
    wanted = set(names)
    if len(wanted) != len(names) or [n for n in order if n in wanted] != list(names):
        return False
    return all(type(getattr(model, name, None)) in _STORING for name in names)


@lru_cache(maxsize=512)
def maker(model: type[M], names: tuple[str, ...]) -> Callable[[str, Sequence], M]:
    """A function of (database alias, values of `names`) making the model `from_db` would."""
    if not _quick(model, names):
        return lambda db, values: model.from_db(db, list(names), values)
    new = object.__new__

    def make(db: str, values: Sequence) -> M:
        if pre_init.receivers or post_init.receivers:
            return model.from_db(db, list(names), values)
        instance = new(model)
        state = instance._state = ModelState()
        state.adding = False
        state.db = db
        instance.__dict__.update(zip(names, values, strict=True))
        return instance

    return make
