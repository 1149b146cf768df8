"""Middleware every page goes through: the absolute end of a session, headers for pages that
carry children's data, and the request remembered for the audit trail."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

from . import audit

# When the session's user signed in (seconds since the epoch); set by the sign-in view.
SIGNED_IN_AT = "lantern_signed_in_at"


def mark_signed_in(request) -> None:
    request.session[SIGNED_IN_AT] = int(time.time())


class AbsoluteSessionLifetimeMiddleware:
    """However active, a session ends SESSION_ABSOLUTE_SECONDS (12 hours) after sign-in, so a
    stolen session cookie cannot be kept alive for ever. A session with no sign-in time (made
    before this rule) starts its clock when first seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if started is None:
                mark_signed_in(request)
            elif time.time() - started >= settings.SESSION_ABSOLUTE_SECONDS:
                audit.record(user, "session_expired", request=request,
                             summary="Signed out: the session reached its time limit")
                logout(request)
                messages.info(request, "You have been signed out because your session reached "
                                       "its time limit. Sign in again.")
        return self.get_response(request)


class SensitivePageHeadersMiddleware:
    """Pages for signed-in users are never cached by the browser or a proxy (they hold
    special-category data about children), and powerful browser features are switched off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        response.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        )
        return response


class AuditContextMiddleware:
    """Remembers the request being served, so an audit row written deep inside an action
    still says where the access came from (lantern.foundation.audit.current_request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            audit.current_request.reset(token)
