"""For rows of long lists drawn in Python rather than by a template's loop (issue 18: the
template language spent more on a list of 50 rows than the rest of the page). Each app's
`drawn` module holds the markup of the template it replaced, character for character, and a
test holds it to that template."""

from html import escape

from django.utils.functional import Promise


def esc(value) -> str:
    """`conditional_escape` (what `{{ value }}` does), without its wrappers: a page of rows
    escapes some 400 values."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))
