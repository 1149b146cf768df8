"""The trays' order across pages (issue 18, fourth pass): urgent alerts first, then soonest
due, work no procedure times last, ties by key; the same whether the whole tray is sorted or
each of its parts is read in due order and only the first of each kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern import testing
from lantern.foundation import trays
from lantern.foundation.models import Role, WorkItem
from lantern.site import queries

pytestmark = pytest.mark.django_db


def _mixed_work(p):
    """Work for the front door of Northbridge (by role, named, urgent or not, timed or not,
    with ties), for the social worker, for Eastmoor's front door and about a child nobody in
    Northbridge may see: everything a tray's parts must divide between them."""
    now = timezone.now().replace(microsecond=0)
    children = [testing.make_child(p.alice, given_names=f"Order{n:02d}") for n in range(6)]
    for child in children[:4]:  # the social worker sees four of the six
        testing.give_access(child, p.sam)
    hidden = testing.make_child(p.carol, given_names="Elsewhere")
    items = []
    for n in range(40):
        child = children[n % len(children)]
        owner, role = [(None, "front_door"), (p.fiona, "front_door"), (p.sam, "social_worker"),
                       (None, "social_worker")][n % 4]
        kind = "urgent_alert" if n % 7 == 0 else ["review", "assessment", "rescreen"][n % 3]
        due = None if n % 9 == 4 else now + timedelta(hours=(n * 5) % 11 - 4)  # ties, past
        items.append(WorkItem(child=child, area=p.north, kind=kind, title=f"Item {n:02d}",
                              owner=owner, owner_role=role, due_at=due, basis="Test basis"))
    items += [
        WorkItem(child=None, area=p.north, kind="review", title="No child", owner_role="front_door",
                 due_at=now, basis="Test basis"),
        WorkItem(child=hidden, area=p.north, kind="urgent_alert", title="Hidden",
                 owner_role="front_door", due_at=now, basis="Test basis"),
        WorkItem(child=children[0], area=p.east, kind="urgent_alert", title="Eastmoor",
                 owner_role="front_door", due_at=now, basis="Test basis"),
        WorkItem(child=children[1], area=p.north, kind="review", title="Done",
                 owner_role="front_door", due_at=now, basis="Test basis", status="done"),
    ]
    WorkItem.objects.bulk_create(items)


def _all_sorted(user, tray, **filters) -> list[int]:
    """The tray sorted whole, the way it was read before it was read in parts."""
    return [item.pk for item in trays.rows(trays.tray_items(user, tray, **filters),
                                           limit=1000)]


@pytest.mark.parametrize(("who", "tray"), [("fiona", "mine"), ("sam", "mine"),
                                           ("maria", "team"), ("fiona", "area"),
                                           ("maria", "area")])
def test_every_page_of_a_tray_read_in_parts_is_that_page_of_the_whole_tray_sorted(
        p, who, tray):
    _mixed_work(p)
    user = getattr(p, who)
    expected = _all_sorted(user, tray)
    assert len(expected) > 10
    urgent = [pk for pk in expected if WorkItem.objects.get(pk=pk).kind == "urgent_alert"]
    assert urgent and expected[:len(urgent)] == urgent  # urgent alerts first
    for per_page in (1, 3, 7):
        paged = []
        for offset in range(0, len(expected) + per_page, per_page):
            paged += [item.pk for item in queries.work_items(user, tray, offset=offset,
                                                             limit=per_page)]
        assert paged == expected


