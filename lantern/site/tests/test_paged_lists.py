"""Long lists a page at a time (issue 18): the work tray and the front door's referrals show 50
rows a page with GOV.UK pagination, and audit only the rows shown."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern import testing
from lantern.foundation.models import AuditEvent, WorkItem
from lantern.foundation.paging import PAGE_SIZE
from lantern.pathway.models import Referral


def _open_work(p, count):
    """`count` items for the front door of Northbridge, each about its own child."""
    now = timezone.now()
    children = [testing.make_child(p.alice, given_names=f"Paged{n:03d}") for n in range(count)]
    WorkItem.objects.bulk_create([
        WorkItem(child=child, area=p.north, kind="review", title=f"Review {n:03d}",
                 owner_role="front_door", due_at=now + timedelta(hours=n), basis="Test basis")
        for n, child in enumerate(children)
    ])
    return children


def _awaiting_referrals(p, count):
    child = testing.make_child(p.alice, given_names="Referred")
    now = timezone.now()
    Referral.objects.bulk_create([
        Referral(child=child, area=p.north, referred_by=p.alice, agency=p.alice.agency,
                 reason=f"Reason {n:03d}", consent="given", due_basis="Test basis",
                 decision_due_at=now + timedelta(hours=n))
        for n in range(count)
    ])
    return child


def _last_list_audit():
    return AuditEvent.objects.filter(action="list").order_by("-seq").first()


def test_the_work_tray_shows_fifty_rows_and_a_next_page(p, as_user):
    _open_work(p, PAGE_SIZE + 3)
    body = as_user(p.fiona).get("/work/?tray=mine").content.decode()
    assert "Review 049" in body and "Review 050" not in body
    assert 'class="govuk-pagination"' in body and 'rel="next"' in body
    assert "Open work 1 to 50" in body


def test_the_work_tray_second_page_holds_the_rest_and_keeps_the_filters(p, as_user):
    _open_work(p, PAGE_SIZE + 3)
    body = as_user(p.fiona).get("/work/?tray=mine&kind=review&page=2").content.decode()
    assert "Review 050" in body and "Review 052" in body and "Review 049" not in body
    assert 'rel="prev"' in body and 'rel="next"' not in body
    assert "?tray=mine&amp;kind=review&amp;page=1" in body


def test_the_work_tray_audits_only_the_children_shown(p, as_user):
    children = _open_work(p, PAGE_SIZE + 3)
    as_user(p.fiona).get("/work/?tray=mine")
    audited = _last_list_audit().changes["children"]
    assert len(audited) == PAGE_SIZE
    assert children[PAGE_SIZE].pk not in audited


@pytest.mark.parametrize("page", ["0", "-1", "two", "²", "9999999999999999999999"])
def test_a_page_number_that_is_not_a_page_gives_a_page_not_an_error(p, as_user, page):
    _open_work(p, 2)
    response = as_user(p.fiona).get(f"/work/?page={page}")
    assert response.status_code == 200


def test_a_short_tray_has_no_pagination(p, as_user):
    _open_work(p, 2)
    body = as_user(p.fiona).get("/work/").content.decode()
    assert "govuk-pagination" not in body
    assert "2 open pieces of work" in body


def test_the_referrals_list_shows_fifty_and_audits_those_fifty(p, as_user):
    _awaiting_referrals(p, PAGE_SIZE + 1)
    client = as_user(p.fiona)
    body = client.get("/referrals/").content.decode()
    assert body.count("Referred Example") == PAGE_SIZE
    assert 'rel="next"' in body
    assert len(_last_list_audit().changes["children"]) == PAGE_SIZE
    second = client.get("/referrals/?page=2").content.decode()
    assert second.count("Referred Example") == 1
    assert len(_last_list_audit().changes["children"]) == 1
