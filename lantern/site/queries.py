"""Pages that draw from several apps: each asks the apps' own queries, so the page's query
count stays fixed however much each app holds."""

from django.db.models import OuterRef, QuerySet
from django.utils import timezone

from lantern.foundation import rows, trays
from lantern.foundation.access import AREA_WIDE_ROLES, Viewer, viewing
from lantern.foundation.compiled import Compiled
from lantern.foundation.http import url_pattern
from lantern.foundation.models import NAME_FIELDS, Agency, ChronologyEntry, User, WorkItem
from lantern.foundation.when import due_phrase, long_date, short_datetime
from lantern.missing import queries as missing_queries
from lantern.pathway import queries as pathway_queries
from lantern.people import queries as people_queries
from lantern.plans import queries as plans_queries
from lantern.screening import queries as screening_queries

# The child's record shows the latest entries of the chronology; the whole of it is read a page
# at a time on its own page (`chronology_page`), however long it grows (issue 18).
CHRONOLOGY_ON_RECORD = 20


def chronology_page(child, *, offset: int = 0, limit: int = CHRONOLOGY_ON_RECORD
                    ) -> list[ChronologyEntry]:
    """`limit` entries of the child's chronology from `offset`, newest first, each with who
    recorded it and their agency and its time worked out (`_dated`): one query. Only what the
    timeline draws is read. Written in SQL, its rows made into models: the ORM took about
    0.8 ms of Python to build the query (issue 18); `test_record_sql` holds it to the ORM's."""
    return _dated(rows.read(*_chronology_read(child, offset=offset, limit=limit)))


def _chronology_read(child, *, offset: int, limit: int) -> tuple:
    """What `chronology_page` reads: `rows.read`'s arguments."""
    return (
        # Table and column names from the models; every value a parameter.
        f"{ChronologyEntry._meta.db_table} e "
        f"LEFT JOIN {Agency._meta.db_table} a ON a.id = e.agency_id "
        f"LEFT JOIN {User._meta.db_table} u ON u.id = e.recorded_by_id "
        "WHERE e.child_id = %s ORDER BY e.occurred_at DESC, e.id DESC LIMIT %s OFFSET %s",
        [child.pk, limit, offset], ("e", ChronologyEntry, _ENTRY),
        ("a", Agency, _AGENCY, "agency"), ("u", User, _NAMED, "recorded_by"))


_ENTRY = rows.fields_of(ChronologyEntry, "id", "child_id", "occurred_at", "kind", "title",
                        "detail", "url", "agency_id", "recorded_by_id")
_AGENCY = rows.fields_of(Agency, "id", "name")
_NAMED = rows.fields_of(User, "id", *NAME_FIELDS)


def child_record(child) -> dict:
    """Everything the child's record page shows, in a fixed number of queries: those that
    depend only on the child run ahead, together (`record_reads`)."""
    with rows.ahead(record_reads(child)):
        return _child_record(child)


def record_reads(child) -> list[tuple[str, list]]:
    """The record's reads that depend only on the child, each `rows.statement`'s or a prepared
    `Compiled` read's: run ahead together (`rows.ahead`, one round trip on PostgreSQL rather
    than one a read, issue 18)."""
    return [rows.statement(*_chronology_read(child, offset=0, limit=CHRONOLOGY_ON_RECORD + 1)),
            rows.statement(*screening_queries.screenings_read(child)),
            rows.statement(*pathway_queries.referrals_read(child)),
            rows.statement(*people_queries.allocations_read(child)),
            pathway_queries.pathways_statement(child),
            rows.statement(*pathway_queries.other_work_read(child)),
            rows.statement(*missing_queries.episodes_read(child)),
            *pathway_queries.concerns_statements(child),
            *plans_queries.record_statements(child)]


def _child_record(child) -> dict:
    # One more entry than shown says whether there are older ones, without counting them.
    newest = chronology_page(child, limit=CHRONOLOGY_ON_RECORD + 1)
    chronology = newest[:CHRONOLOGY_ON_RECORD]
    screenings = screening_queries.child_screenings(child)
    referrals = pathway_queries.child_referrals(child)
    latest = screenings[0] if screenings else None
    return {
        "chronology": chronology,
        "chronology_more": len(newest) > CHRONOLOGY_ON_RECORD,
        "screenings": screenings,
        "latest_screening": latest,
        # Category history as a chart and table, and the prompt to re-screen after a new
        # concern (issue 3).
        "history": (history := screening_queries.category_history(screenings)),
        # Drawn in Python, as screening/_history.html drew it (screening/tests/test_drawn.py).
        "history_html": screening_queries.history_html(history),
        "rescreen": screening_queries.rescreen_prompt(child, latest),
        "referrals": referrals,
        "open_referrals": [r for r in referrals if r.status == r.Status.AWAITING],
        "allocations": people_queries.child_allocations(child),
        # The pathway's steps with their due and actual dates (lantern.pathway.queries).
        **pathway_queries.child_pathway(child),
        **missing_queries.for_child_record(child),
        # The one plan and the outcome measures over time (lantern.plans.queries, issue 6).
        **plans_queries.for_child_record(child),
    }


