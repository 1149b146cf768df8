"""Daily and weekly tasking lists (seed 004): items across the area's children, and the
decision recorded on each, with an action that goes into its owner's work."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantern import testing
from lantern.foundation.access import AREA_WIDE_ROLES, visible_children
from lantern.foundation.models import AuditEvent, ChronologyEntry, WorkItem
from lantern.missing import testing as missing_testing
from lantern.monitoring import tasking
from lantern.monitoring.models import TaskingDecision
from lantern.monitoring.views import TASKING_ROLES
from lantern.pathway.models import Concern
from lantern.site import draft_subjects

LIST = reverse("monitoring:tasking")


@pytest.fixture
def urgent(p):
    child = testing.make_child(p.alice, given_names="Urgent")
    concern = testing.make_concern(child, p.alice, urgent=True)
    return concern


def _decide_url(item_key, cadence="daily"):
    return reverse("monitoring:tasking_decide", args=[cadence, item_key])


def _with_action(decision: str, owner) -> dict:
    """A decision's form with an action for `owner`, due far ahead."""
    return {"decision": decision, "owner": owner.pk, "due_on_day": "1", "due_on_month": "1",
            "due_on_year": "2099"}


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
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"),
                                     _with_action("Visit today with police.", p.priya))
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
    listed = as_user(p.fiona).get(LIST).text
    assert "Visit today with police." in listed
    assert f"Action: {p.priya.display_name}, by 1 January 2099" in listed
    assert f"Recorded by {p.maria.display_name}, reference TD-{decision.pk}" in listed


@pytest.mark.django_db
def test_a_decision_is_on_its_own_days_list_only(p, as_user, urgent):
    as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"), {"decision": "Visit today."})
    weekly = as_user(p.fiona).get(f"{LIST}?list=weekly").text
    assert "Urgent Example" in weekly and "Visit today." not in weekly
    TaskingDecision.objects.update(held_on=F("held_on") - timedelta(days=1))
    assert "Visit today." not in as_user(p.fiona).get(LIST).text


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
def test_a_decision_naming_the_child_is_refused_for_an_owner_who_may_not_see_them(
        p, as_user, urgent):
    """The decision goes into the owner's work word for word: Bob may not see the child, so
    a decision that names her is not recorded, and what was typed comes back."""
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"), {
        "decision": "Ask urgent's teacher about the older boys at the gate.",
        "owner": p.bob.pk, "due_on_day": "1", "due_on_month": "1", "due_on_year": "2099"})
    assert response.status_code == 200 and not TaskingDecision.objects.exists()
    assert (f"Do not name the child in the decision: {p.bob.display_name} may not see their "
            "record. Write ‘the child’ instead of ‘Urgent’") in response.text
    assert "Ask urgent&#x27;s teacher about the older boys at the gate." in response.text


@pytest.mark.django_db
def test_a_decision_may_name_the_child_to_an_owner_who_may_see_them(p, as_user, urgent):
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"), _with_action(
        "Police to visit Urgent Example today.", p.priya))
    assert response.status_code == 302
    assert TaskingDecision.objects.get().decision == "Police to visit Urgent Example today."


@pytest.mark.django_db
def test_an_action_owner_needs_a_due_date_and_the_typed_decision_comes_back(p, as_user, urgent):
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"), {
        "decision": "Visit today.", "owner": p.sam.pk})
    assert response.status_code == 200
    assert "Enter the date the action is due" in response.text
    assert "Visit today." in response.text
    assert not TaskingDecision.objects.exists()


@pytest.mark.django_db
def test_an_action_due_before_today_is_refused_and_the_typed_decision_comes_back(p, as_user,
                                                                                 urgent):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"), {
        "decision": "Visit today.", "owner": p.sam.pk, "due_on_day": yesterday.day,
        "due_on_month": yesterday.month, "due_on_year": yesterday.year})
    assert response.status_code == 200
    assert "Date the action is due must be today or in the future" in response.text
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
    # The priority subjects are ranked ahead (lantern.intelligence.queries.kept_ranking): the
    # first weekly list ranks them, as `lantern work` would have.
    client.get(LIST, {"list": "weekly"})
    # Each time drawn again (the list is kept for a minute once drawn), then shown.
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"list": "weekly", "redraw": "1"})
    for i in range(6):
        child = testing.make_child(p.alice, given_names=f"More{i}")
        testing.make_concern(child, p.alice, urgent=True)
        missing_testing.make_episode(child, p.fiona, back_after=None)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST, {"list": "weekly", "redraw": "1"})
    assert "More5 Example" in response.text
    print(f"{len(many)} queries")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_list_as_drawn_is_kept_until_drawn_again(p, as_user, urgent):
    """The meeting works from one list: something recorded after it was drawn is on it once it
    is drawn again (a minute later, or when the chair asks)."""
    client = as_user(p.maria)
    client.get(LIST)
    later = testing.make_concern(testing.make_child(p.alice, given_names="Later"), p.alice,
                                 urgent=True)
    assert "Later Example" not in client.get(LIST).text
    assert "Later Example" in client.get(LIST, {"redraw": "1"}).text
    assert "Later Example" in client.get(LIST).text  # and kept
    assert later.child.full_name == "Later Example"


