"""Middleware every page goes through: the absolute end of a session, headers for pages that
carry children's data, the request remembered for the audit trail, and nothing typed lost when a
session ends (drafts)."""

import math
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers

from . import access, audit, drafts

# Calls made by a page's own script (drafts, the keep-alive), not by the person.
SCRIPT_PATHS = ("/drafts/", "/session/")


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a call from a page's script that finds no session leaves the
    browser's session cookie alone. A page's script may still be asking with the session's old
    key when the person's next step gives it a new one (the second factor and a changed password
    cycle the key): Django would answer the late call by deleting the cookie, and that answer,
    arriving after the new key's, would sign the person out."""

    def process_response(self, request, response):
        if request.path_info.startswith(SCRIPT_PATHS) and request.session.is_empty():
            # Safe because sessions are kept on the server: the old key's session is gone,
            # so the cookie left behind opens nothing.
            patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)


# When the session's user signed in (seconds since the epoch); set by the sign-in view.
SIGNED_IN_AT = "lantern_signed_in_at"


# When the session was last renewed on the server (seconds since the epoch).
RENEWED_AT = "lantern_renewed_at"


def mark_signed_in(request) -> None:
    request.session[SIGNED_IN_AT] = int(time.time())
    renew(request)


# Each signed-in response says how many seconds the session has left on the server, so the
# page's timeout warning (foundation/timeout.js) counts to the real end.
SECONDS_LEFT_HEADER = "Lantern-Session-Seconds"


def renew_seconds() -> int:
    """How often activity renews a session on the server: a minute, or a tenth of the idle
    timeout when that is shorter (tests use sessions of seconds). A session therefore ends
    between SESSION_COOKIE_AGE minus this and SESSION_COOKIE_AGE after the last request."""
    return max(0, min(settings.SESSION_RENEW_SECONDS, settings.SESSION_COOKIE_AGE // 10))


def seconds_left(request) -> int | None:
    """How long the session has left on the server: SESSION_COOKIE_AGE from its last renewal
    (None when it has no renewal time, e.g. signed out)."""
    renewed = request.session.get(RENEWED_AT)
    if renewed is None:
        return None
    return max(0, math.ceil(renewed + settings.SESSION_COOKIE_AGE - time.time()))


def renew(request) -> None:
    """Restart the session's idle clock: changing the session makes Django save it, with a new
    expiry SESSION_COOKIE_AGE from now."""
    request.session[RENEWED_AT] = time.time()


class RenewSessionMiddleware:
    """Activity keeps a session alive without writing it on every request (issue 18): the
    session is saved only when something in it changed, or when it was last renewed more than
    renew_seconds() ago. Saving it on every page cost three queries a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            renewed = request.session.get(RENEWED_AT)
            if renewed is None or time.time() - renewed >= renew_seconds():
                renew(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.session.modified:
                # Saved anyway (the view changed something): that renews it too.
                renew(request)
            left = seconds_left(request)
            if left is not None:
                response[SECONDS_LEFT_HEADER] = str(left)
        return response


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


class KeepFormLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except that a form sent after the session ended is
    kept as its author's draft (lantern.foundation.drafts) and the sign-in leads back to the
    page it was on, where it is put back for them to check and send. Calls from the page's
    script (drafts, keep-alive) get 401 rather than a sign-in page."""

    def handle_no_permission(self, request, view_func):
        if request.path_info.startswith(SCRIPT_PATHS):
            return JsonResponse({"signed_in": False}, status=401)
        kept = drafts.keep_post(request, csrf_intact=True)
        if kept is None:
            return super().handle_no_permission(request, view_func)
        messages.info(request, "You were signed out, so the form was not sent. What you typed "
                               "has been kept: sign in and it will be put back for you to "
                               "check and send.")
        return redirect_to_login(kept.page, self.get_login_url(view_func),
                                 self.get_redirect_field_name(view_func))


class DraftsMiddleware:
    """Deletes a form's draft once the form has been sent successfully (the view redirected),
    and remembers in a signed cookie who signed in with this browser, so a form sent after the
    session ended without the page's script can still be kept for its author."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            match = getattr(request, "resolver_match", None)
            if match is not None and match.url_name == "logout":
                # Signing out ends the browser's claim to be its last user: nobody at it
                # afterwards can have a form kept as that person's draft.
                response.delete_cookie(drafts.AUTHOR_COOKIE, samesite="Lax")
            return response
        if (request.method == "POST" and response.status_code in (301, 302, 303)
                and request.POST.get(drafts.DRAFT_FIELD)):
            drafts.discard(user, drafts.address(request.headers.get("Referer", request.path)),
                           request.path, submitted=True)
        if request.get_signed_cookie(drafts.AUTHOR_COOKIE, default=None,
                                     salt=drafts.AUTHOR_SALT) != str(user.pk):
            response.set_signed_cookie(
                drafts.AUTHOR_COOKIE, str(user.pk), salt=drafts.AUTHOR_SALT, httponly=True,
                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class MergedRecordMiddleware:
    """A page about a record merged into another (issue 15, item 2; `access.MergedRecord`)
    leads to the same page of the kept record for those who may see it, as the child's record
    does; anyone else gets 404, learning nothing about the kept record. Nothing is shown, so
    nothing is audited."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, access.MergedRecord):
            return None
        child = exception.child
        if not access.visible_children(request.user).filter(pk=child.merged_into_id).exists():
            raise Http404("No child found")
        if not request.path.startswith("/api/") and not request.headers.get("HX-Request"):
            messages.info(request, f"Record {child.pk} ({child.full_name}) was merged into this "
                                   "record. Its history is here.")
        merged, kept = f"/children/{child.pk}/", f"/children/{child.merged_into_id}/"
        if merged not in request.path:
            return redirect("child", child_id=child.merged_into_id)
        target = request.path.replace(merged, kept, 1)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{target}?{query}" if query else target)
