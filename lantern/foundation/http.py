"""The request a signed-in view receives, for type checking.

`LoginRequiredMiddleware` (settings.MIDDLEWARE) sends anyone not signed in to the sign-in page
before a view runs, unless the view is marked `login_not_required`; so a view behind it is given
a signed-in `User`, never `AnonymousUser`. Views annotate `request: AuthenticatedHttpRequest`
to say so; views that run before sign-in keep `HttpRequest`. `htmx` is set by django-htmx's
middleware on every request."""

from collections.abc import Callable

from django.http import HttpRequest
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


# The largest id or count read from a request: 18 digits always fit a 64-bit column.
MAX_ID_DIGITS = 18


def parse_id(value: object) -> int | None:
    """An id or count typed into a URL or form, read strictly: 1 to 18 ASCII digits, else None.
    (Python's int() also reads other scripts' digits and numbers too big for any column.)"""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    if len(value) > MAX_ID_DIGITS:
        return None
    return int(value)


# A number no id reaches, reversed in place of one: each kind of link is reversed once a list
# and filled in for each item (reverse() for each item's links was much of drawing a list,
# issue 18).
_MARK = "987654321987654321"


def url_pattern(name: str, *args) -> Callable[[object], str]:
    """The address of URL `name` for any id in its last place, reversed once:
    `url_pattern("child")(12)` is `reverse("child", args=[12])`."""
    head, tail = reverse(name, args=[*args, _MARK]).rsplit(_MARK, 1)
    return lambda value: f"{head}{value}{tail}"
