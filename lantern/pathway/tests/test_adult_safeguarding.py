"""Adult safeguarding is always told of a young person aged 18 or over at risk (issue 14, item
10; seed 001, Young people aged 18 years and over; seed 002 §6.5 in Wales): a screening at risk
or a referral opens the work on the pathway, owned by the allocated social worker or waiting
with the front door, done by recording the referral or by a manager's exception."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern import testing
from lantern.foundation.models import AuditEvent, Child, Notification, WorkItem
from lantern.pathway import actions
from lantern.pathway.models import AdultReferral, Pathway
from lantern.people import actions as people_actions


@pytest.fixture
def young_adult(p):
    """Kim, 19, a care leaver with a learning disability in Northbridge (Coventry's procedures:
    the West Midlands tool screens her up to 21)."""
    return testing.make_child(p.alice, given_names="Kim", care_leaver=True,
                              learning_disability=True,
                              date_of_birth=testing.birthday_years_ago(19, days_after=30))


def _adult(child) -> AdultReferral:
    return AdultReferral.objects.get(child=child)


def test_a_screening_at_risk_of_a_young_person_aged_19_opens_the_work(p, young_adult):
    testing.make_screening(young_adult, p.alice, indicators=("wm2.vehicles",))
    adult = _adult(young_adult)
    item = adult.work_item
    assert "Care Act 2014" in adult.route and "West Midlands CSE toolkit" in adult.citation
    assert "aged 19" in adult.trigger
    assert item.kind == actions.ADULT_WORK and item.status == WorkItem.Status.OPEN
    # No seed times it: the work says whose judgement sets when it is done.
    assert item.due_at is None and "judgement of the allocated social worker" in item.basis
    # With no social worker allocated, it waits with the front door.
    assert (item.owner, item.owner_role) == (None, "front_door")
    assert young_adult.chronology.filter(kind="adult_referral_opened").exists()


def test_a_child_under_18_opens_none(p, child):
    testing.make_screening(child, p.alice, indicators=("wm3.chronic_substance_use",))
    testing.make_referral(child, p.alice)
    assert not AdultReferral.objects.filter(child=child).exists()


def test_a_referral_of_a_young_person_aged_18_or_over_opens_it_once(p, young_adult):
    testing.make_referral(young_adult, p.alice)
    testing.make_screening(young_adult, p.alice)
    testing.make_referral(young_adult, p.bob)
    assert AdultReferral.objects.filter(child=young_adult).count() == 1
    assert "Referred to the front door, aged 19" in _adult(young_adult).trigger


def test_the_allocated_social_worker_owns_it_and_an_allocation_later_moves_it(p, young_adult):
    testing.make_screening(young_adult, p.alice)
    people_actions.allocate(young_adult, p.sam, by=p.fiona)
    assert _adult(young_adult).work_item.owner == p.sam


def test_the_social_worker_and_the_cse_team_are_told(p, young_adult):
    people_actions.allocate(young_adult, p.sam, by=p.fiona)
    testing.make_screening(young_adult, p.alice)
    told = Notification.objects.filter(title__contains="adult safeguarding is to be told")
    assert {n.recipient for n in told} == {p.sam, p.maria}
    assert all("West Midlands CSE toolkit" in n.basis for n in told)


def test_wales_tells_adult_protection_through_pova_from_mild_risk(p):
    actions.adopt_profile(p.north, "wales", by=p.ade)
    child = testing.make_child(p.alice, date_of_birth=testing.birthday_years_ago(18))
    testing.make_screening(child, p.alice, framework="seraf", indicators=(), final_category=1)
    assert not AdultReferral.objects.filter(child=child).exists()  # SERAF 1: not at risk
    testing.make_screening(child, p.alice, framework="seraf",
                           indicators=("seraf.r.staying_out_late",), final_category=2)
    adult = _adult(child)
    assert "Protection of Vulnerable Adults" in adult.route
    assert adult.citation.startswith("All Wales CSE protocol §6.5")
    # always telling them is seed 001's rule
    assert "West Midlands CSE toolkit" in adult.work_item.basis


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(age=st.integers(min_value=10, max_value=30))
def test_only_a_young_person_aged_18_or_over_opens_it(p, age):
    child = testing.make_child(p.alice)
    actions.note_event(child, actions.Step.SCREENING, by=p.alice, at=timezone.now())
    opened = actions.open_adult_referral(child, age=age, by=p.alice, trigger="test",
                                         framework="wm", category=1)
    assert (opened is not None) is (age >= 18)


def _record(adult, by, **values):
    data = {"referred_on": timezone.localdate(), "referred_to": "Northbridge adult "
            "safeguarding hub", "reference": "AS-2291"}
    data.update(values)
    return actions.record_adult_referral(adult, by=by, **data)


def test_recording_the_referral_closes_the_work(p, young_adult):
    testing.make_screening(young_adult, p.alice)
    adult = _record(_adult(young_adult), p.fiona)
    assert adult.reference == "AS-2291" and adult.recorded_by == p.fiona
    item = WorkItem.objects.get(pk=adult.work_item_id)
    assert item.status == WorkItem.Status.DONE
    assert AuditEvent.objects.filter(action="update", object_id=str(adult.pk),
                                     summary="Adult safeguarding told").exists()
    assert young_adult.chronology.filter(kind="adult_referral_made").exists()


@pytest.mark.parametrize(("values", "message"), [
    ({"referred_on": None}, "Enter the date adult safeguarding was told"),
    ({"referred_on": timezone.localdate() + timedelta(days=1)}, "today or in the past"),
    ({"referred_to": " "}, "Enter who in adult safeguarding was told"),
    ({"reference": ""}, "Enter the reference adult safeguarding gave"),
])
def test_the_referral_needs_when_to_whom_and_the_reference(p, young_adult, values, message):
    testing.make_screening(young_adult, p.alice)
    with pytest.raises(actions.PathwayError, match=message):
        _record(_adult(young_adult), p.fiona, **values)


def test_it_is_recorded_once(p, young_adult):
    testing.make_screening(young_adult, p.alice)
    _record(_adult(young_adult), p.fiona)
    with pytest.raises(actions.PathwayError, match="already been told"):
        _record(_adult(young_adult), p.sam)


def test_a_manager_s_exception_closes_it_with_the_reason(p, young_adult):
    testing.make_screening(young_adult, p.alice)
    adult = actions.record_adult_exception(_adult(young_adult), by=p.maria,
                                           reason="Already open to adult safeguarding.")
    assert adult.excepted_by == p.maria and adult.exception_reason
    assert WorkItem.objects.get(pk=adult.work_item_id).status == WorkItem.Status.CANCELLED
    assert AuditEvent.objects.filter(action="except", object_id=str(adult.pk)).exists()
    assert young_adult.chronology.filter(kind="adult_referral_exception").exists()


def test_only_a_manager_records_an_exception_and_with_a_reason(p, young_adult):
    testing.make_screening(young_adult, p.alice)
    with pytest.raises(actions.PathwayError, match="Only a manager"):
        actions.record_adult_exception(_adult(young_adult), by=p.fiona, reason="No need.")
    with pytest.raises(actions.PathwayError, match="Enter why"):
        actions.record_adult_exception(_adult(young_adult), by=p.maria, reason=" ")


# --- On the pathway page -------------------------------------------------------------------

def _url(child, adult, tail=""):
    return f"/children/{child.pk}/pathway/adult-safeguarding/{adult.pk}/{tail}"


def test_the_pathway_page_shows_the_route_owner_and_forms(p, young_adult, as_user):
    testing.make_screening(young_adult, p.alice)
    body = as_user(p.maria).get(f"/children/{young_adult.pk}/pathway/").content.decode()
    assert "Adult safeguarding (Care Act 2014)" in body
    assert "Any front door worker in the area" in body
    assert "Record that adult safeguarding was told" in body
    assert "Record an exception" in body


def test_recording_through_the_page(p, young_adult, as_user):
    testing.make_screening(young_adult, p.alice)
    adult = _adult(young_adult)
    today = timezone.localdate()
    prefix = f"adult-{adult.pk}"
    response = as_user(p.fiona).post(_url(young_adult, adult), {
        f"{prefix}-referred_on_day": today.day, f"{prefix}-referred_on_month": today.month,
        f"{prefix}-referred_on_year": today.year, f"{prefix}-referred_to": "Adult hub",
        f"{prefix}-reference": "AS-1"})
    assert response.status_code == 302
    adult.refresh_from_db()
    assert adult.referred_on == today and adult.reference == "AS-1"


def test_an_empty_form_gives_clear_errors_and_keeps_what_was_typed(p, young_adult, as_user):
    testing.make_screening(young_adult, p.alice)
    adult = _adult(young_adult)
    prefix = f"adult-{adult.pk}"
    response = as_user(p.fiona).post(_url(young_adult, adult), {
        f"{prefix}-referred_to": "Adult hub, duty desk"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Enter the date adult safeguarding was told" in body
    assert "Enter the reference adult safeguarding gave" in body
    assert "Adult hub, duty desk" in body


def test_a_manager_records_an_exception_through_the_page(p, young_adult, as_user):
    testing.make_screening(young_adult, p.alice)
    adult = _adult(young_adult)
    response = as_user(p.maria).post(_url(young_adult, adult, "exception/"), {
        f"adult-exception-{adult.pk}-reason": "Already known to adult safeguarding."})
    assert response.status_code == 302
    adult.refresh_from_db()
    assert adult.excepted_at is not None
    body = as_user(p.maria).get(f"/children/{young_adult.pk}/pathway/").content.decode()
    assert "Not told: " in body and "Already known to adult safeguarding." in body


@pytest.fixture
def nearly_18(p):
    """Tia, 17 until the day after tomorrow, referred while still a child: her pathway is open
    and adult safeguarding has not been told."""
    tia = testing.make_child(p.alice, given_names="Tia",
                             date_of_birth=testing.birthday_years_ago(18, days_after=-2))
    testing.make_referral(tia, p.alice)
    assert not AdultReferral.objects.filter(child=tia).exists()
    return tia


def test_turning_18_on_an_open_pathway_opens_the_work_in_the_background_loop(p, nearly_18):
    after_birthday = timezone.now() + timedelta(days=3)
    opened = actions.open_for_those_turned_18(after_birthday)
    assert [a.child for a in opened] == [nearly_18]
    assert "Turned 18 on" in opened[0].trigger
    assert opened[0].work_item.status == WorkItem.Status.OPEN


def test_the_loop_does_not_open_it_before_the_18th_birthday(p, nearly_18):
    assert actions.open_for_those_turned_18(timezone.now()) == []


def test_the_loop_opens_it_once(p, nearly_18):
    after_birthday = timezone.now() + timedelta(days=3)
    actions.open_for_those_turned_18(after_birthday)
    assert actions.open_for_those_turned_18(after_birthday + timedelta(days=1)) == []
    assert AdultReferral.objects.filter(child=nearly_18).count() == 1


def test_the_loop_leaves_a_pathway_that_has_ended(p, nearly_18):
    Pathway.objects.filter(child=nearly_18).update(exited_at=timezone.now())
    assert actions.open_for_those_turned_18(timezone.now() + timedelta(days=3)) == []


def test_lantern_work_opens_it(p):
    kai = testing.make_child(p.alice, given_names="Kai",
                             date_of_birth=testing.birthday_years_ago(18, days_after=-1))
    testing.make_referral(kai, p.alice)
    Child.objects.filter(pk=kai.pk).update(date_of_birth=testing.birthday_years_ago(18))
    call_command("work", "--once")
    assert AdultReferral.objects.filter(child=kai).count() == 1
