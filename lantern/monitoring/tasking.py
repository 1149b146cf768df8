"""The daily and weekly tasking lists (seed 004: "daily and weekly tasking meetings in the
MASSH"; seed 001: the CSE and missing operational group; seed 003 §13: Operation Topaz):
what the meeting goes through across every child of the area, each item with the decision
recorded on it. The daily list looks back 24 hours, the weekly list 7 days; children missing
now and overdue return interviews are on every list until they are resolved.

The list shows each section's most pressing items (SHOWN, in the section's own order) and
leads to the section alone, a page of 50 at a time, for the rest: a fixed number of queries,
however many items, and no counting of what is not shown (issue 17). The priority subjects
are the user's disruption ranking kept ahead (lantern.intelligence.queries.kept_ranking).

A meeting goes through one list: what the pages show is drawn for the user and kept for
TASKING_REDRAW_SECONDS (a minute; `drawn` and `drawn_section`), and the chair can draw it
again at any time. The decisions recorded on it are always read as they are now."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from lantern.foundation import rows
from lantern.foundation.access import visible_in_area
from lantern.foundation.compiled import one_of, prepared_cursor
from lantern.foundation.http import url_pattern
from lantern.foundation.models import Child, User, WorkItem
from lantern.intelligence import queries as intelligence_queries
from lantern.missing import queries as missing_queries
from lantern.pathway import queries as pathway_queries
from lantern.plans import queries as plans_queries

from .models import TaskingDecision

T = TypeVar("T")

LOOK_BACK = {"daily": timedelta(hours=24), "weekly": timedelta(days=7)}
# Items of each section on the list; the section's own page shows the rest, 50 a page.
SHOWN = 10


@dataclass(frozen=True)
class ChildShown:
    """A child as a kept drawing holds them: the key (the audit of what the list shows, the
    links) and the name (a row drawn again once decided), not their whole record."""

    pk: int
    full_name: str


@dataclass
class Item:
    key: str  # unique in the list: kind and id, e.g. "concern-12"
    heading: str  # the section it belongs to
    title: str
    child: Child | ChildShown | None
    when: datetime | None
    url: str
    decision: TaskingDecision | None = None
    child_url: str = ""
    decide_url: str = ""
    # The item's table row as drawn with no decision on it (`drawn`): shown until one is.
    row: str = ""

    @property
    def label(self) -> str:
        """What the decision row records about the item."""
        return f"{self.heading}: {self.title}"


class Links:
    """The links a list draws for its items, reversed once."""

    def __init__(self, cadence: str, back: str = "") -> None:
        self.child = url_pattern("child")
        self.concern = url_pattern("pathway:concern")
        self.episode = url_pattern("missing:episode")
        self.trigger = url_pattern("intelligence:trigger")
        self.action = url_pattern("plans:action")
        self.subjects = reverse("intelligence:subjects")
        decide = url_pattern("monitoring:tasking_decide", cadence)
        # From a section's own page, the decision goes back there.
        self.decide = (lambda key: f"{decide(key)}?from={back}") if back else decide

    def item(self, item: Item) -> Item:
        if item.child is not None:
            item.child_url = self.child(item.child.pk)
        item.decide_url = self.decide(item.key)
        return item


@dataclass(frozen=True)
class Context:
    user: Any  # the signed-in user (lantern.foundation.models.User)
    cadence: str
    since: datetime
    now: datetime
    links: Links


# A section's items from `offset`, at most `limit`, in its order; with `pk`, that item only.
Fetch = Callable[[Context, int, int, int | None], list[Item]]


@dataclass(frozen=True)
class Section:
    slug: str  # in the section's own page address
    heading: str
    kind: str  # items' keys start with it
    order: str  # how the items are ordered, said on the page
    rest: str  # the list's link to the section's own page
    fetch: Fetch
    weekly_only: bool = False
    # A drawing of a section is kept (`drawn`). What the first five sections hold depends on
    # the user's role and area alone (an area-wide role sees every child of its area:
    # lantern.foundation.access.visible_in_area), so a minute-old drawing shows nothing the
    # user may not see now. Which priority subjects the user may see also turns on grants,
    # report handling and merges, which can change at any moment: `still_shown` asks of a
    # kept drawing's items, every time it is shown, which of them the user may still see.
    still_shown: "Callable[[Context, list[Item]], list[Item]] | None" = None


def _concerns(c: Context, offset: int, limit: int, pk: int | None) -> list[Item]:
    return [Item(f"concern-{concern.pk}", SECTIONS[0],
                 f"Urgent concern recorded by {concern.agency.name}", concern.child,
                 concern.recorded_at, c.links.concern(concern.pk))
            for concern in pathway_queries.tasking_urgent_concerns(
                c.user, c.since, offset=offset, limit=limit, pk=pk)]


def _missing(c: Context, offset: int, limit: int, pk: int | None) -> list[Item]:
    return [Item(f"missing-{episode.pk}", SECTIONS[1],
                 f"Missing since {_when(episode.went_missing_at)}", episode.child,
                 episode.went_missing_at, c.links.episode(episode.pk))
            for episode in missing_queries.tasking_missing_now(
                c.user, offset=offset, limit=limit, pk=pk)]


def _overdue(c: Context, offset: int, limit: int, pk: int | None) -> list[Item]:
    found = WorkItem.objects.filter(visible_in_area(c.user, "child"), kind="return_interview",
                                    status=WorkItem.Status.OPEN, due_at__lt=c.now,
                                    area_id=c.user.area_id)
    if pk is not None:
        found = found.filter(pk=pk)
    return [Item(f"work-{item.pk}", SECTIONS[2], item.title, item.child, item.due_at, item.url)
            for item in found.select_related("child")
            .order_by("due_at", "pk")[offset:offset + limit]]


def _triggers(c: Context, offset: int, limit: int, pk: int | None) -> list[Item]:
    found = []
    for trigger in intelligence_queries.tasking_new_triggers(c.user, c.since, offset=offset,
                                                             limit=limit, pk=pk):
        children = trigger.child_count
        found.append(Item(f"trigger-{trigger.pk}", SECTIONS[3],
                          f"{trigger.get_kind_display()}: {trigger.evidence.get('label', '')} "
                          f"({children} child{'ren' if children != 1 else ''})", None,
                          trigger.created_at, c.links.trigger(trigger.pk)))
    return found


def _breaches(c: Context, offset: int, limit: int, pk: int | None) -> list[Item]:
    return [Item(f"breach-{breach.pk}", SECTIONS[4],
                 f"Breach on {breach.occurred_on:%-d %B %Y}", breach.action.plan.child,
                 breach.recorded_at, c.links.action(breach.action_id))
            for breach in plans_queries.tasking_breaches(c.user, c.since, offset=offset,
                                                         limit=limit, pk=pk)]


def _subjects(c: Context, offset: int, limit: int, pk: int | None) -> list[Item]:
    rows = intelligence_queries.kept_ranking(c.user, now=c.now).rows
    if pk is not None:
        rows = [r for r in rows if r.subject_id == pk]
    # A subject the user may no longer rank is left out of the page it would have been on
    # (the next ranking leaves it out of every page).
    return [Item(f"subject-{s.row.subject_id}", SECTIONS[5],
                 f"{s.label}: priority {s.row.priority:g}, linked to {s.row.children} "
                 f"child{'ren' if s.row.children != 1 else ''}", None, None, c.links.subjects)
            for s in intelligence_queries.shown_ranking(c.user, rows[offset:offset + limit])]


def _still_ranked(c: Context, found: list[Item]) -> list[Item]:
    """Of a kept drawing's priority subjects, those the user may still rank (one query)."""
    ids = [int(item.key.removeprefix("subject-")) for item in found]
    still = intelligence_queries.still_ranked(c.user, ids, today=timezone.localdate(c.now))
    return [item for item, pk in zip(found, ids, strict=True) if pk in still]