@pytest.mark.django_db
def test_the_list_is_drawn_again_when_a_minute_old(p, as_user, urgent):
    client = as_user(p.maria)
    client.get(LIST)
    testing.make_concern(testing.make_child(p.alice, given_names="Later"), p.alice, urgent=True)
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        client = as_user(p.maria)
        assert "Later Example" in client.get(LIST).text


@pytest.mark.django_db
def test_a_decision_is_shown_as_soon_as_it_is_recorded_on_a_kept_list(p, as_user, urgent):
    client = as_user(p.maria)
    client.get(LIST)
    client.post(_decide_url(f"concern-{urgent.pk}"), {"decision": "Strategy meeting today."})
    assert "Strategy meeting today." in client.get(LIST).text


@pytest.mark.django_db
def test_a_list_kept_for_one_user_is_never_shown_to_another(p, as_user, urgent):
    assert "Urgent Example" in as_user(p.maria).get(LIST).text
    assert "Urgent Example" not in as_user(p.eve).get(LIST).text


def _urgent_concerns(p, count):
    """`count` urgent concerns, the first the oldest (an hour apart)."""
    now = timezone.now()
    made = []
    for i in range(count):
        child = testing.make_child(p.alice, given_names=f"Many{i}")
        concern = testing.make_concern(child, p.alice, urgent=True)
        Concern.objects.filter(pk=concern.pk).update(
            recorded_at=now - timedelta(hours=count - i))
        made.append(concern)
    return made


SECTION = reverse("monitoring:tasking_section", args=["daily", "urgent-concerns"])


@pytest.mark.django_db
def test_the_list_shows_a_sections_ten_newest_and_its_own_page_the_rest(p, as_user):
    _urgent_concerns(p, 12)
    client = as_user(p.maria)
    listed = client.get(LIST).text
    assert "Many11 Example" in listed and "Many2 Example" in listed
    assert "Many1 Example" not in listed and "Many0 Example" not in listed
    assert "The first 10, newest first." in listed
    assert f'href="{SECTION}">See all new urgent concerns' in listed
    section = client.get(SECTION)
    assert section.status_code == 200
    text = section.text
    assert all(f"Many{i} Example" in text for i in range(12))
    assert text.index("Many11 Example") < text.index("Many0 Example")
    assert "Every item, newest first." in text
    assert AuditEvent.objects.filter(summary="Opened new urgent concerns on the daily "
                                             "tasking list").exists()
    # A second page holds nothing more.
    assert "None on this page" in client.get(SECTION, {"page": "2"}).text


@pytest.mark.django_db
def test_a_section_with_no_more_items_has_no_link_to_its_own_page(p, as_user, urgent):
    text = as_user(p.maria).get(LIST).text
    assert "See all new urgent concerns" not in text
    assert "All, newest first." in text


@pytest.mark.django_db
def test_a_decision_on_an_item_only_the_sections_page_shows_is_recorded_from_there(p,
                                                                                    as_user):
    oldest = _urgent_concerns(p, 12)[0]
    client = as_user(p.maria)
    section = client.get(SECTION).text
    decide = f"{_decide_url(f'concern-{oldest.pk}')}?from=urgent-concerns"
    assert f'href="{decide}"' in section
    page = client.get(decide).text
    assert f'href="{SECTION}" class="govuk-back-link">New urgent concerns' in page
    # Nothing typed is lost on a mistake; the section's page is where it goes back to.
    wrong = client.post(decide, {"decision": "Strategy discussion today.", "owner": p.sam.pk})
    assert "Enter the date the action is due" in wrong.text
    assert "Strategy discussion today." in wrong.text
    response = client.post(decide, {"decision": "Strategy discussion today.",
                                    "owner": p.sam.pk, "due_on_day": "1",
                                    "due_on_month": "1", "due_on_year": "2099"})
    assert response.status_code == 302 and response["Location"] == SECTION
    decision = TaskingDecision.objects.get(item_key=f"concern-{oldest.pk}")
    assert decision.action_owner == p.sam
    assert "Strategy discussion today." in client.get(SECTION).text


