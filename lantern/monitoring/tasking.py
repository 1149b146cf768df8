"""The daily and weekly tasking lists (seed 004: "daily and weekly tasking meetings in the
MASSH"; seed 001: the CSE and missing operational group; seed 003 §13: Operation Topaz):
what the meeting goes through across every child of the area, each item with the decision
recorded on it. The daily list looks back 24 hours, the weekly list 7 days; children missing
now and overdue return interviews are on every list until they are resolved. A fixed number
of queries, however many items."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from lantern.foundation.access import visible_in_area
from lantern.foundation.models import Child, WorkItem
from lantern.intelligence import queries as intelligence_queries
from lantern.missing import queries as missing_queries
from lantern.pathway import queries as pathway_queries
from lantern.plans import queries as plans_queries

from .models import TaskingDecision

LOOK_BACK = {"daily": timedelta(hours=24), "weekly": timedelta(days=7)}


@dataclass
class Item:
    key: str  # unique in the list: kind and id, e.g. "concern-12"
    heading: str  # the section it belongs to
    title: str
    child: Child | None
    when: datetime | None
    url: str
    decision: TaskingDecision | None = None

    @property
    def label(self) -> str:
        """What the decision row records about the item."""
        return f"{self.heading}: {self.title}"


SECTIONS = (
    "New urgent concerns",
    "Children missing now",
    "Return home interviews overdue",
    "New triggers",
    "Breaches of a Child Abduction Warning Notice",
    "Priority subjects for disruption",
)


def items(user, cadence: str, now: datetime | None = None) -> list[Item]:
    now = now or timezone.now()
    since = now - LOOK_BACK[cadence]
    found: list[Item] = []
    for concern in pathway_queries.tasking_urgent_concerns(user, since):
        found.append(Item(f"concern-{concern.pk}", SECTIONS[0],
                          f"Urgent concern recorded by {concern.agency.name}", concern.child,
                          concern.recorded_at, concern.get_absolute_url()))
    for episode in missing_queries.tasking_missing_now(user):
        found.append(Item(f"missing-{episode.pk}", SECTIONS[1],
                          f"Missing since {_when(episode.went_missing_at)}",
                          episode.child, episode.went_missing_at, episode.get_absolute_url()))
    overdue = (WorkItem.objects.filter(visible_in_area(user, "child"), kind="return_interview",
                                       status=WorkItem.Status.OPEN, due_at__lt=now,
                                       area_id=user.area_id)
               .select_related("child").order_by("due_at")[:100])
    for item in overdue:
        found.append(Item(f"work-{item.pk}", SECTIONS[2], item.title, item.child, item.due_at,
                          item.url))
    for trigger in intelligence_queries.tasking_new_triggers(user, since):
        children = trigger.child_count
        found.append(Item(f"trigger-{trigger.pk}", SECTIONS[3],
                          f"{trigger.get_kind_display()}: {trigger.evidence.get('label', '')} "
                          f"({children} child{'ren' if children != 1 else ''})", None,
                          trigger.created_at, trigger.get_absolute_url()))
    for breach in plans_queries.tasking_breaches(user, since):
        found.append(Item(f"breach-{breach.pk}", SECTIONS[4],
                          f"Breach on {breach.occurred_on:%-d %B %Y}",
                          breach.action.plan.child, breach.recorded_at,
                          breach.action.get_absolute_url()))
    if cadence == "weekly":
        for ranked in intelligence_queries.tasking_priority_subjects(user):
            found.append(Item(
                f"subject-{ranked.subject.pk}", SECTIONS[5],
                f"{ranked.label}: priority {ranked.score.total:g}, linked to {ranked.children} "
                f"child{'ren' if ranked.children != 1 else ''}", None, None,
                reverse("intelligence:subjects")))
    decisions = {d.item_key: d for d in TaskingDecision.objects.filter(
        area_id=user.area_id, cadence=cadence, held_on=timezone.localdate(now),
    ).select_related("decided_by", "action_owner")}
    for entry in found:
        entry.decision = decisions.get(entry.key)
    return found


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y %H:%M}"
