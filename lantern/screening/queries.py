"""Queries and views of screenings that other pages show: a child's category history, the
prompt to re-screen after a new concern, and the re-screening work in a worker's tray."""

from operator import attrgetter

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from lantern.domain import history, labels
from lantern.foundation import rows as rows_of
from lantern.foundation.access import child_visible_sql
from lantern.foundation.drawn import esc
from lantern.foundation.figures import Slice
from lantern.foundation.http import url_pattern
from lantern.foundation.models import NAME_FIELDS, Agency, Child, Role, User, WorkItem
from lantern.foundation.when import long_date, short_date
from lantern.pathway import queries as pathway_queries

from . import registry
from .actions import RESCREEN
from .models import Screening


def child_screenings(child) -> list[Screening]:
    """The child's screenings, newest first, with who screened them (the child's record).
    Written in SQL, its rows made into models (the ORM took about 0.6 ms of Python to build
    the query, issue 18); `site/tests/test_record_sql.py` holds it to the ORM's."""
    screenings = rows_of.read(*screenings_read(child))
    # Every one is read, so put in order here (see pathway.queries.child_pathway).
    screenings.sort(key=attrgetter("screened_at"), reverse=True)
    return screenings


def screenings_read(child) -> tuple:
    """What `child_screenings` reads: `rows.read`'s arguments (the record reads it ahead)."""
    return (
        # Table and column names from the models; every value a parameter.
        f"{Screening._meta.db_table} s "
        f"INNER JOIN {User._meta.db_table} u ON u.id = s.screened_by_id "
        f"INNER JOIN {Agency._meta.db_table} a ON a.id = s.agency_id WHERE s.child_id = %s",
        [child.pk], ("s", Screening, _SCREENING), ("u", User, _NAMED, "screened_by"),
        ("a", Agency, _AGENCY, "agency"))


# What the record draws of each screening (its category over time, who screened it): not the
# answers, evidence and reasons (issue 18).
_SCREENING = rows_of.fields_of(Screening, "id", "child", "framework", "framework_version",
                            "screened_at", "final_category", "screened_by", "agency")
_NAMED = rows_of.fields_of(User, *NAME_FIELDS)
_AGENCY = rows_of.fields_of(Agency, "id", "name")


def latest_for_child(child, field: str) -> Subquery:
    """A field of the latest screening of `child` (an OuterRef in a larger query)."""
    return Subquery(
        Screening.objects.filter(child=child).order_by("-screened_at", "-id")
        .values(field)[:1]
    )


def screened_before(child, when) -> bool:
    return Screening.objects.filter(child=child, screened_at__lt=when).exists()


def category_counts(area=None) -> list[dict]:
    """Screenings by framework and final category, without identities (figures)."""
    screenings = Screening.objects.all()
    if area is not None:
        screenings = screenings.filter(child__area=area)
    return list(
        screenings.values("framework", "final_category").annotate(n=Count("id"))
        .order_by("framework", "final_category")
    )


MOVED = {history.FIRST: "First screening", history.UP: "Risk rose",
         history.DOWN: "Risk fell", history.SAME: "No change"}


