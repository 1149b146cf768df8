"""The transition plan page: age in years and months, the 18th birthday, and the plan the
allocated worker records."""

import pytest

from lantern import testing
from lantern.foundation.models import WorkItem
from lantern.missing.models import TransitionPlan
from lantern.missing.reminders import open_due_reminders
from lantern.people import actions as people


@pytest.fixture
def young_person(p):
    child = testing.make_child(p.alice, given_names="Rhys",
                               date_of_birth=testing.birthday_years_ago(17, days_after=200),
                               looked_after=True, learning_disability=True)
    people.allocate(child, p.sam, by=p.fiona)
    return child


def plan_data(**changes):
    data = {"care_act_needs_care_and_support": "yes", "care_act_abuse_or_neglect": "yes",
            "care_act_unable_to_protect": "not_known", "adult_safeguarding_notified": "yes",
            "notified_to": "Northbridge adult safeguarding team",
            "pathway_plan_applies": "yes", "pathway_plan_names_cse": "yes",
            "recovery_factors": ["homelessness", "supportive_contacts"],
            "screening_continues_to": "21",
            "outcomes": ["adult_safeguarding", "pathway_plan", "continued_screening"],
            "outcome_detail": "Referred to adult safeguarding; pathway plan names the risk."}
    data.update(changes)
    return data


def url(child):
    return f"/children/{child.pk}/transition/"


def test_the_page_shows_age_in_years_and_months_and_the_18th_birthday(p, young_person, as_user):
    body = as_user(p.sam).get(url(young_person)).content.decode()
    assert str(young_person.age()) in body
    assert f"turns 18 on {young_person.turns_18_on:%-d %B %Y}" in body
    assert "Screening may continue to</dt><dd class=\"govuk-summary-list__value\">21" in body


def test_the_allocated_worker_records_the_plan_and_the_reminder_closes(
    p, young_person, as_user
):
    [item] = open_due_reminders(young_person.created_at)
    response = as_user(p.sam).post(url(young_person), plan_data())
    assert response.status_code == 302
    plan = TransitionPlan.objects.get()
    assert plan.care_act_may_be_met and plan.screening_continues_to == 21
    assert plan.outcomes == ["adult_safeguarding", "continued_screening", "pathway_plan"]
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE
    body = as_user(p.priya).get(url(young_person)).content.decode()
    assert "Referred to adult safeguarding" in body and "May be met" in body


def test_criteria_that_may_be_met_need_the_notification_answered(p, young_person, as_user):
    data = plan_data()
    del data["adult_safeguarding_notified"]
    body = as_user(p.sam).post(url(young_person), data).content.decode()
    assert "Select yes if adult safeguarding services have been notified" in body
    body = as_user(p.sam).post(url(young_person), plan_data(
        adult_safeguarding_notified="no")).content.decode()
    assert "Enter why adult safeguarding services have not been notified" in body


def test_an_empty_plan_shows_govuk_errors(p, young_person, as_user):
    body = as_user(p.sam).post(url(young_person), {}).content.decode()
    for message in ("Select yes, no or not known", "Select what was decided",
                    "Enter why, and what happens next", "Enter the age screening continues to"):
        assert message in body


def test_police_read_the_plan_but_cannot_change_it(p, young_person, as_user):
    client = as_user(p.priya)
    assert client.get(url(young_person)).status_code == 200
    assert client.post(url(young_person), plan_data()).status_code == 403
    assert not TransitionPlan.objects.exists()


def test_the_childs_record_links_the_transition_page(p, young_person, as_user):
    body = as_user(p.alice).get(young_person.get_absolute_url()).content.decode()
    assert url(young_person) in body

