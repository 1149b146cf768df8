"""Recording an episode and the return through the pages; the episodes page and the child's
record show them on a timeline with their pattern."""

from datetime import timedelta

from django.utils import timezone

from lantern import testing
from lantern.foundation.models import AuditEvent, WorkItem
from lantern.missing.models import MissingEpisode
from lantern.missing.testing import make_episode, make_interview


def moment(prefix: str, when) -> dict:
    local = timezone.localtime(when)
    return {f"{prefix}_on_day": local.day, f"{prefix}_on_month": local.month,
            f"{prefix}_on_year": local.year, f"{prefix}_time": local.strftime("%H:%M")}


def episode_data(p, went, **changes):
    data = {"missing_from": "foster_care", "placement_agency": p.north_csc.pk,
            **moment("went_missing", went), **moment("reported", went + timedelta(hours=1)),
            "reported_by": "Foster carer", "police_reference": "NB-123",
            "still_missing": "no"}
    data.update(changes)
    return data


def test_police_record_an_episode_and_are_taken_to_record_the_return(p, child, as_user):
    went = timezone.now() - timedelta(hours=10)
    response = as_user(p.priya).post(f"/children/{child.pk}/missing/new/",
                                     episode_data(p, went))
    episode = MissingEpisode.objects.get()
    assert response["Location"] == f"/missing/{episode.pk}/return/"
    assert (episode.agency, episode.placement_agency) == (p.north_police, p.north_csc)
    assert abs(episode.went_missing_at - went) < timedelta(minutes=1)
    event = AuditEvent.objects.get(action="create", object_type="missing.missingepisode")
    assert event.child == child and event.actor == p.priya
    assert child.chronology.get(kind="missing").title == "Went missing from foster care"


def test_a_child_still_missing_goes_to_the_episode_page(p, child, as_user):
    went = timezone.now() - timedelta(hours=3)
    response = as_user(p.priya).post(f"/children/{child.pk}/missing/new/",
                                     episode_data(p, went, still_missing="yes"))
    episode = MissingEpisode.objects.get()
    assert response["Location"] == f"/missing/{episode.pk}/" and episode.is_missing


def test_an_empty_episode_form_shows_govuk_errors(p, child, as_user):
    body = as_user(p.priya).post(f"/children/{child.pk}/missing/new/", {}).content.decode()
    for message in ("Select where the child went missing from",
                    "Enter the date the child went missing", "Enter the time they were last seen",
                    "Enter who reported the child missing",
                    "Select yes if the child is still missing"):
        assert message in body
    assert not MissingEpisode.objects.exists()


def test_reported_before_going_missing_is_refused(p, child, as_user):
    went = timezone.now() - timedelta(hours=3)
    data = episode_data(p, went, **moment("reported", went - timedelta(hours=1)))
    body = as_user(p.priya).post(f"/children/{child.pk}/missing/new/", data).content.decode()
    assert "The time they were reported missing must be after they went missing" in body


def test_recording_the_return_starts_the_interview_clock(p, child, as_user):
    episode = make_episode(child, p.priya, back_after=None)
    back = timezone.now() - timedelta(hours=2)
    data = {**moment("returned", back), "found_where": "Flat above the takeaway, Mill Road",
            "found_with": "Two adult men", "how_back": "found_by_police",
            "police_protection": "yes", "harm": "no"}
    response = as_user(p.priya).post(f"/missing/{episode.pk}/return/", data, follow=True)
    body = response.content.decode()
    assert "The return home interview is due by" in body
    assert "a section 47 enquiry is required" in body
    item = WorkItem.objects.get(kind="return_interview")
    episode.refresh_from_db()
    assert item.due_at == episode.returned_at + timedelta(hours=72)
    assert item.url == f"/missing/{episode.pk}/interview/"
    entry = child.chronology.get(kind="missing_return")
    assert "Police protection (s46) was used" in entry.detail


def test_harm_needs_saying_what_harm(p, child, as_user):
    episode = make_episode(child, p.priya, back_after=None)
    data = {**moment("returned", timezone.now() - timedelta(hours=1)), "found_where": "Park",
            "how_back": "came_back", "police_protection": "no", "harm": "yes"}
    body = as_user(p.priya).post(f"/missing/{episode.pk}/return/", data).content.decode()
    assert "Enter what harm came to the child" in body


