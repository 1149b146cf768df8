"""Recording a meeting as held (issue 14, item 3): never before it starts, never without
attendance, and the police or children's social care absent only once that is acknowledged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern.foundation.models import AuditEvent
from lantern.meetings import actions
from lantern.meetings.models import Attendance, Invitation, Meeting
from lantern.meetings.tests import helpers as h


def _ready(p, child, *, days=3):
    meeting = h.convene(p, [child], days=days)
    h.fill_record(p, meeting, child)
    return meeting


def _police_absent(meeting):
    actions.record_attendance(meeting, {
        i.pk: Attendance.ABSENT if i.agency_kind == "police" else Attendance.ATTENDED
        for i in meeting.invitations.all()}, by=meeting.chair)


def test_a_meeting_cannot_be_recorded_as_held_before_it_starts(p, child):
    meeting = _ready(p, child)
    h.attend_all(meeting, p.maria)
    with pytest.raises(actions.MeetingError, match="cannot be recorded as held before it starts"):
        actions.conclude(meeting, by=p.maria, at=meeting.scheduled_for - timedelta(hours=2))
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CONVENED


def test_a_meeting_cannot_be_held_without_attendance(p, child):
    meeting = _ready(p, child)
    with pytest.raises(actions.MeetingError, match="Record whether each professional invited"):
        h.conclude(meeting, by=p.maria)


def test_a_meeting_nobody_attended_cannot_be_held(p, child):
    meeting = _ready(p, child)
    actions.record_attendance(meeting, {i.pk: Attendance.APOLOGIES
                                        for i in meeting.invitations.all()}, by=p.maria)
    with pytest.raises(actions.MeetingError, match="nobody is recorded as attending"):
        h.conclude(meeting, by=p.maria)


def test_police_absent_must_be_acknowledged(p, child):
    meeting = _ready(p, child)
    _police_absent(meeting)
    with pytest.raises(actions.AbsenceNotAcknowledged, match="Nobody from the police attended"):
        h.conclude(meeting, by=p.maria)
    h.conclude(meeting, by=p.maria, absence_acknowledged=True)
    held = AuditEvent.objects.filter(action="hold", object_id=str(meeting.pk)).get()
    assert "Nobody from the police attended" in str(held.changes["absence_acknowledged"])


def test_the_page_asks_for_the_acknowledgement_and_keeps_the_form(p, child, as_user):
    meeting = _ready(p, child, days=0)
    Meeting.objects.filter(pk=meeting.pk).update(
        scheduled_for=timezone.now() - timedelta(hours=1))
    _police_absent(meeting)
    client = as_user(p.maria)
    response = client.post(f"/meetings/{meeting.pk}/held/", {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Confirm that you understand the meeting was held without them" in body
    assert 'name="absence_acknowledged"' in body
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CONVENED
    response = client.post(f"/meetings/{meeting.pk}/held/", {"absence_acknowledged": "on"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD


def test_the_page_refuses_a_meeting_not_yet_started_with_the_error(p, child, as_user):
    meeting = _ready(p, child)
    h.attend_all(meeting, p.maria)
    response = as_user(p.maria).post(f"/meetings/{meeting.pk}/held/", {})
    assert response.status_code == 200
    assert "cannot be recorded as held before it starts" in response.content.decode()
    assert Invitation.objects.filter(meeting=meeting).exists()
