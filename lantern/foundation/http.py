"""The request a signed-in view receives, for type checking.

`LoginRequiredMiddleware` (settings.MIDDLEWARE) sends anyone not signed in to the sign-in page
before a view runs, unless the view is marked `login_not_required`; so a view behind it is given
a signed-in `User`, never `AnonymousUser`. Views annotate `request: AuthenticatedHttpRequest`
to say so; views that run before sign-in keep `HttpRequest`. `htmx` is set by django-htmx's
middleware on every request."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
