"""Convening a meeting: the kind and chair the profile names, within its timescale, with the
invitation list Lantern proposes (SPEC §5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern import testing
from lantern.foundation.models import WorkItem
from lantern.intelligence.models import Trigger
from lantern.intelligence.tests.helpers import eastmoor_manager, person, report
from lantern.meetings import actions
from lantern.meetings.models import Meeting
from lantern.meetings.tests import helpers as h
from lantern.people import actions as people_actions


def _post(day, **extra):
    data = {"kind": "mase_initial", "scheduled_on_day": day.day,
            "scheduled_on_month": day.month, "scheduled_on_year": day.year,
            "scheduled_time": "10:00", "format": "in_person", "chair": "", "invite": []}
    data.update(extra)
    return data


def test_the_kind_page_offers_the_profile_s_meetings_with_their_chairs(p, child, as_user):
    body = as_user(p.maria).get(f"/children/{child.pk}/meetings/new/").content.decode()
    assert "MASE meeting (new referral)" in body
    assert "Chaired by: CSE team manager" in body
    assert "Complex strategy meeting" in body


def test_the_details_page_proposes_the_invitation_list(p, child, as_user):
    people_actions.allocate(child, p.sam, by=p.fiona)
    testing.make_referral(child, p.alice)
    body = as_user(p.maria).get(
        f"/children/{child.pk}/meetings/new/?kind=mase_initial").content.decode()
    assert "The referrer, if a professional: Alice Tester, Riverside Academy" in body
    assert "The child&#x27;s allocated social worker: Sam Tester" in body
    assert "Police: the identified officer from the public protection unit: Priya" in body
    # The child and family are invited by name from the meeting's page.
    assert "parents or carers" in body


def test_a_mase_is_due_within_15_working_days_of_the_referral(p, child, as_user):
    h.refer_and_decide(p, child)
    meeting = h.convene(p, [child])
    assert meeting.due_at is not None and "15 working days" in meeting.due_basis
    # Convening moved the pathway to the meeting, whose work item has the same deadline.
    item = WorkItem.objects.get(child=child, kind="meeting", status="open")
    assert item.due_at == meeting.due_at


def test_a_meeting_after_its_deadline_needs_a_reason(p, child, as_user):
    h.refer_and_decide(p, child)
    late = timezone.localdate() + timedelta(days=40)
    client = as_user(p.maria)
    response = client.post(f"/children/{child.pk}/meetings/new/",
                           _post(late, chair=p.maria.pk))
    assert "Choose an earlier date or say why" in response.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(f"/children/{child.pk}/meetings/new/",
                           _post(late, chair=p.maria.pk,
                                 late_reason="The police officer in the case is on leave"))
    assert response.status_code == 302
    assert Meeting.objects.get().late_reason == "The police officer in the case is on leave"


def test_convening_by_the_page_records_the_chair_invitations_and_chronology(p, child, as_user):
    day = timezone.localdate() + timedelta(days=3)
    response = as_user(p.maria).post(f"/children/{child.pk}/meetings/new/", _post(
        day, chair=p.maria.pk, invite=[f"police:{p.priya.pk}"]))
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.chair == p.maria and "CSE team manager" in meeting.chair_basis
    assert {i.user for i in meeting.invitations.all()} == {p.maria, p.priya}
    assert child.chronology.filter(kind="meeting_convened").exists()


def test_a_complex_strategy_cannot_be_a_telephone_call(p, child):
    with pytest.raises(actions.MeetingError, match="never a telephone"):
        actions.convene(children=[child], kind="complex_strategy", by=p.maria, chair=p.maria,
                        scheduled_for=timezone.now() + timedelta(days=2), format="phone")


def test_a_meeting_about_one_child_cannot_cover_two(p, child):
    other = testing.make_child(p.alice, given_names="Kayla")
    with pytest.raises(actions.MeetingError, match="complex strategy"):
        h.convene(p, [child, other], kind="mase_initial")


def test_a_social_worker_convenes_only_for_a_child_they_are_allocated(p, child, as_user):
    assert as_user(p.sam).get(f"/children/{child.pk}/meetings/new/").status_code == 404
    people_actions.allocate(child, p.sam, by=p.fiona)
    body = as_user(p.sam).get(f"/children/{child.pk}/meetings/new/").content.decode()
    # A MASE is the CSE team's to convene: the social worker may, with a reason a manager
    # accepts (issue 14, item 2; seed 001, Figure 4).
    assert "Strategy discussion" in body and "MASE meeting (new referral)" in body
    assert "a manager of the area accepts it" in body


def test_a_teacher_cannot_convene(p, child, as_user):
    assert as_user(p.alice).get(f"/children/{child.pk}/meetings/new/").status_code == 403


def test_a_cse_manager_convenes_a_joint_complex_strategy_from_a_trigger(p, child, as_user):
    theirs = testing.make_child(p.carol, given_names="Ember", family_name="Linwood")
    testing.make_concern(theirs, p.carol)
    report(p.priya, [child, theirs], person("Dean", "Ward"))
    trigger = Trigger.objects.get(kind="complex_strategy")
    manager = eastmoor_manager(p)
    client = as_user(p.maria)
    page = client.get(f"/intelligence/triggers/{trigger.pk}/convene/").content.decode()
    assert "Joint meeting" in page and "a child in Eastmoor" in page
    assert f"other_area:{manager.pk}" in page
    day = timezone.localdate() + timedelta(days=5)
    client.post(f"/intelligence/triggers/{trigger.pk}/convene/", _post(
        day, kind="complex_strategy", chair=p.maria.pk,
        invite=[f"police:{p.priya.pk}", f"other_area:{manager.pk}"]))
    meeting = Meeting.objects.get()
    assert meeting.joint and meeting.kind == "complex_strategy" and meeting.area == p.north
    assert set(meeting.children.all()) == {child, theirs}
    assert "area service manager" in meeting.chair_basis
    trigger.refresh_from_db()
    assert trigger.state == "accepted" and trigger.meetings.get() == meeting


def test_police_may_not_convene_from_a_trigger(p, child, as_user):
    other = testing.make_child(p.alice, given_names="Kayla")
    report(p.alice, [child, other], person("Dean", "Ward"))
    trigger = Trigger.objects.get(kind="complex_strategy")
    assert as_user(p.priya).get(f"/intelligence/triggers/{trigger.pk}/convene/"
                                ).status_code == 403
