"""There is only ever one plan for the child (seed 001): the database refuses a second active
plan, and people editing the plan at the same moment never overwrite each other (optimistic
locking, with a clear message to the one who loses)."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lantern import testing
from lantern.plans import actions
from lantern.plans.models import Plan, PlanAction


def _plan_with_action(p, child):
    plan = actions.start_plan(child, by=p.maria)
    action, _ = actions.add_action(plan, version=plan.version, by=p.maria, kind="safety",
                                   description="Agree a safe word with her mother",
                                   risk="Going missing at night", owner=p.maria,
                                   due_on=timezone.localdate() + timedelta(days=7))
    return Plan.objects.get(pk=plan.pk), action


def test_the_database_refuses_a_second_active_plan(p, child):
    Plan.objects.create(child=child, created_by=p.maria)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(child=child, created_by=p.fiona)


def test_a_closed_plan_leaves_room_for_a_new_one(p, child):
    plan = actions.start_plan(child, by=p.maria)
    actions.close_plan(plan, version=plan.version, by=p.maria, reason="Team around the child")
    assert actions.start_plan(child, by=p.maria).pk != plan.pk
    assert Plan.objects.filter(child=child).count() == 2


def test_starting_the_plan_again_returns_the_one_plan(p, child):
    first = actions.start_plan(child, by=p.maria)
    assert actions.start_plan(child, by=p.fiona) == first


def test_losing_the_race_to_start_the_plan_returns_the_winner_s(p, child, monkeypatch):
    """Another worker starts the plan between this one looking and creating."""
    winner = Plan.objects.create(child=child, created_by=p.fiona)
    real = actions.active_plan
    calls = []

    def looked_too_early(c):
        calls.append(c)
        return None if len(calls) == 1 else real(c)

    monkeypatch.setattr(actions, "active_plan", looked_too_early)
    assert actions.start_plan(child, by=p.maria) == winner
    assert Plan.objects.filter(child=child).count() == 1


def test_a_stale_version_changes_nothing_and_says_who_changed_it(p, child):
    plan, action = _plan_with_action(p, child)
    actions.update_action(action, version=plan.version, by=p.maria, status="in_progress")
    with pytest.raises(actions.StalePlan, match="Someone else changed this plan by Maria "
                                                "Tester") as error:
        actions.update_action(action, version=plan.version, by=p.fiona,
                              description="Something else")
    assert "Your change has not been saved" in str(error.value)
    action.refresh_from_db()
    assert action.description == "Agree a safe word with her mother"
    assert action.status == "in_progress"


def test_the_page_shows_the_conflict_and_keeps_what_was_typed(p, child, as_user):
    plan, action = _plan_with_action(p, child)
    stale = plan.version
    actions.update_action(action, version=plan.version, by=p.maria, status="in_progress")
    day = timezone.localdate() + timedelta(days=7)
    response = as_user(p.fiona).post(action.get_absolute_url(), {
        "version": stale, "kind": "safety", "description": "Fiona's new words",
        "risk": "Going missing at night", "owner": p.maria.pk, "status": "not_started",
        "due_on_day": day.day, "due_on_month": day.month, "due_on_year": day.year})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this plan by Maria Tester" in body
    assert "Fiona&#x27;s new words" in body
    action.refresh_from_db()
    assert action.description == "Agree a safe word with her mother"


def _needs_row_locks():
    # The in-memory SQLite test database locks whole tables and fails at once rather than
    # waiting; the same interleaving is tested deterministically above. PostgreSQL (CI runs
    # both) waits on the row lock, as production does.
    if connection.vendor != "postgresql":
        pytest.skip("threads need a database that waits on row locks (PostgreSQL)")


def _race(*jobs):
    """Run the jobs in threads released together; return what each returned or raised."""
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        start.wait()
        try:
            results[i] = job()
        except Exception as error:  # noqa: BLE001 - the result under test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_people_starting_the_plan_at_once_get_the_one_plan(transactional_db):
    _needs_row_locks()
    p = testing.build_partnership()
    child = testing.make_child(p.alice)
    results = _race(lambda: actions.start_plan(child, by=p.maria),
                    lambda: actions.start_plan(child, by=p.fiona))
    assert all(isinstance(r, Plan) for r in results), results
    assert results[0].pk == results[1].pk
    assert Plan.objects.filter(child=child, status="active").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_edits_at_once_one_saves_and_the_other_is_told(transactional_db):
    _needs_row_locks()
    p = testing.build_partnership()
    child = testing.make_child(p.alice)
    plan, action = _plan_with_action(p, child)
    version = plan.version
    results = _race(
        lambda: actions.update_action(action, version=version, by=p.maria, status="done"),
        lambda: actions.update_action(action, version=version, by=p.fiona,
                                      description="Meet her at the school gate"))
    stale = [r for r in results if isinstance(r, actions.StalePlan)]
    saved = [r for r in results if isinstance(r, tuple)]
    assert len(stale) == 1 and len(saved) == 1, results
    action = PlanAction.objects.get(pk=action.pk)
    won_by_maria = isinstance(results[0], tuple)
    assert action.status == ("done" if won_by_maria else "not_started")
    assert action.description == ("Agree a safe word with her mother" if won_by_maria
                                  else "Meet her at the school gate")
    assert Plan.objects.get(pk=plan.pk).version == version + 1
