"""The partnership's monitoring data set (seed 004, "Evaluation and performance"; seed 002 §7,
"Monitoring"), as figures: each a table of counts with small-number suppression applied
(lantern.domain.suppression), drawn as a chart beside its table and written to the CSV.
A fixed number of queries, whatever the amount of data (tests/test_data_set.py counts them).

A filtered view is suppressed against every coarser view (docs/decisions/0015): otherwise the
unfiltered count minus the filtered one would give the count of the children the filter left
out, small or not."""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import combinations

from lantern.domain import dipsample, history, suppression
from lantern.domain.suppression import Table
from lantern.foundation.figures import Slice
from lantern.foundation.trays import kind_label
from lantern.intelligence import queries as intelligence_queries
from lantern.meetings import queries as meetings_queries
from lantern.missing import queries as missing_queries
from lantern.pathway import queries as pathway_queries
from lantern.plans import queries as plans_queries
from lantern.screening import queries as screening_queries

from . import charts, queries

TIMELINESS_COLUMNS = ["Done on time", "Done late", "Open, not yet due", "Open and overdue"]


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    hint: str
    row_header: str
    columns: list[str]
    rows: list[str]
    table: Table
    chart: charts.Chart | None
    # What the figure was made from, before suppression: `figure(**source)` makes it again.
    # The data set is kept counted in this form (lantern.monitoring.snapshots), so whatever
    # figures `build` makes are kept, and suppressed each time they are shown.
    source: dict = field(default_factory=dict, compare=False)
    # How the chart is drawn from the table, so that it is drawn again when the table is
    # suppressed against a coarser view: the column it draws (None: the row totals, if any)
    # and its shorter labels.
    chart_column: int | None = None
    chart_labels: tuple[str, ...] | None = None

    @property
    def lines(self):
        """(row label, cells, row total) for the template."""
        totals = self.table.row_totals or [None] * len(self.rows)
        return list(zip(self.rows, self.table.cells, totals, strict=True))


def figure(key: str, title: str, rows: list[tuple[str, list[int]]], *, columns: list[str],
           row_header: str, hint: str = "", row_totals: bool = False,
           column_totals: bool = True, chart_column: int | None = 0,
           chart_labels: list[str] | None = None) -> Figure:
    """A figure from its rows of counts, suppressed; its chart draws one column (or the row
    totals), labelled by the rows unless `chart_labels` gives shorter words."""
    source = {"key": key, "title": title, "rows": [[str(label), [int(n) for n in counts]]
                                                   for label, counts in rows],
              "columns": [str(c) for c in columns], "row_header": str(row_header),
              "hint": str(hint), "row_totals": row_totals, "column_totals": column_totals,
              "chart_column": chart_column,
              "chart_labels": None if chart_labels is None else [str(c) for c in chart_labels]}
    labels = [label for label, _ in rows]
    values = [list(counts) for _, counts in rows]
    if values:
        table = suppression.suppress(values, row_totals=row_totals, column_totals=column_totals)
    else:
        table = Table(cells=(), row_totals=None, column_totals=None, total=None)
    short = tuple(chart_labels) if chart_labels else None
    return Figure(key=key, title=title, hint=hint, row_header=row_header, columns=columns,
                  rows=labels, table=table, chart=_chart(key, title, labels, table,
                                                         chart_column, short),
                  chart_column=chart_column, chart_labels=short, source=source)


def from_source(source: dict) -> Figure:
    """A figure again from what it was made from (`Figure.source`), suppressed now."""
    return figure(**{**source, "rows": [(label, counts) for label, counts in source["rows"]]})


def _chart(key: str, title: str, labels: list[str], table: Table, column: int | None,
           short: tuple[str, ...] | None) -> charts.Chart | None:
    if table.cells and column is not None:
        return charts.bar_chart(key, title, list(short or labels),
                                [row[column] for row in table.cells])
    if table.cells and table.row_totals is not None:
        return charts.bar_chart(key, title, list(short or labels), list(table.row_totals))
    return None


def _keyed(labels: list[str]) -> list[tuple[str, int]]:
    """Row labels made unique by their occurrence (a label may repeat, e.g. two places)."""
    seen: Counter[str] = Counter()
    out = []
    for label in labels:
        out.append((label, seen[label]))
        seen[label] += 1
    return out


