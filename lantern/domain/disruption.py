"""The disruption priority score of a subject: every factor, its value, weight and points
shown, weights set per area (seed 003 §13, Operation Topaz). No Django.

Defaults and the meaning of each factor are in data/disruption.toml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from . import intelligence_files

GRADE_VALUES = {"A": 4, "B": 3, "C": 2, "D": 1, "E": 0}


@dataclass(frozen=True)
class Factor:
    code: str
    label: str
    explain: str
    weight: float
    cap: int | None


@cache
def default_factors() -> tuple[Factor, ...]:
    data = intelligence_files.disruption()
    return tuple(
        Factor(code=code, label=spec.label, explain=spec.explain, weight=spec.weight,
               cap=spec.cap)
        for code, spec in data.factors.items()
    )


def factors_for(local_settings: Mapping[str, Any] | None) -> tuple[Factor, ...]:
    """The defaults with the area's own weights applied (unknown names are refused, so a typo
    in an area's settings cannot silently leave a default in force)."""
    overrides = dict((local_settings or {}).get("disruption_weights", {}) or {})
    known = {f.code for f in default_factors()}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"unknown disruption factors in area settings: {sorted(unknown)}")
    return tuple(
        Factor(f.code, f.label, f.explain, float(overrides.get(f.code, f.weight)), f.cap)
        for f in default_factors()
    )


@dataclass(frozen=True)
class SubjectFacts:
    children: float  # each child weighted by its best link (`link_weight`)
    best_grade: str | None  # A-E
    last_seen: date | None
    violence: bool
    previous_convictions: int
    reports: int
    areas: int


class Line(NamedTuple):
    """One factor of a subject's score. A named tuple, not a frozen dataclass: a ranking makes
    one for each factor of each subject shown (336 for 48), and a frozen dataclass took twice
    as long to make (issue 18)."""

    code: str
    label: str
    explain: str
    value: float
    weight: float

    @property
    def points(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class Score:
    lines: tuple[Line, ...]

    @property
    def total(self) -> float:
        return sum(line.points for line in self.lines)


def _recency(last_seen: date | None, today: date) -> int:
    if last_seen is None:
        return 0
    days = (today - last_seen).days
    if days <= 30:
        return 3
    if days <= 90:
        return 2
    if days <= 365:
        return 1
    return 0


def score(facts: SubjectFacts, *, today: date,
          local_settings: Mapping[str, Any] | None = None,
          factors: tuple[Factor, ...] | None = None) -> Score:
    """The subject's score, factor by factor. `factors`: the area's (`factors_for` its
    `local_settings`), worked out once for a ranking of many subjects rather than for each."""
    raw = {
        "children_linked": facts.children,
        "grading": GRADE_VALUES.get(facts.best_grade or "", 0),
        "recency": _recency(facts.last_seen, today),
        "violence": 1 if facts.violence else 0,
        "previous_convictions": facts.previous_convictions,
        "reports": facts.reports,
        "cross_area": 1 if facts.areas > 1 else 0,
    }
    lines = []
    for factor in factors if factors is not None else factors_for(local_settings):
        value = raw[factor.code]
        if factor.cap is not None:
            value = min(value, factor.cap)
        lines.append(Line(factor.code, factor.label, factor.explain, value, factor.weight))
    return Score(tuple(lines))


# --- Intelligence ages (issue 16) ---------------------------------------------------------

def _ageing() -> Any:
    return intelligence_files.disruption().ageing


def review_due(graded_on: date, grade: str) -> date:
    """When a report graded `grade` on `graded_on` is due for re-grading (data: [ageing])."""
    months = _ageing().review_months.get(grade, min(_ageing().review_months.values()))
    month = graded_on.month - 1 + months
    year, month = graded_on.year + month // 12, month % 12 + 1
    for day in (graded_on.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: the 28th exists in every month")


def link_weight(grade: str | None, seen_on: date | None, today: date) -> float:
    """How much one link counts towards 'children linked': a whole child, or less when it rests
    only on low-graded (or ungraded) intelligence older than the ageing period."""
    ageing = _ageing()
    low = grade is None or grade == "" or grade in ageing.low_grades
    old = seen_on is not None and (today - seen_on).days > ageing.old_after_days
    return float(ageing.old_low_grade_weight) if low and old else 1.0
