"""`lantern work`: overdue work is marked, its owner told and their manager told, once, however
many copies of the loop run."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from lantern import testing
from lantern.foundation import escalation, work
from lantern.foundation.models import AuditEvent, WorkItem
from lantern.pathway import actions
from lantern.pathway.models import Outcome


@pytest.fixture
def emails(p):
    for user in p.all_users().values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return p


def _item(p, child, *, hours=24, owner=None, owner_role=""):
    return work.open_item(
        area=p.north, child=child, kind="assessment", title=f"Assess {child.full_name}",
        due_at=timezone.now() + timedelta(hours=hours), basis="Within 24 hours (seed 999)",
        owner=owner, owner_role=owner_role, by=p.maria, url="/work/",
    )


def _recipients() -> list[tuple[str, ...]]:
    return sorted(tuple(message.to) for message in mail.outbox)


def test_nothing_happens_before_the_deadline(emails, child):
    item = _item(emails, child, owner=emails.sam)
    with time_machine.travel(item.due_at - timedelta(minutes=1), tick=False):
        result = escalation.run_once()
    assert (result.notified, result.escalated) == (0, 0)
    assert mail.outbox == []


def test_overdue_work_is_marked_its_owner_told_and_their_manager_told(emails, child):
    item = _item(emails, child, owner=emails.sam)
    with time_machine.travel(item.due_at + timedelta(minutes=1), tick=False):
        result = escalation.run_once()
        now = timezone.now()
    assert (result.notified, result.escalated) == (1, 1)
    item.refresh_from_db()
    assert item.overdue_notified_at == now and item.escalated_at == now
    assert _recipients() == [("maria@example.org",), ("sam@example.org",)]
    to_sam = next(m for m in mail.outbox if m.to == ["sam@example.org"])
    assert "Within 24 hours (seed 999)" in to_sam.body
    assert "Sam Tester" in next(m for m in mail.outbox if m.to == ["maria@example.org"]).body


def test_emails_never_name_the_child(emails, child):
    item = _item(emails, child, owner=emails.sam)
    with time_machine.travel(item.due_at + timedelta(hours=1), tick=False):
        escalation.run_once()
    for message in mail.outbox:
        assert child.given_names not in message.subject + message.body
        assert child.family_name not in message.subject + message.body


def test_work_owned_by_a_role_tells_everyone_in_it_in_the_area(emails, child):
    referral = testing.make_referral(child, emails.alice)
    with time_machine.travel(referral.decision_due_at + timedelta(minutes=5), tick=False):
        escalation.run_once()
    # fiona is Northbridge's front door (eve is Eastmoor's); maria manages fiona.
    assert _recipients() == [("fiona@example.org",), ("maria@example.org",)]


def test_without_a_manager_it_escalates_to_the_area_cse_team_managers(emails, child):
    emails.sam.manager = None
    emails.sam.save(update_fields=["manager"])
    item = _item(emails, child, owner=emails.sam)
    assert [u.username for u in escalation.managers(item)] == ["maria"]


def test_two_runs_do_not_tell_anyone_twice(emails, child):
    item = _item(emails, child, owner=emails.sam)
    with time_machine.travel(item.due_at + timedelta(hours=1), tick=False):
        escalation.run_once()
        escalation.run_once()
        out = StringIO()
        call_command("work", "--once", stdout=out)
    assert len(mail.outbox) == 2
    assert "0 overdue item(s) notified, 0 escalated" in out.getvalue()
    assert AuditEvent.objects.filter(action="overdue", object_id=str(item.pk)).count() == 1
    assert AuditEvent.objects.filter(action="escalate", object_id=str(item.pk)).count() == 1


def test_a_claim_succeeds_for_one_copy_only(emails, child):
    item = _item(emails, child, owner=emails.sam)
    now = item.due_at + timedelta(minutes=1)
    assert escalation.claim(item.pk, "overdue_notified_at", now) is True
    assert escalation.claim(item.pk, "overdue_notified_at", now) is False


def test_a_copy_that_loses_the_claim_tells_nobody(emails, child, monkeypatch):
    """Another copy claims the item between this copy finding it and claiming it."""
    item = _item(emails, child, owner=emails.sam)
    later = item.due_at + timedelta(minutes=1)
    if connection.features.has_select_for_update_skip_locked:
        pytest.skip("PostgreSQL claims by row lock; see the threaded test")
    real_claim = escalation.claim

    def raced(pk, field, now):
        WorkItem.objects.filter(pk=pk).update(**{field: now})  # the other copy
        return real_claim(pk, field, now)

    monkeypatch.setattr(escalation, "claim", raced)
    result = escalation.run_once(now=later)
    assert result.notified == 0
    assert mail.outbox == []


def test_done_work_is_never_overdue(emails, child):
    referral = testing.make_referral(child, emails.alice)
    actions.decide_referral(referral, Outcome.NO_FURTHER_ACTION, by=emails.fiona,
                            rationale="No further action: the family has moved away.")
    with time_machine.travel(referral.decision_due_at + timedelta(days=3), tick=False):
        assert escalation.run_once().notified == 0
    assert mail.outbox == []


def test_a_failure_to_send_leaves_the_item_for_the_next_pass(emails, child, monkeypatch):
    item = _item(emails, child, owner=emails.sam)
    later = item.due_at + timedelta(minutes=1)

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(escalation, "send_mail", broken)
    assert escalation.run_once(now=later).notified == 0
    item.refresh_from_db()
    assert item.overdue_notified_at is None
    monkeypatch.undo()
    assert escalation.run_once(now=later).notified == 1


@pytest.mark.django_db(transaction=True)
def test_copies_running_at_once_tell_each_owner_once(transactional_db):
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("needs a database with SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL)")
    p = testing.build_partnership()
    for user in p.all_users().values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    children = [testing.make_child(p.alice, given_names=f"Child{i}") for i in range(8)]
    items = [_item(p, c, owner=p.sam) for c in children]
    later = max(i.due_at for i in items) + timedelta(minutes=1)
    start = threading.Barrier(3)

    def copy():
        start.wait()
        try:
            escalation.run_once(now=later)
        finally:
            connection.close()

    threads = [threading.Thread(target=copy) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    to_sam = [m for m in mail.outbox if m.to == ["sam@example.org"]]
    assert len(to_sam) == len(items)
    assert AuditEvent.objects.filter(action="overdue").count() == len(items)
