from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import ages, transitions


@pytest.mark.parametrize(("birth", "expected"), [
    (date(2008, 9, 15), date(2026, 3, 15)),
    (date(2008, 8, 31), date(2026, 3, 1)),   # no 31 February: the 1st of March
    (date(2008, 2, 29), date(2025, 8, 29)),
    (date(2008, 12, 31), date(2026, 7, 1)),  # no 31 June
])
def test_seventeen_and_a_half_is_reached_on(birth, expected):
    assert transitions.age_reached_on(birth, transitions.REMINDER_MONTHS) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
       st.integers(min_value=1, max_value=300))
def test_the_day_reached_is_the_first_day_the_age_shown_reaches_it(birth, months):
    day = transitions.age_reached_on(birth, months)
    assert transitions.has_reached(birth, months, day)
    assert not transitions.has_reached(birth, months, day - timedelta(days=1))


def test_describe_months_reads_as_an_age():
    assert transitions.describe_months(210) == "17 years 6 months"
    assert str(ages.age_on(date(2008, 9, 15), date(2026, 3, 15))) == "17 years 6 months"


@pytest.mark.parametrize(("needs", "leaver", "local", "expected"), [
    (False, False, None, 18),
    (True, False, None, 21),
    (False, True, None, 21),  # care leavers to 21 by default (seed 001 Route 21; 002 §6.5.1)
    (False, True, 25, 25),
    (True, True, 19, 21),
    (False, False, 25, 18),  # the care leavers' age applies only to care leavers
])
def test_screening_continues_to(needs, leaver, local, expected):
    assert transitions.screening_continues_to(
        additional_needs=needs, care_leaver=leaver, care_leaver_age=local) == expected