def against(fig: Figure, coarser: list[Figure]) -> Figure:
    """The figure suppressed again against the same figure of coarser views, row by row (a
    row a coarser view has and this one does not counts 0 here; a row only this one has is
    unknown there)."""
    if not fig.table.cells or not coarser:
        return fig
    mine = _keyed(fig.rows)
    extra = [key for base in coarser for key in _keyed(base.rows) if key not in mine]
    extra = list(dict.fromkeys(extra))
    order = mine + extra
    width = len(fig.columns)
    values = [[c.value for c in row] for row in fig.table.cells] + [[0] * width] * len(extra)
    withheld = suppression.Cell(0, suppression.SECONDARY)
    aligned = []
    for base in coarser:
        rows = dict(zip(_keyed(base.rows), base.table.cells, strict=True))
        totals = dict(zip(_keyed(base.rows), base.table.row_totals or (), strict=False))
        aligned.append(Table(
            cells=tuple(rows.get(key, (withheld,) * width) for key in order),
            row_totals=(tuple(totals.get(key, withheld) for key in order)
                        if base.table.row_totals is not None else None),
            column_totals=base.table.column_totals, total=base.table.total))
    table = suppression.suppress(values, row_totals=fig.table.row_totals is not None,
                                 column_totals=fig.table.column_totals is not None,
                                 against=aligned, padding=len(extra))
    n = len(mine)
    table = Table(cells=table.cells[:n],
                  row_totals=table.row_totals[:n] if table.row_totals is not None else None,
                  column_totals=table.column_totals, total=table.total)
    return replace(fig, table=table, chart=_chart(fig.key, fig.title, fig.rows, table,
                                                  fig.chart_column, fig.chart_labels))


MOVEMENT_LABELS = {
    history.FIRST: "Screened for the first time",
    history.UP: "Category of risk went up",
    history.SAME: "Category of risk stayed the same",
    history.DOWN: "Category of risk went down",
}


# The exceptions a manager records to a rule of the procedures (issue 14), in the order of
# the pathway.
EXCEPTION_ROWS = [
    ("meetings", "Required meetings not held"),
    ("chairs", "Meetings chaired by a role the procedure does not name"),
    ("convenors", "Meetings convened by a role the procedure does not name"),
    ("responses", "Children leaving the pathway before a tracked response's decision"),
    ("parents", "Parents of a looked-after child not told (section 20)"),
    ("adults", "Adult safeguarding not told of a young person aged 18 or over"),
]


FILTERS = {  # each filter of a slice, and the slice without it
    "area": lambda s: replace(s, area_id=None),
    "agency": lambda s: replace(s, agency_id=None),
    "sex": lambda s: replace(s, gender=""),
    "ethnicity": lambda s: replace(s, ethnicity=""),
    "age band": lambda s: replace(s, born_after=None, born_by=None),
}


def coarser_views(s: Slice) -> list[Slice]:
    """The slice without one or more of its filters (the same period), fewest filters first:
    every view a reader could subtract this one from."""
    active = [name for name, drop in FILTERS.items() if drop(s) != s]
    views = []
    for n in range(len(active)):
        for kept in combinations(active, n):
            view = s
            for name in active:
                if name not in kept:
                    view = FILTERS[name](view)
            views.append(view)
    return views


def views(s: Slice) -> list[Slice]:
    """The views `build` counts for the slice: every coarser view, then the slice itself."""
    return [*coarser_views(s), s]


def build(s: Slice, *, now: datetime, places: bool) -> list[Figure]:
    """Every figure of the data set for the slice, each suppressed against the same figure of
    every coarser view (docs/decisions/0015). The figures of each view are counted once: a
    slice with k filters counts 2**k views (the query count grows with the filters chosen,
    never with the data)."""
    return shown(s, {view: _build(view, now=now, places=places) for view in views(s)})


def build_view(s: Slice, *, now: datetime, places: bool) -> list[Figure]:
    """The figures of one view, suppressed on its own (not yet against the coarser views):
    what lantern.monitoring.snapshots keeps, before suppression, for each view."""
    return _build(s, now=now, places=places)


def shown(s: Slice, counted: dict[Slice, list[Figure]]) -> list[Figure]:
    """The slice's figures suppressed against the same figures of every coarser view, from
    the figures of each view of `views(s)` suppressed on its own (as `_build` makes them, or
    again from their `Figure.source`: lantern.monitoring.snapshots keeps each view counted)."""
    done: dict[Slice, dict[str, Figure]] = {}
    for view in views(s):
        # Every view here is `s` without some of its filters, so one is coarser than another
        # when its filters are fewer and among the other's.
        bases = [done[v] for v in done if _filters(v) < _filters(view)]
        done[view] = {fig.key: against(fig, [b[fig.key] for b in bases if fig.key in b])
                      for fig in counted[view]}
    return list(done[s].values())


