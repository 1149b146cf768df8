"""Who sees a meeting and its child: the professionals invited (read-only), not the family's
invitation, not once the meeting is cancelled; who changes it."""

import pytest

from lantern.foundation.access import can_change_child, visible_children
from lantern.meetings import actions
from lantern.meetings.tests import helpers as h


def test_a_professional_invited_sees_the_child_but_may_not_change_the_record(p, child,
                                                                           as_user):
    assert not visible_children(p.sam).filter(pk=child.pk).exists()
    meeting = h.convene(p, [child], invite=[("social_worker", p.sam)])
    assert visible_children(p.sam).filter(pk=child.pk).exists()
    assert not can_change_child(p.sam, child)
    client = as_user(p.sam)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.post(f"/meetings/{meeting.pk}/decisions/", {}).status_code == 403


def test_a_cancelled_meeting_no_longer_opens_the_child_s_record(p, child, as_user):
    meeting = h.convene(p, [child], invite=[("social_worker", p.sam)])
    response = as_user(p.maria).post(f"/meetings/{meeting.pk}/cancel/",
                                     {"reason": "The police officer is ill"})
    assert response.status_code == 302
    assert not visible_children(p.sam).filter(pk=child.pk).exists()
    assert child.chronology.filter(kind="meeting_cancelled").exists()


def test_cancelling_needs_a_reason_and_a_meeting_not_yet_held(p, child, as_user):
    meeting = h.convene(p, [child])
    body = as_user(p.maria).post(f"/meetings/{meeting.pk}/cancel/", {"reason": ""}
                                 ).content.decode()
    assert "Enter why the meeting is cancelled" in body
    h.hold(p, meeting, [child])
    with pytest.raises(actions.MeetingError, match="not yet held"):
        actions.cancel(meeting, by=p.maria, reason="Too late")


def test_the_family_s_invitation_gives_no_account_anything(p, child):
    meeting = h.convene(p, [child])
    invitation = actions.invite(meeting, by=p.maria, invitee="parents", name="Her mother",
                                for_child=child)
    assert invitation.professional is False and invitation.user is None


def test_the_area_s_other_cse_team_manager_may_change_the_meeting(p, child, as_user):
    from lantern import testing

    other = testing.UserFactory(username="mo", role="cse_manager", agency=p.north_csc)
    meeting = h.convene(p, [child])
    assert as_user(other).post(f"/meetings/{meeting.pk}/decisions/", {}).status_code == 200
    assert as_user(p.eve).get(meeting.get_absolute_url()).status_code == 404
