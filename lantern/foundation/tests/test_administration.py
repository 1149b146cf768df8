"""Administration without escalation (issue 13, item 3): roles and agencies change only through
Lantern's pages with a reason, audited; nobody changes their own account; the powerful roles
need a second administrator; authenticator secrets are never shown after enrolment; the Django
admin is read-only for accounts and agencies and has no devices."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern import testing
from lantern.foundation import accounts, mfa
from lantern.foundation.models import AccountChange, AuditEvent, Role, User


@pytest.fixture
def zoe(p):
    """A second administrator."""
    return testing.UserFactory(username="zoe", role=Role.ADMIN, agency=p.north_partnership,
                               is_staff=True, is_superuser=True)


def _change(client, user, **data):
    form = {"action": "change", "role": user.role, "agency": user.agency_id,
            "reason": "Asked by their manager"}
    form.update(data)
    return client.post(f"/administration/people/{user.pk}/", form)


# --- who may administer -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["alice", "fiona", "maria", "priya", "ana", "bea"])
def test_only_administrators_open_the_accounts_pages(p, as_user, name):
    client = as_user(getattr(p, name))
    assert client.get("/administration/people/").status_code == 403
    assert client.get(f"/administration/people/{p.alice.pk}/").status_code == 403
    assert client.get("/administration/changes/").status_code == 403


def test_nobody_changes_their_own_role_through_the_action(p, zoe):
    with pytest.raises(accounts.AdministrationError, match="your own account"):
        accounts.change_account(p.ade, role=Role.POLICE, agency=p.north_police, reason="x",
                                by=p.ade)


def test_a_non_administrator_cannot_change_a_role_through_the_action(p):
    with pytest.raises(PermissionDenied):
        accounts.change_account(p.alice, role=Role.DSL, agency=p.riverside, reason="x",
                                by=p.maria)


def test_the_accounts_list_shows_everyone_and_is_audited(p, as_user):
    body = as_user(p.ade).get("/administration/people/").content.decode()
    assert "alice" in body and "priya" in body
    assert AuditEvent.objects.filter(actor=p.ade, action="list").exists()


# --- changes made at once ---------------------------------------------------------------------

def test_an_administrator_changes_a_role_with_a_reason_and_it_is_audited(p, as_user):
    response = _change(as_user(p.ade), p.alice, role=Role.DSL,
                       reason="She is the new designated safeguarding lead")
    assert response.status_code == 302
    p.alice.refresh_from_db()
    assert p.alice.role == Role.DSL
    event = AuditEvent.objects.get(action="change_account")
    assert event.actor == p.ade
    assert event.reason == "She is the new designated safeguarding lead"
    assert event.changes["role"] == {"old": "referrer", "new": "dsl"}


def test_moving_someone_to_another_area_is_a_change_of_agency(p, as_user):
    _change(as_user(p.ade), p.alice, agency=p.eastmoor_high.pk, reason="Moved school")
    p.alice.refresh_from_db()
    assert p.alice.agency == p.eastmoor_high and p.alice.area == p.east
    assert AuditEvent.objects.get(action="change_account").changes["agency"] == {
        "old": p.riverside.pk, "new": p.eastmoor_high.pk}


def test_a_change_without_a_reason_is_refused_and_the_form_kept(p, as_user):
    response = _change(as_user(p.ade), p.alice, role=Role.DSL, reason="  ")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter the reason for the change" in body
    assert 'value="dsl" checked' in body
    p.alice.refresh_from_db()
    assert p.alice.role == Role.REFERRER


def test_nobody_changes_their_own_role(p, as_user, zoe):
    response = _change(as_user(p.ade), p.ade, role=Role.POLICE, agency=p.north_police.pk)
    assert response.status_code == 403
    assert "You cannot change your own account" in response.content.decode()
    p.ade.refresh_from_db()
    assert p.ade.role == Role.ADMIN
    assert not AccountChange.objects.exists()


def test_the_own_account_page_offers_no_change(p, as_user):
    body = as_user(p.ade).get(f"/administration/people/{p.ade.pk}/").content.decode()
    assert "This is your own account" in body
    assert 'name="reason"' not in body


# --- the powerful roles need a second administrator -------------------------------------------

@pytest.mark.parametrize("role", [Role.POLICE, Role.CSE_MANAGER, Role.ADMIN])
def test_granting_a_powerful_role_waits_for_a_second_administrator(p, as_user, role):
    _change(as_user(p.ade), p.sam, role=role, reason="Joining the team")
    p.sam.refresh_from_db()
    assert p.sam.role == Role.SOCIAL_WORKER
    change = AccountChange.objects.get()
    assert change.status == AccountChange.Status.PENDING
    assert AuditEvent.objects.filter(action="request_account_change", actor=p.ade).exists()


def test_a_second_administrator_approves_and_the_change_is_made(p, as_user, zoe):
    change = accounts.change_account(p.sam, role=Role.POLICE, agency=p.north_police,
                                     reason="Seconded to the police CSE team", by=p.ade)
    client = as_user(zoe)
    assert "Seconded to the police CSE team" in client.get(
        "/administration/changes/").content.decode()
    response = client.post("/administration/changes/", {
        "change": change.pk, f"c{change.pk}-decision": "approve", f"c{change.pk}-note": "ok"})
    assert response.status_code == 302
    p.sam.refresh_from_db()
    assert p.sam.role == Role.POLICE and p.sam.agency == p.north_police
    event = AuditEvent.objects.get(action="approve_account_change")
    assert event.actor == zoe and event.changes["role"]["new"] == "police"


def test_the_administrator_who_asked_cannot_approve(p, as_user, zoe):
    change = accounts.change_account(p.sam, role=Role.ADMIN, agency=p.north_partnership,
                                     reason="New administrator", by=p.ade)
    response = as_user(p.ade).post("/administration/changes/", {
        "change": change.pk, f"c{change.pk}-decision": "approve"})
    assert "A second administrator must approve this change" in response.content.decode()
    p.sam.refresh_from_db()
    assert p.sam.role == Role.SOCIAL_WORKER


def test_the_person_a_change_is_for_cannot_approve_it(p, zoe):
    change = accounts.change_account(zoe, role=Role.POLICE, agency=p.north_police,
                                     reason="Moving to the police", by=p.ade)
    with pytest.raises(accounts.AdministrationError):
        accounts.approve_change(change, by=zoe)


def test_a_refused_change_is_not_made_and_is_audited(p, zoe):
    change = accounts.change_account(p.sam, role=Role.CSE_MANAGER, agency=p.north_csc,
                                     reason="Acting manager", by=p.ade)
    accounts.refuse_change(change, by=zoe, note="Not agreed by the head of service")
    p.sam.refresh_from_db()
    assert p.sam.role == Role.SOCIAL_WORKER
    assert AuditEvent.objects.filter(action="refuse_account_change", actor=zoe).exists()


def test_a_change_cannot_be_approved_twice(p, zoe):
    change = accounts.change_account(p.sam, role=Role.POLICE, agency=p.north_police,
                                     reason="Seconded", by=p.ade)
    accounts.approve_change(change, by=zoe)
    with pytest.raises(accounts.AdministrationError, match="already been decided"):
        accounts.approve_change(change, by=zoe)


def test_only_one_change_waits_at_a_time(p):
    accounts.change_account(p.sam, role=Role.POLICE, agency=p.north_police, reason="a",
                            by=p.ade)
    with pytest.raises(accounts.AdministrationError, match="already waiting"):
        accounts.change_account(p.sam, role=Role.ADMIN, agency=p.north_partnership,
                                reason="b", by=p.ade)


def test_a_change_that_went_stale_is_not_approved(p, zoe):
    change = accounts.change_account(p.sam, role=Role.POLICE, agency=p.north_police,
                                     reason="Seconded", by=p.ade)
    p.sam.role = Role.REFERRER
    p.sam.save(update_fields=["role"])
    with pytest.raises(accounts.AdministrationError, match="has changed"):
        accounts.approve_change(change, by=zoe)


def test_taking_away_the_administrator_role_takes_away_the_django_admin(p, zoe):
    accounts.change_account(zoe, role=Role.BOARD, agency=p.north_partnership,
                            reason="Moving to the board", by=p.ade)
    zoe.refresh_from_db()
    assert not zoe.is_staff and not zoe.is_superuser


# --- authenticators ---------------------------------------------------------------------------

def test_the_account_page_never_shows_the_authenticator_secret(p, as_user):
    device = testing.add_authenticator(p.alice)
    body = as_user(p.ade).get(f"/administration/people/{p.alice.pk}/").content.decode()
    secret = mfa.secret_base32(device)
    assert secret not in body and device.key not in body
    assert "its key is never shown" in body


def test_reset_authenticator_forces_a_new_enrolment_and_is_audited(p, as_user, client):
    testing.add_authenticator(p.alice)
    response = as_user(p.ade).post(f"/administration/people/{p.alice.pk}/", {
        "action": "reset", "reset_reason": "Lost her phone"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=p.alice).exists()
    event = AuditEvent.objects.get(action="reset_authenticator")
    assert event.reason == "Lost her phone" and event.object_id == str(p.alice.pk)
    client.logout()
    client.post("/sign-in/", {"username": "alice", "password": testing.PASSWORD})
    assert client.get("/children/")["Location"].startswith("/sign-in/authenticator/")


def test_nobody_resets_their_own_authenticator(p):
    with pytest.raises(accounts.AdministrationError):
        accounts.reset_authenticator(p.ade, reason="x", by=p.ade)


# --- the Django admin -------------------------------------------------------------------------

def test_the_django_admin_cannot_change_a_role(p, as_user):
    client = as_user(p.ade)
    url = f"/admin/foundation/user/{p.ade.pk}/change/"
    assert client.get(url).status_code == 200  # read-only view
    client.post(url, {"username": "ade", "role": Role.POLICE, "agency": p.north_police.pk})
    p.ade.refresh_from_db()
    assert p.ade.role == Role.ADMIN


def test_the_django_admin_cannot_add_accounts_or_agencies(p, as_user):
    client = as_user(p.ade)
    assert client.get("/admin/foundation/user/add/").status_code == 403
    assert client.get("/admin/foundation/agency/add/").status_code == 403
    assert client.get(f"/admin/foundation/user/{p.alice.pk}/password/").status_code == 403


def test_the_django_admin_does_not_show_authenticator_devices(p, as_user):
    device = testing.add_authenticator(p.alice)
    client = as_user(p.ade)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    body = client.get(f"/admin/foundation/user/{p.alice.pk}/change/").content.decode()
    assert device.key not in body and mfa.secret_base32(device) not in body


# --- adding accounts ----------------------------------------------------------------------------

def _add(client, **data):
    form = {"username": "nadia", "first_name": "Nadia", "last_name": "Okafor",
            "email": "nadia@example.org", "job_title": "Teacher", "role": Role.REFERRER,
            "password": "a-long-first-password", "reason": "New teacher at Riverside"}
    form.update(data)
    return client.post("/administration/people/add/", form)


def test_an_administrator_adds_a_board_account_that_can_sign_in_at_once(p, as_user):
    response = _add(as_user(p.ade), agency=p.riverside.pk, role=Role.BOARD,
                    reason="New board member")
    assert response.status_code == 302
    nadia = User.objects.get(username="nadia")
    assert nadia.is_active and nadia.role == Role.BOARD and nadia.agency == p.riverside
    assert nadia.check_password("a-long-first-password")
    event = AuditEvent.objects.get(action="create_account")
    assert event.reason == "New board member" and "a-long-first" not in str(event.changes)


@pytest.mark.parametrize("role", [Role.REFERRER, Role.FRONT_DOOR, Role.SOCIAL_WORKER])
def test_a_new_account_that_would_see_children_waits_for_a_second_administrator(
        p, as_user, role):
    """The administrator chose its password and could enrol its authenticator: one person
    alone must not be able to make an account that reads children's records."""
    _add(as_user(p.ade), agency=p.riverside.pk, role=role)
    nadia = User.objects.get(username="nadia")
    assert not nadia.is_active
    assert AccountChange.objects.get(user=nadia).status == AccountChange.Status.PENDING