def _filters(s: Slice) -> frozenset[str]:
    return frozenset(name for name, drop in FILTERS.items() if drop(s) != s)


def _build(s: Slice, *, now: datetime, places: bool) -> list[Figure]:
    """Every figure of the data set for the slice, suppressed on its own. `places`
    (analysts): also the places and networks intelligence links children to, never naming a
    person."""
    referrals = pathway_queries.monitoring_referrals(s)
    screenings = screening_queries.monitoring_screenings(s)
    movement: dict[str, int] = dict.fromkeys(MOVEMENT_LABELS, 0)
    for before, after, n in screening_queries.monitoring_movement(s):
        moved = history.movements([after] if before is None else [before, after])[-1]
        movement[moved] += n
    meetings = meetings_queries.monitoring_meetings(s)
    timeliness = queries.timeliness(s, now)
    missing = missing_queries.monitoring_missing(s)
    intelligence = intelligence_queries.monitoring_intelligence(s, places=places)
    disruption = plans_queries.monitoring_disruption(s)
    exceptions = {**pathway_queries.monitoring_exceptions(s),
                  **meetings_queries.monitoring_exceptions(s),
                  "parents": missing_queries.monitoring_parents_exceptions(s)}
    interviews = next((row for row in timeliness if row[0] == "return_interview"),
                      ("return_interview", 0, 0, 0, 0))

    figures = [
        figure("referrals", "Referrals by the agency that made them",
               [(name, [n]) for name, n in referrals["by_agency"]],
               columns=["Referrals"], row_header="Agency"),
        figure("decisions", "Front-door decisions on those referrals",
               [(label, [n]) for label, n in referrals["outcomes"]],
               columns=["Referrals"], row_header="Decision"),
        figure("screenings", "Screenings by tool and category decided",
               [(f"{tool}: {category}", [n]) for _, tool, category, n in screenings],
               columns=["Screenings"], row_header="Tool and category",
               chart_labels=[f"{code.upper()}: {category}"
                             for code, _, category, _ in screenings]),
        figure("movement", "Movement between categories",
               [(label, [movement[code]]) for code, label in MOVEMENT_LABELS.items()],
               columns=["Children"], row_header="Since their screening before the period",
               hint="Each child screened in the period: their category at its end against "
                    "their category before it."),
        figure("meetings", "Meetings held and the children involved",
               [(label, [n, children]) for label, n, children in meetings["by_kind"]],
               columns=["Meetings held", "Children involved"], row_header="Kind of meeting",
               column_totals=False),
        figure("timeliness", "Timeliness against each step's timescale",
               [(kind_label(kind), [a, b, c, d]) for kind, a, b, c, d in timeliness],
               columns=TIMELINESS_COLUMNS, row_header="Step", row_totals=True,
               chart_column=3,
               hint="Work opened in the period, against the deadline the area's policy "
                    "profile set for it. The chart shows the work open and overdue."),
        figure("missing", "Missing episodes and return home interviews",
               [("Missing episodes", [missing["episodes"]]),
                ("Children who went missing", [missing["children"]]),
                ("Episodes where the child is back", [missing["returned"]]),
                ("Return home interviews held", [missing["interviews_held"]]),
                ("Return home interviews offered and declined",
                 [missing["interviews_declined"]]),
                ("Return home interviews on time", [interviews[1]]),
                ("Return home interviews late or overdue", [interviews[2] + interviews[4]])],
               columns=["Number"], row_header="Measure", column_totals=False),
        figure("intelligence", "Places, networks and triggers",
               [("Places linked to children", [intelligence["places"]]),
                ("Hotspots among them", [intelligence["hotspots"]]),
                ("Children linked to a place", [intelligence["children"]]),
                ("Networks recorded as group-based exploitation",
                 [intelligence["group_based"]])]
               + [(label, [n]) for label, n in intelligence["triggers"]],
               columns=["Number"], row_header="Measure", column_totals=False),
        figure("disruption", "Disruption",
               [("Child Abduction Warning Notices served", [disruption["cawns_served"]]),
                ("Breaches of a notice", [disruption["breaches"]]),
                ("Notices breached", [disruption["notices_breached"]])]
               + [(f"Agreed: {label}", [n]) for label, n in disruption["agreed"]],
               columns=["Number"], row_header="Measure", column_totals=False),
        figure("exceptions", "Managers' exceptions to what the procedures require",
               [(label, [exceptions[key]]) for key, label in EXCEPTION_ROWS],
               columns=["Number"], row_header="Exception", column_totals=False,
               hint="Recorded in the period by a manager, with the reasons, about children in "
                    "the data set; each is also on the child's record."),
        # A figure of its own (not words in a hint) so that it is suppressed against the
        # coarser views like every other count.
        figure("meeting_children", "Children involved in any meeting held",
               [("Children involved in any meeting held", [meetings["children"]])],
               columns=["Children"], row_header="Measure", column_totals=False),
        dip_sample_figure(queries.dip_sample_grades(s)),
    ]
    if places:
        figures.append(figure(
            "places", "Premises and public places linked to most children",
            [(label, [n]) for label, n in intelligence["places_listed"]],
            columns=["Children"], row_header="Place", column_totals=False,
            hint="Addresses are not listed: an address may be a child's home."))
        figures.append(figure(
            "networks", "Networks the triggers found, by criterion",
            [(label, [n, children]) for label, n, children in intelligence["networks"]],
            columns=["Triggers", "Children"], row_header="Criterion", column_totals=False))
    return figures


