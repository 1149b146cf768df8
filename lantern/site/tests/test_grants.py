"""Access comes only from explicit grants, never from having written (issue 13, item 1): the
reproductions in the issue, and each flow that writes a grant.

Jade is a Northbridge child alice's school added. carol teaches in Eastmoor and bob at another
Northbridge school; neither sees her until a grant says so.
"""

from datetime import timedelta

import time_machine
from django.utils import timezone

from lantern import testing
from lantern.foundation.models import AuditEvent, Grant, GrantBasis
from lantern.meetings.tests import helpers
from lantern.pathway.models import Concern


def _concern_form():
    today = timezone.localdate()
    return {"observed_on_day": today.day, "observed_on_month": today.month,
            "observed_on_year": today.year, "narrative": "Seen with an older man near the "
            "station.", "urgent": "no"}


def _break_glass(client, child):
    dob = child.date_of_birth
    return client.post("/emergency-access/", {
        "given_names": child.given_names, "family_name": child.family_name,
        "date_of_birth_day": dob.day, "date_of_birth_month": dob.month,
        "date_of_birth_year": dob.year,
        "reason": "She has been found with an adult at 2am and we need her history now."})


def test_emergency_access_is_a_read_only_grant_that_expires(p, child, as_user):
    _break_glass(as_user(p.carol), child)
    grant = Grant.objects.get(user=p.carol, child=child)
    assert grant.basis == GrantBasis.BREAK_GLASS and grant.read_only and not grant.changes
    assert grant.ends_at - grant.starts_at == timedelta(hours=4)
    assert AuditEvent.objects.filter(action="grant", object_id=str(grant.pk)).exists()


def test_emergency_access_then_recording_a_concern_is_refused(p, child, as_user):
    client = as_user(p.carol)
    _break_glass(client, child)
    response = client.post(f"/children/{child.pk}/concerns/new/", _concern_form())
    assert response.status_code == 403
    assert not Concern.objects.filter(child=child, recorded_by=p.carol).exists()


def test_emergency_access_then_screening_or_referring_is_refused(p, child, as_user):
    client = as_user(p.carol)
    _break_glass(client, child)
    assert client.post(f"/children/{child.pk}/refer/", {}).status_code == 403
    assert client.post(f"/children/{child.pk}/screenings/new/", {}).status_code == 403


def test_expired_emergency_access_opens_neither_the_record_nor_the_api(p, child, as_user):
    _break_glass(as_user(p.carol), child)
    with time_machine.travel(timezone.now() + timedelta(hours=4, minutes=1), tick=False):
        client = as_user(p.carol)
        assert client.get(f"/children/{child.pk}/").status_code == 404
        assert client.get(f"/api/children/{child.pk}/").status_code == 404
        listed = client.get("/api/children/").content.decode()
        assert child.family_name not in listed


def test_an_invitees_concern_does_not_open_the_record_to_their_dsl(p, child, as_user):
    dsl = testing.UserFactory(username="dana", role="dsl", agency=p.hillcrest)
    helpers.convene(p, [child], invite=[("referrer", p.bob)])
    response = as_user(p.bob).post(f"/children/{child.pk}/concerns/new/", _concern_form())
    assert response.status_code == 302  # the invitee may add to the record
    client = as_user(dsl)
    assert client.get(f"/children/{child.pk}/").status_code == 404
    assert client.post(f"/children/{child.pk}/concerns/new/", _concern_form()
                       ).status_code == 404


def test_a_meeting_invitation_is_a_grant_to_the_invitee_only(p, child):
    meeting = helpers.convene(p, [child], invite=[("referrer", p.bob)])
    grant = Grant.objects.get(user=p.bob, child=child)
    assert grant.basis == GrantBasis.MEETING_INVITATION and grant.ends_at is None
    assert grant.source_type == "meetings.invitation"
    assert meeting.invitations.filter(pk=grant.source_id, user=p.bob).exists()


def test_a_cancelled_meeting_ends_its_invitations(p, child, as_user):
    from lantern.meetings import actions as meetings

    meeting = helpers.convene(p, [child], invite=[("referrer", p.bob)])
    meetings.cancel(meeting, by=p.maria, reason="The chair is ill")
    assert as_user(p.bob).get(f"/children/{child.pk}/").status_code == 404


def test_an_invitation_ends_four_weeks_after_the_meeting_is_held(p, child):
    from lantern.meetings import actions as meetings

    meeting = helpers.convene(p, [child], invite=[("referrer", p.bob)])
    helpers.hold(p, meeting, [child])
    grant = Grant.objects.get(user=p.bob, child=child)
    meeting.refresh_from_db()
    assert grant.ends_at == meeting.held_at + meetings.MEETING_ACCESS_AFTER_HELD


def test_allocation_is_a_grant_that_changes_the_record(p, child):
    from lantern.people.actions import allocate

    allocate(child, p.sam, by=p.fiona)
    grant = Grant.objects.get(user=p.sam, child=child)
    assert grant.basis == GrantBasis.ALLOCATION and grant.changes and not grant.read_only


def test_an_action_owner_holds_a_grant_until_the_plan_closes(p, child, as_user):
    from lantern.plans import actions as plans

    plan = plans.start_plan(child, by=p.maria)
    plans.add_action(plan, version=plan.version, by=p.maria, kind="safety",
                     description="Agree a safe word", risk="Going missing", owner=p.bob)
    assert as_user(p.bob).get(f"/children/{child.pk}/plan/").status_code == 200
    plan.refresh_from_db()
    plans.close_plan(plan, version=plan.version, by=p.maria, reason="Risk has reduced")
    assert as_user(p.bob).get(f"/children/{child.pk}/").status_code == 404


def test_recording_anything_writes_no_grant(p, child):
    before = Grant.objects.count()
    testing.make_concern(child, p.alice)
    screening = testing.make_screening(child, p.alice)
    testing.make_referral(child, p.alice, screening=screening)
    assert Grant.objects.count() == before
