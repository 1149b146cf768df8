"""`drawn.display` gives what Django's `get_<field>_display()` gives, for every field with
choices of every Lantern model, every choice and a value that is none of them."""

import pytest
from django.apps import apps
from django.utils.functional import SimpleLazyObject

from lantern.foundation.drawn import display
from lantern.foundation.models import Role, User

FIELDS = [(model, field.name) for model in apps.get_models()
          if model.__module__.startswith("lantern.")
          for field in model._meta.concrete_fields if field.choices]


def test_there_are_fields_with_choices_to_check():
    assert len(FIELDS) > 20


@pytest.mark.parametrize(("model", "name"), FIELDS,
                         ids=[f"{m._meta.label}.{n}" for m, n in FIELDS])
def test_a_label_is_djangos(model, name):
    field = model._meta.get_field(name)
    for value in [value for value, _ in field.flatchoices] + ["not-a-choice", None]:
        instance = model(**{field.attname: value})
        assert display(instance, name) == getattr(instance, f"get_{name}_display")(), value


def test_a_lazy_objects_label_is_its_objects():
    user = SimpleLazyObject(lambda: User(role=Role.POLICE))
    assert display(user, "role") == User(role=Role.POLICE).get_role_display()