SECTIONS = (
    "New urgent concerns",
    "Children missing now",
    "Return home interviews overdue",
    "New triggers",
    "Breaches of a Child Abduction Warning Notice",
    "Priority subjects for disruption",
)

ALL = (
    Section("urgent-concerns", SECTIONS[0], "concern", "newest first",
            "See all new urgent concerns", _concerns),
    Section("missing-now", SECTIONS[1], "missing", "missing longest first",
            "See all children missing now", _missing),
    Section("overdue-interviews", SECTIONS[2], "work", "overdue longest first",
            "See all overdue return home interviews", _overdue),
    Section("triggers", SECTIONS[3], "trigger", "newest first", "See all new triggers",
            _triggers),
    Section("breaches", SECTIONS[4], "breach", "newest first", "See all new breaches",
            _breaches),
    Section("priority-subjects", SECTIONS[5], "subject", "highest priority first",
            "See all priority subjects", _subjects, weekly_only=True,
            still_shown=_still_ranked),
)
BY_SLUG = {s.slug: s for s in ALL}
BY_KIND = {s.kind: s for s in ALL}


def sections(cadence: str) -> list[Section]:
    return [s for s in ALL if cadence == "weekly" or not s.weekly_only]


def context(user, cadence: str, now: datetime | None = None, *, back: str = "") -> Context:
    now = now or timezone.now()
    return Context(user, cadence, now - LOOK_BACK[cadence], now, Links(cadence, back))