@pytest.mark.django_db
def test_a_decision_from_the_list_goes_back_to_the_list(p, as_user, urgent):
    page = as_user(p.maria).get(_decide_url(f"concern-{urgent.pk}")).text
    assert f'href="{LIST}?list=daily" class="govuk-back-link">Daily tasking' in page
    # Somewhere else to go back to is not taken from the address.
    page = as_user(p.maria).get(_decide_url(f"concern-{urgent.pk}"),
                                {"from": "https://example.com/"}).text
    assert f'href="{LIST}?list=daily" class="govuk-back-link">' in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/tasking/daily/section/nothing/",
                                  "/tasking/daily/section/priority-subjects/"])
def test_an_unknown_section_is_not_found(p, as_user, path):
    assert as_user(p.maria).get(path).status_code == 404


@pytest.mark.django_db
def test_the_section_page_query_count_does_not_grow_with_items(p, as_user):
    _urgent_concerns(p, 2)
    client = as_user(p.maria)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get(SECTION, {"redraw": "1"})
    _urgent_concerns(p, 8)
    with CaptureQueriesContext(connection) as many:
        response = client.get(SECTION, {"redraw": "1"})
    assert "Many7 Example" in response.text
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_list_and_each_page_of_a_section_audit_exactly_the_children_they_show(p, as_user):
    """The list audits the children of the items it shows (ten a section), a section's page
    those of its page (50), not the whole section."""
    made = _urgent_concerns(p, 53)  # an hour apart, the first the oldest: the weekly list's
    weekly = reverse("monitoring:tasking_section", args=["weekly", "urgent-concerns"])
    newest_first = [c.child.pk for c in reversed(made)]
    client = as_user(p.maria)

    def audited(summary):
        return AuditEvent.objects.filter(summary=summary, actor=p.maria).last().changes

    client.get(LIST, {"list": "weekly"})
    assert sorted(audited("Opened the weekly tasking list")["children"]) == sorted(
        newest_first[:10])
    summary = "Opened new urgent concerns on the weekly tasking list"
    client.get(weekly)
    assert sorted(audited(summary)["children"]) == sorted(newest_first[:50])
    client.get(weekly, {"page": "2"})
    assert sorted(audited(summary)["children"]) == sorted(newest_first[50:])


@pytest.mark.django_db
def test_a_decision_typed_while_its_item_left_the_daily_list_is_recorded_not_lost(p, as_user,
                                                                                  urgent):
    """The meeting opens an urgent concern recorded nearly 24 hours ago, talks, and records
    its decision: by then the concern is more than a day old and has left the daily list.
    What was typed is recorded against the list as it was when the page was opened."""
    client = as_user(p.maria)
    url = f"{_decide_url(f'concern-{urgent.pk}')}?from=urgent-concerns"
    # Recorded 23 hours and 50 minutes before the page is opened.
    Concern.objects.filter(pk=urgent.pk).update(
        recorded_at=timezone.now() - timedelta(hours=23, minutes=50))
    page = client.get(url).text
    assert 'name="listed_at"' in page
    listed_at = page.split('name="listed_at" value="', 1)[1].split('"', 1)[0]
    # The meeting talks for 20 minutes: the concern is now more than a day old.
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert "Urgent Example" not in client.get(LIST).text
        response = client.post(url, {"decision": "Strategy discussion today.",
                                     "listed_at": listed_at})
    assert response.status_code == 302
    assert TaskingDecision.objects.get(item_key=f"concern-{urgent.pk}").decision == (
        "Strategy discussion today.")
    # Only a page opened a short while ago counts: an old or made-up time is not taken.
    for old in (str(int((timezone.now() - timedelta(hours=9)).timestamp())), "x", "1" * 40):
        other = testing.make_concern(testing.make_child(p.alice, given_names="Other"), p.alice,
                                     urgent=True)
        Concern.objects.filter(pk=other.pk).update(
            recorded_at=timezone.now() - timedelta(hours=24, minutes=1))
        assert client.post(_decide_url(f"concern-{other.pk}"),
                           {"decision": "Too late.", "listed_at": old}).status_code == 404


