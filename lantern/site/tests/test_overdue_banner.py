"""The banner that tells a user, on every page, that work of theirs is overdue."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantern import testing
from lantern.foundation import trays


def _overdue_referral(p):
    child = testing.make_child(p.alice)
    return testing.make_referral(child, p.alice,
                                 received_at=timezone.now() - timedelta(hours=30))


def test_a_user_with_overdue_work_sees_the_banner_on_every_page(p, as_user):
    _overdue_referral(p)
    client = as_user(p.fiona)
    for url in ("/", "/children/", "/work/"):
        body = client.get(url).content.decode()
        assert "You have 1 overdue piece of work" in body, url


def test_a_manager_is_told_about_their_teams_overdue_work(p, as_user):
    _overdue_referral(p)
    body = as_user(p.maria).get("/").content.decode()
    assert "Your team has 1 overdue piece of work" in body


def test_no_banner_without_overdue_work(p, as_user):
    child = testing.make_child(p.alice)
    testing.make_referral(child, p.alice)  # due in 24 hours
    assert "Overdue work" not in as_user(p.fiona).get("/").content.decode()
    _overdue_referral(p)
    assert "Overdue work" not in as_user(p.alice).get("/").content.decode()
    assert "Overdue work" not in as_user(p.eve).get("/").content.decode()


def test_the_banner_costs_one_query(p, django_assert_num_queries):
    _overdue_referral(p)
    with django_assert_num_queries(1):
        counts = trays.overdue_counts(p.maria)
    assert counts == {"mine": 0, "team": 1}


def test_the_banner_counts_from_the_users_own_items_never_every_child(p):
    # The query reads work items by owner, role and area; it never visits the children the
    # user may see (issue 18: that scanned every child on every page).
    with CaptureQueriesContext(connection) as captured:
        trays.overdue_counts(p.fiona)
    assert "foundation_child" not in captured.captured_queries[0]["sql"]


def test_the_banner_is_counted_once_per_session_for_a_minute(p, as_user):
    _overdue_referral(p)
    client = as_user(p.fiona)
    assert "You have 1 overdue piece of work" in client.get("/layout").content.decode()
    _overdue_referral(p)
    # Within the minute the same count is shown without counting again...
    assert "You have 1 overdue piece of work" in client.get("/layout").content.decode()
    # ...and a new session counts afresh.
    other = testing.sign_in_client(Client(), p.fiona)
    assert "You have 2 overdue pieces of work" in other.get("/layout").content.decode()