def _dated(entries: list[ChronologyEntry]) -> list[ChronologyEntry]:
    """Each entry's time as the record shows it, worked out once here rather than by four
    template filters an entry (a page of the chronology lists 50): `occurred_iso` (the `date:'c'`
    of the local time) and `occurred_text` ("3 March 2026", with " at 14:05" unless midnight)."""
    zone = timezone.get_current_timezone()  # found once: each `localtime` asks again
    for entry in entries:
        local = entry.occurred_at.astimezone(zone)
        text = long_date(local)
        if local.hour or local.minute:
            text += f" at {local:%H:%M}"
        entry.occurred_iso = local.isoformat()
        entry.occurred_text = text
    return entries


def _columns(items: QuerySet[WorkItem]) -> QuerySet[WorkItem]:
    """The child's latest screening category (`category`, `framework`) on each row."""
    return items.annotate(
        category=screening_queries.latest_for_child(OuterRef("child"), "final_category"),
        framework=screening_queries.latest_for_child(OuterRef("child"), "framework"),
    )


def _tray_page(role: str, tray: str, team: tuple, by_kind: bool, overdue: bool, offset: int,
               limit: int, *, viewer: int, viewer_agency: int, viewer_area: int, now,
               kind: str = "") -> QuerySet[WorkItem]:
    user = Viewer(viewer, viewer_agency, viewer_area, role)
    user.__dict__["_lantern_team"] = list(team)  # trays.team_members, read for the team tray
    return trays.page_query(user, tray, offset=offset, limit=limit, columns=_columns,
                            kind=kind if by_kind else "", overdue=overdue, now=now)


# A tray's page compiled once a role, tray, filter and page (a manager's team is part of the
# team tray's shape) by lantern.foundation.compiled: building and compiling its parts took
# 3-5 ms of Python a request (issue 18). Not prepared: most parts' best plans depend on the
# values (with a generic plan, at 100,000 children, a manager's team tray took 92 ms rather
# than 19, a social worker's own 25 rather than 7)...
_TRAY_PAGE: Compiled[WorkItem] = Compiled(_tray_page)
# ...but for the roles that see their whole area their own tray's generic plan is the better
# (the front door's 0.7-0.8 ms rather than 3.4-3.5 planned each time, with or without the
# kind and overdue filters; the CSE manager's 0.3 rather than 1.3, the police's 0.8 rather
# than 2.3): prepared.
_OWN_TRAY_PAGE: Compiled[WorkItem] = Compiled(_tray_page, prepared=True)
# A manager's team tray and anyone else's own, unfiltered, are prepared too with their words
# (the open status, the urgent kind, the roles) written into the SQL: their generic plans then
# walk the partial index of open items by owner (at 100,000 children, the team tray 2.1 ms
# rather than 6.2 planned each time, 80-130 ms generic with the words as parameters; a social
# worker's own 0.8 rather than 2.1).
_WORDED_TRAY_PAGE: Compiled[WorkItem] = Compiled(_tray_page, prepared=True,
                                                 words_written=True)


def work_items(user, tray: str, *, kind: str = "", category: int | None = None,
               overdue: bool = False, now=None, offset: int = 0,
               limit: int = 50) -> list[WorkItem]:
    """Open work in a tray, soonest due first, each with the child's latest screening category
    (`category`, `framework`): `limit` rows from `offset`, one query whatever the number of
    rows, which reads at most `offset + limit` items of each of the tray's parts
    (`trays.page`). Without a category filter, compiled once (`_TRAY_PAGE`, `_OWN_TRAY_PAGE`);
    a test holds it to `trays.page` for everyone (lantern/site/tests/test_tray_order.py)."""
    now = now or timezone.now()
    seen = viewing(user)
    if category is None and seen is not None:
        role, values = seen
        team = tuple(trays.team_members(user)) if tray == "team" else ()
        compiled = (_OWN_TRAY_PAGE if tray == "mine" and role in AREA_WIDE_ROLES
                    else _WORDED_TRAY_PAGE if tray in ("team", "mine") and not kind
                    and not overdue
                    else _TRAY_PAGE)
        found = compiled(role, tray, team, bool(kind), overdue, offset, limit, now=now,
                         **values, **({"kind": kind} if kind else {}))
        return _drawn(trays.labelled(found), now)
    # Unfiltered by category, the tray's parts need not carry the category (the rows read do).
    shown = None if category is None else lambda items: _columns(items).filter(
        category=category)  # type: ignore[misc]  # an annotation the stubs do not see
    return _drawn(trays.page(user, tray, offset=offset, limit=limit, shown=shown,
                             columns=_columns, kind=kind, overdue=overdue, now=now), now)


def _drawn(items: list[WorkItem], now) -> list[WorkItem]:
    """What each row of a tray draws, worked out once here rather than by an included
    template, two date filters, `due_phrase` and `reverse()` a row (the tray draws 50):
    `child_url`, `due_text` ("3 Mar 2026, 14:05", the date alone for a day-based deadline),
    `due_words` ("Overdue by 3 hours") and `past_due`."""
    child_url = url_pattern("child")
    for item in items:
        item.child_url = child_url(item.child_id) if item.child_id else ""
        if item.due_at is None:
            continue
        item.due_text = short_datetime(item.due_at, all_day=item.all_day)
        item.due_words = due_phrase(item.due_at, now)
        item.past_due = item.due_at < now
    return items
