"""The return home interview: an interviewer independent of the placement, the child's own
words, push and pull factors, and what follows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern import testing
from lantern.foundation.models import AgencyKind, AuditEvent
from lantern.missing import actions
from lantern.missing.models import ReturnInterview
from lantern.missing.testing import make_episode, make_interview


@pytest.fixture
def fostering(p):
    return testing.AgencyFactory(name="Brightpath Fostering", kind=AgencyKind.OTHER,
                                 area=p.north)


@pytest.fixture
def safe_steps(p):
    return testing.AgencyFactory(name="Safe Steps Project", kind=AgencyKind.VOLUNTARY,
                                 area=p.north)


@pytest.fixture
def episode(p, child, fostering):
    return make_episode(child, p.priya, placement_agency=fostering)


def form_data(episode, agency, **changes):
    held = timezone.localtime(episode.returned_at + timedelta(hours=2))
    data = {
        "outcome": "held", "held_on_day": held.day, "held_on_month": held.month,
        "held_on_year": held.year, "held_time": held.strftime("%H:%M"),
        "interviewer_name": "Robin Vale", "interviewer_agency": agency.pk, "independent": "on",
        "child_words": "\"He said I could stay at his flat.\"",
        "pull_factors": ["bristol.pull.somewhere_to_stay"],
        "people_mentioned": "Dee, about 25", "vehicles_mentioned": "Silver Astra",
        "actions": "Share the names with police; MASE.",
    }
    data.update(changes)
    return data


def url(episode):
    return f"/missing/{episode.pk}/interview/"


def test_an_interviewer_from_the_placement_agency_is_refused_with_a_clear_error(
    p, as_user, episode, fostering
):
    response = as_user(p.maria).post(url(episode), form_data(episode, fostering))
    assert response.status_code == 200
    body = response.content.decode()
    assert ("The interviewer must be independent of the child&#x27;s placement: choose someone "
            "who does not work for Brightpath Fostering") in body
    assert 'href="#id_interviewer_agency"' in body
    assert not ReturnInterview.objects.exists()


def test_the_action_refuses_it_too(p, episode, fostering):
    with pytest.raises(actions.MissingError, match="independent of the child's placement"):
        make_interview(episode, p.maria, agency=fostering)


def test_an_interviewer_from_another_agency_is_accepted(p, as_user, episode, safe_steps):
    response = as_user(p.maria).post(url(episode), form_data(episode, safe_steps))
    assert response.status_code == 302
    interview = ReturnInterview.objects.get()
    assert interview.interviewer_agency == safe_steps
    assert interview.child_words == "\"He said I could stay at his flat.\""
    assert interview.pull_factors == ["bristol.pull.somewhere_to_stay"]
    assert interview.vehicles_mentioned == "Silver Astra"


def test_the_interviewer_must_be_confirmed_independent_of_the_placement(
    p, as_user, episode, safe_steps
):
    data = form_data(episode, safe_steps)
    del data["independent"]
    body = as_user(p.maria).post(url(episode), data).content.decode()
    assert "Confirm the interviewer is independent of the child&#x27;s placement" in body


def test_a_child_living_with_family_has_no_placement_agency_to_be_independent_of(
    p, child, as_user, safe_steps
):
    episode = make_episode(child, p.priya, missing_from="home")
    response = as_user(p.maria).post(url(episode), form_data(episode, p.north_csc))
    assert response.status_code == 302


def test_an_interview_held_records_the_childs_own_words(p, as_user, episode, safe_steps):
    body = as_user(p.maria).post(url(episode), form_data(episode, safe_steps, child_words=""))\
        .content.decode()
    assert "Enter what the child said, in their own words" in body


def test_a_declined_interview_needs_what_the_child_said_about_it(
    p, as_user, episode, safe_steps
):
    data = form_data(episode, safe_steps, outcome="declined", child_words="")
    body = as_user(p.maria).post(url(episode), data).content.decode()
    assert "Enter what the child said about not wanting the interview" in body
    data["declined_reason"] = "\"Not now.\" Offered again on Friday."
    assert as_user(p.maria).post(url(episode), data).status_code == 302
    assert ReturnInterview.objects.get().outcome == ReturnInterview.Outcome.DECLINED


def test_an_interview_before_the_child_came_back_is_refused(p, as_user, episode, safe_steps):
    before = timezone.localtime(episode.returned_at - timedelta(hours=1))
    data = form_data(episode, safe_steps, held_on_day=before.day, held_on_month=before.month,
                     held_on_year=before.year, held_time=before.strftime("%H:%M"))
    body = as_user(p.maria).post(url(episode), data).content.decode()
    assert "The interview must be after the child came back" in body


def test_an_empty_form_shows_govuk_errors(p, as_user, episode):
    body = as_user(p.maria).post(url(episode), {}).content.decode()
    for message in ("Select whether the interview was held", "Enter the date of the interview",
                    "Enter the interviewer&#x27;s name", "Select the interviewer&#x27;s agency",
                    "Enter the actions that follow the interview"):
        assert message in body


def test_the_interview_is_audited_and_in_the_chronology(p, child, as_user, episode, safe_steps):
    as_user(p.maria).post(url(episode), form_data(episode, safe_steps))
    event = AuditEvent.objects.get(action="create", object_type="missing.returninterview")
    assert event.child == child and child.full_name not in event.summary
    assert event.changes["interviewer_agency_id"]["new"] == safe_steps.pk
    entry = child.chronology.get(kind="return_interview")
    assert entry.title == "Return home interview held (within the timescale)"


def test_a_second_interview_for_the_same_episode_is_refused(p, episode, safe_steps):
    make_interview(episode, p.maria, agency=safe_steps)
    with pytest.raises(actions.MissingError, match="already recorded"):
        make_interview(episode, p.maria, agency=safe_steps)


def test_push_and_pull_factors_are_checkboxes_that_allow_several(p, as_user, episode):
    body = as_user(p.maria).get(url(episode)).content.decode()
    assert 'type="checkbox" value="bristol.pull.gifts"' in body
    assert 'type="radio" value="bristol.pull.gifts"' not in body
