"""Daily and weekly tasking lists (seed 004): items across the area's children, and the
decision recorded on each, with an action that goes into its owner's work."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantern import testing
from lantern.foundation.access import visible_children
from lantern.foundation.models import AuditEvent, ChronologyEntry, WorkItem
from lantern.missing import testing as missing_testing
from lantern.monitoring.models import TaskingDecision
from lantern.pathway.models import Concern

LIST = reverse("monitoring:tasking")


@pytest.fixture
def urgent(p):
    child = testing.make_child(p.alice, given_names="Urgent")
    concern = testing.make_concern(child, p.alice, urgent=True)
    return concern


def _decide_url(item_key, cadence="daily"):
    return reverse("monitoring:tasking_decide", args=[cadence, item_key])


@pytest.mark.django_db
def test_the_daily_list_shows_a_new_urgent_concern_by_the_childs_name(p, as_user, urgent):
    response = as_user(p.fiona).get(LIST)
    assert "Urgent Example" in response.text
    assert "Urgent concern recorded by Riverside Academy" in response.text


@pytest.mark.django_db
def test_an_urgent_concern_older_than_a_day_is_on_the_weekly_list_only(p, as_user):
    child = testing.make_child(p.alice, given_names="Older")
    testing.make_concern(child, p.alice, urgent=True)
    Concern.objects.filter(child=child).update(recorded_at=timezone.now() - timedelta(days=3))
    client = as_user(p.maria)
    assert "Older Example" not in client.get(LIST).text
    assert "Older Example" in client.get(LIST, {"list": "weekly"}).text


@pytest.mark.django_db
def test_a_child_missing_now_is_on_the_list(p, as_user):
    child = testing.make_child(p.alice, given_names="Gone")
    missing_testing.make_episode(child, p.fiona, back_after=None)
    assert "Gone Example" in as_user(p.priya).get(LIST).text


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "sam", "bea", "ana"])
def test_tasking_is_for_the_front_door_cse_managers_and_police(p, as_user, who):
    assert as_user(getattr(p, who)).get(LIST).status_code == 403


@pytest.mark.django_db
def test_recording_a_decision_with_an_action_puts_it_in_the_owners_work(p, as_user, urgent):
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"), {
        "decision": "Visit today with police.", "owner": p.priya.pk,
        "due_on_day": "1", "due_on_month": "1", "due_on_year": "2099"})
    assert response.status_code == 302
    decision = TaskingDecision.objects.get()
    assert decision.child == urgent.child and decision.decided_by == p.maria
    item = WorkItem.objects.get(kind="tasking_action")
    # Priya (police) sees the area's children, so her work names the child.
    assert item.owner == p.priya and item.child == urgent.child
    assert item.url == urgent.get_absolute_url()
    assert "daily tasking meeting" in item.basis
    assert ChronologyEntry.objects.filter(child=urgent.child, kind="tasking").exists()
    assert AuditEvent.objects.filter(object_type="monitoring.taskingdecision",
                                     action="decide").exists()
    assert "Visit today with police." in as_user(p.fiona).get(LIST).text


@pytest.mark.django_db
def test_an_owner_who_may_not_see_the_child_gets_a_reference_not_the_childs_name(
        p, as_user, urgent):
    """Bob (Hillcrest School) may not see a child Riverside Academy added: his action names no
    child and links to no record, but is in his work with the decision's reference."""
    assert not visible_children(p.bob).filter(pk=urgent.child.pk).exists()
    as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"), {
        "decision": "Speak to the school nurse about the older boys at the gate.",
        "owner": p.bob.pk, "due_on_day": "1", "due_on_month": "1", "due_on_year": "2099"})
    decision = TaskingDecision.objects.get()
    item = WorkItem.objects.get(kind="tasking_action")
    assert item.owner == p.bob and item.child is None and item.url == ""
    assert f"TD-{decision.pk}" in item.title and "Maria" in item.basis
    work = as_user(p.bob).get(reverse("work")).text
    assert f"TD-{decision.pk}" in work
    assert "Urgent Example" not in work


@pytest.mark.django_db
def test_an_action_owner_needs_a_due_date_and_the_typed_decision_comes_back(p, as_user, urgent):
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"), {
        "decision": "Visit today.", "owner": p.sam.pk})
    assert response.status_code == 200
    assert "Enter the date the action is due" in response.text
    assert "Visit today." in response.text
    assert not TaskingDecision.objects.exists()


@pytest.mark.django_db
def test_a_decision_needs_words(p, as_user, urgent):
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"), {"decision": ""})
    assert "Enter what the meeting decided" in response.text


@pytest.mark.django_db
def test_an_item_not_on_the_list_is_not_found(p, as_user, urgent):
    assert as_user(p.maria).get(_decide_url("concern-999999")).status_code == 404


@pytest.mark.django_db
def test_another_areas_front_door_does_not_see_the_item(p, as_user, urgent):
    assert "Urgent Example" not in as_user(p.eve).get(LIST).text


@pytest.mark.django_db
def test_the_list_query_count_does_not_grow_with_items(p, as_user, urgent):
    client = as_user(p.maria)
    client.get("/")  # the banner's counts are kept a minute per session: warm them
    # The priority subjects are ranked ahead (lantern.monitoring.ranking): the first weekly
    # list ranks them, as `lantern work` would have.
    client.get(LIST, {"list": "weekly"})
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"list": "weekly"})
    for i in range(6):
        child = testing.make_child(p.alice, given_names=f"More{i}")
        testing.make_concern(child, p.alice, urgent=True)
        missing_testing.make_episode(child, p.fiona, back_after=None)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST, {"list": "weekly"})
    assert "More5 Example" in response.text
    print(f"{len(many)} queries")
    assert len(many) == len(few)
