"""The West Midlands re-screening rule (seed 001, screening tool guidance 1): a screening by
anyone but a social worker opens a task for a social worker, shown in their work; a social
worker's screening closes it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern import testing
from lantern.foundation.models import Area, AuditEvent, WorkItem
from lantern.people.actions import allocate


def _open():
    return WorkItem.objects.filter(kind="rescreen", status=WorkItem.Status.OPEN)


def test_a_teachers_screening_goes_to_the_front_door_when_nobody_is_allocated(p, child):
    screening = testing.make_screening(child, p.alice)
    item = _open().get()
    assert item.owner is None and item.owner_role == "front_door" and item.area == p.north
    assert item.child == child and item.url == screening.get_absolute_url()
    assert item.due_at == screening.screened_at + timedelta(hours=24)
    assert "West Midlands CSE toolkit" in item.basis
    assert AuditEvent.objects.filter(action="open_work", object_id=str(item.pk)).exists()


def test_the_allocated_social_worker_owns_the_task(p, child):
    allocate(child, p.sam, by=p.fiona)
    testing.make_screening(child, p.alice)
    item = _open().get()
    assert item.owner == p.sam and item.owner_role == ""


def test_the_timescale_is_a_local_setting(p, child):
    Area.objects.filter(pk=p.north.pk).update(local_settings={"wm_rescreen_hours": 72})
    child.refresh_from_db()
    screening = testing.make_screening(child, p.alice, settings=child.area.local_settings)
    assert _open().get().due_at == screening.screened_at + timedelta(hours=72)


def test_a_second_screening_before_the_rescreen_opens_no_second_task(p, child):
    testing.make_screening(child, p.alice)
    testing.make_screening(child, p.fiona)
    assert _open().count() == 1


def test_a_social_workers_screening_opens_none_and_closes_the_open_one(p, child):
    allocate(child, p.sam, by=p.fiona)
    testing.make_screening(child, p.alice)
    testing.make_screening(child, p.sam)
    assert not _open().exists()
    item = WorkItem.objects.get(kind="rescreen")
    assert item.status == WorkItem.Status.DONE and item.closed_by == p.sam
    assert AuditEvent.objects.filter(action="close_work", object_id=str(item.pk)).exists()


@pytest.mark.parametrize(("profile", "framework", "indicators"), [
    ("wales", "seraf", ("seraf.r.drugs",)),
    ("stockport", "sera", ("sera1.getting_into_cars",)),
])
def test_other_frameworks_have_no_rescreen_rule(p, child, profile, framework, indicators):
    Area.objects.filter(pk=p.north.pk).update(policy_profile=profile)
    testing.make_screening(child, p.alice, framework=framework, indicators=indicators)
    assert not WorkItem.objects.filter(kind="rescreen").exists()


# --- where the work appears -----------------------------------------------------------------
def test_the_front_door_sees_the_task_on_their_home_page(p, child, as_user):
    testing.make_screening(child, p.alice)
    body = as_user(p.fiona).get("/").content.decode()
    assert "Screenings to re-screen" in body and f"Re-screen {child.full_name}" in body


def test_the_allocated_social_worker_sees_it_and_the_front_door_does_not(p, child, as_user):
    allocate(child, p.sam, by=p.fiona)
    testing.make_screening(child, p.alice)
    assert f"Re-screen {child.full_name}" in as_user(p.sam).get("/").content.decode()
    assert "Screenings to re-screen" not in as_user(p.fiona).get("/").content.decode()


@pytest.mark.parametrize("name", ["alice", "maria", "eve"])
def test_others_do_not_see_the_task(p, child, as_user, name):
    testing.make_screening(child, p.alice)
    assert "Screenings to re-screen" not in as_user(getattr(p, name)).get("/").content.decode()


# The front door's home page: session, user, awaiting referrals, allocations, concerns, agency
# referrals, re-screening tasks (one, joined to the child), the audit row's chain head and
# insert, the children it showed (one insert), savepoints.
# (The user's agency comes with the user since issue 18: one query fewer.)
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
FRONT_DOOR_HOME = 15


def _home_queries(client, django_assert_num_queries) -> None:
    client.get("/")  # warm the session
    with django_assert_num_queries(FRONT_DOOR_HOME):
        client.get("/")


def test_the_front_door_home_query_count_stays_flat_as_tasks_grow(
    p, as_user, django_assert_num_queries
):
    first = testing.make_child(p.alice, given_names="Amy")
    testing.make_screening(first, p.alice)
    client = as_user(p.fiona)
    _home_queries(client, django_assert_num_queries)
    for name in ("Bea", "Cara", "Dee", "Eva"):
        testing.make_screening(testing.make_child(p.alice, given_names=name), p.alice)
    _home_queries(client, django_assert_num_queries)
    assert _open().count() == 5


def test_the_screening_shows_who_will_rescreen_and_offers_it_to_the_social_worker(
    p, child, as_user
):
    allocate(child, p.sam, by=p.fiona)
    screening = testing.make_screening(child, p.alice)
    body = as_user(p.sam).get(screening.get_absolute_url()).content.decode()
    assert "the allocated social worker" in body and "Re-screen as the social worker" in body
    assert "Re-screen as the social worker" not in as_user(p.alice).get(
        screening.get_absolute_url()).content.decode()
    testing.make_screening(child, p.sam)
    body = as_user(p.alice).get(screening.get_absolute_url()).content.decode()
    assert "Re-screened by a social worker" in body


def test_a_rescreen_through_the_page_closes_the_task(p, child, as_user):
    allocate(child, p.sam, by=p.fiona)
    testing.make_screening(child, p.alice)
    response = as_user(p.sam).post(f"/children/{child.pk}/screenings/new/", {
        "indicators": ["wm2.vehicles"], "analysis": "Agree with the school.",
        "final_category": "2"})
    assert response.status_code == 302
    assert not _open().exists()


def test_the_home_page_lists_the_soonest_tasks_and_leads_to_the_rest_in_the_tray(p, as_user):
    # Twelve tasks for the front door: the home page lists the ten soonest due (issue 18), and
    # says the rest are in the work tray, where the kind filter shows every one.
    children = [testing.make_child(p.alice, given_names=f"Rescreen{n:02d}") for n in range(12)]
    for child in children:
        testing.make_screening(child, p.alice)
    now = timezone.now()
    for n, child in enumerate(children):
        _open().filter(child=child).update(due_at=now + timedelta(hours=n))
    # Two are fiona's own (the rest the front door's of the area): one among the soonest, one
    # not; the list is in due order across both.
    _open().filter(child__in=[children[1], children[11]]).update(owner=p.fiona)
    client = as_user(p.fiona)
    body = client.get("/").content.decode()
    shown = [f"Re-screen {c.full_name}" in body for c in children]
    assert shown == [True] * 10 + [False] * 2
    positions = [body.index(f"Re-screen {c.full_name}") for c in children[:10]]
    assert positions == sorted(positions)
    assert 'href="/work/?kind=rescreen"' in body
    tray = client.get("/work/?kind=rescreen").content.decode()
    assert all(c.full_name in tray for c in children)


def test_no_link_to_the_tray_when_the_home_page_lists_every_task(p, child, as_user):
    testing.make_screening(child, p.alice)
    body = as_user(p.fiona).get("/").content.decode()
    assert f"Re-screen {child.full_name}" in body and "?kind=rescreen" not in body
