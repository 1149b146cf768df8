"""Suppression across filters (issue 17): a reader who opens a filtered view of the data set and
the unfiltered one may subtract the one from the other, and combine that with every line total
either shows. These tests play that reader: the hidden figures of both views are unknowns, every
line of either table is an equation, and a count from 1 to 4 (in either view, or the difference
between them) must not be determined by those equations (exact linear algebra over fractions)."""

from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from lantern.domain import suppression
from lantern.domain.suppression import Table

Pos = tuple[int, int]
Key = tuple[int, Pos]


def _positions(table: Table) -> dict[Pos, suppression.Cell]:
    height, width = len(table.cells), len(table.cells[0])
    grid = {(i, j): cell for i, row in enumerate(table.cells) for j, cell in enumerate(row)}
    for i, cell in enumerate(table.row_totals or ()):
        grid[i, width] = cell
    for j, cell in enumerate(table.column_totals or ()):
        grid[height, j] = cell
    if table.total is not None:
        grid[height, width] = table.total
    return grid


def _lines(table: Table) -> list[list[Pos]]:
    """Each line with a total shown, as positions (its cells, then its total)."""
    height, width = len(table.cells), len(table.cells[0])
    rows, columns = table.row_totals is not None, table.column_totals is not None
    lines = []
    if rows:
        for i in range(height + (1 if columns else 0)):
            lines.append([(i, j) for j in range(width)] + [(i, width)])
    if columns:
        for j in range(width + (1 if rows else 0)):
            lines.append([(i, j) for i in range(height)] + [(height, j)])
    return lines


def _in_span(equations: list[dict[Key, int]], target: dict[Key, int]) -> bool:
    """Whether `target` (unknown -> coefficient) is a combination of the equations: then the
    reader can work out its value exactly."""
    basis: list[tuple[Key, dict[Key, Fraction]]] = []  # (pivot, row) in echelon form
    for equation in equations:
        row = {k: Fraction(v) for k, v in equation.items() if v}
        for pivot, b in basis:
            if pivot in row:
                factor = row[pivot] / b[pivot]
                for k, v in b.items():
                    row[k] = row.get(k, Fraction(0)) - factor * v
                row = {k: v for k, v in row.items() if v}
        if row:
            basis.append((next(iter(row)), row))
    t = {k: Fraction(v) for k, v in target.items() if v}
    for pivot, b in basis:
        if pivot in t:
            factor = t[pivot] / b[pivot]
            for k, v in b.items():
                t[k] = t.get(k, Fraction(0)) - factor * v
            t = {k: v for k, v in t.items() if v}
    return not t


def revealed(views: list[Table], nested: list[tuple[int, int]]) -> list[str]:
    """The counts from 1 to 4 a reader of all of `views` can work out exactly: a count of one
    view, or, for each (coarser, finer) pair in `nested`, the difference between them."""
    grids = [_positions(t) for t in views]
    equations = []
    for k, (table, grid) in enumerate(zip(views, grids, strict=True)):
        for line in _lines(table):
            *members, total = line
            eq: dict[Key, int] = {}
            for pos in members:
                if grid[pos].hidden:
                    eq[k, pos] = eq.get((k, pos), 0) + 1
            if grid[total].hidden:
                eq[k, total] = eq.get((k, total), 0) - 1
            if eq:
                equations.append(eq)

    def unknown(k: int, pos: Pos) -> dict[Key, int]:
        return {(k, pos): 1} if grids[k][pos].hidden else {}

    found = []
    for k, grid in enumerate(grids):
        for pos, cell in grid.items():
            if suppression.is_small(cell.value) and _in_span(equations, unknown(k, pos)):
                found.append(f"view {k} at {pos}: {cell.value}")
    for coarse, fine in nested:
        for pos, cell in grids[coarse].items():
            difference = cell.value - grids[fine][pos].value
            target = unknown(coarse, pos)
            for key, v in unknown(fine, pos).items():
                target[key] = target.get(key, 0) - v
            if suppression.is_small(difference) and _in_span(equations, target):
                found.append(f"view {coarse} minus view {fine} at {pos}: {difference}")
    return found


