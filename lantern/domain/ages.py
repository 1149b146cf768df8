"""Ages of children, shown everywhere as years and months. No Django here."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Age:
    years: int
    months: int

    def __str__(self) -> str:
        year_word = "year" if self.years == 1 else "years"
        month_word = "month" if self.months == 1 else "months"
        return f"{self.years} {year_word} {self.months} {month_word}"


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February (the UK reading
    for birthdays in non-leap years is 1 March for some purposes, but an earlier prompt is the
    safer side for a reminder)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth: date, today: date) -> Age:
    if today < birth:
        return Age(0, 0)
    months = (today.year - birth.year) * 12 + (today.month - birth.month)
    if today.day < birth.day:
        months -= 1
    return Age(months // 12, months % 12)


def turns(birth: date, years: int) -> date:
    return add_years(birth, years)


def estimated_birth_date(estimated_age_years: int, estimated_on: date) -> date:
    """A notional date of birth for a child whose age is only estimated: as if they had just
    turned that age on the day of the estimate. This is the younger reading, which keeps the
    protections that depend on age (under 13, under 18) for longest."""
    return add_years(estimated_on, -estimated_age_years)


def certainly_under_18(*, date_of_birth: date | None, birth_year: int | None = None,
                       birth_month: int | None = None, today: date) -> bool:
    """Whether what is known of someone's birth makes them a child today: a full date of
    birth, or a year (and month) whose earliest day is less than 18 years ago. Used so that
    a person named in intelligence as exploiting others is treated as a child whatever the
    tick-box says (issue 16)."""
    if date_of_birth is not None:
        return age_on(date_of_birth, today).years < 18
    if birth_year is None:
        return False
    earliest = date(birth_year, birth_month or 1, 1)
    return add_years(earliest, 18) > today
