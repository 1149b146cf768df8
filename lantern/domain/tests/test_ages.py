from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import ages
from lantern.domain.ages import age_on, certainly_under_18


@pytest.mark.parametrize(
    ("birth", "today", "expected"),
    [
        (date(2012, 3, 15), date(2026, 3, 15), "14 years 0 months"),
        (date(2012, 3, 15), date(2026, 3, 14), "13 years 11 months"),
        (date(2012, 3, 31), date(2026, 4, 30), "14 years 0 months"),
        (date(2025, 11, 1), date(2026, 12, 1), "1 year 1 month"),
    ],
)
def test_age_in_years_and_months(birth, today, expected):
    assert str(ages.age_on(birth, today)) == expected


def test_child_born_on_29_february_turns_18_on_28_february():
    assert ages.turns(date(2008, 2, 29), 18) == date(2026, 2, 28)


def test_estimated_age_gives_the_younger_birth_date():
    birth = ages.estimated_birth_date(14, date(2026, 6, 1))
    assert ages.age_on(birth, date(2026, 6, 1)).years == 14
    assert ages.age_on(birth, date(2026, 5, 31)).years == 13


# --- Who is a child by their date of birth (issue 16) ---------------------------------------



TODAY = date(2026, 11, 30)


def test_a_full_date_of_birth_under_18_years_ago_is_a_child():
    assert certainly_under_18(date_of_birth=date(2008, 12, 1), today=TODAY)
    assert not certainly_under_18(date_of_birth=date(2008, 11, 30), today=TODAY)


def test_a_birth_year_is_a_child_only_when_every_day_of_it_is():
    assert certainly_under_18(date_of_birth=None, birth_year=2009, today=TODAY)
    assert not certainly_under_18(date_of_birth=None, birth_year=2008, today=TODAY)
    assert certainly_under_18(date_of_birth=None, birth_year=2008, birth_month=12, today=TODAY)


@given(st.integers(1990, 2026), st.one_of(st.none(), st.integers(1, 12)))
def test_a_partial_date_is_a_child_only_if_every_date_it_allows_is_under_18(year, month):
    days = [date(year, month or 1, 1) + timedelta(days=n) for n in range(366)]
    allowed = [d for d in days if d.year == year and (month is None or d.month == month)]
    verdict = certainly_under_18(date_of_birth=None, birth_year=year, birth_month=month,
                                 today=TODAY)
    assert verdict == all(age_on(d, TODAY).years < 18 for d in allowed if d <= TODAY)