def with_decisions(c: Context, found: list[Item]) -> list[Item]:
    """The items, each with the meeting's decision on it today, if one is recorded (one query
    for them all), and their links."""
    decisions = _decisions(c, [i.key for i in found]) if found else {}
    for entry in found:
        entry.decision = decisions.get(entry.key)
        if not entry.decide_url:  # a kept drawing's items have theirs (`_with_rows`)
            c.links.item(entry)
    return found


# What a decision's row shows of it, and of who recorded it and owns its action (their
# names: `display_name`); anything else (when it was decided, for the page saying someone
# decided first) is read when asked for.
_DECISION_FIELDS = rows.fields_of(TaskingDecision, "id", "item_key", "decision",
                                  "action_owner", "action_due_on", "decided_by")
_NAME_FIELDS = rows.fields_of(User, "id", "username", "first_name", "last_name")


def _decisions(c: Context, keys: list[str]) -> dict[str, TaskingDecision]:
    """Today's decisions on these items of the user's area's list, each with who recorded it
    and who owns its action (as far as their names). Written in SQL, its rows made into
    models only when there are any: every list and section page reads them, and the ORM took
    1.1-1.3 ms of Python to build the query that PostgreSQL answers in 0.02 ms from the
    one-decision-per-item index (issue 17), `Model.raw` 0.4 ms."""
    user = User._meta.db_table
    columns = ", ".join(f"d.{f.column}" for f in _DECISION_FIELDS)
    names = ", ".join(f"{who}.{f.column}" for who in ("b", "o") for f in _NAME_FIELDS)
    keyed, key_params = one_of("d.item_key", keys)
    with prepared_cursor() as cursor:
        cursor.execute(
            # Table and column names from the models; every value a parameter.
            f"SELECT {columns}, {names} FROM {TaskingDecision._meta.db_table} d "  # noqa: S608
            f"INNER JOIN {user} b ON b.id = d.decided_by_id "
            f"LEFT JOIN {user} o ON o.id = d.action_owner_id "
            f"WHERE d.area_id = %s AND d.cadence = %s AND d.held_on = %s AND {keyed}",
            [c.user.area_id, c.cadence, timezone.localdate(c.now), *key_params])
        found = cursor.fetchall()
    decisions = {}
    width, named = len(_DECISION_FIELDS), len(_NAME_FIELDS)
    for row in found:
        decision = rows.made(TaskingDecision, _DECISION_FIELDS, row[:width])
        decision.decided_by = rows.made(User, _NAME_FIELDS, row[width:width + named])
        if decision.action_owner_id is not None:
            decision.action_owner = rows.made(User, _NAME_FIELDS, row[width + named:])
        decisions[decision.item_key] = decision
    return decisions


@dataclass
class Shown:
    section: Section
    items: list[Item]
    more: bool  # whether the section has more items than the list shows


def _shown(c: Context, section: Section) -> Shown:
    found = section.fetch(c, 0, SHOWN + 1, None)
    return Shown(section, found[:SHOWN], len(found) > SHOWN)


def listed(user, cadence: str, now: datetime | None = None) -> list[Shown]:
    """Each section of the list with its first SHOWN items (and whether it has more): one
    query a section, one for the decisions."""
    c = context(user, cadence, now)
    shown = [_shown(c, section) for section in sections(cadence)]
    with_decisions(c, [i for s in shown for i in s.items])
    return shown


