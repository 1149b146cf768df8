"""`instances.maker` makes the model `from_db` makes (issue 18)."""

import datetime

import pytest
from django.apps.registry import Apps
from django.db import models
from django.db.models.signals import post_init
from hypothesis import given
from hypothesis import strategies as st

from lantern.foundation.instances import maker
from lantern.foundation.models import Agency, ChronologyEntry, User, WorkItem


def _same(made, expected) -> None:
    assert type(made) is type(expected)
    assert made.__dict__.keys() - {"_state"} == expected.__dict__.keys() - {"_state"}
    for name in expected.__dict__.keys() - {"_state"}:
        assert getattr(made, name) == getattr(expected, name)
    assert (made._state.adding, made._state.db) == (expected._state.adding, expected._state.db)
    assert made.get_deferred_fields() == expected.get_deferred_fields()


def _names(model) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


_ENTRY = ("id", "child_id", "occurred_at", "kind", "title", "agency_id")


@given(st.integers(1, 2**31), st.integers(1, 2**31), st.text(max_size=20),
       st.one_of(st.none(), st.integers(1, 100)))
def test_an_entry_is_made_as_from_db_makes_it(pk, child, title, agency) -> None:
    values = [pk, child, datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC), "concern", title,
              agency]
    _same(maker(ChronologyEntry, _ENTRY)("default", values),
          ChronologyEntry.from_db("default", list(_ENTRY), values))


def test_fields_left_out_are_deferred_and_read_when_asked() -> None:
    made = maker(Agency, ("id",))("default", [7])
    assert made.get_deferred_fields() == {f.attname for f in Agency._meta.concrete_fields} - {"id"}


def test_names_out_of_the_models_order_are_left_to_from_db() -> None:
    out_of_order = ("title", "id")
    made = maker(ChronologyEntry, out_of_order)("default", ["A title", 3])
    # from_db reads values in the model's order whatever the names say: the same mistake,
    # made the same way, rather than a different model.
    _same(made, ChronologyEntry.from_db("default", list(out_of_order), ["A title", 3]))


@pytest.mark.django_db
def test_a_receiver_of_post_init_is_still_sent_the_signal() -> None:
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=User)
    try:
        made = maker(User, ("id", "username"))("default", [5, "someone"])
    finally:
        post_init.disconnect(receiver, sender=User)
    assert seen == [made]


def test_a_foreign_key_read_later_is_looked_up_not_left_cached() -> None:
    made = maker(WorkItem, ("id", "child_id"))("default", [1, 2])
    assert made.child_id == 2
    assert not WorkItem._meta.get_field("child").is_cached(made)


def test_every_field_of_a_model_is_made_as_from_db_makes_it() -> None:
    names = _names(Agency)
    values = [getattr(Agency(id=4, name="Police", area_id=1), n) for n in names]
    _same(maker(Agency, names)("default", values), Agency.from_db("default", list(names), values))


def test_a_mixins_init_after_model_is_left_to_from_db():
    class Counted:
        def __init__(self):
            super().__init__()
            self.counted = True

    class Thing(models.Model, Counted):
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "foundation"
            apps = Apps()  # a registry of its own: the test's model is not Lantern's

        def __str__(self) -> str:
            return self.name

    assert maker(Thing, ("id", "name"))("default", [1, "A thing"]).counted
