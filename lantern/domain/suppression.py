"""Small-number suppression for figures shown to people who may not see identities (board
members and auditors): a count from 1 to 4 could identify a child, so it is shown as "fewer
than 5"; and where a total is shown, a single hidden count in a row or column could be worked
out by subtraction, so a second count in that line is withheld too (secondary suppression).
Zero is shown: it identifies nobody.

A filtered table (the data set for one agency, age band, sex, ethnicity or area) is also
suppressed against the same table of every coarser view the same person can open (`against`):
the coarser count minus the filtered one is the count of the children the filter left out, so
a filtered count is withheld where that difference would be from 1 to 4, and secondary
suppression runs over the differences' lines as well as the table's own. No Django here."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

THRESHOLD = 5
Pos = tuple[int, int]  # (row, column) of a table laid out with its totals
Unknown = tuple[int, Pos]  # (0 for this table, or 1 + the coarser table's index; position)
Equations = list[dict[Unknown, int]]
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
             column_totals: bool = True, threshold: int = THRESHOLD,
             against: Sequence[Table] = (), padding: int = 0) -> Table:
    """Hide each count from 1 to threshold - 1, then keep hiding until no line that has a
    total shown has exactly one hidden figure (cells and total together): such a figure could
    be recovered from the others. The figure hidden next is the smallest shown non-zero count
    in the line (the least information lost), a zero if there is none, else the line's total.

    `against`: the same table, as shown, for coarser views of the same children (each the
    same shape, the same rows in the same order). Where a coarser table shows a count and the
    count here would leave a difference from 1 to 4, the count here is withheld; and no line of
    differences may have exactly one figure that is not known (hidden here or there).
    `padding`: the last rows are rows of the coarser tables that this table does not show
    (their counts are 0 here, which the reader can tell from their absence), so they are
    never withheld.
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
    fixed = {pos for pos in grid if pos[0] >= height - padding and pos[0] < height}
    bases = [_grid(base, height, width, row_totals, column_totals) for base in against]
    for base in bases:
        for pos, v in grid.items():
            if (pos not in hidden and pos not in fixed and not base[pos].hidden
                    and is_small(base[pos].value - v, threshold)):
                hidden[pos] = SECONDARY

    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    if row_totals:
        for i in range(height + (1 if column_totals else 0)):
            lines.append(([(i, j) for j in range(width)], (i, width)))
    if column_totals:
        for j in range(width + (1 if row_totals else 0)):
            lines.append(([(i, j) for i in range(height)], (height, j)))

    def unknown_here(pos: tuple[int, int]) -> bool:
        return pos in hidden

    def pick_in(members: list[Pos], total: Pos, unknown: Callable[[Pos], bool]) -> bool:
        """Withhold one more figure of a line that has exactly one unknown; False if none is
        left to withhold (the total was the one unknown, and every cell is known anyway)."""
        candidates = [pos for pos in members if not unknown(pos) and pos not in fixed]
        nonzero = [pos for pos in candidates if grid[pos] > 0]
        pick = min(nonzero or candidates, key=lambda pos: (grid[pos], pos), default=total)
        if unknown(pick):
            return False
        hidden[pick] = SECONDARY
        return True

    changed = True
    while changed:
        changed = False
        for members, total in lines:
            # The line of differences from each coarser table: a difference is unknown where
            # either table hides its figure.
            for unknown in [unknown_here] + [
                    (lambda pos, base=base: pos in hidden or base[pos].hidden)
                    for base in bases]:
                if sum(1 for pos in members + [total] if unknown(pos)) == 1:
                    changed = pick_in(members, total, unknown) or changed

    # The lines alone are not enough: equations from several lines together can still give a
    # hidden count away (a reader solving them all at once). So the table is then audited as
    # that reader would, exactly, alone and beside each coarser table, and one more figure is
    # withheld until no count from 1 to 4 (here, there, or between them) can be worked out.
    line_positions = [members + [total] for members, total in lines]
    while True:
        leak = _first_leak(grid, hidden, bases, line_positions, threshold=threshold)
        if leak is None:
            break
        system, target = leak
        candidates = sorted((pos for pos in grid if pos not in hidden and pos not in fixed),
                            key=lambda pos: (grid[pos] == 0, grid[pos], pos))
        if not candidates:
            break
        for pos in candidates:  # the smallest figure whose withholding alone is enough
            hidden[pos] = SECONDARY
            if not _determined(system(), target):
                break
            del hidden[pos]
        else:
            hidden[candidates[0]] = SECONDARY

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