def category_history(screenings: list[Screening]) -> list[dict]:
    """The category history of a child, one block per framework used (normally one), from
    screenings already loaded (any order). No queries."""
    by_framework: dict[str, list[Screening]] = {}
    for screening in sorted(screenings, key=lambda s: (s.screened_at, s.pk)):
        by_framework.setdefault(screening.framework, []).append(screening)
    blocks = []
    url = url_pattern("screening:detail")  # reversed once, not a row
    for code, rows in by_framework.items():
        framework = registry.get(code, rows[-1].framework_version)
        categories = [s.final_category for s in rows]
        moved = [MOVED[m] for m in history.movements(categories)]
        # Each time made local once (the current time zone found once: each `localtime`
        # asks for it again).
        zone = timezone.get_current_timezone()
        local = [s.screened_at.astimezone(zone) for s in rows]
        chart = history.chart([(when, s.final_category) for when, s in zip(local, rows,
                                                                            strict=True)],
                              len(framework.categories))
        noun = framework.category_noun
        drawn = [
            {"screening": s, "movement": m, "dot": d, "url": url(s.pk),
             "date": (date := short_date(d.when)),  # d.when is local time already
             "label": labels.in_sentence(s.final_category_label),
             "by": f"{s.screened_by.display_name}, {s.agency.name}",
             "dot_title": f"{date}: {noun} {d.category} ({labels.in_sentence(m)})"}
            for s, m, d in zip(rows, moved, chart.dots, strict=True)
        ]
        blocks.append({
            "framework": framework,
            "chart": chart,
            # Each row's words worked out once here, not by template filters a row (issue 18);
            # its link and date as Python (`short_datetime` is the filter's "j M Y"), not by
            # `reverse()` and the date filter twice a row.
            "rows": drawn,
            # The chart's dots and the table's rows drawn here, not by the template's loops
            # (issue 18: half the record's template time); `screening/tests/test_drawn.py`
            # holds them to the loops' markup.
            "dots_html": _dots_html(drawn),
            "ticks_html": _ticks_html(chart, noun),
            "rows_html": _rows_html(drawn),
            "summary": _summary(framework, rows, moved, local),
        })
    return blocks


# One framework's block of screening/_history.html (the file it replaced), a format string.
_HISTORY_BLOCK = (
    "\n"
    "{h3}\n"
    '<figure class="govuk-!-margin-0 govuk-!-margin-bottom-4" aria-labelledby="history-{code}-caption">\n'  # noqa: E501
    '  <figcaption id="history-{code}-caption" class="govuk-body">{summary}</figcaption>\n'
    '  <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="history-{code}-title" focusable="false" class="lantern-history-chart">\n'  # noqa: E501
    '    <title id="history-{code}-title">Chart of the {noun} decided at each screening over time, drawn from the table below</title>\n'  # noqa: E501
    "    {ticks}\n"
    '    <path d="{path}" fill="none" stroke="#1d70b8" stroke-width="3"/>\n'
    "    {dots}\n"
    '    <text x="{left}" y="{date_y}" font-size="16" fill="#0b0c0c">{first}</text>\n'
    "    {last}\n"
    "  </svg>\n"
    "</figure>\n"
    '<div class="lantern-table-scroll" role="region" aria-label="Screenings with the {name}, oldest first" tabindex="0">\n'  # noqa: E501
    '<table class="govuk-table" id="history-{code}-table">\n'
    '  <caption class="govuk-table__caption govuk-table__caption--s">Screenings with the {name}, oldest first</caption>\n'  # noqa: E501
    '  <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
    '    <th scope="col" class="govuk-table__header">Date</th>\n'
    '    <th scope="col" class="govuk-table__header">{Noun} decided</th>\n'
    '    <th scope="col" class="govuk-table__header">Change</th>\n'
    '    <th scope="col" class="govuk-table__header">Screened by</th>\n'
    "  </tr></thead>\n"
    '  <tbody class="govuk-table__body">\n'
    "  {rows}\n"
    "  </tbody>\n"
    "</table>\n"
    "</div>\n"
    "")


