from datetime import date

import pytest

from lantern.domain import ages


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
