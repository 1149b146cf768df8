"""The second factor: every account signs in with a password and a code from a TOTP
authenticator app (django-otp). Until the code is given, the session can reach only the
sign-in pages."""

import math
import time
from base64 import b32encode

from django.conf import settings
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# An authenticator is set up only this soon after the password was given (views.setup).
SETUP_WITHIN_SECONDS = 15 * 60

# Pages a signed-in user may reach before giving their code.
OPEN_BEFORE_SECOND_FACTOR = {"login", "logout", "mfa_verify", "mfa_setup", "healthz"}


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def secret_base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii")


def check_code(device: TOTPDevice, code: str) -> bool:
    """Whether `code` is the device's current code. Throttled by django-otp (each wrong code
    doubles the wait). A code already used is refused, except that local development allows
    it again within its own step (settings.OTP_ALLOW_REUSE_IN_STEP)."""
    code = "".join(code.split())
    if not code.isdigit():
        device.throttle_increment(commit=True)
        return False
    if getattr(settings, "OTP_ALLOW_REUSE_IN_STEP", False) and device.last_t >= 0:
        allowed, _ = device.verify_is_allowed()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if allowed and totp.verify(int(code), device.tolerance, device.last_t):
            if totp.t() == device.last_t:
                return True
    return device.verify_token(code)


def throttled_message(state: dict | None) -> str:
    """After wrong codes django-otp makes each further attempt wait longer (1, 2, 4... s)."""
    locked_until = (state or {}).get("locked_until")
    seconds = 0
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    wait = f"{seconds} second{'s' if seconds != 1 else ''}" if seconds else "a moment"
    return (f"Too many wrong codes. Wait {wait}, then enter the code your authenticator app "
            "shows now")


def safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


class RequireSecondFactorMiddleware:
    """A signed-in session that has not given its second factor is sent to give it (or to set
    up an authenticator app first). API calls get 403 instead of a redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if isinstance(user, LazyObject):
            # The user as found (django-otp's lazy wrapper around Django's, both opened by
            # the sign-in checks already), so that the view's and templates' reads of
            # `request.user` are plain attribute reads: through a wrapper each raised and
            # caught an AttributeError (issue 18).
            while isinstance(user, LazyObject):
                user.is_authenticated  # noqa: B018 - opens the wrapper
                user = user._wrapped
            request.user = user
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if request.path.startswith("/api/"):
            return HttpResponseForbidden("Sign in with your second factor first.")
        name = "mfa_verify" if confirmed_device(user) else "mfa_setup"
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