def _part_of(values: list[list[int]], draw) -> list[list[int]]:
    """A filtered table: each count at most the unfiltered one."""
    return [[draw(st.integers(min_value=0, max_value=v)) for v in row] for row in values]


counts = st.integers(min_value=0, max_value=14)
tables = st.integers(min_value=1, max_value=3).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width),
                           min_size=1, max_size=4))


# More examples than hypothesis's default: the leaks the line rule alone missed took a few
# hundred tables to find.
@settings(max_examples=500, deadline=None)
@given(tables, st.booleans(), st.booleans(), st.data())
def test_a_filtered_view_and_the_unfiltered_view_reveal_no_count_from_1_to_4(
        values, row_totals, column_totals, data):
    shape = {"row_totals": row_totals, "column_totals": column_totals}
    unfiltered = suppression.suppress(values, **shape)
    filtered = suppression.suppress(_part_of(values, data.draw), **shape, against=[unfiltered])
    assert revealed([unfiltered, filtered], nested=[(0, 1)]) == []


@given(tables, st.booleans(), st.booleans(), st.data())
def test_a_view_with_two_filters_reveals_nothing_beside_either_coarser_view(
        values, row_totals, column_totals, data):
    """E.g. the whole partnership, one area, and one area's girls: each pair is safe."""
    shape = {"row_totals": row_totals, "column_totals": column_totals}
    whole = suppression.suppress(values, **shape)
    area_values = _part_of(values, data.draw)
    area = suppression.suppress(area_values, **shape, against=[whole])
    girls = suppression.suppress(_part_of(area_values, data.draw), **shape,
                                 against=[whole, area])
    assert revealed([whole, girls], nested=[(0, 1)]) == []
    assert revealed([area, girls], nested=[(0, 1)]) == []


@settings(max_examples=500, deadline=None)
@given(tables, st.booleans(), st.booleans())
# No line has exactly one hidden figure here, yet the bottom row and the columns together give
# the 3 away (hypothesis found it): the audit withholds one more figure.
@example([[1, 0, 0], [1, 0, 0], [3, 1, 1]], True, True)
def test_a_view_on_its_own_reveals_no_count_from_1_to_4(values, row_totals, column_totals):
    table = suppression.suppress(values, row_totals=row_totals, column_totals=column_totals)
    assert revealed([table], nested=[]) == []


def test_the_reader_in_these_tests_does_find_a_difference_left_unsuppressed():
    """The check can fail: 12 referrals in all, 10 of them girls, shown side by side without
    suppression against each other, give away the 2 boys."""
    unfiltered = suppression.suppress_list([12])
    filtered = suppression.suppress_list([10])
    assert revealed([unfiltered, filtered], nested=[(0, 1)]) != []
    safe = suppression.suppress([[10]], row_totals=False, against=[unfiltered])
    assert revealed([unfiltered, safe], nested=[(0, 1)]) == []
    assert safe.cells[0][0].text == "withheld"


def test_a_row_only_the_coarser_view_has_is_never_withheld():
    """The last `padding` rows are the coarser view's rows this view does not list: they are
    zero here, which the reader knows from their absence."""
    unfiltered = suppression.suppress_list([6, 1])
    filtered = suppression.suppress_list([6, 0])
    safe = suppression.suppress([[6], [0]], row_totals=False, against=[unfiltered], padding=1)
    assert not safe.cells[1][0].hidden
    assert safe.cells[0][0].hidden and safe.column_totals is not None
    assert safe.column_totals[0].hidden
    assert revealed([unfiltered, filtered], nested=[(0, 1)]) != []
    assert revealed([unfiltered, safe], nested=[(0, 1)]) == []
