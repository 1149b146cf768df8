"""Closed sections (seed 001 "closed access"; seed 000 §14 confidential section): requested by
any professional invited, granted by the chair with the explanation given to the family, read
only by the professionals invited and the CSE team managers of the areas involved."""

import pytest

from lantern import testing
from lantern.meetings import actions
from lantern.meetings.tests import helpers as h
from lantern.people import actions as people_actions

SECRET = "The suspect is under investigation for two other children."


@pytest.fixture
def meeting(p, child):
    """A MASE about Jade: maria chairs, priya (police) and sam (social worker) are invited;
    priya asked for a closed section, maria granted it and minuted it."""
    meeting = h.convene(p, [child], invite=[("social_worker", p.sam)])
    section = actions.request_closed_section(meeting, by=p.priya,
                                             reason="Third-party information about a suspect")
    actions.decide_closed_section(section, by=p.maria, grant=True,
                                  explanation_to_family="The police need to share information "
                                  "about other people, which they cannot share with families.")
    actions.save_closed_minutes(section, minutes=SECRET, by=p.maria)
    meeting.section = section
    return meeting


# Who reads the closed section's minutes on the meeting's own page: the chair, the invited
# police officer and social worker. fiona (front door) sees Jade and the meeting but was not
# invited; alice (whose school raised the concern) likewise.
@pytest.mark.parametrize(("name", "meeting_status", "reads_closed"), [
    ("maria", 200, True),    # chair, CSE team manager
    ("priya", 200, True),    # invited police officer, asked for it
    ("sam", 200, True),      # invited social worker (invitation lets him see Jade)
    ("fiona", 200, False),   # front door: sees the child, not invited
    ("alice", 200, False),   # her school's concern: sees the child, not invited
    ("bob", 404, False),     # another school
    ("carol", 404, False),   # another area
    ("eve", 404, False),     # another area's front door
    ("ana", 403, False), ("bea", 403, False), ("ade", 403, False),
])
def test_closed_section_visibility_per_named_user(p, meeting, as_user, name, meeting_status,
                                                  reads_closed):
    client = as_user(getattr(p, name))
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == meeting_status
    section_url = meeting.section.get_absolute_url()
    section = client.get(section_url)
    if reads_closed:
        assert section.status_code == 200 and SECRET in section.content.decode()
        assert section_url in response.content.decode()
    else:
        assert section.status_code in (403, 404)
        if meeting_status == 200:
            body = response.content.decode()
            assert SECRET not in body and section_url not in body
            assert "1 part of the meeting was closed" in body


def test_a_cse_team_manager_of_the_area_reads_it_without_an_invitation(p, meeting, as_user):
    other_manager = testing.UserFactory(username="mo", role="cse_manager", agency=p.north_csc)
    assert SECRET in as_user(other_manager).get(
        meeting.section.get_absolute_url()).content.decode()


def test_an_allocated_worker_not_invited_does_not_read_it(p, child, meeting, as_user):
    worker = testing.UserFactory(username="wes", role="social_worker", agency=p.north_csc)
    people_actions.allocate(child, worker, by=p.fiona)
    client = as_user(worker)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(meeting.section.get_absolute_url()).status_code == 404


def test_only_the_chair_grants_a_closed_section(p, child, as_user):
    meeting = h.convene(p, [child])
    section = actions.request_closed_section(meeting, by=p.priya, reason="Intelligence")
    response = as_user(p.priya).post(section.get_absolute_url(), {
        "form": "decide", "grant": "yes", "explanation_to_family": "Because"})
    assert response.status_code == 403
    with pytest.raises(actions.MeetingError, match="Only the chair"):
        actions.decide_closed_section(section, by=p.priya, grant=True,
                                      explanation_to_family="Because")


def test_granting_needs_the_explanation_given_to_the_family(p, child, as_user):
    meeting = h.convene(p, [child])
    section = actions.request_closed_section(meeting, by=p.priya, reason="Intelligence")
    body = as_user(p.maria).post(section.get_absolute_url(), {
        "form": "decide", "grant": "yes", "explanation_to_family": ""}).content.decode()
    assert "Enter what you explained to the child and family" in body
    section.refresh_from_db()
    assert section.status == "requested"


def test_any_professional_invited_may_ask_but_not_one_who_is_not(p, child, as_user):
    meeting = h.convene(p, [child], invite=[("referrer", p.alice)])
    assert as_user(p.alice).post(f"/meetings/{meeting.pk}/closed/", {
        "reason": "Something about another pupil"}).status_code == 302
    assert as_user(p.fiona).post(f"/meetings/{meeting.pk}/closed/", {
        "reason": "Something"}).status_code == 403
    assert meeting.closed_sections.get().requested_by == p.alice


def test_a_decision_made_in_a_closed_section_is_hidden_like_its_minutes(p, child, meeting,
                                                                      as_user):
    actions.record_decision(meeting, children=[child], text="Arrest for a drugs offence",
                            by=p.maria, closed_section=meeting.section)
    actions.record_decision(meeting, children=[child], text="Refer to CAMHS", by=p.maria)
    fiona = as_user(p.fiona).get(meeting.get_absolute_url()).content.decode()
    assert "Refer to CAMHS" in fiona and "Arrest for a drugs offence" not in fiona
    priya = as_user(p.priya).get(meeting.get_absolute_url()).content.decode()
    assert "Arrest for a drugs offence" in priya