def history_html(blocks: list[dict]) -> SafeString:
    """The child's category history as screening/_history.html drew it when included, from
    `category_history`'s blocks: the record's largest section (issue 18)."""
    drawn = []
    for block in blocks:
        framework, chart = block["framework"], block["chart"]
        noun = framework.category_noun
        height = int(chart.height)
        last = ""
        if len(block["rows"]) > 1:
            last = (f'<text x="{esc(chart.right)}" y="{esc(height - 10)}" text-anchor="end" '
                    f'font-size="16" fill="#0b0c0c">{esc(short_date(chart.last.when))}</text>')
        drawn.append("\n" + _HISTORY_BLOCK.format(
            h3=(f'<h3 class="govuk-heading-s">{esc(framework.name)}</h3>'
                if len(blocks) > 1 else ""),
            code=esc(framework.code), name=esc(framework.name), summary=esc(block["summary"]),
            width=esc(chart.width), height=esc(chart.height), noun=esc(noun),
            Noun=esc(capfirst(noun)), ticks=block["ticks_html"],
            path=esc(chart.path), dots=block["dots_html"], left=esc(chart.left),
            date_y=esc(height - 10), first=esc(short_date(chart.first.when)), last=last,
            rows=block["rows_html"]) + "\n")
    if not blocks:
        drawn.append('\n<p class="govuk-body">No screenings yet.</p>\n')
    return SafeString('<h2 class="govuk-heading-m" id="risk-over-time">Risk over time</h2>\n'
                      + "".join(drawn) + "\n")


def _dots_html(rows: list[dict]) -> SafeString:
    """The chart's dots, as screening/_history.html's loop drew them."""
    return SafeString("".join(
        f'\n    <circle cx="{esc(row["dot"].x)}" cy="{esc(row["dot"].y)}" r="6" '
        f'fill="#1d70b8" stroke="#ffffff" stroke-width="2"><title>{esc(row["dot_title"])}'
        "</title></circle>\n    " for row in rows))


def _ticks_html(chart: history.Chart, noun: str) -> SafeString:
    """The chart's lines and labels a category, as screening/_history.html's loop drew them."""
    label = esc(capfirst(noun))
    left, right, label_x = esc(chart.left), esc(chart.right), esc(int(chart.left) - 12)
    return SafeString("".join(
        f'\n    <line x1="{left}" x2="{right}" y1="{esc(tick.y)}" y2="{esc(tick.y)}" '
        'stroke="#b1b4b6" stroke-width="1"/>\n'
        f'    <text x="{label_x}" y="{esc(tick.y)}" dy="0.35em" text-anchor="end" '
        f'font-size="16" fill="#0b0c0c">{label} {esc(tick.category)}</text>\n    '
        for tick in chart.ticks))


def _rows_html(rows: list[dict]) -> SafeString:
    """The table's rows, oldest first, as screening/_history.html's loop drew them."""
    return SafeString("".join(
        '\n    <tr class="govuk-table__row">\n'
        '      <td class="govuk-table__cell lantern-nowrap"><a class="govuk-link" '
        f'href="{esc(row["url"])}">{esc(row["date"])}</a></td>\n'
        f'      <td class="govuk-table__cell">{esc(row["screening"].final_category)}: '
        f'{esc(row["label"])}</td>\n'
        f'      <td class="govuk-table__cell">{esc(row["movement"])}</td>\n'
        f'      <td class="govuk-table__cell">{esc(row["by"])}</td>\n'
        "    </tr>\n  " for row in rows))


def _summary(framework, rows: list[Screening], moved: list[str], local: list) -> str:
    """The history in a sentence; `local`: each screening's time in local time."""
    noun = framework.category_noun
    first = rows[0]
    parts = [
        f"{len(rows)} screening{'s' if len(rows) != 1 else ''} with the {framework.name}, "
        f"from {local[0]:%-d %B %Y}: first {noun} "
        f"{first.final_category}"
    ]
    for screening, movement, at in zip(rows[1:], moved[1:], local[1:], strict=True):
        when = f"{at:%-d %B %Y}"
        if movement == MOVED[history.SAME]:
            parts.append(f"stayed at {screening.final_category} on {when}")
        else:
            verb = "rose" if movement == MOVED[history.UP] else "fell"
            parts.append(f"{verb} to {screening.final_category} on {when}")
    return "; ".join(parts) + "."


def rescreen_prompt(child: Child, latest: Screening | None) -> dict | None:
    """A new incident means screening again at once (SPEC §2; seed 002 §6.2-6.3, seed 001
    guidance 4): the concerns recorded since the latest screening (or, for a child never
    screened, all of them), if any. One query."""
    since = pathway_queries.concerns_since(child, latest.screened_at if latest else None)
    if not since["count"]:
        return None
    return {"latest": latest, **since}


