"""A joint meeting about another area's child opens that child's record to nobody until that
area's CSE team manager agrees (seed 003 §11; issue 16). The access an agreement gives is a
grant, audited, ending with the meeting's own access."""

import pytest

from lantern import testing
from lantern.foundation.models import AuditEvent, Grant, WorkItem
from lantern.intelligence.tests.helpers import eastmoor_manager
from lantern.meetings import actions
from lantern.meetings.models import AreaAgreement
from lantern.pathway import queries as pathway_queries
from lantern.pathway.actions import decide_referral

from .helpers import convene


@pytest.fixture
def lola(p):
    """A child in Eastmoor, linked to Jade by intelligence."""
    lola = testing.make_child(p.carol, given_names="Lola", family_name="East")
    testing.make_concern(lola, p.carol)
    return lola


@pytest.fixture
def joint(p, child, lola):
    return convene(p, [child, lola], kind="complex_strategy")


def _opens(as_user, user, child) -> int:
    return as_user(user).get(child.get_absolute_url()).status_code


def test_the_convening_manager_cannot_open_the_other_areas_child_before_it_agrees(
        p, lola, joint, as_user):
    assert _opens(as_user, p.maria, lola) == 404


def test_an_invited_officer_cannot_open_the_other_areas_child_before_it_agrees(
        p, lola, joint, as_user):
    assert _opens(as_user, p.priya, lola) == 404


def test_the_convening_manager_opens_the_other_areas_child_once_it_agrees(
        p, lola, joint, as_user):
    actions.record_agreement(joint.agreements.get(), by=eastmoor_manager(p), agreed=True)
    assert _opens(as_user, p.maria, lola) == 200


def test_the_meeting_names_the_other_areas_child_only_once_it_agrees(p, lola, joint, as_user):
    before = as_user(p.maria).get(joint.get_absolute_url()).text
    actions.record_agreement(joint.agreements.get(), by=eastmoor_manager(p), agreed=True)
    after = as_user(p.maria).get(joint.get_absolute_url()).text
    assert "Lola" not in before and "A child in Eastmoor" in before
    assert "Lola East" in after


def test_a_professional_invited_after_the_agreement_sees_the_other_areas_child(
        p, lola, joint, as_user):
    actions.record_agreement(joint.agreements.get(), by=eastmoor_manager(p), agreed=True)
    actions.invite(joint, by=p.maria, invitee="education_cse_lead", user=p.alice)
    assert _opens(as_user, p.alice, lola) == 200


def test_the_access_an_agreement_gives_ends_with_the_meeting(p, lola, joint, as_user):
    actions.record_agreement(joint.agreements.get(), by=eastmoor_manager(p), agreed=True)
    actions.cancel(joint, by=p.maria, reason="Convened twice by mistake")
    assert _opens(as_user, p.maria, lola) == 404


def test_the_agreement_is_a_grant_on_the_childs_access_log(p, lola, joint):
    esme = eastmoor_manager(p)
    actions.record_agreement(joint.agreements.get(), by=esme, agreed=True)
    grant = Grant.objects.get(child=lola, user=p.maria)
    assert grant.basis == "cross_area_agreement"
    assert AuditEvent.objects.filter(actor=esme, action="agree").exists()


def test_a_declined_joint_meeting_opens_nothing(p, lola, joint, as_user):
    actions.record_agreement(joint.agreements.get(), by=eastmoor_manager(p), agreed=False,
                             reason="Lola's own strategy meeting is tomorrow; join ours.")
    assert _opens(as_user, p.maria, lola) == 404


def test_declining_needs_a_reason(p, joint):
    with pytest.raises(actions.MeetingError, match="Enter why"):
        actions.record_agreement(joint.agreements.get(), by=eastmoor_manager(p), agreed=False)


def test_only_the_other_areas_cse_manager_records_its_agreement(p, joint):
    with pytest.raises(actions.MeetingError, match="Only a CSE team manager of Eastmoor"):
        actions.record_agreement(joint.agreements.get(), by=p.maria, agreed=True)


def test_the_other_areas_manager_is_asked_in_their_tray(p, joint):
    item = WorkItem.objects.get(kind="joint_meeting_agreement")
    assert (item.area, item.owner_role) == (p.east, "cse_manager")


def test_the_other_areas_manager_agrees_on_the_meeting_page(p, lola, joint, as_user):
    esme = eastmoor_manager(p)
    client = as_user(esme)
    assert "Agree to this joint meeting" in client.get(joint.get_absolute_url()).text
    client.post(f"/meetings/{joint.pk}/agreement/", {"agreed": "yes"})
    assert joint.agreements.get().state == AreaAgreement.State.AGREED
    assert WorkItem.objects.get(kind="joint_meeting_agreement").status == "done"


def test_declining_on_the_page_without_a_reason_keeps_the_form(p, joint, as_user):
    response = as_user(eastmoor_manager(p)).post(f"/meetings/{joint.pk}/agreement/",
                                                  {"agreed": "no"})
    assert response.status_code == 200
    assert "Enter why your area declines the joint meeting" in response.text


def test_the_convening_manager_cannot_record_the_other_areas_agreement(p, joint, as_user):
    assert as_user(p.maria).post(f"/meetings/{joint.pk}/agreement/",
                                 {"agreed": "yes"}).status_code == 403


def test_a_meeting_about_one_areas_children_asks_no_agreement(p, child):
    kayla = testing.make_child(p.alice, given_names="Kayla")
    meeting = convene(p, [child, kayla], kind="complex_strategy")
    assert not meeting.agreements.exists()


def test_the_meetings_list_names_the_other_childs_own_area(p, joint, as_user):
    body = as_user(p.maria).get("/meetings/").text
    assert "A child in Eastmoor" in body and "A child in Northbridge" not in body


def _state(child):
    pathway = pathway_queries.open_pathway(child)
    return pathway.state if pathway is not None else None


def test_the_other_areas_childs_pathway_moves_only_once_it_agrees(p, child, lola):
    decide_referral(testing.make_referral(lola, p.carol), "strategy_discussion", by=p.eve,
                    rationale="Linked to a Northbridge suspect")
    before = _state(lola)
    meeting = convene(p, [child, lola], kind="complex_strategy")
    assert _state(lola) == before
    actions.record_agreement(meeting.agreements.get(), by=eastmoor_manager(p), agreed=True)
    assert _state(lola) != before
