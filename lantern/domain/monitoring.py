"""The breakdowns of the partnership's monitoring data set that are rules rather than data
from the database: the age bands and the dates of birth that fall in each. No Django here.

The procedures ask for the data set by age (seed 004, "Evaluation and performance"; seed 002
§7) without naming bands; these follow the ages the procedures treat differently: under 13
(seed 001: never lower than category 2, "Important points"), 13 to 15, 16 and 17, and 18 and
over (the transition to adult services, seed 001 "Young people aged 18 years and over")."""

from dataclasses import dataclass
from datetime import date

from . import ages


@dataclass(frozen=True)
class AgeBand:
    code: str
    label: str
    lowest: int  # years, inclusive
    highest: int | None  # years, inclusive; None for no upper bound


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("under_13", "Under 13", 0, 12),
    AgeBand("13_15", "13 to 15", 13, 15),
    AgeBand("16_17", "16 and 17", 16, 17),
    AgeBand("18_over", "18 and over", 18, None),
)


def band(code: str) -> AgeBand:
    for candidate in AGE_BANDS:
        if candidate.code == code:
            return candidate
    raise LookupError(f"No age band {code!r}")


def latest_birth_for_age(years: int, on: date) -> date:
    """The latest date of birth of someone at least `years` old on `on` (ages.age_on)."""
    return ages.add_years(on, -years)


def birth_dates(age_band: AgeBand, on: date) -> tuple[date | None, date]:
    """The dates of birth of the children in the band on `on`: (after, up to and including).
    `after` is None for the band with no upper age."""
    latest = latest_birth_for_age(age_band.lowest, on)
    if age_band.highest is None:
        return None, latest
    return latest_birth_for_age(age_band.highest + 1, on), latest


def band_of(birth: date, on: date) -> AgeBand:
    years = ages.age_on(birth, on).years
    for candidate in AGE_BANDS:
        if years >= candidate.lowest and (candidate.highest is None
                                          or years <= candidate.highest):
            return candidate
    raise AssertionError("the bands cover every age")  # pragma: no cover


