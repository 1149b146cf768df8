"""Small-number suppression for figures shown to people who may not see identities (board
members and auditors): a count from 1 to 4 could identify a child, so it is shown as "fewer
than 5"; and where a total is shown, a single hidden count in a row or column could be worked
out by subtraction, so a second count in that line is withheld too (secondary suppression).
Zero is shown: it identifies nobody. No Django here."""

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
SMALL = "small"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Cell:
    value: int
    hidden: str = ""  # "", SMALL or SECONDARY

    @property
    def shown(self) -> bool:
        return not self.hidden

    @property
    def text(self) -> str:
        if self.hidden == SMALL:
            return "fewer than 5"
        if self.hidden == SECONDARY:
            return "withheld"
        return str(self.value)

    @property
    def shown_value(self) -> int | None:
        """The count when it may be shown (for charts and downloads), else None."""
        return None if self.hidden else self.value


@dataclass(frozen=True)
class Table:
    """A table of counts as it may be shown: its cells, and the row and column totals when the
    table has them (the grand total when it has both)."""

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...] | None
    column_totals: tuple[Cell, ...] | None
    total: Cell | None

    @property
    def any_hidden(self) -> bool:
        every = [c for row in self.cells for c in row]
        every += list(self.row_totals or ()) + list(self.column_totals or ())
        every += [self.total] if self.total else []
        return any(c.hidden for c in every)


def is_small(value: int, threshold: int = THRESHOLD) -> bool:
    return 0 < value < threshold


def shown(values: Sequence[Sequence[int]], *, row_totals: bool = True,
          column_totals: bool = True) -> Table:
    """The table as it is, nothing hidden (for analysts, who may see small numbers)."""
    return suppress(values, row_totals=row_totals, column_totals=column_totals, threshold=1)


def suppress(values: Sequence[Sequence[int]], *, row_totals: bool = True,
             column_totals: bool = True, threshold: int = THRESHOLD) -> Table:
    """Hide each count from 1 to threshold - 1, then keep hiding until no line that has a
    total shown has exactly one hidden figure (cells and total together): such a figure could
    be recovered from the others. The figure hidden next is the smallest shown non-zero count
    in the line (the least information lost), a zero if there is none, else the line's total.
    """
    width = len(values[0]) if values else 0
    if any(len(row) != width for row in values):
        raise ValueError("Every row of a table has the same number of counts")
    if any(v < 0 for row in values for v in row):
        raise ValueError("Counts are never negative")
    height = len(values)
    # The grid, with the row totals as an extra column and the column totals as an extra row,
    # so that each equation (a line summing to its total) is one list of positions.
    grid: dict[tuple[int, int], int] = {}
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            grid[i, j] = v
    if row_totals:
        for i, row in enumerate(values):
            grid[i, width] = sum(row)
    if column_totals:
        for j in range(width):
            grid[height, j] = sum(values[i][j] for i in range(height))
    if row_totals and column_totals:
        grid[height, width] = sum(sum(row) for row in values)
    hidden = {pos: SMALL for pos, v in grid.items() if is_small(v, threshold)}

    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    if row_totals:
        for i in range(height + (1 if column_totals else 0)):
            lines.append(([(i, j) for j in range(width)], (i, width)))
    if column_totals:
        for j in range(width + (1 if row_totals else 0)):
            lines.append(([(i, j) for i in range(height)], (height, j)))

    changed = True
    while changed:
        changed = False
        for members, total in lines:
            line = members + [total]
            if sum(1 for pos in line if pos in hidden) != 1:
                continue
            candidates = [pos for pos in members if pos not in hidden]
            nonzero = [pos for pos in candidates if grid[pos] > 0]
            pick = min(nonzero or candidates, key=lambda pos: (grid[pos], pos), default=total)
            if pick in hidden:  # the total was the one hidden figure, and no cell is left
                continue
            hidden[pick] = SECONDARY
            changed = True

    def cell(pos: tuple[int, int]) -> Cell:
        return Cell(grid[pos], hidden.get(pos, ""))

    cells = tuple(tuple(cell((i, j)) for j in range(width)) for i in range(height))
    return Table(
        cells=cells,
        row_totals=tuple(cell((i, width)) for i in range(height)) if row_totals else None,
        column_totals=(tuple(cell((height, j)) for j in range(width))
                       if column_totals else None),
        total=cell((height, width)) if row_totals and column_totals else None,
    )


def suppress_list(values: Sequence[int], *, threshold: int = THRESHOLD) -> Table:
    """A single list of counts with its total: one column, with a column total (threshold 1
    hides nothing)."""
    return suppress([[v] for v in values], row_totals=False, column_totals=True,
                    threshold=threshold)

