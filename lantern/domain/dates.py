"""Deadline arithmetic for statutory timescales: working days, calendar days and hours, in
Europe/London local time, with the bank holidays of each UK nation. No Django here.

How the seeds' wording is read (SPEC §4; the issue note repeats it):
- "within N working days" of an event: day 1 is the first working day *after* the event's local
  date, whatever the time of day; the deadline is the end of the Nth working day. Working days
  skip Saturdays, Sundays and the bank holidays of the nation (England, Wales, Scotland,
  Northern Ireland), substitute days included.
- "within N days": calendar days; the deadline is the end of the local date N days after the
  event's local date, and is not moved off a weekend or bank holiday.
- "within N hours": N elapsed hours after the event, to the minute (across a change of the
  clocks this is N real hours, so the wall-clock time shifts by an hour).
- "without delay": due at the moment of the event.

The `holidays` package gives "GB" only the holidays common to all four nations (no Easter Monday,
no summer bank holiday), so the subdivision is always passed.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")

NATIONS = {
    "ENG": "England",
    "WLS": "Wales",
    "SCT": "Scotland",
    "NIR": "Northern Ireland",
}


class UnknownNation(ValueError):
    pass


def _check_nation(nation: str) -> None:
    if nation not in NATIONS:
        raise UnknownNation(f"unknown nation {nation!r}: expected one of {sorted(NATIONS)}")


@lru_cache(maxsize=64)
def _holidays_in(nation: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year))


def is_bank_holiday(day: date, nation: str) -> bool:
    _check_nation(nation)
    return day in _holidays_in(nation, day.year)


def is_working_day(day: date, nation: str) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day, nation)


def local(moment: datetime) -> datetime:
    """An aware datetime in London local time. A naive one is taken to be London local time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LONDON)
    return moment.astimezone(LONDON)


def local_date(moment: datetime) -> date:
    return local(moment).date()


def end_of_day(day: date) -> datetime:
    """The last moment of a local date: a day-based deadline is met any time that day."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def add_working_days(event: datetime, days: int, nation: str) -> date:
    """The date of the `days`th working day after the event's local date (day 1 is the first
    working day after it)."""
    if days < 1:
        raise ValueError("a working-day timescale counts at least one day")
    _check_nation(nation)
    day = local_date(event)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            counted += 1
    return day


def add_calendar_days(event: datetime, days: int) -> date:
    """The local date `days` days after the event's local date, weekend or not."""
    if days < 1:
        raise ValueError("a calendar-day timescale counts at least one day")
    return local_date(event) + timedelta(days=days)


def add_hours(event: datetime, hours: int) -> datetime:
    """`hours` elapsed hours after the event, in London local time."""
    if hours < 1:
        raise ValueError("an hour timescale counts at least one hour")
    # Arithmetic on an aware datetime keeps its wall clock; in UTC it counts real hours.
    return (local(event).astimezone(UTC) + timedelta(hours=hours)).astimezone(LONDON)