def test_a_team_tray_reads_past_a_members_work_its_manager_may_not_see(p):
    """A team member's soonest work is about children their manager may not see (Eastmoor's,
    by the member's grants): the team tray walks each member's work whoever may see it, so
    it must read on past those items, however few it shows, to the first the manager may."""
    _mixed_work(p)
    now = timezone.now().replace(microsecond=0)
    hidden = [testing.make_child(p.carol, given_names=f"Away{n}") for n in range(12)]
    for child in hidden:
        testing.give_access(child, p.sam)
    seen = testing.make_child(p.alice, given_names="Near")
    WorkItem.objects.bulk_create(
        [WorkItem(child=child, area=p.north, kind="review", title=f"Away {n}", owner=p.sam,
                  owner_role="social_worker", due_at=now - timedelta(days=40 - n),
                  basis="Test basis") for n, child in enumerate(hidden)]
        + [WorkItem(child=seen, area=p.north, kind="review", title=f"Near {n}", owner=p.sam,
                    owner_role="social_worker", due_at=now - timedelta(days=20 - n),
                    basis="Test basis") for n in range(3)])
    expected = _all_sorted(p.maria, "team")
    urgent = WorkItem.objects.filter(kind="urgent_alert", pk__in=expected).count()
    assert urgent + 3 < len(hidden)
    assert [WorkItem.objects.get(pk=pk).title for pk in expected[urgent:urgent + 3]] == [
        "Near 0", "Near 1", "Near 2"]
    for offset, limit in ((0, urgent + 1), (urgent, 1), (urgent + 1, 2), (0, 50)):
        got = [item.pk for item in queries.work_items(p.maria, "team", offset=offset,
                                                      limit=limit)]
        assert got == expected[offset:offset + limit]


def test_a_filtered_tray_read_in_parts_keeps_its_filters_and_order(p):
    _mixed_work(p)
    for filters in ({"kind": "urgent_alert"}, {"kind": "review"}, {"overdue": True}):
        expected = _all_sorted(p.fiona, "mine", **filters)
        assert expected
        got = [item.pk for item in queries.work_items(p.fiona, "mine", limit=1000, **filters)]
        assert got == expected


def test_the_parts_of_a_tray_select_exactly_the_tray(p):
    _mixed_work(p)
    gone = testing.UserFactory.create(username="gone", role=Role.POLICE, agency=p.north_police,
                              manager=p.maria, is_active=False)
    now = timezone.now()
    WorkItem.objects.bulk_create([
        WorkItem(area=p.north, kind="review", title="Gone's", owner=gone, owner_role="police",
                 due_at=now, basis="Test basis"),
        WorkItem(area=p.north, kind="review", title="Police's", owner_role="police",
                 due_at=now, basis="Test basis"),
    ])
    for user, tray in ((p.fiona, "mine"), (p.maria, "team"), (p.maria, "area"), (p.sam, "mine"),
                       (p.eve, "mine")):
        whole = set(trays.tray_items(user, tray).values_list("pk", flat=True))
        found = set()
        for part in trays.branches(user, tray):
            found |= set(trays.tray_items(user, tray, part=part.condition)
                         .values_list("pk", flat=True))
        assert found == whole
    team = set(trays.tray_items(p.maria, "team").values_list("title", flat=True))
    assert "Gone's" in team and "Police's" not in team


def test_a_page_of_the_tray_through_the_page_is_in_the_same_order(p, as_user):
    _mixed_work(p)
    expected = [WorkItem.objects.get(pk=pk).title for pk in _all_sorted(p.fiona, "mine")]
    body = as_user(p.fiona).get("/work/?tray=mine").content.decode()
    positions = [body.index(f">{title}<") for title in expected[:50]]
    assert positions == sorted(positions)


def test_the_kinds_filter_offers_each_open_kind_of_the_area_once(p):
    now = timezone.now()
    WorkItem.objects.bulk_create([
        WorkItem(area=p.north, kind="zz_local", title="Open", owner_role="front_door",
                 due_at=now, basis="Test basis"),
        WorkItem(area=p.north, kind="zz_local", title="Open too", owner_role="front_door",
                 due_at=now, basis="Test basis"),
        WorkItem(area=p.north, kind="aa_done", title="Done", owner_role="front_door",
                 due_at=now, basis="Test basis", status="done"),
        WorkItem(area=p.east, kind="mm_elsewhere", title="Eastmoor", owner_role="front_door",
                 due_at=now, basis="Test basis"),
    ])
    kinds = trays.kinds_in_area(p.fiona)
    assert kinds.count("zz_local") == 1
    assert "aa_done" not in kinds and "mm_elsewhere" not in kinds
    assert set(trays.KIND_LABELS) <= set(kinds)


