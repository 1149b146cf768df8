"""Police and children's social care must attend a strategy or MASE meeting: Lantern warns
when they are not invited, and when they did not attend (SPEC §5; seed 000 §14)."""

from datetime import timedelta

from django.utils import timezone

from lantern.meetings import actions, queries
from lantern.meetings.models import Attendance
from lantern.meetings.tests import helpers as h


def _warnings(meeting):
    return [w["text"] for w in queries.warnings(meeting, list(meeting.invitations.all()))]


def test_a_mase_without_the_police_invited_is_warned_about(p, child, as_user):
    meeting = actions.convene(children=[child], kind="mase_initial", by=p.maria, chair=p.maria,
                              scheduled_for=timezone.now() + timedelta(days=2),
                              format="in_person")
    assert _warnings(meeting) == [
        "Nobody from the police is invited: they should always attend a MASE meeting "
        "(SPEC §5; Stockport CSE procedure §14)"]
    body = as_user(p.maria).get(meeting.get_absolute_url()).content.decode()
    assert "Nobody from the police is invited" in body


def test_no_warning_while_both_are_invited_and_attendance_is_not_recorded(p, child):
    meeting = h.convene(p, [child])  # maria (children's social care) chairs; priya invited
    assert _warnings(meeting) == []


def test_the_police_not_attending_is_warned_about(p, child, as_user):
    meeting = h.convene(p, [child])
    police = meeting.invitations.get(user=p.priya)
    chair = meeting.invitations.get(user=p.maria)
    as_user(p.maria).post(f"/meetings/{meeting.pk}/attendance/", {
        f"i{chair.pk}": Attendance.ATTENDED, f"i{police.pk}": Attendance.APOLOGIES})
    assert _warnings(meeting) == [
        "Nobody from the police attended: they should always attend a MASE meeting "
        "(SPEC §5; Stockport CSE procedure §14)"]
    assert "Nobody from the police attended" in as_user(p.maria).get(
        meeting.get_absolute_url()).content.decode()


def test_childrens_social_care_not_attending_is_warned_about(p, child):
    meeting = h.convene(p, [child], kind="complex_strategy")
    actions.record_attendance(meeting, {
        meeting.invitations.get(user=p.maria).pk: Attendance.ABSENT,
        meeting.invitations.get(user=p.priya).pk: Attendance.ATTENDED}, by=p.maria)
    assert _warnings(meeting) == [
        "Nobody from children's social care attended: they should always attend a complex "
        "strategy meeting (SPEC §5; Stockport CSE procedure §14)"]


def test_a_cp_conference_link_has_no_attendance_warning(p, child):
    meeting = actions.convene(children=[child], kind="cp_conference", by=p.maria,
                              chair=p.maria, scheduled_for=timezone.now() + timedelta(days=2),
                              format="video")
    assert _warnings(meeting) == []


def test_the_convene_page_warns_before_the_meeting_is_called(p, child, as_user):
    # Only maria (children's social care) is in the area besides the police, who are proposed
    # and unticked here.
    day = timezone.localdate() + timedelta(days=2)
    body = as_user(p.maria).post(f"/children/{child.pk}/meetings/new/", {
        "kind": "mase_initial", "scheduled_on_day": day.day, "scheduled_on_month": day.month,
        "scheduled_on_year": day.year, "scheduled_time": "", "format": "in_person",
    }).content.decode()
    assert "Nobody from the police is invited" in body


def test_attendance_is_audited(p, child):
    from lantern.foundation.models import AuditEvent

    meeting = h.convene(p, [child])
    h.attend_all(meeting, p.maria)
    assert AuditEvent.objects.filter(action="update", summary="Recorded attendance").count() == 2
