"""Transition reminders: from 17 years 6 months (a local setting), to the allocated worker or
the front door; idempotent, so the loop can run as often as it likes."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from lantern import testing
from lantern.foundation import work
from lantern.foundation.models import WorkItem
from lantern.missing import actions
from lantern.missing.reminders import open_due_reminders
from lantern.people import actions as people

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2026, 3, 15, 7, 0, tzinfo=LONDON)



@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def young_person(p, born: date, **details):
    return testing.make_child(p.alice, given_names="Rhys", family_name="Example",
                              date_of_birth=born, **details)


def reminders(child=None):
    items = WorkItem.objects.filter(kind="transition_plan")
    return list(items.filter(child=child) if child else items)


def test_a_reminder_opens_on_the_day_the_young_person_is_17_years_6_months(p):
    child = young_person(p, date(2008, 9, 15))
    assert str(child.age()) == "17 years 6 months"
    [item] = open_due_reminders(timezone.now())
    assert item.child == child and item.title == "Plan the move to adult services"
    assert item.due_at == datetime(2026, 9, 15, 0, 0, tzinfo=LONDON)  # the 18th birthday
    assert item.basis.startswith("Transition planning from 17 years 6 months (a Lantern "
                                 "default, a local setting; West Midlands CSE toolkit")
    assert item.url == f"/children/{child.pk}/transition/"


def test_no_reminder_the_day_before(p):
    child = young_person(p, date(2008, 9, 16))
    assert str(child.age()) == "17 years 5 months"
    assert open_due_reminders(timezone.now()) == []


def test_reminders_are_idempotent(p):
    child = young_person(p, date(2008, 9, 15))
    assert len(open_due_reminders(timezone.now())) == 1
    assert open_due_reminders(timezone.now()) == []
    assert len(reminders(child)) == 1


def test_a_closed_reminder_is_not_opened_again(p):
    child = young_person(p, date(2008, 9, 15))
    open_due_reminders(timezone.now())
    assert work.close_items(source=child, kind="transition_plan", by=p.fiona) == 1
    assert open_due_reminders(timezone.now()) == []


def test_the_allocated_worker_gets_the_reminder(p):
    child = young_person(p, date(2008, 8, 1))
    people.allocate(child, p.sam, by=p.fiona)
    [item] = open_due_reminders(timezone.now())
    assert (item.owner, item.owner_role) == (p.sam, "")


def test_the_front_door_gets_it_when_nobody_is_allocated(p):
    young_person(p, date(2008, 8, 1))
    [item] = open_due_reminders(timezone.now())
    assert (item.owner, item.owner_role, item.area) == (None, "front_door", p.north)


def test_a_young_person_with_a_transition_plan_needs_no_reminder(p):
    child = young_person(p, date(2008, 8, 1))
    actions.save_transition_plan(child, by=p.fiona, version=None, **plan_values())
    assert open_due_reminders(timezone.now()) == []


def test_over_18_without_additional_needs_gets_no_late_reminder(p):
    young_person(p, date(2007, 12, 1))
    assert open_due_reminders(timezone.now()) == []


def test_over_18_with_a_learning_disability_gets_one_due_in_28_days(p):
    child = young_person(p, date(2006, 1, 1), learning_disability=True)
    [item] = open_due_reminders(timezone.now())
    assert item.child == child and item.due_at == timezone.now() + timedelta(days=28)
    assert "Turns 18 on 1 January 2024" in child.chronology.get(kind="transition").detail


def test_a_young_person_of_21_gets_none(p):
    young_person(p, date(2005, 1, 1), learning_disability=True)
    assert open_due_reminders(timezone.now()) == []


def test_an_estimated_age_counts(p):
    child = testing.make_child(p.alice, date_of_birth=None, estimated_age=17,
                               estimated_on=date(2025, 9, 1))
    [item] = open_due_reminders(timezone.now())
    assert item.child == child
    assert "(estimated)" in child.chronology.get(kind="transition").detail


def test_the_reminder_age_is_a_local_setting(p):
    p.north.local_settings = {"transition_reminder_months": 17 * 12}
    p.north.save()
    young_person(p, date(2009, 3, 15))
    [item] = open_due_reminders(timezone.now())
    assert "from 17 years 0 months (Northbridge local setting" in item.basis


def test_the_reminder_is_in_the_chronology_and_audited_as_lantern(p):
    child = young_person(p, date(2008, 9, 15))
    open_due_reminders(timezone.now())
    entry = child.chronology.get(kind="transition")
    assert entry.title == "Transition planning prompted" and entry.recorded_by is None
    assert child.audit_events.filter(action="open_work", actor=None).exists()


def test_the_command_opens_them_once(p, capsys):
    young_person(p, date(2008, 9, 15))
    call_command("transitions", "--once")
    call_command("transitions", "--once")
    assert capsys.readouterr().out.splitlines() == ["Opened 1 transition reminder",
                                                    "Opened 0 transition reminders"]
    assert len(reminders()) == 1


def plan_values(**changes):
    values = {
        "care_act": {"needs_care_and_support": "no", "abuse_or_neglect": "yes",
                     "unable_to_protect": "not_known"},
        "adult_safeguarding_notified": None, "notified_on": None, "notified_to": "",
        "not_notified_reason": "", "pathway_plan_applies": False,
        "pathway_plan_names_cse": None, "pathway_plan_note": "", "recovery_factors": [],
        "screening_continues_to": 18, "outcomes": ["no_further_action"],
        "outcome_detail": "Risk has reduced; youth service stays involved.",
    }
    values.update(changes)
    return values


@pytest.fixture
def plan_child(p):
    return young_person(p, date(2008, 8, 1), looked_after=True)


def test_recording_the_plan_closes_the_reminder(p, plan_child):
    [item] = open_due_reminders(timezone.now())
    actions.save_transition_plan(plan_child, by=p.fiona, version=None, **plan_values())
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE
    assert plan_child.chronology.filter(title="Transition plan recorded").exists()


def test_when_the_care_act_criteria_may_be_met_adult_safeguarding_must_be_answered(
    p, plan_child
):
    may_be_met = {"needs_care_and_support": "yes", "abuse_or_neglect": "yes",
                  "unable_to_protect": "not_known"}
    with pytest.raises(actions.MissingError, match="adult safeguarding has been notified"):
        actions.save_transition_plan(plan_child, by=p.fiona, version=None,
                                     **plan_values(care_act=may_be_met))
    with pytest.raises(actions.MissingError, match="why adult safeguarding has not"):
        actions.save_transition_plan(plan_child, by=p.fiona, version=None,
                                     **plan_values(care_act=may_be_met,
                                                   adult_safeguarding_notified=False))
    plan = actions.save_transition_plan(
        plan_child, by=p.fiona, version=None,
        **plan_values(care_act=may_be_met, adult_safeguarding_notified=True,
                      notified_to="Northbridge adult safeguarding", outcomes=[
                          "adult_safeguarding"]))
    assert plan.care_act_may_be_met


def test_a_pathway_plan_that_does_not_name_the_risk_needs_a_reason(p, plan_child):
    with pytest.raises(actions.MissingError, match="pathway plan does not name"):
        actions.save_transition_plan(plan_child, by=p.fiona, version=None,
                                     **plan_values(pathway_plan_applies=True,
                                                   pathway_plan_names_cse=False))


def test_a_stale_edit_of_the_plan_is_refused(p, plan_child):
    plan = actions.save_transition_plan(plan_child, by=p.fiona, version=None, **plan_values())
    actions.save_transition_plan(plan_child, by=p.maria, version=plan.version,
                                 **plan_values(outcome_detail="Changed by Maria."))
    with pytest.raises(people.StaleEdit):
        actions.save_transition_plan(plan_child, by=p.fiona, version=plan.version,
                                     **plan_values(outcome_detail="Fiona's older edit."))


def test_the_background_loop_opens_due_reminders(p, capsys):
    child = young_person(p, date(2008, 9, 15))
    call_command("work", "--once")
    assert "1 reminder(s) opened" in capsys.readouterr().out
    assert len(reminders(child)) == 1