@pytest.mark.django_db
def test_a_decision_sent_after_someone_else_decided_first_is_shown_back_not_lost(p, as_user,
                                                                                 urgent):
    url = _decide_url(f"concern-{urgent.pk}")
    assert as_user(p.maria).get(url).status_code == 200
    # Priya records the meeting's decision while Maria is still typing hers.
    as_user(p.priya).post(url, {"decision": "Police to visit today."})
    response = as_user(p.maria).post(url, {"decision": "Joint visit with police today."})
    assert response.status_code == 409
    assert "Your decision was not recorded" in response.text
    assert "Joint visit with police today." in response.text  # what Maria typed
    assert "Police to visit today." in response.text  # the decision recorded
    assert TaskingDecision.objects.get().decision == "Police to visit today."


@pytest.mark.django_db
def test_a_decision_sent_as_someone_else_records_one_at_the_same_moment_is_shown_back(
        p, as_user, urgent, monkeypatch):
    """Both found the item undecided; the other's decision was stored first."""
    from lantern.monitoring import actions, views

    record = actions.record_tasking_decision

    def first_someone_else(**kwargs):
        record(**{**kwargs, "decision": "Police to visit today.", "by": p.priya})
        return record(**kwargs)

    monkeypatch.setattr(views.actions, "record_tasking_decision", first_someone_else)
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"),
                                     {"decision": "Joint visit with police today."})
    assert response.status_code == 409
    assert "Joint visit with police today." in response.text
    assert "Police to visit today." in response.text


@pytest.mark.django_db
def test_a_decision_on_an_item_that_left_the_list_is_shown_back_not_lost(p, as_user):
    child = testing.make_child(p.alice, given_names="Gone")
    episode = missing_testing.make_episode(child, p.fiona, back_after=None)
    url = _decide_url(f"missing-{episode.pk}")
    client = as_user(p.maria)
    assert client.get(url).status_code == 200
    # The child is found while the meeting talks: the item leaves the list.
    type(episode).objects.filter(pk=episode.pk).update(returned_at=timezone.now())
    response = client.post(url, {"decision": "Return home interview tomorrow."})
    assert response.status_code == 404
    assert "no longer on today's list" in response.text
    assert "Return home interview tomorrow." in response.text
    assert "Gone Example" not in response.text
    assert not TaskingDecision.objects.exists()


# --- Found in review (the kept list, its decisions' drafts) --------------------------------

@pytest.mark.django_db
def test_a_section_page_shows_what_the_list_shows_once_the_list_is_drawn_again(p, as_user):
    """The chair draws the list again and follows "See all": the section's own page is drawn
    again too, not kept from before, so it holds every item the list just showed."""
    _urgent_concerns(p, 11)
    client = as_user(p.maria)
    client.get(SECTION)
    testing.make_concern(testing.make_child(p.alice, given_names="Later"), p.alice,
                         urgent=True)
    client.get(LIST, {"redraw": "1"})
    assert "Later Example" in client.get(LIST).text
    assert "Later Example" in client.get(SECTION).text


@pytest.mark.django_db
def test_a_draft_decision_is_withheld_once_its_author_may_no_longer_see_the_child(
        p, as_user, urgent):
    """A decision typed on the tasking list is kept as a draft (foundation.drafts); it is about
    the item's child, so, like any draft about a child, it is not offered back to its author
    once they may no longer see the child (here: moved to another area's children's
    services)."""
    page = _decide_url(f"concern-{urgent.pk}")
    client = as_user(p.maria)
    client.post("/drafts/", {"page": page, "action": page,
                             "fields": json.dumps({"decision": ["Visit Urgent at home."]})})
    assert len(client.get("/drafts/", {"page": page}).json()["drafts"]) == 1
    p.maria.agency = p.east_csc
    p.maria.save(update_fields=["agency"])
    assert not visible_children(p.maria).filter(pk=urgent.child.pk).exists()
    assert as_user(p.maria).get("/drafts/", {"page": page}).json()["drafts"] == []


def test_every_kind_of_tasking_item_names_its_child_to_drafts():
    """A draft typed on an item's decision page is withheld by the item's child: every kind of
    item the list has is known to lantern.site.draft_subjects."""
    assert {s.kind for s in tasking.ALL} == set(draft_subjects.TASKING_ITEMS)


def test_only_area_wide_roles_have_tasking_lists_so_a_kept_drawing_is_what_they_may_see():
    """A drawing is kept a minute keyed by the user's role and agency (tasking._kept), which
    is sound because what these roles see of their area turns on nothing else (no grant can be
    revoked under it): a role seeing children through grants must not be added unthinkingly."""
    assert TASKING_ROLES <= AREA_WIDE_ROLES


