"""Working days, calendar days and hours across weekends, Christmas and Easter in each UK
nation, in Europe/London local time."""

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest

from lantern.domain import dates

NATIONS = ["ENG", "WLS", "SCT", "NIR"]


def at(text: str) -> datetime:
    return dates.local(datetime.fromisoformat(text))


@pytest.mark.parametrize("nation", NATIONS)
def test_christmas_and_boxing_day_are_skipped_in_every_nation(nation):
    # Friday 20 December 2024: Mon 23 (1), Tue 24 (2), Christmas and Boxing Day skipped,
    # Fri 27 (3), Mon 30 (4), Tue 31 (5).
    assert dates.add_working_days(at("2024-12-20T10:00"), 5, nation) == date(2024, 12, 31)


@pytest.mark.parametrize(("nation", "expected"), [
    ("ENG", date(2025, 1, 3)), ("WLS", date(2025, 1, 3)), ("NIR", date(2025, 1, 3)),
    # Scotland also has 2 January.
    ("SCT", date(2025, 1, 6)),
])
def test_new_year_differs_in_scotland(nation, expected):
    assert dates.add_working_days(at("2024-12-31T09:00"), 2, nation) == expected


def test_christmas_on_a_weekend_moves_to_substitute_days():
    # 2021: Christmas Day and Boxing Day fell on Saturday and Sunday; 27 and 28 December
    # were the bank holidays.
    assert dates.add_working_days(at("2021-12-24T12:00"), 1, "ENG") == date(2021, 12, 29)


@pytest.mark.parametrize(("nation", "expected"), [
    # Thursday 17 April 2025: Good Friday 18 and Easter Monday 21 are skipped.
    ("ENG", date(2025, 4, 23)), ("WLS", date(2025, 4, 23)), ("NIR", date(2025, 4, 23)),
    # Scotland has Good Friday but not Easter Monday.
    ("SCT", date(2025, 4, 22)),
])
def test_easter_in_each_nation(nation, expected):
    assert dates.add_working_days(at("2025-04-17T16:00"), 2, nation) == expected


def test_the_gb_calendar_alone_would_miss_easter_monday():
    # Why the nation is always passed: "GB" holds only what all four nations share.
    assert date(2025, 4, 21) not in holidays.country_holidays("GB", years=2025)
    assert dates.is_bank_holiday(date(2025, 4, 21), "ENG")
    assert dates.is_bank_holiday(date(2025, 8, 25), "WLS")


def test_saint_patricks_day_is_a_working_day_only_outside_northern_ireland():
    assert dates.add_working_days(at("2025-03-14T10:00"), 1, "NIR") == date(2025, 3, 18)
    assert dates.add_working_days(at("2025-03-14T10:00"), 1, "ENG") == date(2025, 3, 17)


def test_a_weekend_is_skipped():
    assert dates.add_working_days(at("2024-06-07T15:00"), 1, "ENG") == date(2024, 6, 10)


def test_day_one_is_the_first_working_day_after_an_event_at_the_weekend():
    assert dates.add_working_days(at("2024-06-08T11:00"), 1, "ENG") == date(2024, 6, 10)
    assert dates.add_working_days(at("2024-06-09T11:00"), 1, "ENG") == date(2024, 6, 10)


def test_an_event_logged_at_2359_counts_from_that_day():
    assert dates.add_working_days(at("2024-06-06T23:59"), 1, "ENG") == date(2024, 6, 7)
    assert dates.add_calendar_days(at("2024-06-06T23:59"), 10) == date(2024, 6, 16)


def test_the_local_date_decides_not_the_utc_date():
    # 23:30 UTC on Thursday 6 June 2024 is 00:30 on Friday in London (summer time).
    event = datetime(2024, 6, 6, 23, 30, tzinfo=UTC)
    assert dates.local_date(event) == date(2024, 6, 7)
    assert dates.add_working_days(event, 1, "ENG") == date(2024, 6, 10)


def test_calendar_days_are_not_moved_off_weekends_or_bank_holidays():
    assert dates.add_calendar_days(at("2024-06-07T10:00"), 1) == date(2024, 6, 8)  # Saturday
    assert dates.add_calendar_days(at("2024-12-23T10:00"), 2) == date(2024, 12, 25)
    assert dates.add_calendar_days(at("2024-12-20T10:00"), 10) == date(2024, 12, 30)


def test_hours_are_counted_to_the_minute_and_land_on_any_day():
    due = dates.add_hours(at("2024-12-24T23:59"), 24)
    assert due.isoformat() == "2024-12-25T23:59:00+00:00"


def test_hours_are_real_hours_across_a_change_of_the_clocks():
    # The clocks went forward at 01:00 GMT on Sunday 31 March 2024.
    due = dates.add_hours(at("2024-03-30T10:00"), 24)
    # (subtracting in UTC: Python subtracts same-zone datetimes by their wall clocks)
    elapsed = due.astimezone(UTC) - at("2024-03-30T10:00").astimezone(UTC)
    assert elapsed == timedelta(hours=24)
    assert due.isoformat() == "2024-03-31T11:00:00+01:00"


def test_a_naive_time_is_london_local_time():
    assert dates.local(datetime.fromisoformat("2024-07-01T09:00")).utcoffset() == timedelta(
        hours=1)
    assert dates.local(datetime.fromisoformat("2024-01-01T09:00")).utcoffset() == timedelta(0)


def test_the_end_of_a_day_is_its_last_local_second():
    assert dates.end_of_day(date(2024, 7, 1)).isoformat() == "2024-07-01T23:59:59+01:00"


def test_an_unknown_nation_is_refused():
    with pytest.raises(dates.UnknownNation):
        dates.add_working_days(at("2024-06-07T10:00"), 1, "GB")