def rescreen_html(child: Child, rescreen: dict | None, *, new_url: str) -> SafeString:
    """The prompt to screen again as screening/_rescreen_prompt.html draws it when the child's
    record includes it (with its link to screen, `new_url`): the record drew it on every
    opening (issue 18). screening/tests/test_drawn.py holds this to that template, which
    the new screening's page still includes."""
    if not rescreen:
        return SafeString("\n")
    count = rescreen["count"]
    concerns = (f"{esc(count)} concern{'' if count == 1 else 's'}"
                f"{', including an urgent one,' if rescreen.get('urgent') else ''}")
    name = esc(child.given_names)
    latest = rescreen.get("latest")
    if latest:
        on = long_date(timezone.localtime(latest.screened_at))
        said = (f"    {concerns} recorded since the last screening on {on} "
                f"({esc(latest.final_category_name)}). A new incident or significant change "
                "means screening again now.\n"
                f'    <a class="govuk-link" href="{new_url}">Screen {name} again</a>\n')
    else:
        said = (f"    {concerns} recorded and {name} has not been screened yet.\n"
                f'    <a class="govuk-link" href="{new_url}">Screen {name} for risk</a>\n')
    return SafeString(
        '\n<div class="govuk-warning-text" id="rescreen-prompt">\n'
        '  <span class="govuk-warning-text__icon" aria-hidden="true">!</span>\n'
        '  <div class="govuk-warning-text__text">\n'
        '    <span class="govuk-visually-hidden">Warning</span>\n'
        f"    \n{said}    \n"
        "  </div>\n</div>\n\n")


# The open status as the re-screening tasks' statement writes it (a plain word: no quoting).
_OPEN = WorkItem.Status.OPEN.value
if not _OPEN.isidentifier():
    raise ImproperlyConfigured("the open status is written into SQL and must be a plain word")


def rescreen_work(user, *, limit: int = 50) -> list[WorkItem]:
    """Open re-screening tasks that are the user's: their own, or their role's in their area
    (the front door when no social worker is allocated), soonest due first. Children the user
    may see only.

    Written in SQL (the visibility rule as `child_visible_sql`), its rows made into models:
    the ORM took 1-2 ms of Python to build the query on every home page (issue 18). Prepared:
    each part is led by its own index whatever the values (at 100,000 children 0.7-1.1 ms
    planned each time, 0.2-0.5 prepared). A test holds it to the ORM's rows
    (lantern/site/tests/test_home_sql.py)."""
    if user.role not in (Role.SOCIAL_WORKER, Role.FRONT_DOOR) or not user.agency_id:
        return []
    # A social worker's are theirs alone, led by the owner index: their children's grants are
    # probed by key (`by_key`, issue 18). The front door's area part is led by the area's
    # index, where the grant ids read once are right (by key it took 42 ms, not 0.1).
    front_door = user.role == Role.FRONT_DOOR
    seen, seen_params = child_visible_sql(user, "w.child_id", "c.area_id",
                                          by_key=not front_door)
    # Table and column names from the models; every value a parameter but "open", written in
    # the statement: a prepared statement's generic plan uses an index kept for open items
    # alone (workitem_open_owner_kind) only when the condition is in its text.
    tasks = (f"SELECT {rows_of.columns('w', _TASK)}, {rows_of.columns('c', _TASK_CHILD)} "  # noqa: S608
             f"FROM {WorkItem._meta.db_table} w "
             f"INNER JOIN {Child._meta.db_table} c ON c.id = w.child_id "
             f"WHERE w.kind = %s AND w.status = '{_OPEN}' AND {seen} AND ")
    params = [RESCREEN, *seen_params]
    own = f"{tasks}w.owner_id = %s ORDER BY w.due_at, w.id LIMIT %s"
    if not front_door:
        found = rows_of.fetch(own, [*params, user.pk, limit], prepared=True)
    else:
        # The front door's: their own and their role's in the area, each walked in due order
        # by its own index and cut at `limit`, then merged (`UNION ALL`). As one `OR` the
        # database read all the area's open re-screening tasks (822 of them at 100,000
        # children) to sort them (issue 18).
        area = (f"{tasks}w.owner_id IS NULL AND w.owner_role = %s AND w.area_id = %s "
                f"ORDER BY w.due_at, w.id LIMIT %s")
        found = rows_of.fetch(
            f"SELECT * FROM ({own}) own UNION ALL SELECT * FROM ({area}) area "  # noqa: S608
            f"ORDER BY {_TASK_DUE}, {_TASK_ID} LIMIT %s",
            [*params, user.pk, limit, *params, Role.FRONT_DOOR, user.agency.area_id, limit,
             limit], prepared=True)
    tasks_found = []
    for row in found:
        item, child = rows_of.parts(row, (WorkItem, _TASK), (Child, _TASK_CHILD))
        rows_of.cache(item, "child", child)
        tasks_found.append(item)
    return tasks_found


