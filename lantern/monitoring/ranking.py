"""The priority subjects of the weekly tasking list, ranked ahead (issue 17: every monitoring
page answers in a few indexed reads at 100,000 children). Ranking subjects for disruption
(lantern.intelligence.queries.ranking) reads every intelligence link the user may see, which
grows with the intelligence held; the list reads the user's last ranking (RankingSnapshot) in
one query and the subjects it shows in one more, checking each is still one the user may rank
(`still_ranked`: a link the user may see leads to them, and they are an adult).

- A user's first weekly list ranks for them, and a ranking a day old is ranked again when
  shown (one slower request).
- `lantern work` ranks again every kept ranking older than MONITORING_RECOUNT_SECONDS
  (`refresh`), for users still active in a role that holds tasking lists, and forgets the
  others'.

The list says when the ranking was made."""

import time as clock
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lantern.foundation.models import Role, User
from lantern.intelligence import queries as intelligence_queries

from .models import RankingSnapshot

STALE_AFTER = timedelta(days=1)
# Roles whose tasking lists have the priority subjects (lantern.monitoring.views.TASKING_ROLES).
ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER, Role.POLICE})


@dataclass
class Row:
    subject_id: int
    priority: float
    children: int
    areas: int


@dataclass
class Kept:
    rows: list[Row]
    ranked_at: datetime


def rank(user) -> Kept:
    """Rank the subjects for the user now, and keep the ranking (replacing theirs)."""
    started = clock.perf_counter()
    now = timezone.now()
    ranked, _young_people = intelligence_queries.ranking(user, today=timezone.localdate(now))
    rows: list[list] = [[r.subject.pk, r.score.total, r.children, r.areas] for r in ranked]
    values = {"role": user.role, "agency_id": user.agency_id, "rows": rows, "ranked_at": now,
              "seconds": round(clock.perf_counter() - started, 3)}
    try:
        with transaction.atomic():
            RankingSnapshot.objects.update_or_create(user=user, defaults=values)
    except IntegrityError:
        pass  # ranked at the same moment by another request of theirs: as new
    return Kept([Row(*row) for row in rows], now)


def kept(user, *, now: datetime | None = None) -> Kept:
    """The user's ranking as last made (one read), or made now when there is none, it is a day
    old, or it was made for another role or agency."""
    now = now or timezone.now()
    row = RankingSnapshot.objects.filter(user=user).first()
    if (row is None or now - row.ranked_at > STALE_AFTER or row.role != user.role
            or row.agency_id != user.agency_id):
        return rank(user)
    return Kept([Row(*values) for values in row.rows], row.ranked_at)


@dataclass
class Shown:
    row: Row
    subject: object  # lantern.intelligence.models.Subject
    label: str


def shown(user, rows: list[Row]) -> list[Shown]:
    """The rows the user may still rank, with their subjects: one query."""
    subjects = intelligence_queries.still_ranked(user, [r.subject_id for r in rows])
    return [Shown(r, subjects[r.subject_id], subjects[r.subject_id].name_text())
            for r in rows if r.subject_id in subjects]


def refresh(*, now: datetime | None = None) -> int:
    """For `lantern work`: rank again each kept ranking older than MONITORING_RECOUNT_SECONDS
    whose user is still active in a role that holds tasking lists; forget the others'. How
    many were ranked."""
    now = now or timezone.now()
    older = now - timedelta(seconds=settings.MONITORING_RECOUNT_SECONDS)
    RankingSnapshot.objects.exclude(user__is_active=True, user__role__in=ROLES).delete()
    users = User.objects.filter(pk__in=RankingSnapshot.objects.filter(ranked_at__lt=older)
                                .values("user_id")).select_related("agency__area")
    ranked = 0
    for user in users:
        rank(user)
        ranked += 1
    return ranked