def test_the_episodes_page_shows_the_pattern_and_the_timeline(p, child, as_user):
    for days in (20, 10, 5):
        make_episode(child, p.priya, went_missing_at=timezone.now() - timedelta(days=days),
                     found_where="Mill Road flats")
    body = as_user(p.fiona).get(f"/children/{child.pk}/missing/").content.decode()
    assert 'id="missing-pattern"' in body and 'id="missing-timeline"' in body
    assert "Mill Road flats (3 times)" in body
    assert "Re-screen: a pattern of going missing" in body
    assert "Strategy discussion: a pattern of going missing" in body


def test_the_childs_record_shows_the_pattern(p, child, as_user):
    make_episode(child, p.priya, found_where="Bus station")
    body = as_user(p.alice).get(child.get_absolute_url()).content.decode()
    assert "Missing episodes" in body and "Bus station" in body
    assert "Episodes in the last 30 days" in body


# The child's record with missing episodes: episodes (with their interviews, one query),
# whether a profile is held, the plan, besides the record's own. Since issue 18 the profile,
# the transition plan, whether a plan is active and emergency access come with the child, and
# the agency with the user; the pathway prefetches its tracked category 3 and trafficking
# responses (issue 14, item 6): one query; its adult safeguarding referrals (issue 14, item
# 10): one more.
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
# Three fewer (issue 18): the pathway's responses, adult safeguarding referrals and required
# meetings are read only when it has some (this child's has none).
# One fewer (issue 18): the pathways and their steps read in one query.
RECORD = 19
# Session and user, the child, the audit row, episodes with interviews, their interview work
# items, open prompts, the profile. (The user's agency comes with the user since issue 18.)
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
EPISODES_PAGE = 13


def _queries_for(client, url, django_assert_num_queries, expected: int) -> None:
    client.get(url)
    with django_assert_num_queries(expected):
        client.get(url)


def test_record_query_count_stays_flat_as_episodes_grow(
    p, child, as_user, django_assert_num_queries
):
    client = as_user(p.alice)
    make_episode(child, p.priya)
    _queries_for(client, child.get_absolute_url(), django_assert_num_queries, RECORD)
    for days in (40, 30, 20, 10):
        episode = make_episode(child, p.priya,
                               went_missing_at=timezone.now() - timedelta(days=days))
        make_interview(episode, p.maria, agency=p.riverside)
    _queries_for(client, child.get_absolute_url(), django_assert_num_queries, RECORD)


def test_episodes_page_query_count_stays_flat(p, child, as_user, django_assert_num_queries):
    client = as_user(p.fiona)
    url = f"/children/{child.pk}/missing/"
    make_episode(child, p.priya, went_missing_at=timezone.now() - timedelta(days=60))
    _queries_for(client, url, django_assert_num_queries, EPISODES_PAGE)
    for days in (50, 45, 40, 35):
        make_episode(child, p.priya, went_missing_at=timezone.now() - timedelta(days=days))
    _queries_for(client, url, django_assert_num_queries, EPISODES_PAGE)


def test_a_front_door_worker_of_another_area_cannot_see_episodes(p, child, as_user):
    episode = make_episode(child, p.priya)
    assert as_user(p.eve).get(f"/missing/{episode.pk}/").status_code == 404
    assert as_user(p.eve).get(f"/children/{child.pk}/missing/").status_code == 404


def test_any_agency_that_sees_the_child_may_record_a_return(p, child, as_user):
    episode = make_episode(child, p.priya, back_after=None)
    assert as_user(p.bea).get(f"/missing/{episode.pk}/return/").status_code == 404
    testing.give_access(child, p.bob, by=p.maria)  # bob now sees her
    assert as_user(p.bob).get(f"/missing/{episode.pk}/return/").status_code == 200


def test_police_protection_asks_the_front_door_for_a_section_47_enquiry(p, child):
    from lantern.missing.testing import make_return
    from lantern.pathway import actions as pathway_actions

    episode = make_episode(child, p.priya, back_after=None)
    make_return(episode, p.priya, returned_at=timezone.now(), police_protection=True)
    item = WorkItem.objects.get(child=child, kind="section_47")
    assert item.owner_role == "front_door" and item.source_id == str(episode.pk)
    pathway_actions.take_urgent_route(child, by=p.fiona, reason="Police protection used.")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE
