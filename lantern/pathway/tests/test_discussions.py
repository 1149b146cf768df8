"""The designated safeguarding lead's queue of their agency's concerns to discuss and confirm,
and the record of the discussion (SPEC §1; issue 15, item 3)."""

import pytest

from lantern import testing
from lantern.foundation.models import AuditEvent, ChronologyEntry, Role
from lantern.pathway import actions
from lantern.pathway.models import Concern, ConcernDiscussion


def _discuss(client, concern, **changes):
    data = {"discussed_with": "Alice Tester, Teacher",
            "notes": "We went through what she saw at the school gate.",
            "outcome": "agency_support"}
    data.update(changes)
    return client.post(f"/concerns/{concern.pk}/discussion/", data)


def test_the_queue_lists_the_agencys_concerns_not_yet_discussed(p, child, as_user):
    other = testing.make_child(p.bob, given_names="Hillcrest")
    testing.make_concern(other, p.bob)
    body = as_user(p.dev).get("/concerns/to-discuss/").content.decode()
    assert child.full_name in body
    assert other.full_name not in body  # another school's concern is its own lead's


def test_urgent_concerns_come_first_then_the_longest_waiting(p, as_user):
    waiting = testing.make_child(p.alice, given_names="Waiting")
    testing.make_concern(waiting, p.alice)
    newer = testing.make_child(p.alice, given_names="Newer")
    testing.make_concern(newer, p.alice)
    urgent = testing.make_child(p.alice, given_names="Urgent")
    testing.make_concern(urgent, p.alice, urgent=True)
    body = as_user(p.dev).get("/concerns/to-discuss/").content.decode()
    assert body.index("Urgent Example") < body.index("Waiting Example") < body.index(
        "Newer Example")


def test_a_discussed_concern_leaves_the_queue(p, child, as_user):
    client = as_user(p.dev)
    concern = Concern.objects.get(child=child)
    assert _discuss(client, concern)["Location"] == "/concerns/to-discuss/"
    body = client.get("/concerns/to-discuss/").content.decode()
    assert f"/concerns/{concern.pk}/discussion/" not in body
    assert "There are no concerns waiting for you to discuss" in body


def test_the_discussion_is_audited_and_in_the_chronology(p, child, as_user):
    concern = Concern.objects.get(child=child)
    _discuss(as_user(p.dev), concern)
    discussion = ConcernDiscussion.objects.get(concern=concern)
    event = AuditEvent.objects.get(object_type="pathway.concerndiscussion",
                                   object_id=str(discussion.pk), action="create")
    assert event.changes["outcome"]["new"] == "agency_support"
    entry = ChronologyEntry.objects.get(child=child, kind="concern_discussion")
    assert entry.title == ("Concern discussed with the designated safeguarding lead of "
                           "Riverside Academy: Our agency will support the child itself, with "
                           "advice from the CSE team where needed")
    assert entry.recorded_by == p.dev


def test_the_concern_page_shows_the_discussion(p, child, as_user):
    concern = Concern.objects.get(child=child)
    _discuss(as_user(p.dev), concern)
    body = as_user(p.alice).get(f"/concerns/{concern.pk}/").content.decode()
    assert "Discussed with the designated safeguarding lead" in body
    assert "at the school gate" in body


def test_confirming_a_screening_needs_one_of_this_concern(p, child, as_user):
    concern = Concern.objects.get(child=child)
    body = _discuss(as_user(p.dev), concern, outcome="screening_confirmed").content.decode()
    assert "There is no screening of this concern to confirm" in body
    assert not ConcernDiscussion.objects.exists()


def test_confirming_names_the_concerns_screening(p, child, as_user):
    concern = Concern.objects.get(child=child)
    screening = testing.make_screening(child, p.alice, concern=concern)
    _discuss(as_user(p.dev), concern, outcome="screening_confirmed")
    assert ConcernDiscussion.objects.get(concern=concern).screening == screening


def test_screening_together_leads_to_the_screening_of_this_concern(p, child, as_user):
    concern = Concern.objects.get(child=child)
    response = _discuss(as_user(p.dev), concern, outcome="screen_together")
    assert response["Location"] == f"/children/{child.pk}/screenings/new/?concern={concern.pk}"


