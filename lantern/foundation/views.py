"""Signing in: password, then the second factor (or setting up an authenticator app); changing
a password; the page shown when a form's CSRF check fails; administration of accounts (role,
agency, authenticator) through lantern.foundation.accounts; keeping the session alive; the
drafts the page's script saves and offers back."""

import json
import time
from base64 import b64encode
from io import BytesIO

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import accounts, audit, drafts, mfa, notify, paging
from .forms import (
    AccountChangeForm,
    AccountCreateForm,
    AccountDecisionForm,
    AgencyForm,
    ChangePasswordForm,
    CodeForm,
    ResetAuthenticatorForm,
    SignInForm,
)
from .http import AuthenticatedHttpRequest
from .middleware import SIGNED_IN_AT, mark_signed_in, renew
from .models import AccountChange, Notification, User


class SignInView(auth_views.LoginView):
    """The password step. Success and failure are audited; django-axes locks an account after
    repeated failures."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        mark_signed_in(self.request)
        audit.record(self.request.user, "sign_in_password", summary="Password accepted")
        return response

    def form_invalid(self, form):
        username = (form.data.get("username") or "")[:150]
        audit.record(None, "sign_in_failed", summary=f"Sign-in failed for '{username}'")
        return super().form_invalid(form)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
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
            # A new session id once the second factor is given: a cookie captured before the
            # code step is worthless after it (issue 13).
            request.session.cycle_key()
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
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """First sign-in: add Lantern to an authenticator app and prove it with a code. Only
    just after the password step: a session left open from before an administrator reset the
    authenticator must sign in again before enrolling a new one."""
    if mfa.confirmed_device(request.user):
        return redirect("mfa_verify")
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if signed_in_at is None or time.time() - signed_in_at > mfa.SETUP_WITHIN_SECONDS:
        logout(request)
        messages.info(request, "Sign in again to set up your authenticator app.")
        return redirect("login")
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
            request.session.cycle_key()
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


# --- Administration of accounts (lantern.foundation.accounts) ------------------------------------

def _administrator(request: AuthenticatedHttpRequest) -> None:
    if not accounts.is_administrator(request.user):
        raise PermissionDenied("Only administrators manage accounts.")


@require_http_methods(["GET"])
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every account, with its role, agency and whether it has an authenticator."""
    _administrator(request)
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    users = list(User.objects.select_related("agency__area")
                 .annotate(has_authenticator=Exists(enrolled))
                 .order_by("agency__area__name", "agency__name", "username"))
    pending = AccountChange.objects.filter(status=AccountChange.Status.PENDING).count()
    audit.record(request.user, "list", summary="Opened the list of accounts")
    return render(request, "foundation/people.html", {"people": users, "pending": pending})


@require_http_methods(["GET", "POST"])
def add_person(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add an account, with a reason; the powerful roles wait for a second administrator."""
    _administrator(request)
    form = AccountCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = accounts.create_account(
            username=data["username"], first_name=data["first_name"],
            last_name=data["last_name"], email=data["email"], job_title=data["job_title"],
            role=data["role"], agency=data["agency"], password=data["password"],
            reason=data["reason"], by=request.user)
        if change.status == AccountChange.Status.PENDING:
            messages.success(request, "The account waits for a second administrator to approve "
                                      "it. It cannot sign in until then.")
        else:
            messages.success(request, "The account has been added.")
        return redirect("admin_person", user_id=change.user_id)
    return render(request, "foundation/add_person.html", {"form": form})


@require_http_methods(["GET", "POST"])
def add_agency(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add an agency to an area, with a reason."""
    _administrator(request)
    form = AgencyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = accounts.add_agency(name=data["name"], kind=data["kind"], area=data["area"],
                                         reason=data["reason"], by=request.user)
        except accounts.AdministrationError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"{agency.name} has been added.")
            return redirect("admin_people")
    return render(request, "foundation/add_agency.html", {"form": form})


