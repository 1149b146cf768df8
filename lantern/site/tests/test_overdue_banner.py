"""The banner that tells a user, on every page, that work of theirs is overdue."""

from datetime import timedelta

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