# What the list draws: the task, its link and due time, the child's name (issue 18).
_TASK = rows_of.fields_of(WorkItem, "id", "child", "url", "title", "due_at")
_TASK_CHILD = rows_of.fields_of(Child, "id", "given_names", "family_name")
# Their places in a row (1-based), for the front door's union to be ordered by.
_TASK_DUE = 1 + _TASK.index(WorkItem._meta.get_field("due_at"))
_TASK_ID = 1 + _TASK.index(WorkItem._meta.pk)


def framework_for_profile(profile: str):
    """The categorising framework a policy profile screens with (newest version)."""
    return registry.framework_for_profile(profile)


# --- Monitoring (issue 17): aggregates without identities -----------------------------------

def monitoring_screenings(s: Slice) -> list[tuple[str, str, str, int]]:
    """Screenings in the period by framework and the category decided on, as
    (framework code, framework name, category name, count): one query."""
    rows = (Screening.objects.filter(s.period("screened_at"), s.children(),
                                     s.agency("agency_id"))
            .values_list("framework", "final_category").annotate(n=Count("id"))
            .order_by("framework", "final_category"))
    named = []
    for code, category, n in rows:
        framework = registry.get(code)
        named.append((code, framework.name, framework.category_name(category), n))
    return named


def monitoring_movement(s: Slice) -> list[tuple[int | None, int, int]]:
    """For the children screened in the period: their category before the period (None when
    never screened before) and at its end, as (before, after, children): one query."""
    def latest(**when) -> Subquery:
        return Subquery(Screening.objects.filter(child=OuterRef("pk"), **when)
                        .order_by("-screened_at", "-id").values("final_category")[:1])

    screened = Screening.objects.filter(s.period("screened_at"), s.agency("agency_id"),
                                        child=OuterRef("pk"))
    return list(
        Child.objects.filter(s.children(prefix=""), Exists(screened))
        .annotate(before=latest(screened_at__lt=s.since), after=latest(screened_at__lt=s.until))
        .values_list("before", "after").annotate(n=Count("id")).order_by()
    )


# --- The monthly dip-sample audit (issue 17 item 4) --------------------------------------------

def dip_sample_candidates(area_id: int, since, until) -> list[tuple[int, int, object, int]]:
    """The area's screenings made in [since, until), as (id, child id, screened at, screened
    by): the records a month's dip sample is drawn from. One query of ids."""
    return list(Screening.objects.filter(child__area_id=area_id, screened_at__gte=since,
                                         screened_at__lt=until)
                .values_list("id", "child_id", "screened_at", "screened_by_id")
                .order_by("id"))


def dip_sample_screening(screening_id: int) -> Screening | None:
    """One screening as the dip-sample auditor reads it (access is the caller's: a live
    dip-sample grant)."""
    return (Screening.objects.select_related("screened_by", "agency")
            .filter(pk=screening_id).first())
