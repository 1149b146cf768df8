"""The data set, counted ahead (issue 17: every monitoring page answers in a few indexed reads
at 100,000 children). Counting the data set is a dozen grouped aggregates over the period's
rows, seconds at regional scale; showing it is one read of the slice's snapshot
(DataSetSnapshot) and the suppression of its counts.

- `lantern work` counts each area's default period (and the partnership's) when its snapshot
  is older than `MONITORING_RECOUNT_SECONDS`, for analysts and for the others, and forgets
  other slices a day after they were counted (`refresh`).
- A slice nobody has asked for before (a filter, another period) is counted when first shown;
  a snapshot a day old is counted again when shown. Anyone who may see the data set may ask
  for it to be counted again now (`count`).

A snapshot keeps one view's counts before suppression. A filtered slice is suppressed against
every coarser view of the same period (docs/decisions/0015), so showing it reads the snapshots
of those views too (one read for them all), counting any not yet counted, and each is kept:
an area's default period needs the partnership's, which `lantern work` keeps counted too.

The page says when its figures were counted. Suppression, alone and against the coarser views,
is applied each time a snapshot is shown (`dataset.from_source`, `dataset.shown`), never
stored."""

import hashlib
import json
import time as clock
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from lantern.foundation.figures import Slice

from . import dataset, queries
from .models import DataSetSnapshot

# A snapshot older than this is counted again when someone opens it.
STALE_AFTER = timedelta(days=1)
# The data set's period when no other is asked for: about six months (seed 004: the board
# reviews the strategy six-monthly), to the end of today.
DEFAULT_PERIOD = timedelta(days=round(6 * 30.44))


@dataclass
class Counted:
    key: str
    # Each figure's `Figure.source`, or them as kept (JSON text): read only when the figures
    # are made (the page shows them as drawn, kept until they are counted again).
    stored: list[dict] | str
    counted_at: datetime
    seconds: float
    # The slice and what each of its coarser views counted (`dataset.views`), for suppressing
    # the slice's figures against them; none for the data quality page.
    slice: Slice | None = None
    coarser: dict[Slice, "Counted"] = field(default_factory=dict)

    @cached_property
    def sources(self) -> list[dict]:
        return json.loads(self.stored) if isinstance(self.stored, str) else self.stored

    @cached_property
    def figures(self) -> list[dataset.Figure]:
        """The figures, suppressed now: alone, then against the coarser views'."""
        own = [dataset.from_source(source) for source in self.sources]
        if self.slice is None or not self.coarser:
            return own
        counted = {view: [dataset.from_source(source) for source in kept.sources]
                   for view, kept in self.coarser.items()}
        return dataset.shown(self.slice, {**counted, self.slice: own})

    @property
    def version(self) -> str:
        """Names this counting of this slice and of its coarser views (for caching what is
        drawn from it)."""
        return ":".join([self.key, str(self.counted_at.timestamp()),
                         *(str(kept.counted_at.timestamp()) for kept in self.coarser.values())])


def key(s: Slice, *, places: bool) -> str:
    """The slice and whether places are listed, as one fixed-length key."""
    text = json.dumps({**asdict(s), "places": places}, cls=DjangoJSONEncoder, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def default_slice(area_id: int | None, today: date | None = None) -> Slice:
    """The slice the data set shows before any filter: the area's last six months."""
    until = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    return Slice(since=datetime.combine(until - DEFAULT_PERIOD, time.min, tzinfo=tz),
                 until=datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz),
                 area_id=area_id)


def _count_view(s: Slice, *, places: bool, default_period: bool) -> Counted:
    """Count one view now, suppressed on its own, and keep it (replacing what was kept)."""
    started = clock.perf_counter()
    now = timezone.now()
    figures = dataset.build_view(s, now=now, places=places)
    seconds = round(clock.perf_counter() - started, 3)
    sources = [fig.source for fig in figures]
    values = {"area_id": s.area_id, "since": s.since, "until": s.until,
              "slice": asdict(s), "places": places, "default_period": default_period,
              "figures": sources, "counted_at": now,
              "seconds": seconds}
    name = key(s, places=places)
    try:
        with transaction.atomic():
            DataSetSnapshot.objects.update_or_create(key=name, defaults=values)
    except IntegrityError:
        pass  # counted at the same moment by another request; theirs is as new
    return Counted(name, sources, now, seconds, slice=s)


def _is_default(view: Slice, s: Slice, default_period: bool) -> bool:
    """Whether a view of the slice `s` is an area's (or the partnership's) default period,
    which `lantern work` keeps counted (so it is not forgotten after a day)."""
    return default_period if view == s else view == default_slice(view.area_id)