@pytest.mark.django_db
def test_an_item_the_kept_list_shows_can_be_decided_after_it_left_the_list(p, as_user):
    """The list is kept a minute: a concern it shows may pass 24 hours old before the chair
    opens it. Its decision page opens (and its form records against the list as drawn)."""
    child = testing.make_child(p.alice, given_names="Edge")
    concern = testing.make_concern(child, p.alice, urgent=True)
    Concern.objects.filter(pk=concern.pk).update(
        recorded_at=timezone.now() - timedelta(hours=23, minutes=59, seconds=40))
    client = as_user(p.maria)
    client.get(LIST)
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        assert "Edge Example" in client.get(LIST).text
        page = client.get(_decide_url(f"concern-{concern.pk}"))
        assert page.status_code == 200
        listed_at = page.text.split('name="listed_at" value="', 1)[1].split('"', 1)[0]
        response = client.post(_decide_url(f"concern-{concern.pk}"),
                               {"decision": "Strategy discussion today.",
                                "listed_at": listed_at})
    assert response.status_code == 302
    assert TaskingDecision.objects.get().decision == "Strategy discussion today."


@pytest.mark.django_db
def test_the_weekly_list_says_its_priority_subjects_are_as_last_ranked(p, as_user, settings):
    """The priority subjects come from the disruption ranking kept ahead (ranked again every
    MONITORING_RECOUNT_SECONDS), not as they are now: the list says so, as the ranking's own
    page does."""
    settings.MONITORING_RECOUNT_SECONDS = 900
    text = as_user(p.maria).get(LIST, {"list": "weekly"}).text
    assert "Decisions are always shown as they are now" in text
    assert "priority subjects are as Lantern last ranked them" in text
    assert "ranks them again every 15 minutes" in text


@pytest.mark.django_db
def test_the_link_that_draws_the_list_again_says_what_it_does_on_its_own(p, as_user, urgent):
    """Its text makes sense out of its sentence (a screen reader's list of links), on the list
    and on a section's own page."""
    client = as_user(p.maria)
    assert 'href="?redraw=1">Draw the list again now</a>' in client.get(LIST).text
    assert 'href="?redraw=1">Draw the list again now</a>' in client.get(SECTION).text


@pytest.mark.django_db
def test_a_section_drawn_again_does_not_draw_again_from_its_next_page_link(p, as_user):
    _urgent_concerns(p, 53)
    weekly = reverse("monitoring:tasking_section", args=["weekly", "urgent-concerns"])
    text = as_user(p.maria).get(weekly, {"redraw": "1"}).text
    assert 'href="?page=2"' in text
    assert "redraw=1&amp;page=2" not in text and "redraw=1&page=2" not in text


@pytest.mark.django_db
def test_a_decision_too_long_is_refused_in_words_not_the_label_as_a_question(p, as_user, urgent):
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"),
                                     {"decision": "x" * 20001})
    assert response.status_code == 200
    assert "The decision must be 20,000 characters or fewer" in response.text
    assert "decide? must be" not in response.text


@pytest.mark.django_db
def test_recording_an_action_says_whose_work_it_went_into(p, as_user, urgent):
    response = as_user(p.maria).post(_decide_url(f"concern-{urgent.pk}"), {
        "decision": "Visit today with police.", "owner": p.priya.pk,
        "due_on_day": "1", "due_on_month": "1", "due_on_year": "2099"}, follow=True)
    assert (f"Decision recorded. The action is in {p.priya.display_name}&#x27;s work, due "
            "1 January 2099") in response.text


@pytest.mark.django_db
def test_an_item_for_no_one_child_does_not_say_several_or_none(p, as_user):
    from lantern.intelligence.models import Trigger

    trigger = Trigger.objects.create(
        kind="complex_strategy", criterion="shared_perpetrator", key="t1",
        evidence={"label": "Network one", "children": [], "entities": [], "reports": []})
    trigger.areas.set([p.north])
    page = as_user(p.maria).get(LIST).text
    assert "Network one" in page
    assert "Several or none" not in page and "Named in the record" in page


@pytest.mark.django_db
def test_opening_an_item_already_decided_says_so_as_information_not_success(p, as_user, urgent):
    client = as_user(p.maria)
    client.post(_decide_url(f"concern-{urgent.pk}"), {"decision": "Visit today."}, follow=True)
    page = client.get(_decide_url(f"concern-{urgent.pk}"), follow=True).text
    assert "The meeting&#x27;s decision on that item is already recorded" in page
    assert "govuk-notification-banner--success" not in page
