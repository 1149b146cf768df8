"""`drawn.esc` escapes as `{{ value }}` does (django.utils.html.conditional_escape)."""

from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from lantern.foundation.drawn import esc

VALUES = st.one_of(
    st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.text().map(mark_safe), st.text().map(lambda t: lazy(lambda: t, str)()))


@given(VALUES)
def test_esc_is_conditional_escape(value):
    assert esc(value) == str(conditional_escape(value))