def _equations(lines: list[list[Pos]], unknown: Callable[[Pos], bool],
               table: int) -> Equations:
    """Each line of a table as an equation over its hidden figures (its shown figures are
    constants, which do not change what can be worked out)."""
    out = []
    for line in lines:
        *members, total = line
        eq: dict[Unknown, int] = {(table, pos): 1 for pos in members if unknown(pos)}
        if unknown(total):
            eq[table, total] = -1
        if eq:
            out.append(eq)
    return out


def _determined(equations: list[dict[Unknown, int]], target: dict[Unknown, int]) -> bool:
    """Whether the reader can work out `target` (a sum of hidden figures) from the equations:
    whether it is a combination of them (Gaussian elimination over fractions)."""
    basis: list[tuple[Unknown, dict[Unknown, Fraction]]] = []

    def reduce(row: dict[Unknown, Fraction]) -> dict[Unknown, Fraction]:
        for pivot, b in basis:
            if pivot in row:
                factor = row[pivot] / b[pivot]
                for k, v in b.items():
                    row[k] = row.get(k, Fraction(0)) - factor * v
                row = {k: v for k, v in row.items() if v}
        return row

    for equation in equations:
        row = reduce({k: Fraction(v) for k, v in equation.items()})
        if row:
            basis.append((min(row), row))
    return not reduce({k: Fraction(v) for k, v in target.items() if v})


def _first_leak(grid: dict[Pos, int], hidden: dict[Pos, str], bases: list[dict[Pos, Cell]],
                lines: list[list[Pos]], *,
                threshold: int) -> tuple[Callable[[], Equations], dict[Unknown, int]] | None:
    """The first count from 1 to 4 a reader can work out, of this table alone or of this
    table beside one coarser table (this table's count, the coarser one's, or the difference),
    as (a function giving the equations, the target); None when there is none. A leak of the
    coarser table on its own is not this table's to mend."""

    def mine() -> list[dict[Unknown, int]]:
        return _equations(lines, lambda pos: pos in hidden, 0)

    for pos, v in grid.items():
        if is_small(v, threshold) and _determined(mine(), {(0, pos): 1}):
            return mine, {(0, pos): 1}
    for n, base in enumerate(bases, start=1):
        hidden_there = {pos for pos, cell in base.items() if cell.hidden}
        theirs = _equations(lines, hidden_there.__contains__, n)

        def both(theirs: list[dict[Unknown, int]] = theirs) -> list[dict[Unknown, int]]:
            return mine() + theirs

        for pos, v in grid.items():
            targets: list[dict[Unknown, int]] = []
            if base[pos].hidden and is_small(base[pos].value, threshold):
                targets.append({(n, pos): 1})
            if is_small(base[pos].value - v, threshold):
                target: dict[Unknown, int] = {}
                if base[pos].hidden:
                    target[n, pos] = 1
                if pos in hidden:
                    target[0, pos] = -1
                targets.append(target)
            for target in targets:
                if _determined(both(), target) and not (
                        target and all(k[0] == n for k in target)
                        and _determined(theirs, target)):
                    return both, target
    return None


def _grid(table: Table, height: int, width: int, row_totals: bool,
          column_totals: bool) -> dict[tuple[int, int], Cell]:
    """A coarser table's figures by position, laid out as `suppress` lays out its grid."""
    if (len(table.cells) != height or any(len(row) != width for row in table.cells)
            or (table.row_totals is None) == row_totals
            or (table.column_totals is None) == column_totals):
        raise ValueError("A table is suppressed only against tables of the same shape")
    grid: dict[tuple[int, int], Cell] = {}
    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            grid[i, j] = cell
    for i, cell in enumerate(table.row_totals or ()):
        grid[i, width] = cell
    for j, cell in enumerate(table.column_totals or ()):
        grid[height, j] = cell
    if table.total is not None:
        grid[height, width] = table.total
    return grid


def suppress_list(values: Sequence[int], *, threshold: int = THRESHOLD) -> Table:
    """A single list of counts with its total: one column, with a column total (threshold 1
    hides nothing)."""
    return suppress([[v] for v in values], row_totals=False, column_totals=True,
                    threshold=threshold)

