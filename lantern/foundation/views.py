"""Signing in: password, then the second factor (or setting up an authenticator app); changing
a password; the page shown when a form's CSRF check fails; keeping the session alive; the
drafts the page's script saves and offers back."""

import json
from base64 import b64encode
from io import BytesIO

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, drafts, mfa
from .forms import ChangePasswordForm, CodeForm, SignInForm


class SignInView(auth_views.LoginView):
    """The password step. Success and failure are audited; django-axes locks an account after
    repeated failures."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(self.request.user, "sign_in_password", summary="Password accepted")
        return response

    def form_invalid(self, form):
        username = (form.data.get("username") or "")[:150]
        audit.record(None, "sign_in_failed", summary=f"Sign-in failed for '{username}'")
        return super().form_invalid(form)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the user's authenticator app."""
    if request.user.is_verified():
        return redirect(mfa.safe_next(request))
    device = mfa.confirmed_device(request.user)
    if device is None:
        return redirect("mfa_setup")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        allowed, state = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", mfa.throttled_message(state))
        elif mfa.check_code(device, form.cleaned_data["code"]):
            django_otp.login(request, device)
            audit.record(request.user, "sign_in", summary="Signed in with a second factor")
            return redirect(mfa.safe_next(request))
        else:
            audit.record(request.user, "sign_in_code_failed", summary="Wrong second-factor code")
            form.add_error("code", "The code is not right. Enter the code your authenticator "
                                   "app shows now")
    return render(request, "foundation/mfa_verify.html",
                  {"form": form, "next": mfa.safe_next(request)})


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: add Lantern to an authenticator app and prove it with a code."""
    if mfa.confirmed_device(request.user):
        return redirect("mfa_verify")
    device = (
        TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("id").first()
        or TOTPDevice.objects.create(user=request.user, name="Authenticator app",
                                     confirmed=False)
    )
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        allowed, state = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", mfa.throttled_message(state))
        elif mfa.check_code(device, form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            audit.record(request.user, "mfa_enrolled", device,
                         summary="Set up an authenticator app")
            return redirect(mfa.safe_next(request))
        else:
            form.add_error("code", "The code is not right. Check the app shows Lantern and "
                                   "enter the code it shows now")
    qr = BytesIO()
    segno.make(device.config_url, error="m").save(qr, kind="svg", scale=4, border=2)
    return render(
        request,
        "foundation/mfa_setup.html",
        {
            "form": form,
            "next": mfa.safe_next(request),
            "qr_data_uri": "data:image/svg+xml;base64," + b64encode(qr.getvalue()).decode(),
            "secret": " ".join(mfa.secret_base32(device)[i:i + 4]
                               for i in range(0, len(mfa.secret_base32(device)), 4)),
        },
    )


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "registration/change_password.html"
    success_url = "/"

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(self.request.user, "change_password", summary="Changed their password")
        messages.success(self.request, "Your password has been changed.")
        return response


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF token is stale (its page was drawn before a sign-in) is not acted on,
    but what was typed is kept for the person the page was drawn for, and offered back to them
    on the page once they are signed in (lantern.foundation.drafts)."""
    kept = drafts.keep_post(request, csrf_intact=False)
    if kept is not None and request.user.is_authenticated and kept.author_id == request.user.pk:
        messages.info(request, "The form was not sent because the page was out of date. What "
                               "you typed has been put back: check it and send it again.")
        return redirect(kept.page)
    if kept is not None and not request.user.is_authenticated:
        messages.info(request, "You were signed out, so the form was not sent. What you typed "
                               "has been kept: sign in and it will be put back for you to "
                               "check and send.")
        return redirect_to_login(kept.page)
    return render(request, "foundation/csrf_failure.html", status=403)


@require_http_methods(["POST"])
def keep_alive(request: HttpRequest) -> HttpResponse:
    """"Stay signed in": any request renews the session (SESSION_SAVE_EVERY_REQUEST)."""
    return JsonResponse({"signed_in": True, "seconds": settings.SESSION_COOKIE_AGE})


def _draft_json(draft) -> dict:
    saved = timezone.localtime(draft.updated_at)
    return {
        "action": draft.action,
        "fields": draft.fields,
        "source": draft.source,
        "saved": f"{date_format(saved, 'H:i')} on {date_format(saved, 'j F Y')}",
    }


@never_cache
@require_http_methods(["GET", "POST"])
def draft_list(request: HttpRequest) -> HttpResponse:
    """GET: the signed-in user's own drafts of forms on one page. POST: save one."""
    if request.method == "GET":
        page = request.GET.get("page", "")
        return JsonResponse({"drafts": [_draft_json(d)
                                        for d in drafts.for_page(request.user, page)]})
    try:
        raw = json.loads(request.POST.get("fields", ""))
        if len(request.POST.get("fields", "")) > drafts.MAX_FIELDS_CHARS:
            raise ValueError("too long")
        fields = drafts.clean_fields((name, values if isinstance(values, list) else [values])
                                     for name, values in dict(raw).items())
    except (TypeError, ValueError):
        return JsonResponse({"error": "The draft could not be read"}, status=400)
    draft = drafts.save(request.user, request.POST.get("page", ""),
                        request.POST.get("action", ""), fields)
    return JsonResponse(_draft_json(draft))


@require_http_methods(["POST"])
def draft_discard(request: HttpRequest) -> HttpResponse:
    drafts.discard(request.user, request.POST.get("page", ""), request.POST.get("action", ""))
    return JsonResponse({"discarded": True})