def dip_sample_figure(counted: list[tuple[str, str, int]]) -> Figure:
    """The grades the monthly dip-sample audits gave (seed 001), by area of practice: every
    area and grade of the quality form is a row and column, whether or not it was given, so
    the table's shape says nothing about the data."""
    quality = dipsample.form()
    counts = {(area, grade): n for area, grade, n in counted}
    return figure(
        "dip_sample", "Dip-sample audits: grades by area of practice",
        [(a.label, [counts.get((a.code, g), 0) for g, _ in quality.grades])
         for a in quality.areas],
        columns=[label for _, label in quality.grades], row_header="Area of practice",
        row_totals=True, chart_column=0,
        hint="Audits of screenings and risk assessments completed in the period, each area "
             "graded by an auditor who did not make the record. The chart shows the areas "
             "graded good.")
COMPLETENESS_COLUMNS = [
    "Children", "Ethnicity recorded", "NHS number recorded", "Date of birth recorded",
    "Nationality recorded", "Gender recorded", "Disability recorded",
    "Ethnicity not known, reason given", "Nationality not known, reason given",
    "Gender not known, reason given", "Disability not known, reason given"]


def completeness(area_id: int | None) -> Figure:
    rows = [(name or "Agency not recorded", list(counts))
            for name, *counts in queries.completeness(area_id)]
    return figure("completeness", "Children's records: what is recorded, by agency", rows,
                  columns=COMPLETENESS_COLUMNS,
                  row_header="Agency that added the record", chart_column=None)


SUBJECT_COMPLETENESS_COLUMNS = [
    "People", "Sex recorded", "Ethnicity recorded", "Nationality recorded",
    "Disability recorded", "Sex not known, reason given", "Ethnicity not known, reason given",
    "Nationality not known, reason given", "Disability not known, reason given"]


def subject_completeness(area_id: int | None) -> Figure:
    """What is recorded about the people intelligence names (issue 16 item 5), by area."""
    rows = [(name, list(counts))
            for name, *counts in intelligence_queries.monitoring_subject_completeness(area_id)]
    return figure("subject_completeness",
                  "People named in intelligence: what is recorded, by area", rows,
                  columns=SUBJECT_COMPLETENESS_COLUMNS, row_header="Area",
                  chart_column=None)


def csv_rows(figures: list[Figure]) -> list[list[object]]:
    """The figures as one long table: figure, row, column, value as shown on the page."""
    out: list[list[object]] = [["Figure", "Row", "Column", "Value"]]
    for fig in figures:
        for label, cells, total in fig.lines:
            for column, cell in zip(fig.columns, cells, strict=True):
                out.append([fig.title, label, column, cell.text])
            if total is not None:
                out.append([fig.title, label, "Total", total.text])
        if fig.table.column_totals is not None:
            for column, cell in zip(fig.columns, fig.table.column_totals, strict=True):
                out.append([fig.title, "Total", column, cell.text])
    return out