def _kept(user, cadence: str, part: str, draw: Callable[[Context], T], *, back: str = "",
          redraw: bool) -> tuple[T, datetime]:
    """What `draw` gives for the user's list, as kept from the last TASKING_REDRAW_SECONDS
    (or drawn now, and kept), and when it was drawn. Kept for this user in this role and
    agency only: what a list holds is what its user may see (lantern.foundation.access).

    Drawing one part again (`redraw`) draws the whole list again: a part kept from before the
    last time the user asked is drawn again too, so the list and its sections' own pages never
    disagree about what the chair has just seen (the list's "See all" leads to the section as
    drawn with it)."""
    base = f"tasking:{user.pk}:{user.role}:{user.agency_id}:{cadence}"
    key, redrawn_key = f"{base}:{part}", f"{base}:redrawn"
    kept = None
    if not redraw:
        found = cache.get_many([key, redrawn_key])
        kept = found.get(key)
        if kept is not None and redrawn_key in found and kept[1] < found[redrawn_key]:
            kept = None
    if kept is None:
        c = context(user, cadence, back=back)
        kept = (draw(c), c.now)
        cache.set(key, kept, settings.TASKING_REDRAW_SECONDS)
        if redraw:
            # Parts drawn before now are all gone within TASKING_REDRAW_SECONDS.
            cache.set(redrawn_key, c.now, settings.TASKING_REDRAW_SECONDS)
    return kept


def _with_rows(c: Context, found: list[Item]) -> list[Item]:
    """The items, each with its links and its row drawn as it is while nothing is decided on
    it, so that a kept list draws only the rows decided on since."""
    for item in found:
        c.links.item(item)
        item.row = render_to_string("monitoring/_tasking_row.html", {"item": item})
        if item.child is not None:
            item.child = ChildShown(item.child.pk, item.child.full_name)
    return found


def drawn(user, cadence: str, *, redraw: bool = False) -> tuple[list[Shown], datetime]:
    """The list as `listed` gives it, its kept sections as drawn within the last
    TASKING_REDRAW_SECONDS, the others and the decisions recorded on it as they are now; and
    when the kept sections were drawn."""
    every = sections(cadence)

    def draw(c: Context) -> dict[str, Shown]:
        found = {s.slug: _shown(c, s) for s in every}
        _with_rows(c, [i for shown in found.values() for i in shown.items])
        return found

    kept, at = _kept(user, cadence, "list", draw, redraw=redraw)
    c = context(user, cadence)
    shown = [Shown(s, _still_shown(c, s, kept[s.slug].items), kept[s.slug].more)
             for s in every]
    with_decisions(c, [i for s in shown for i in s.items])
    return shown, at


def rows_html(found: list[Item], reader) -> SafeString:
    """The items' table rows: each as drawn ahead (`_with_rows`) while nothing is decided on
    it, else drawn now with its decision (whose wording is checked for `reader`, as
    `checked_text` checks it for anyone reading the page)."""
    return mark_safe("".join(  # noqa: S308 - rows drawn by the template, escaped there
        item.row if item.row and item.decision is None else
        render_to_string("monitoring/_tasking_row.html", {"item": item, "reader": reader})
        for item in found))


def drawn_section(c: Context, section: Section, offset: int, limit: int, *,
                  redraw: bool = False) -> tuple[list[Item], datetime]:
    """A page of one section, as drawn within the last TASKING_REDRAW_SECONDS (its decisions
    are for `with_decisions` to add); and when it was drawn."""
    found, at = _kept(c.user, c.cadence, f"{section.slug}:{offset}:{limit}",
                      lambda drawing: _with_rows(drawing,
                                                 section.fetch(drawing, offset, limit, None)),
                      back=section.slug, redraw=redraw)
    return _still_shown(c, section, found), at


def _still_shown(c: Context, section: Section, found: list[Item]) -> list[Item]:
    """What the user may still see of a kept drawing's items of this section: the items left
    out of the page they were drawn on, not replaced (the next drawing leaves them out)."""
    return section.still_shown(c, found) if section.still_shown and found else found


def items(user, cadence: str, now: datetime | None = None) -> list[Item]:
    """The items the list shows, every section's together."""
    return [i for s in listed(user, cadence, now) for i in s.items]


def find(user, cadence: str, key: str, now: datetime | None = None, *, back: str = ""
         ) -> Item | None:
    """The item of today's list with this key, with its decision, or None when it is not on
    the list (whether or not the list shows it): one query for it, one for its decision."""
    kind, _, number = key.partition("-")
    section = BY_KIND.get(kind)
    if (section is None or not number.isascii() or not number.isdigit() or len(number) > 18
            or section not in sections(cadence)):
        return None
    c = context(user, cadence, now, back=back)
    found = section.fetch(c, 0, 1, int(number))
    return with_decisions(c, found)[0] if found else None


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y %H:%M}"


def found_child(item: Item) -> Child | None:
    """The child's record of an item `find` found (read now, never a kept drawing's)."""
    if isinstance(item.child, ChildShown):
        raise TypeError("A kept drawing's item holds the child's name only: use find()")
    return item.child
