from datetime import timedelta

import time_machine
from django.utils import timezone

from lantern import testing


def _referral(p, hours_ago, name="Jade"):
    child = testing.make_child(p.alice, given_names=name)
    return testing.make_referral(
        child, p.alice, received_at=timezone.now() - timedelta(hours=hours_ago)
    )


def test_the_tray_lists_the_soonest_due_first(p, as_user):
    later = _referral(p, 1, "Later")
    sooner = _referral(p, 20, "Sooner")
    body = as_user(p.fiona).get("/referrals/").content.decode()
    assert body.index(sooner.child.full_name) < body.index(later.child.full_name)


def test_an_overdue_referral_is_marked_and_filterable(p, as_user):
    overdue = _referral(p, 30, "Overdue")
    fresh = _referral(p, 1, "Fresh")
    client = as_user(p.fiona)
    body = client.get("/referrals/?show=overdue").content.decode()
    assert overdue.child.full_name in body and fresh.child.full_name not in body
    assert "Overdue by 6 hours" in body


def test_overdue_is_judged_against_the_clock(p, as_user):
    referral = _referral(p, 0, "Clock")
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        body = as_user(p.fiona).get("/referrals/?show=overdue").content.decode()
    assert referral.child.full_name in body


def test_other_areas_referrals_are_not_in_the_tray(p, as_user):
    _referral(p, 1, "Northbridge")
    body = as_user(p.eve).get("/referrals/").content.decode()
    assert "No referrals are awaiting a decision" in body


def test_teachers_have_no_tray(p, as_user):
    assert as_user(p.alice).get("/referrals/").status_code == 403


# session, user, agency/area, referrals with child/agency/screening joined, audit (chain head
# lock, insert, head update), the children it showed (one insert), savepoints: the same
# whatever the row count. (The user's agency comes with the user since issue 18: one query fewer.)
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
TRAY = 11


def _tray_queries(p, as_user, django_assert_num_queries) -> None:
    client = as_user(p.fiona)
    client.get("/referrals/")
    with django_assert_num_queries(TRAY):
        assert client.get("/referrals/").status_code == 200


def test_tray_query_count_stays_flat_as_referrals_grow(p, as_user,
                                                        django_assert_num_queries):
    for i in range(3):
        _referral(p, i, f"First{i}")
    _tray_queries(p, as_user, django_assert_num_queries)
    for i in range(12):
        _referral(p, i, f"More{i}")
    _tray_queries(p, as_user, django_assert_num_queries)
