"""Reminders to plan a young person's transition to adulthood, opened by the background loop
(`lantern transitions`, and `lantern work`: lantern/site/management/commands/work.py).

No young person reaches 18 without a prompt: from 17 years 6 months (a local setting) the
allocated worker, or the front door when nobody is allocated, is asked to plan for adult
safeguarding, the leaving-care pathway plan and continued screening (SPEC §10).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from lantern.domain import ages, transitions
from lantern.foundation import work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Area, Child, WorkItem

from . import settings as local
from .actions import TRANSITION_KIND, owner_for

# A reminder opened after the 18th birthday (a young person with additional needs recorded
# late) is due this many days after it opens: a Lantern default.
LATE_DAYS = 28
TITLE = "Plan the move to adult services"


def continues_to(child: Child) -> int:
    return transitions.screening_continues_to(
        additional_needs=child.learning_disability or child.disability,
        care_leaver=child.care_leaver or child.looked_after,
        care_leaver_age=local.care_leaver_screening_age(child.area),
    )


def _candidates(area: Area, months: int, today):
    # A generous date range narrowed in Python: estimated ages have no stored birth date.
    born_by = today - timedelta(days=months * 28)
    born_after = today - timedelta(days=40 * 366)
    already = WorkItem.objects.filter(child=OuterRef("pk"), kind=TRANSITION_KIND)
    return (
        Child.objects.filter(area=area)
        .filter(Q(date_of_birth__lte=born_by, date_of_birth__gt=born_after)
                | Q(date_of_birth__isnull=True, estimated_age__isnull=False))
        .filter(transition_plan__isnull=True)
        .exclude(Exists(already))
        .select_related("area")
    )


def is_due(child: Child, months: int, today) -> bool:
    birth = child.birth_date_for_age
    if birth is None or not transitions.has_reached(birth, months, today):
        return False
    return ages.age_on(birth, today).years < continues_to(child)


def basis(area: Area) -> str:
    months = local.transition_reminder_months(area)
    setting = ("a Lantern default, a local setting" if months == transitions.REMINDER_MONTHS
               else f"{area.name} local setting")
    return (f"Transition planning from {transitions.describe_months(months)} ({setting}; "
            "West Midlands CSE toolkit, Young people aged 18 years and over; All Wales CSE "
            "protocol §6.5)")


@transaction.atomic
def _open(child: Child, now: datetime, by) -> WorkItem | None:
    # Lock the child's row so two copies of the loop cannot both open a reminder.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    if WorkItem.objects.filter(child=child, kind=TRANSITION_KIND).exists():
        return None
    turns_18 = child.turns_18_on
    if turns_18 is None:  # no date of birth: no 18th birthday to plan for
        return None
    due = timezone.make_aware(datetime.combine(turns_18, datetime.min.time()))
    if due <= now:
        due = now + timedelta(days=LATE_DAYS)
    owner, owner_role = owner_for(child)
    url = reverse("missing:transition", args=[child.pk])
    item = work.open_item(area=child.area, child=child, kind=TRANSITION_KIND, title=TITLE,
                          due_at=due, basis=basis(child.area), owner=owner,
                          owner_role=owner_role, source=child, url=url, by=by)
    add_chronology(child, kind="transition", occurred_at=now, by=by,
                   title="Transition planning prompted",
                   detail=f"Turns 18 on {turns_18:%-d %B %Y}"
                   + (" (estimated)" if child.age_is_estimated else ""), url=url)
    return item


def open_due_reminders(now: datetime, *, by=None) -> list[WorkItem]:
    """Open a transition reminder for every young person who has reached the reminder age,
    is still within the age screening goes on to, has no transition plan, and has never had a
    reminder. Idempotent: running it again opens nothing new."""
    today = timezone.localdate(now)
    opened = []
    for area in Area.objects.all():
        months = local.transition_reminder_months(area)
        for child in _candidates(area, months, today):
            if is_due(child, months, today):
                item = _open(child, now, by)
                if item is not None:
                    opened.append(item)
    return opened
