"""Administration of accounts without escalation (issue 13): every change of role or agency
goes through these actions, with a reason, audited. Nobody changes their own account; making
someone police, a CSE team manager or an administrator waits for a second administrator; an
authenticator is never shown again after enrolment, only reset so its owner enrols a new one.
The Django admin shows accounts, agencies and devices read-only (lantern/foundation/admin.py)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import AccountChange, Agency, Area, Role, User

# Roles that read children's identities across an area or administer Lantern itself: granting
# one needs a second administrator.
APPROVAL_ROLES = frozenset({Role.POLICE, Role.CSE_MANAGER, Role.ADMIN})
# A new account is the administrator's until its owner signs in (they chose its password and
# could enrol its authenticator), so every new account that would read children's identities
# (by role and area, or through its agency's grants) waits for a second administrator too.
# Only the roles that see figures, never identities, can sign in at once.
IMMEDIATE_NEW_ROLES = frozenset({Role.ANALYST, Role.BOARD})


class AdministrationError(Exception):
    """A change that cannot be made, in words for the administrator."""


def is_administrator(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.role == Role.ADMIN)


def _require_administrator(by) -> None:
    if not is_administrator(by):
        raise PermissionDenied("Only administrators manage accounts.")


def _not_themselves(user: User, by: User) -> None:
    if user.pk == by.pk:
        raise AdministrationError("You cannot change your own account. Ask another "
                                  "administrator")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise AdministrationError("Enter the reason for the change")
    return reason


def _role_label(role: str) -> str:
    return Role(role).label


def _changes(change: AccountChange) -> dict[str, dict]:
    return {
        "role": {"old": change.old_role, "new": change.new_role},
        "agency": {"old": change.old_agency_id, "new": change.new_agency_id},
    }


def _apply(user: User, change: AccountChange) -> None:
    user.role = change.new_role
    user.agency_id = change.new_agency_id
    # The Django admin (read-only) is open to administrators only.
    user.is_staff = user.is_superuser = change.new_role == Role.ADMIN
    if change.new_account:
        user.is_active = True
    user.save(update_fields=["role", "agency", "is_staff", "is_superuser", "is_active"])


def create_account(*, username: str, first_name: str, last_name: str, email: str,
                   job_title: str, role: str, agency: Agency, password: str, reason: str,
                   by: User) -> AccountChange:
    """Add an account. An analyst or board member can sign in at once; any other account stays
    inactive until a second administrator approves it (IMMEDIATE_NEW_ROLES). Its owner sets up
    their authenticator app at their first sign-in."""
    _require_administrator(by)
    reason = _reason(reason)
    with transaction.atomic():
        user = User(username=username, first_name=first_name, last_name=last_name,
                    email=email, job_title=job_title, agency=agency, role=Role.REFERRER,
                    is_active=False)
        user.set_password(password)
        user.save()
        change = AccountChange(user=user, new_account=True, old_role="", new_role=role,
                               old_agency=None, new_agency=agency, reason=reason,
                               requested_by=by)
        if role not in IMMEDIATE_NEW_ROLES:
            change.status = AccountChange.Status.PENDING
            change.save()
            audit.record(by, "request_account_change", change, changes=_changes(change),
                         reason=reason,
                         summary=f"Asked for a new account, {username}, as {_role_label(role)} "
                                 f"at {agency.name}; waits for a second administrator")
            return change
        change.status = AccountChange.Status.MADE
        change.decided_by = by
        change.decided_at = timezone.now()
        change.save()
        _apply(user, change)
        audit.record(by, "create_account", change, changes=_changes(change), reason=reason,
                     summary=f"Added {username} as {_role_label(role)} at {agency.name}")
    return change


def change_account(user: User, *, role: str, agency: Agency, reason: str,
                   by: User) -> AccountChange:
    """Change `user`'s role and agency. Made at once, unless the new role is one of
    APPROVAL_ROLES: then it waits, pending, for a second administrator (`approve_change`)."""
    _require_administrator(by)
    _not_themselves(user, by)
    reason = _reason(reason)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if role == user.role and agency.pk == user.agency_id:
            raise AdministrationError("Choose a different role or agency")
        if AccountChange.objects.filter(user=user, status=AccountChange.Status.PENDING).exists():
            raise AdministrationError("A change to this account is already waiting for a "
                                      "second administrator")
        change = AccountChange(user=user, old_role=user.role, new_role=role,
                               old_agency_id=user.agency_id, new_agency=agency, reason=reason,
                               requested_by=by)
        if role in APPROVAL_ROLES:
            change.status = AccountChange.Status.PENDING
            change.save()
            audit.record(by, "request_account_change", change, changes=_changes(change),
                         reason=reason,
                         summary=f"Asked for {user.username} to become "
                                 f"{_role_label(role)} at {agency.name}; waits for a second "
                                 "administrator")
            return change
        change.status = AccountChange.Status.MADE
        change.decided_by = by
        change.decided_at = timezone.now()
        change.save()
        _apply(user, change)
        audit.record(by, "change_account", change, changes=_changes(change), reason=reason,
                     summary=f"Made {user.username} {_role_label(role)} at {agency.name}")
    return change


def _pending(change: AccountChange) -> AccountChange:
    locked = AccountChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != AccountChange.Status.PENDING:
        raise AdministrationError("This change has already been decided")
    return locked


def approve_change(change: AccountChange, *, by: User, note: str = "") -> AccountChange:
    """A second administrator approves a pending change, which is then made. Neither the
    administrator who asked for it nor the person it is for may approve it."""
    _require_administrator(by)
    with transaction.atomic():
        change = _pending(change)
        if by.pk in (change.requested_by_id, change.user_id):
            raise AdministrationError("A second administrator must approve this change: not "
                                      "the one who asked for it, nor the person it is for")
        user = User.objects.select_for_update().get(pk=change.user_id)
        if change.new_account:
            stale = user.is_active
        else:
            stale = user.role != change.old_role or user.agency_id != change.old_agency_id
        if stale:
            raise AdministrationError("The account has changed since this was asked for. "
                                      "Refuse it and ask again")
        change.status = AccountChange.Status.APPROVED
        change.decided_by = by
        change.decided_at = timezone.now()
        change.decision_note = note.strip()
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _apply(user, change)
        audit.record(by, "approve_account_change", change, changes=_changes(change),
                     reason=change.reason,
                     summary=f"Approved {user.username} becoming "
                             f"{_role_label(change.new_role)} (asked for by "
                             f"{change.requested_by.username})")
    return change


def refuse_change(change: AccountChange, *, by: User, note: str = "") -> AccountChange:
    """Refuse a pending change (the administrator who asked may withdraw it this way)."""
    _require_administrator(by)
    with transaction.atomic():
        change = _pending(change)
        if by.pk == change.user_id:
            raise AdministrationError("You cannot decide a change to your own account")
        change.status = AccountChange.Status.REFUSED
        change.decided_by = by
        change.decided_at = timezone.now()
        change.decision_note = note.strip()
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(by, "refuse_account_change", change, reason=change.decision_note,
                     summary=f"Refused {change.user.username} becoming "
                             f"{_role_label(change.new_role)}")
    return change


def reset_authenticator(user: User, *, reason: str, by: User) -> int:
    """Remove the account's authenticator: its owner sets up a new one at their next sign-in
    (the secret is never shown again once enrolled). Returns how many devices were removed."""
    _require_administrator(by)
    _not_themselves(user, by)
    reason = _reason(reason)
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        audit.record(by, "reset_authenticator", user, reason=reason,
                     changes={"devices_removed": removed},
                     summary=f"Reset {user.username}'s authenticator: they set up a new one "
                             "at their next sign-in")
    return removed


def add_agency(*, name: str, kind: str, area: Area, reason: str, by: User) -> Agency:
    """Add an agency to an area (agencies are not changed afterwards: their area decides whose
    children their people work with, so a move is a new agency and changes of agency)."""
    _require_administrator(by)
    reason = _reason(reason)
    with transaction.atomic():
        if Agency.objects.filter(area=area, name__iexact=name).exists():
            raise AdministrationError(f"{area.name} already has an agency called {name}")
        agency = Agency.objects.create(name=name, kind=kind, area=area)
        audit.record(by, "create_agency", agency, reason=reason,
                     changes=audit.created(agency, ("name", "kind", "area")),
                     summary=f"Added the agency {name} in {area.name}")
    return agency
