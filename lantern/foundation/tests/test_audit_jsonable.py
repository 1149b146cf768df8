"""What an audit row's changes are written as (audit._jsonable): plain values as they are,
records by their keys, anything else as text, however nested."""

from datetime import date

from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.foundation import audit
from lantern.foundation.models import Role, User


def _as_written_before(value):
    """`_jsonable` before plain values were asked for first by their type (issue 18)."""
    from django.db import models

    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dict):
        return {str(k): _as_written_before(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_as_written_before(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=5),
    st.text(max_size=5).map(mark_safe), st.sampled_from(list(Role)),
    st.dates(min_value=date(2000, 1, 1)), st.floats(allow_nan=False),
    st.integers(1, 10**6).map(lambda pk: User(pk=pk)))
_NESTED = st.recursive(_VALUES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
    st.dictionaries(st.one_of(st.text(max_size=3), st.integers()), inner, max_size=3)),
    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(value=_NESTED)
def test_changes_are_written_as_before(value):
    written = audit._jsonable(value)
    assert written == _as_written_before(value)
    assert [type(v) for v in _leaves(written)] == [type(v) for v in _leaves(
        _as_written_before(value))]


def _leaves(value):
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]