def _with_coarser(s: Slice, counted: dict[Slice, Counted]) -> Counted:
    own = counted[s]
    return Counted(own.key, own.stored, own.counted_at,
                   round(sum(kept.seconds for kept in counted.values()), 3), slice=s,
                   coarser={view: counted[view] for view in dataset.coarser_views(s)})


def count(s: Slice, *, places: bool, default_period: bool = False) -> Counted:
    """Count the slice, and each coarser view it is suppressed against, now and keep them
    (replacing what was kept), so that all are counted at the same moment."""
    return _with_coarser(s, {view: _count_view(view, places=places,
                                               default_period=_is_default(view, s,
                                                                          default_period))
                             for view in dataset.views(s)})


def figures(s: Slice, *, places: bool, default_period: bool = False,
            now: datetime | None = None) -> Counted:
    """The slice's figures as last counted, with those of its coarser views: one read, and
    any view never counted or a day old counted now."""
    now = now or timezone.now()
    views = dataset.views(s)
    names = {key(view, places=places): view for view in views}
    # Written out: the ORM's compilation of this read took longer than PostgreSQL's answer.
    # Only placeholders are joined into the text; the keys are parameters.
    placeholders = ", ".join(["%s"] * len(names))
    rows = DataSetSnapshot.objects.raw(
        "SELECT id, key, counted_at, seconds, CAST(figures AS text) AS stored"  # noqa: S608
        f" FROM monitoring_datasetsnapshot WHERE key IN ({placeholders})", list(names))
    counted = {names[row.key]: Counted(row.key, vars(row)["stored"], row.counted_at,
                                       row.seconds, slice=names[row.key])
               for row in rows if now - row.counted_at <= STALE_AFTER}
    for view in views:
        if view not in counted:
            counted[view] = _count_view(view, places=places,
                                        default_period=_is_default(view, s, default_period))
    return _with_coarser(s, counted)


QUALITY = "data_quality"


def _quality_key(area_id: int | None) -> str:
    return hashlib.sha256(json.dumps({"page": QUALITY, "area_id": area_id}).encode()).hexdigest()


def count_quality(area_id: int | None) -> Counted:
    """Count the completeness of the area's records (the data quality page: children's
    records by agency, then people in intelligence) now, and keep it."""
    started = clock.perf_counter()
    now = timezone.now()
    figures = [dataset.completeness(area_id), dataset.subject_completeness(area_id)]
    seconds = round(clock.perf_counter() - started, 3)
    sources = [fig.source for fig in figures]
    name = _quality_key(area_id)
    try:
        with transaction.atomic():
            DataSetSnapshot.objects.update_or_create(key=name, defaults={
                "area_id": area_id, "since": None, "until": None,
                "slice": {"page": QUALITY, "area_id": area_id}, "places": False,
                "default_period": True, "figures": sources, "counted_at": now,
                "seconds": seconds})
    except IntegrityError:
        pass  # counted at the same moment by another request; theirs is as new
    return Counted(name, sources, now, seconds)


def quality(area_id: int | None, *, now: datetime | None = None) -> Counted:
    """The data quality figures of the area as last counted (one read), or counted now when
    never counted or a day old."""
    now = now or timezone.now()
    name = _quality_key(area_id)
    row = (DataSetSnapshot.objects.filter(key=name)
           .values_list("counted_at", "seconds", Cast("figures", TextField())).first())
    if row is None or now - row[0] > STALE_AFTER:
        return count_quality(area_id)
    counted_at, seconds, stored = row
    return Counted(name, stored, counted_at, seconds)


def refresh(*, now: datetime | None = None, between: Callable[[], object] | None = None
            ) -> int:
    """For `lantern work`: count again each area's default period (and the partnership's,
    every area together), for analysts and the others, and its data quality, when it is
    older than MONITORING_RECOUNT_SECONDS; forget other slices counted more than a day ago.
    How many were counted. `between` runs after each counting (`lantern work` seals the
    audit trail there: counting every area takes seconds at regional scale)."""
    now = now or timezone.now()
    older = now - timedelta(seconds=settings.MONITORING_RECOUNT_SECONDS)
    DataSetSnapshot.objects.filter(default_period=False,
                                   counted_at__lt=now - STALE_AFTER).delete()
    fresh = set(DataSetSnapshot.objects.filter(default_period=True, counted_at__gte=older)
                .values_list("key", flat=True))
    counted = 0
    for area_id in [None, *(area.pk for area in queries.areas())]:
        s = default_slice(area_id)
        for places in (False, True):
            if key(s, places=places) not in fresh:
                # One view at a time: the area's coarser view is the partnership's, counted
                # here too (first).
                _count_view(s, places=places, default_period=True)
                counted += 1
                if between is not None:
                    between()
        if _quality_key(area_id) not in fresh:
            count_quality(area_id)
            counted += 1
    return counted
