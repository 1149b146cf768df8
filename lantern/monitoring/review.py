"""The six-monthly review's figures (seed 004, "Evaluation and review"): the data set for the
review's period beside the previous period of the same length, with the change between them.
Both periods are suppressed as the board sees them, and a change is given only where both
figures are shown: a hidden count is "not shown", never worked out from the others. Only
aggregates are counted (no places, no names), so the review can go to the whole board.
The comparison is plain JSON so that issuing the review can freeze it as it was."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lantern.domain.suppression import Cell
from lantern.foundation.figures import Slice

from . import dataset

NOT_SHOWN = "not shown"


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same number of days that ends the day before `start`."""
    days = (end - start).days
    before_end = start - timedelta(days=1)
    return before_end - timedelta(days=days), before_end


def period_slice(area_id: int | None, start: date, end: date) -> Slice:
    tz = timezone.get_current_timezone()
    return Slice(since=datetime.combine(start, time.min, tzinfo=tz),
                 until=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
                 area_id=area_id)


def _cells(fig: dataset.Figure) -> dict[tuple[str, str], Cell]:
    """Every count of a figure as shown, keyed by (row, column), totals included."""
    out: dict[tuple[str, str], Cell] = {}
    for label, cells, total in fig.lines:
        for column, cell in zip(fig.columns, cells, strict=True):
            out[label, column] = cell
        if total is not None:
            out[label, "Total"] = total
    if fig.table.column_totals is not None:
        for column, cell in zip(fig.columns, fig.table.column_totals, strict=True):
            out["Total", column] = cell
        if fig.table.total is not None:
            out["Total", "Total"] = fig.table.total
    return out


def change(now: Cell | None, before: Cell | None) -> str:
    """The change from the previous period, only between figures both shown. A row the other
    period does not have counted nothing there, which is shown as 0."""
    now_value = 0 if now is None else now.shown_value
    before_value = 0 if before is None else before.shown_value
    if now_value is None or before_value is None:
        return NOT_SHOWN
    difference = now_value - before_value
    if difference == 0:
        return "no change"
    return f"{difference:+d}"


def _text(cell: Cell | None) -> str:
    return "0" if cell is None else cell.text


def compare(current: list[dataset.Figure], previous: list[dataset.Figure]) -> list[dict]:
    """Each figure with, for every count, its text this period and last and the change."""
    before_by_key = {fig.key: fig for fig in previous}
    out = []
    for fig in current:
        now_cells = _cells(fig)
        before = before_by_key.get(fig.key)
        before_cells = _cells(before) if before is not None else {}
        keys = list(now_cells) + [k for k in before_cells if k not in now_cells]
        out.append({
            "key": fig.key, "title": fig.title, "hint": fig.hint,
            "row_header": fig.row_header,
            "lines": [{"row": row, "column": column,
                       "now": _text(now_cells.get((row, column))),
                       "before": _text(before_cells.get((row, column))),
                       "change": change(now_cells.get((row, column)),
                                        before_cells.get((row, column)))}
                      for row, column in keys],
        })
    return out


def figures(area_id: int | None, start: date, end: date, *, now: datetime) -> dict:
    """The review's figures, ready to show or to freeze."""
    before_start, before_end = previous_period(start, end)
    current = dataset.build(period_slice(area_id, start, end), now=now, places=False)
    previous = dataset.build(period_slice(area_id, before_start, before_end), now=now,
                             places=False)
    return {
        "period": [start.isoformat(), end.isoformat()],
        "previous_period": [before_start.isoformat(), before_end.isoformat()],
        "counted_at": now.isoformat(),
        "figures": compare(current, previous),
    }
