from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import ages, monitoring

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


@given(days, days)
def test_a_birth_date_falls_in_the_band_of_its_age(birth, on):
    if birth > on:
        return
    found = monitoring.band_of(birth, on)
    after, up_to = monitoring.birth_dates(found, on)
    assert birth <= up_to
    assert after is None or birth > after


@given(st.integers(min_value=0, max_value=30), days, days)
def test_latest_birth_for_age_agrees_with_age_on(years, birth, on):
    if birth > on:
        return
    latest = monitoring.latest_birth_for_age(years, on)
    assert (ages.age_on(birth, on).years >= years) == (birth <= latest)


def test_bands_follow_the_ages_the_procedures_treat_differently():
    assert [b.label for b in monitoring.AGE_BANDS] == [
        "Under 13", "13 to 15", "16 and 17", "18 and over"]
