from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import suppression
from lantern.domain.suppression import SECONDARY, SMALL

counts = st.integers(min_value=0, max_value=40)
tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width),
                           min_size=1, max_size=6))


def _lines(table):
    """Every line with a total shown: its figures, the total last."""
    lines = []
    if table.row_totals is not None:
        for row, total in zip(table.cells, table.row_totals, strict=True):
            lines.append([*row, total])
        if table.column_totals is not None:
            lines.append([*table.column_totals, table.total])
    if table.column_totals is not None:
        columns = list(zip(*table.cells, strict=True))
        for column, total in zip(columns, table.column_totals, strict=True):
            lines.append([*column, total])
        if table.row_totals is not None:
            lines.append([*table.row_totals, table.total])
    return lines


def _every_cell(table):
    cells = [c for row in table.cells for c in row]
    cells += list(table.row_totals or ()) + list(table.column_totals or ())
    return cells + ([table.total] if table.total else [])


@given(tables, st.booleans(), st.booleans())
def test_every_count_from_1_to_4_is_hidden(values, row_totals, column_totals):
    table = suppression.suppress(values, row_totals=row_totals, column_totals=column_totals)
    for cell in _every_cell(table):
        if 1 <= cell.value <= 4:
            assert cell.hidden == SMALL
            assert cell.text == "fewer than 5"


@given(tables, st.booleans(), st.booleans())
def test_no_line_with_a_total_has_exactly_one_hidden_figure(values, row_totals, column_totals):
    table = suppression.suppress(values, row_totals=row_totals, column_totals=column_totals)
    for line in _lines(table):
        assert sum(1 for c in line if c.hidden) != 1


@given(tables)
def test_shown_figures_are_the_true_counts(values):
    table = suppression.suppress(values)
    for row, original in zip(table.cells, values, strict=True):
        for cell, value in zip(row, original, strict=True):
            assert cell.value == value
            if cell.shown:
                assert cell.text == str(value)
    assert table.total is not None
    assert table.total.value == sum(map(sum, values))


@given(tables)
def test_nothing_is_hidden_for_those_who_may_see_small_numbers(values):
    table = suppression.shown(values)
    assert not table.any_hidden


@given(st.lists(counts, min_size=1, max_size=12))
def test_a_list_hides_a_second_figure_when_one_alone_would_show_by_subtraction(values):
    table = suppression.suppress_list(values)
    assert table.column_totals is not None
    hidden = [c for row in table.cells for c in row if c.hidden] + (
        [table.column_totals[0]] if table.column_totals[0].hidden else [])
    assert len(hidden) != 1


def test_one_small_count_beside_a_total_hides_the_next_smallest():
    table = suppression.suppress_list([3, 10, 20])
    assert [c.text for row in table.cells for c in row] == ["fewer than 5", "withheld", "20"]
    assert table.cells[1][0].hidden == SECONDARY
    assert table.column_totals is not None
    assert table.column_totals[0].text == "33"


def test_zero_is_shown():
    table = suppression.suppress_list([0, 10, 20])
    assert not table.any_hidden