def test_referring_leads_to_the_referral(p, child, as_user):
    concern = Concern.objects.get(child=child)
    response = _discuss(as_user(p.dev), concern, outcome="refer")
    assert response["Location"] == f"/children/{child.pk}/refer/"


def test_what_was_discussed_and_agreed_are_required_and_nothing_typed_is_lost(p, child,
                                                                              as_user):
    concern = Concern.objects.get(child=child)
    body = _discuss(as_user(p.dev), concern, notes="", outcome="").content.decode()
    assert "There is a problem" in body
    assert "Enter what you discussed" in body and "Select what you agreed" in body
    assert "Alice Tester, Teacher" in body


def test_an_outcome_not_in_the_list_is_refused(p, child, as_user):
    concern = Concern.objects.get(child=child)
    response = _discuss(as_user(p.dev), concern, outcome="nothing")
    assert response.status_code == 200
    assert not ConcernDiscussion.objects.exists()


def test_a_concern_is_discussed_once(p, child):
    concern = Concern.objects.get(child=child)
    actions.record_discussion(concern, by=p.dev, discussed_with="Alice", notes="First",
                              outcome="agency_support")
    with pytest.raises(actions.AlreadyDiscussed):
        actions.record_discussion(concern, by=p.dev, discussed_with="Alice", notes="Second",
                                  outcome="refer")


def test_a_second_lead_writing_at_the_same_time_keeps_their_notes(p, child, as_user):
    concern = Concern.objects.get(child=child)
    client = as_user(p.dev)
    client.get(f"/concerns/{concern.pk}/discussion/")
    actions.record_discussion(concern, by=p.dev, discussed_with="Alice", notes="First",
                              outcome="agency_support")
    response = _discuss(client, concern, notes="My own notes")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else recorded the discussion" in body and "My own notes" in body
    assert ConcernDiscussion.objects.get(concern=concern).notes == "First"


def test_only_leads_have_the_queue(p, child, as_user):
    for user in (p.alice, p.fiona, p.maria, p.bea):
        assert as_user(user).get("/concerns/to-discuss/").status_code == 403


def test_another_agencys_lead_may_not_discuss_the_concern(p, child, as_user):
    other_lead = testing.UserFactory.create(role=Role.DSL, agency=p.hillcrest)
    testing.give_access(child, other_lead)
    concern = Concern.objects.get(child=child)
    assert as_user(other_lead).get(f"/concerns/{concern.pk}/discussion/").status_code == 403


def test_a_lead_who_cannot_see_the_child_is_told_nothing(p, as_user):
    hidden = testing.make_child(p.alice, given_names="Hidden")
    concern = testing.make_concern(hidden, p.alice)
    stranger = testing.UserFactory.create(role=Role.DSL, agency=p.eastmoor_high)
    assert as_user(stranger).get(f"/concerns/{concern.pk}/discussion/").status_code == 404


def test_the_leads_home_page_counts_the_queue(p, child, as_user):
    body = as_user(p.dev).get("/").content.decode()
    assert "1 concern from Riverside Academy is waiting for you to discuss" in body


# session, user (with the lead's agency, for the caption, since issue 18), authenticator, the
# page of concerns (child, who recorded it, how many screenings, in one query), audit (chain
# head lock, insert, head update, the children shown), savepoints: the same
# whatever the row count.
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
QUEUE = 10


def _queue_queries(p, as_user, django_assert_num_queries) -> None:
    client = as_user(p.dev)
    client.get("/concerns/to-discuss/")
    with django_assert_num_queries(QUEUE):
        assert client.get("/concerns/to-discuss/").status_code == 200


def test_the_queue_query_count_stays_flat_as_concerns_grow(p, as_user,
                                                           django_assert_num_queries):
    for i in range(2):
        kid = testing.make_child(p.alice, given_names=f"First{i}")
        testing.make_screening(kid, p.alice, concern=testing.make_concern(kid, p.alice))
    _queue_queries(p, as_user, django_assert_num_queries)
    for i in range(8):
        kid = testing.make_child(p.alice, given_names=f"More{i}")
        testing.make_screening(kid, p.alice, concern=testing.make_concern(kid, p.alice))
    _queue_queries(p, as_user, django_assert_num_queries)