def test_a_tray_read_in_parts_shows_only_children_whose_grant_is_live(p):
    """The social worker sees a child through a grant: a revoked, ended or future grant gives
    nothing, in every part of the tray (named, by role, urgent) and on every tray; their
    manager's team tray shows their work only about children the manager may see."""
    from lantern.foundation import grants

    now = timezone.now()
    live = testing.make_child(p.carol, given_names="Live")  # Eastmoor: only by grant
    revoked = testing.make_child(p.carol, given_names="Revoked")
    ended = testing.make_child(p.carol, given_names="Ended")
    future = testing.make_child(p.carol, given_names="Future")
    testing.give_access(live, p.sam)
    grants.revoke(testing.give_access(revoked, p.sam), by=None, reason="Test")
    testing.give_access(ended, p.sam, starts_at=now - timedelta(days=2),
                        ends_at=now - timedelta(days=1))
    testing.give_access(future, p.sam, starts_at=now + timedelta(days=1))
    items = []
    for child in (live, revoked, ended, future):
        for owner, role, kind in ((p.sam, "social_worker", "review"),
                                  (None, "social_worker", "assessment"),
                                  (p.sam, "social_worker", "urgent_alert")):
            items.append(WorkItem(child=child, area=p.north, kind=kind,
                                  title=f"{child.given_names} {kind}", owner=owner,
                                  owner_role=role, due_at=now, basis="Test basis"))
    WorkItem.objects.bulk_create(items)
    shown = {item.title for item in queries.work_items(p.sam, "mine", limit=1000)}
    assert shown == {"Live review", "Live assessment", "Live urgent_alert"}
    for filters in ({"kind": "urgent_alert"}, {"overdue": False}, {"kind": "review"}):
        got = {item.title for item in queries.work_items(p.sam, "mine", limit=1000, **filters)}
        assert got <= shown and got
    # Maria (CSE team manager of Northbridge) holds no grant for these Eastmoor children.
    assert not [item.title for item in queries.work_items(p.maria, "team", limit=1000)
                if item.child_id in {live.pk, revoked.pk, ended.pk, future.pk}]
    testing.give_access(live, p.maria)
    team = {item.title for item in queries.work_items(p.maria, "team", limit=1000)}
    assert {"Live review", "Live urgent_alert"} <= team
    assert not {t for t in team if t.split()[0] in {"Revoked", "Ended", "Future"}}


def _row(item):
    return (item.pk, item.child_id, item.child.full_name if item.child_id else None,
            item.category, item.framework, item.kind_label, item.owner_label,
            getattr(item, "due_words", None), item.title, item.url)


def test_the_compiled_tray_page_holds_what_each_person_may_see(p):
    """Every tray of everyone, compiled once a role (`queries.work_items`), is the page the
    ORM builds for them (`trays.page`): the same rows, in order, with their category, over
    kinds, overdue work and pages; a grant to a child across areas included."""
    _mixed_work(p)
    north = WorkItem.objects.filter(title="Item 01").get().child
    testing.make_screening(north, p.fiona)
    testing.give_access(WorkItem.objects.get(title="Hidden").child, p.fiona)
    now = timezone.now()
    compared = 0
    for user in [*p.all_users().values(), p.dev]:
        user.refresh_from_db()
        for tray in trays.trays_for(user):
            for kind, overdue, offset, limit in (("", False, 0, 50), ("", False, 3, 4),
                                                 ("review", False, 0, 50), ("", True, 0, 50),
                                                 ("urgent_alert", True, 1, 2)):
                got = [_row(i) for i in queries.work_items(
                    user, tray, kind=kind, overdue=overdue, now=now, offset=offset,
                    limit=limit)]
                orm = [_row(i) for i in queries._drawn(trays.page(
                    user, tray, offset=offset, limit=limit, columns=queries._columns,
                    kind=kind, overdue=overdue, now=now), now)]
                assert got == orm, (user.username, tray, kind, overdue, offset)
                compared += bool(orm)
    assert compared > 20
    # The compiled paths were the ones compared.
    assert queries._TRAY_PAGE._statements and queries._OWN_TRAY_PAGE._statements
    assert queries._WORDED_TRAY_PAGE._statements
