import pytest

from lantern import testing


def test_anonymous_visit_to_home_leads_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/?next=/"


def test_the_front_door_home_shows_referrals_due(p, child, as_user):
    testing.make_referral(child, p.alice)
    body = as_user(p.fiona).get("/").content.decode()
    assert "Referrals awaiting a decision" in body and child.full_name in body


def test_a_teacher_home_shows_their_agencys_concerns(p, child, as_user):
    body = as_user(p.alice).get("/").content.decode()
    assert "Recent concerns from Riverside Academy" in body and child.full_name in body


@pytest.mark.parametrize("name", ["ana", "bea", "ade"])
def test_analysts_board_and_admins_see_figures_without_names(p, child, as_user, name):
    testing.make_referral(child, p.alice)
    body = as_user(getattr(p, name)).get("/").content.decode()
    assert "figures" in body and child.full_name not in body


def test_a_social_worker_sees_children_allocated_to_them(p, child, as_user):
    from lantern.people.actions import allocate

    allocate(child, p.sam, by=p.fiona)
    assert child.full_name in as_user(p.sam).get("/").content.decode()


def test_the_boards_home_figures_show_small_numbers_as_fewer_than_5(p, as_user):
    for i in range(2):
        child = testing.make_child(p.alice, given_names=f"Few{i}")
        testing.make_screening(child, p.alice)
        testing.make_referral(child, p.alice)
    response = as_user(p.bea).get("/")
    figures = response.context["figures"]
    assert figures["referrals"]["total"] == "fewer than 5"
    assert figures["by_category"][0]["shown"] == "fewer than 5"
    assert "The monitoring data set" in response.text


def test_analysts_see_how_many_required_meetings_a_manager_excepted(p, child, as_user):
    from lantern.pathway import actions
    from lantern.pathway.models import MeetingRequirement

    testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))  # MASE required
    actions.record_meeting_exception(MeetingRequirement.objects.get(child=child), by=p.maria,
                                     reason="Covered by her sister's MASE.")
    body = as_user(p.ana).get("/").content.decode()
    assert "Required meetings not held" in body
    assert "fewer than 5 by a manager's recorded exception" in body


def test_analysts_see_how_many_times_a_manager_decided_parents_were_not_told(p, child, as_user):
    from lantern.missing import actions as missing_actions
    from lantern.people import actions as people

    child = people.set_looked_after(child, by=p.fiona, version=child.version,
                                    looked_after=True, legal_status="s20",
                                    reason="Accommodated at her mother's request")
    people.allocate(child, p.sam, by=p.fiona)
    missing_actions.record_parents_decision(child, by=p.maria, matter="Missing overnight",
                                            told=False, reason="Her father is the risk")
    body = as_user(p.ana).get("/").content.decode()
    assert "parents not told under section 20" in body
    assert body.count("fewer than 5 by a manager&#x27;s recorded exception") + body.count(
        "fewer than 5 by a manager's recorded exception") == 1


def test_a_concern_listed_newest_recorded_first_says_when_it_was_seen_and_recorded(
        p, child, as_user):
    """The list is in the order the concerns were recorded: a date alone read as the day it
    was recorded, and the list looked out of order when a concern was seen weeks before."""
    from datetime import timedelta

    from django.utils import timezone

    seen = timezone.localdate() - timedelta(days=30)
    testing.make_concern(child, p.alice, observed_on=seen)
    body = as_user(p.alice).get("/").content.decode()
    today = timezone.localdate()
    assert (f"seen {seen:%-d %b %Y}, recorded {today:%-d %b %Y} by "
            f"{p.alice.display_name}") in body


def test_the_figures_home_says_its_counts_are_of_every_record_not_a_period(p, child, as_user):
    """The board compares the home page with the data set's six months: a count here that the
    data set withholds, or that differs, needs its reason on the page."""
    body = as_user(p.bea).get("/").content.decode()
    assert "count every record Lantern holds for the area, whenever it was made" in body


def test_the_home_search_drawn_once_is_the_form_drawn_on_each_showing(p, as_user):
    """The search for a child on the home page is drawn once a process (it names no one):
    the page holds what the template drew on each showing, for everyone who sees it."""
    from django.template import Context, Template

    from lantern.people.forms import FindChildForm

    drawn = Template(
        '{% load govuk %}<input type="hidden" name="next" value="concern">\n'
        '      <h2 class="govuk-heading-m">Record a concern about a child</h2>\n'
        '      <p class="govuk-body">Find the child first, by name (the spelling does not need '
        'to be exact) or date of birth. You will only find children whose records you are '
        'entitled to see.</p>\n'
        '      {% field search_form.name classes="govuk-!-width-two-thirds" %}\n'
        '      {% field search_form.date_of_birth hint="For example, 27 3 2011" %}\n'
        '      <button type="submit"').render(Context({"search_form": FindChildForm()}))
    assert 'id="id_name"' in drawn and 'id="id_date_of_birth-hint"' in drawn
    for user in (p.fiona, p.alice, p.sam):
        page = as_user(user).get("/").content.decode()
        assert drawn in page, user.username
