"""Plan actions: owners and agencies, due dates as work items that reach the owner's tray and
escalate, history, Child Abduction Warning Notice breaches, outcome measures over time."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from lantern.foundation import escalation
from lantern.foundation.models import WorkItem
from lantern.intelligence.models import Subject
from lantern.intelligence.tests.helpers import person, report
from lantern.people import actions as people_actions
from lantern.plans import actions
from lantern.plans.models import Plan, PlanAction


@pytest.fixture
def plan(p, child):
    return actions.start_plan(child, by=p.maria)


def _add(plan, by, **fields):
    plan.refresh_from_db()
    values = {"kind": "support", "description": "Weekly direct work on healthy relationships",
              "risk": "Grooming by older men", "owner": by,
              "due_on": timezone.localdate() + timedelta(days=14)}
    values.update(fields)
    return actions.add_action(plan, version=plan.version, by=by, **values)[0]


def test_an_action_with_a_due_date_is_work_in_its_owner_s_tray(p, child, plan, as_user):
    action = _add(plan, p.maria, owner=p.sam)
    item = action.work_item
    assert item.owner == p.sam and item.kind == "plan_action" and item.all_day
    assert child.full_name not in item.title
    body = as_user(p.sam).get("/work/").content.decode()
    assert "Plan action due: support and direct work" in body


def test_the_owner_of_an_action_may_read_the_child_s_plan(p, child, plan, as_user):
    assert as_user(p.sam).get(plan.get_absolute_url()).status_code == 404
    _add(plan, p.maria, owner=p.sam)
    assert as_user(p.sam).get(plan.get_absolute_url()).status_code == 200


def test_an_overdue_action_escalates_through_the_background_loop(p, child, plan):
    for user in (p.sam, p.maria):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    action = _add(plan, p.maria, owner=p.sam)
    with time_machine.travel(action.work_item.due_at + timedelta(minutes=1), tick=False):
        result = escalation.run_once()
    assert (result.notified, result.escalated) == (1, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["maria@example.org", "sam@example.org"]
    assert all(child.given_names not in m.body for m in mail.outbox)


def test_an_owner_without_an_account_puts_the_deadline_with_the_allocated_worker(p, child,
                                                                               plan):
    people_actions.allocate(child, p.sam, by=p.fiona)
    action = _add(plan, p.maria, kind="safety", owner=None, owner_name="Her foster carer",
                  owner_agency_name="Brightside Fostering",
                  description="Report her missing after 30 minutes")
    assert action.owner_display == "Her foster carer, Brightside Fostering"
    assert action.work_item.owner == p.sam


def test_finishing_an_action_closes_its_work_and_keeps_the_history(p, child, plan):
    action = _add(plan, p.maria)
    plan.refresh_from_db()
    actions.update_action(action, version=plan.version, by=p.maria, status="done")
    assert WorkItem.objects.get(pk=action.work_item_id).status == "done"
    assert [e.what for e in action.events.all()] == ["Action agreed", "Status: done"]


def test_moving_the_due_date_moves_the_work(p, child, plan):
    action = _add(plan, p.maria)
    old = action.work_item_id
    plan.refresh_from_db()
    later = timezone.localdate() + timedelta(days=30)
    action, _ = actions.update_action(action, version=plan.version, by=p.maria, due_on=later)
    assert WorkItem.objects.get(pk=old).status == "cancelled"
    assert timezone.localtime(action.work_item.due_at).date() == later


def test_a_disruption_action_is_against_a_named_subject(p, child, plan):
    with pytest.raises(actions.PlanError, match="person the disruption is against"):
        _add(plan, p.priya, kind="disruption", disruption_type="arrest_other")
    report(p.priya, [child], person("Dean", "Ward", role="suspect"))
    action = _add(plan, p.priya, kind="disruption", disruption_type="arrest_other",
                  subject=Subject.objects.get(), description="Arrest for driving offences")
    assert action.subject.name_text() == "Dean Ward"


def test_a_warning_notice_records_when_it_was_served_and_its_breaches(p, child, plan,
                                                                    as_user):
    report(p.priya, [child], person("Dean", "Ward", role="suspect"))
    action = _add(plan, p.priya, kind="disruption", disruption_type="cawn",
                  subject=Subject.objects.get(), parent_statement=True,
                  description="Warn Dean Ward not to let her in")
    plan.refresh_from_db()
    with pytest.raises(actions.PlanError, match="served first"):
        actions.record_breach(action, version=plan.version, by=p.priya,
                              occurred_on=timezone.localdate(), detail="Seen at his flat")
    served = timezone.localdate() - timedelta(days=5)
    action, _ = actions.update_action(action, version=plan.version, by=p.priya,
                                      served_on=served)
    plan.refresh_from_db()
    with pytest.raises(actions.PlanError, match="on or after the date"):
        actions.record_breach(action, version=plan.version, by=p.priya,
                              occurred_on=served - timedelta(days=1), detail="Before")
    actions.record_breach(action, version=plan.version, by=p.priya,
                          occurred_on=timezone.localdate(), detail="Seen leaving his flat")
    body = as_user(p.maria).get(action.get_absolute_url()).content.decode()
    assert "Seen leaving his flat" in body and "Breach on" in body
    assert child.chronology.filter(kind="plan_breach").exists()


def test_the_owner_updates_the_status_of_their_own_action_only(p, child, plan, as_user):
    action = _add(plan, p.maria, owner=p.priya)
    plan.refresh_from_db()
    client = as_user(p.priya)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Update your action" in page and "Change the action" not in page
    response = client.post(action.get_absolute_url(), {"version": plan.version,
                                                       "status": "in_progress"})
    assert response.status_code == 302
    assert PlanAction.objects.get(pk=action.pk).status == "in_progress"
    other = _add(plan, p.maria, owner=p.maria)
    plan.refresh_from_db()
    assert client.post(other.get_absolute_url(), {"version": plan.version,
                                                  "status": "done"}).status_code == 403


def test_outcome_measures_over_time_are_on_the_child_s_record(p, child, plan, as_user):
    start = timezone.localdate() - timedelta(days=60)
    actions.record_measures(plan, version=plan.version, by=p.maria, stage="start", on=start,
                            values={"missing_episodes": 5, "self_esteem": 2})
    plan.refresh_from_db()
    actions.record_measures(plan, version=plan.version, by=p.maria, stage="review",
                            values={"missing_episodes": 1, "self_esteem": 4})
    body = as_user(p.alice).get(child.get_absolute_url()).content.decode()
    assert "Outcome measures over time" in body
    assert body.count("Better") == 2


def test_measures_are_recorded_through_the_page(p, child, plan, as_user):
    today = timezone.localdate()
    response = as_user(p.maria).post(f"/children/{child.pk}/plan/measures/", {
        "version": plan.version, "stage": "start", "recorded_on_day": today.day,
        "recorded_on_month": today.month, "recorded_on_year": today.year,
        "m_missing_episodes": "3", "m_self_esteem": "2"})
    assert response.status_code == 302
    assert sorted(plan.measures.values_list("measure", "value")) == [
        ("missing_episodes", 3), ("self_esteem", 2)]


def test_an_empty_measures_form_says_what_to_do(p, child, plan, as_user):
    today = timezone.localdate()
    body = as_user(p.maria).post(f"/children/{child.pk}/plan/measures/", {
        "version": plan.version, "stage": "start", "recorded_on_day": today.day,
        "recorded_on_month": today.month, "recorded_on_year": today.year}).content.decode()
    assert "Record at least one measure" in body


def test_adding_an_action_through_the_page(p, child, plan, as_user):
    day = timezone.localdate() + timedelta(days=10)
    response = as_user(p.maria).post(f"/children/{child.pk}/plan/actions/new/", {
        "version": plan.version, "kind": "safety", "description": "Safe word with mum",
        "risk": "Going missing", "owner": p.maria.pk, "status": "not_started",
        "due_on_day": day.day, "due_on_month": day.month, "due_on_year": day.year})
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert action.owner_agency == p.north_csc and action.due_on == day


def _action_form(plan, due, **changes):
    return {"version": plan.version, "kind": "safety", "description": "Safe word with mum",
            "risk": "Going missing", "owner": "", "owner_name": "Her foster carer",
            "owner_agency_name": "Foster carer", "status": "not_started",
            "due_on_day": due.day, "due_on_month": due.month, "due_on_year": due.year,
            **changes}


def test_a_new_action_due_before_today_is_refused_and_what_was_typed_kept(p, child, plan,
                                                                         as_user):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = as_user(p.maria).post(f"/children/{child.pk}/plan/actions/new/",
                                     _action_form(plan, yesterday))
    body = response.content.decode()
    assert response.status_code == 200 and not PlanAction.objects.exists()
    assert "Due date must be today or in the future" in body
    assert "Safe word with mum" in body


def test_an_overdue_action_keeps_its_date_when_edited_but_cannot_be_moved_into_the_past(
        p, child, plan, as_user):
    overdue = timezone.localdate() - timedelta(days=3)
    action = _add(plan, p.maria)
    PlanAction.objects.filter(pk=action.pk).update(due_on=overdue)
    plan.refresh_from_db()
    client = as_user(p.maria)
    kept = client.post(action.get_absolute_url(), _action_form(
        plan, overdue, description="Safe word agreed", status="in_progress"))
    assert kept.status_code == 302
    action.refresh_from_db()
    assert action.description == "Safe word agreed" and action.due_on == overdue
    plan.refresh_from_db()
    earlier = client.post(action.get_absolute_url(),
                          _action_form(plan, overdue - timedelta(days=1)))
    assert "Due date must be today or in the future" in earlier.content.decode()


def test_closing_the_plan_stops_its_open_actions(p, child, plan):
    action = _add(plan, p.maria)
    plan.refresh_from_db()
    actions.close_plan(plan, version=plan.version, by=p.maria, reason="Team around the child")
    action.refresh_from_db()
    assert action.status == "not_done"
    assert WorkItem.objects.get(pk=action.work_item_id).status == "cancelled"
    assert Plan.objects.get(pk=plan.pk).status == "closed"