def test_a_new_police_account_cannot_sign_in_until_a_second_administrator_approves(
        p, as_user, zoe):
    _add(as_user(p.ade), role=Role.POLICE, agency=p.north_police.pk)
    nadia = User.objects.get(username="nadia")
    assert not nadia.is_active
    change = AccountChange.objects.get(user=nadia)
    with pytest.raises(accounts.AdministrationError):
        accounts.approve_change(change, by=p.ade)
    accounts.approve_change(change, by=zoe)
    nadia.refresh_from_db()
    assert nadia.is_active and nadia.role == Role.POLICE


def test_adding_an_account_with_a_weak_password_or_taken_name_keeps_the_form(p, as_user):
    response = _add(as_user(p.ade), username="ALICE", password="short",
                    agency=p.riverside.pk)
    body = response.content.decode()
    assert response.status_code == 200
    assert "That username is taken" in body
    assert "This password is too short" in body
    assert 'value="Nadia"' in body
    assert not User.objects.filter(username="nadia").exists()


def test_createsuperuser_makes_a_lantern_administrator(db):
    user = User.objects.create_superuser("first-admin", "a@example.org", "x" * 16)
    assert user.role == Role.ADMIN and user.is_superuser


# --- agencies ---------------------------------------------------------------------------------

def test_an_administrator_adds_an_agency_with_a_reason(p, as_user):
    response = as_user(p.ade).post("/administration/agencies/add/", {
        "name": "Northbridge Youth Project", "kind": "voluntary", "area": p.north.pk,
        "reason": "Joined the partnership"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="create_agency")
    assert event.reason == "Joined the partnership"
    assert event.changes["name"]["new"] == "Northbridge Youth Project"


def test_an_agency_name_already_in_the_area_is_refused_and_the_form_kept(p, as_user):
    response = as_user(p.ade).post("/administration/agencies/add/", {
        "name": "riverside academy", "kind": "education", "area": p.north.pk,
        "reason": "Duplicate"})
    body = response.content.decode()
    assert "Northbridge already has an agency called riverside academy" in body
    assert 'value="riverside academy"' in body


def test_a_session_open_before_the_reset_cannot_enrol_a_new_authenticator(p, client):
    """Someone holding a session from before the reset (a stolen phone's browser, say) must
    give the password again before a new authenticator can be set up."""
    testing.add_authenticator(p.alice)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/sign-in/", {"username": "alice", "password": testing.PASSWORD})
        client.post("/sign-in/code/", {"code": testing.current_code(p.alice)})
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        client.get("/")
        accounts.reset_authenticator(p.alice, reason="Phone stolen", by=p.ade)
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        response = client.get("/sign-in/authenticator/")
    assert response["Location"] == "/sign-in/"
    assert not TOTPDevice.objects.filter(user=p.alice).exists()
