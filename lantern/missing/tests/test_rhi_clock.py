"""The return home interview clock: opened when the return is recorded, due the area's RHI
hours later (72 by default), counted in hours through nights and weekends; closed by the
interview."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lantern.foundation.models import WorkItem
from lantern.missing import actions
from lantern.missing.models import ReturnInterview
from lantern.missing.testing import make_episode, make_interview, make_return
from lantern.people import actions as people

LONDON = ZoneInfo("Europe/London")


def rhi_item(episode) -> WorkItem:
    return WorkItem.objects.get(kind="return_interview", source_id=str(episode.pk))


def back_at(child, by, moment: datetime):
    episode = make_episode(child, by, went_missing_at=moment - timedelta(hours=20),
                           back_after=None)
    return make_return(episode, by, returned_at=moment)


@time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=LONDON), tick=False)
def test_back_late_on_friday_the_interview_is_due_late_on_monday(p, child):
    # Friday 13 March 2026, 23:30: 72 hours on is Monday 16 March, 23:30. The clock runs in
    # hours, through the weekend, and is not moved off it.
    friday = datetime(2026, 3, 13, 23, 30, tzinfo=LONDON)
    episode = back_at(child, p.priya, friday)
    item = rhi_item(episode)
    assert item.due_at == datetime(2026, 3, 16, 23, 30, tzinfo=LONDON)
    assert item.due_at.astimezone(LONDON).strftime("%A") == "Monday"
    assert item.status == WorkItem.Status.OPEN and not item.is_overdue()


@time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=LONDON), tick=False)
def test_the_clock_crosses_midnight_to_the_minute(p, child):
    episode = back_at(child, p.priya, datetime(2026, 3, 14, 0, 5, tzinfo=LONDON))
    assert rhi_item(episode).due_at == datetime(2026, 3, 17, 0, 5, tzinfo=LONDON)


@time_machine.travel(datetime(2026, 3, 30, 9, 0, tzinfo=LONDON), tick=False)
def test_the_clock_counts_real_hours_across_the_change_to_summer_time(p, child):
    # Clocks go forward at 01:00 on Sunday 29 March 2026: 72 elapsed hours after Saturday
    # 20:00 GMT is Tuesday 21:00 BST on the wall clock.
    episode = back_at(child, p.priya, datetime(2026, 3, 28, 20, 0, tzinfo=LONDON))
    due = rhi_item(episode).due_at
    assert due - episode.returned_at == timedelta(hours=72)
    assert due.astimezone(LONDON).strftime("%A %H:%M %Z") == "Tuesday 21:00 BST"


def test_the_basis_cites_the_statutory_guidance(p, child):
    item = rhi_item(make_episode(child, p.priya))
    assert item.basis.startswith("Return home interview within 72 hours of the child's return")
    assert "statutory guidance on children who run away or go missing" in item.basis
    assert child.full_name not in item.title


def test_the_hours_are_a_profile_setting(p, child):
    from lantern.pathway import actions as pathway_actions

    pathway_actions.save_local_profile(
        code="northbridge", name="Northbridge", base="coventry", reason="Faster interviews",
        overrides='[timescales.return_interview]\nlabel = "Return home interview"\n'
                  'hours = 48\nfrom = "return"\ncitation = "Northbridge protocol"\n',
        by=p.ade,
    )
    pathway_actions.adopt_profile(p.north, "northbridge", by=p.ade)
    child.refresh_from_db()
    episode = make_episode(child, p.priya)
    item = rhi_item(episode)
    assert item.due_at == episode.returned_at + timedelta(hours=48)
    assert "48 hours" in item.basis and "Northbridge protocol" in item.basis


def test_the_allocated_worker_holds_the_interview_item(p, child):
    people.allocate(child, p.sam, by=p.fiona)
    item = rhi_item(make_episode(child, p.priya))
    assert (item.owner, item.owner_role) == (p.sam, "")


def test_the_front_door_holds_it_when_nobody_is_allocated(p, child):
    item = rhi_item(make_episode(child, p.priya))
    assert (item.owner, item.owner_role, item.area) == (None, "front_door", p.north)


def test_recording_the_interview_closes_the_clock(p, child):
    episode = make_episode(child, p.priya)
    make_interview(episode, p.maria, agency=p.north_police)
    item = rhi_item(episode)
    assert item.status == WorkItem.Status.DONE and item.closed_by == p.maria


def test_an_interview_the_child_declined_also_closes_it(p, child):
    episode = make_episode(child, p.priya)
    make_interview(episode, p.maria, agency=p.north_police,
                   outcome=ReturnInterview.Outcome.DECLINED, child_words="",
                   declined_reason="\"I don't want to talk to anyone.\" Offered again Friday.")
    assert rhi_item(episode).status == WorkItem.Status.DONE


def test_a_child_still_missing_has_no_interview_clock(p, child):
    episode = make_episode(child, p.priya, back_after=None)
    assert not WorkItem.objects.filter(kind="return_interview").exists()
    with pytest.raises(actions.MissingError, match="Record that the child is back"):
        make_interview(episode, p.maria, agency=p.north_police,
                       held_at=episode.went_missing_at + timedelta(hours=1))


def test_a_return_cannot_be_recorded_twice(p, child):
    episode = make_episode(child, p.priya)
    with pytest.raises(actions.MissingError, match="already recorded"):
        make_return(episode, p.priya, returned_at=episode.returned_at)
    assert WorkItem.objects.filter(kind="return_interview").count() == 1
