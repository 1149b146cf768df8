import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import csvsafe


@pytest.mark.parametrize("text", ["=1+1", "+44 7700", "-2", "@SUM(A1)", "\tx", "\rx",
                                  '=HYPERLINK("http://x","y")'])
def test_text_a_spreadsheet_would_run_starts_with_an_apostrophe(text):
    assert csvsafe.cell(text) == "'" + text


def test_numbers_and_ordinary_text_are_unchanged():
    assert csvsafe.cell(-3) == -3
    assert csvsafe.cell("Riverside Academy") == "Riverside Academy"
    assert csvsafe.cell(None) == ""


@given(st.text())
def test_no_text_cell_starts_a_formula(text):
    out = csvsafe.cell(text)
    assert not str(out).startswith(csvsafe.FORMULA_STARTS)
    assert str(out).endswith(text)
