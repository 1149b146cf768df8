from datetime import timedelta

import time_machine
from django.utils import timezone

from lantern import testing
from lantern.pathway import queries
from lantern.pathway.access import visible_referrals
from lantern.pathway.models import Referral


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
# (The user's area comes with the user and their agency: one fewer.)
TRAY = 10


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


def _as_the_orm_reads_it(user, overdue_only: bool) -> list[int]:
    """The tray as built with the ORM for each request, before it was compiled once."""
    rows = (visible_referrals(user).filter(area_id=user.agency.area_id,
                                           status=Referral.Status.AWAITING)
            .order_by("decision_due_at", "id"))
    if overdue_only:
        rows = rows.filter(decision_due_at__lt=timezone.now())
    return list(rows.values_list("pk", flat=True)[:50])


def test_the_compiled_tray_holds_what_each_person_may_see(p):
    """Everyone's tray, compiled once a role, is the ORM's: their area's referrals they may
    see, granted ones across areas included, overdue or not."""
    north = [_referral(p, hours, f"North{hours}") for hours in (1, 30)]
    east = testing.make_referral(testing.make_child(p.eve, given_names="East"), p.eve)
    testing.give_access(north[0].child, p.eve, by=p.fiona)
    testing.give_access(east.child, p.fiona, by=p.eve)
    for user in [*p.all_users().values(), p.dev]:
        user.refresh_from_db()
        for overdue_only in (False, True):
            got = [r.pk for r in queries.awaiting_decision(user, overdue_only=overdue_only)]
            assert got == _as_the_orm_reads_it(user, overdue_only), (user.username, overdue_only)
    assert [r.pk for r in queries.awaiting_decision(p.fiona)] == [north[1].pk, north[0].pk]