@require_http_methods(["GET", "POST"])
def person(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """One account: change its role or agency (with a reason), or reset its authenticator."""
    _administrator(request)
    subject = get_object_or_404(User.objects.select_related("agency__area"), pk=user_id)
    change_form = AccountChangeForm(initial={"role": subject.role, "agency": subject.agency_id})
    reset_form = ResetAuthenticatorForm()
    if request.method == "POST" and subject.pk == request.user.pk:
        raise PermissionDenied("You cannot change your own account. Ask another administrator.")
    if request.method == "POST" and request.POST.get("action") == "reset":
        reset_form = ResetAuthenticatorForm(request.POST)
        if reset_form.is_valid():
            try:
                accounts.reset_authenticator(subject, by=request.user,
                                             reason=reset_form.cleaned_data["reset_reason"])
            except accounts.AdministrationError as error:
                reset_form.add_error(None, str(error))
            else:
                messages.success(request, f"{subject.display_name}'s authenticator was reset. "
                                          "They set up a new one at their next sign-in.")
                return redirect("admin_person", user_id=subject.pk)
    elif request.method == "POST":
        change_form = AccountChangeForm(request.POST)
        if change_form.is_valid():
            data = change_form.cleaned_data
            try:
                change = accounts.change_account(subject, role=data["role"],
                                                 agency=data["agency"], reason=data["reason"],
                                                 by=request.user)
            except accounts.AdministrationError as error:
                change_form.add_error(None, str(error))
            else:
                if change.status == AccountChange.Status.PENDING:
                    messages.success(request, "The change waits for a second administrator "
                                              "to approve it.")
                else:
                    messages.success(request, "The change has been made.")
                return redirect("admin_person", user_id=subject.pk)
    audit.record(request.user, "view", subject, summary=f"Opened {subject.username}'s account")
    return render(request, "foundation/person.html", {
        "subject": subject,
        "themselves": subject.pk == request.user.pk,
        "has_authenticator": mfa.confirmed_device(subject) is not None,
        "changes": subject.account_changes.select_related(
            "old_agency", "new_agency", "requested_by", "decided_by")[:50],
        "change_form": change_form,
        "reset_form": reset_form,
    })


@require_http_methods(["GET", "POST"])
def account_changes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Changes waiting for a second administrator: approve or refuse each."""
    _administrator(request)
    forms_by_change = {}
    if request.method == "POST":
        change = get_object_or_404(AccountChange, pk=_int_or_404(request.POST.get("change")),
                                   status=AccountChange.Status.PENDING)
        form = AccountDecisionForm(request.POST, prefix=f"c{change.pk}")
        if form.is_valid():
            decide = (accounts.approve_change if form.cleaned_data["decision"] == "approve"
                      else accounts.refuse_change)
            try:
                decide(change, by=request.user, note=form.cleaned_data["note"])
            except accounts.AdministrationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Decision recorded.")
                return redirect("account_changes")
        forms_by_change[change.pk] = form
    pending = list(AccountChange.objects.filter(status=AccountChange.Status.PENDING)
                   .select_related("user__agency", "old_agency__area", "new_agency__area",
                                   "requested_by"))
    for change in pending:
        change.form = forms_by_change.get(change.pk) or AccountDecisionForm(
            prefix=f"c{change.pk}")
        change.may_approve = request.user.pk not in (change.requested_by_id, change.user_id)
    audit.record(request.user, "list", summary="Opened the account changes waiting for approval")
    return render(request, "foundation/account_changes.html", {"pending": pending})


def _int_or_404(value: str | None) -> int:
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404("No such change")
    return int(value)


@never_cache
@require_http_methods(["GET", "POST"])
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the signed-in user's own notifications, newest first. POST: mark one of them read
    (`notification`), or all of them; another person's is not found."""
    if request.method == "POST":
        raw = request.POST.get("notification", "")
        if raw:
            if not raw.isdigit() or not Notification.objects.filter(
                    pk=int(raw), recipient=request.user).exists():
                raise Http404
            notify.mark_read(request.user, int(raw))
        else:
            notify.mark_read(request.user)
        return redirect("notifications")
    mine = Notification.objects.filter(recipient=request.user)
    rows, pagination = paging.paginate(
        request, lambda offset, limit: list(mine[offset:offset + limit]))
    return render(request, "foundation/notifications.html",
                  {"notifications": rows, "pagination": pagination,
                   "unread": notify.unread_count(request.user)})


@require_http_methods(["POST"])
def keep_alive(request: HttpRequest) -> HttpResponse:
    """"Stay signed in": renews the session now (other requests renew it at most once a
    minute, foundation.middleware.RenewSessionMiddleware)."""
    renew(request)
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
