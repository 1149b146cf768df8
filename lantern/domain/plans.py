"""The one plan per child as data, and the plain rules about it (SPEC §6). No Django.

`lantern/plans/data/plans.toml` holds the kinds of action (safety, disruption, support), the
disruption tactics against named subjects, the statuses of an action and the outcome measures
(seed 001). `load(path)` validates it. `measure_rows` turns the values recorded at the start
and at each review into the change over time shown on the child's record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar, get_args

from pydantic import Field

from . import datafile
from .datafile import DataFileError, Schema, Text, show
from .labels import in_sentence

Scale = Literal["rating", "count"]
SCALES: tuple[str, ...] = get_args(Scale)
Better = Literal["higher", "lower"]
BETTER: tuple[str, ...] = get_args(Better)
Requirement = Literal["parent_statement", "occupier_consent_or_power", "advisories_given"]
REQUIREMENTS = set(get_args(Requirement))
RATING_RANGE = range(1, 6)


class PlanDataError(DataFileError):
    """The plans data file is malformed."""


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    hint: str = ""
    citation: str = ""


@dataclass(frozen=True)
class DisruptionType(Choice):
    under_16: bool = False
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    open: bool


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    scale: str
    better: str
    citation: str
    optional: bool = False


Coded = TypeVar("Coded", Choice, DisruptionType, Status, Measure)


@dataclass(frozen=True)
class Catalogue:
    version: str
    action_kinds: tuple[Choice, ...]
    disruption_types: tuple[DisruptionType, ...]
    statuses: tuple[Status, ...]
    measures: tuple[Measure, ...]
    rating_labels: Mapping[int, str]

    def _find(self, rows: Sequence[Coded], code: str, what: str) -> Coded:
        for row in rows:
            if row.code == code:
                return row
        raise LookupError(f"unknown {what} {code!r}")

    def action_kind(self, code: str) -> Choice:
        return self._find(self.action_kinds, code, "action kind")

    def disruption_type(self, code: str) -> DisruptionType:
        return self._find(self.disruption_types, code, "disruption type")

    def status(self, code: str) -> Status:
        return self._find(self.statuses, code, "status")

    def measure(self, code: str) -> Measure:
        return self._find(self.measures, code, "measure")

    @property
    def open_statuses(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.statuses if s.open)


# --- The file's schema ------------------------------------------------------------------------

class ChoiceFile(Schema):
    code: Text
    label: Text
    hint: str = ""
    citation: Text


class DisruptionTypeFile(ChoiceFile):
    under_16: bool = False  # rests on a law that protects a child under 16
    requires: list[Requirement] = []


class StatusFile(Schema):
    code: Text
    label: Text
    open: bool


class MeasureFile(Schema):
    code: Text
    label: Text
    scale: Scale
    better: Better
    citation: Text
    optional: bool = False


class PlansFile(Schema):
    version: Text
    action_kinds: list[ChoiceFile] = Field(min_length=1)
    disruption_types: list[DisruptionTypeFile] = Field(min_length=1)
    statuses: list[StatusFile] = Field(min_length=1)
    measures: list[MeasureFile] = Field(min_length=1)
    rating_labels: dict[Literal["1", "2", "3", "4", "5"], Text]


Row = TypeVar("Row", ChoiceFile, DisruptionTypeFile, StatusFile, MeasureFile)


def _unique(rows: Sequence[Row], key: str, where: str) -> Sequence[Row]:
    codes: set[str] = set()
    for i, row in enumerate(rows):
        if row.code in codes:
            raise PlanDataError.at(where, (key, i, "code"), f"{show(row.code)} appears twice")
        codes.add(row.code)
    return rows


def parse(data: object, where: str) -> Catalogue:
    """The catalogue from parsed TOML: the schema, then the rules across its entries."""
    raw = datafile.validate(data, PlansFile, where, PlanDataError)
    kinds = tuple(Choice(k.code, k.label, k.hint, k.citation)
                  for k in _unique(raw.action_kinds, "action_kinds", where))
    if {k.code for k in kinds} != {"safety", "disruption", "support"}:
        raise PlanDataError.at(where, "action_kinds",
                               "must be safety, disruption and support (SPEC §6)")
    disruption = tuple(
        DisruptionType(d.code, d.label, d.hint, d.citation, under_16=d.under_16,
                       requires=tuple(d.requires))
        for d in _unique(raw.disruption_types, "disruption_types", where))
    statuses = tuple(Status(s.code, s.label, s.open)
                     for s in _unique(raw.statuses, "statuses", where))
    if not any(s.open for s in statuses) or all(s.open for s in statuses):
        raise PlanDataError.at(where, "statuses", "need both open and closed ones")
    measures = tuple(Measure(m.code, m.label, m.scale, m.better, m.citation,
                             optional=m.optional)
                     for m in _unique(raw.measures, "measures", where))
    rating_labels = {int(k): v for k, v in raw.rating_labels.items()}
    if set(rating_labels) != set(RATING_RANGE):
        raise PlanDataError.at(where, "rating_labels", "must label each of 1 to 5")
    return Catalogue(version=raw.version, action_kinds=kinds, disruption_types=disruption,
                     statuses=statuses, measures=measures, rating_labels=rating_labels)


def load(path: Path) -> Catalogue:
    return parse(datafile.read(path, PlanDataError), datafile.name(path))


# --- Rules ------------------------------------------------------------------------------------

class InvalidAction(ValueError):
    """An action the plan cannot hold as given; the message says why, for the user."""


def check_action(catalogue: Catalogue, *, kind: str, disruption_type: str = "",
                 has_subject: bool = False, child_age: int | None = None,
                 facts: Iterable[str] = ()) -> list[str]:
    """Refuse what the plan cannot hold; return warnings the user should see."""
    catalogue.action_kind(kind)
    warnings: list[str] = []
    if kind != "disruption":
        if disruption_type:
            raise InvalidAction("Only a disruption action has a disruption tactic")
        return warnings
    if not disruption_type:
        raise InvalidAction("Select the disruption tactic")
    tactic = catalogue.disruption_type(disruption_type)
    if not has_subject:
        # SPEC §6: disruption actions are against named subjects.
        raise InvalidAction("Select the person the disruption is against")
    if tactic.under_16 and child_age is not None and child_age >= 16:
        # seed 002, appendix 3: section 2 of the Child Abduction Act 1984 protects a child
        # under 16.
        warnings.append(f"A {in_sentence(tactic.label)} rests on the Child Abduction Act 1984 s2, "
                        "which protects a child under 16: this child is 16 or over")
    missing = [r for r in tactic.requires if r not in set(facts)]
    if missing:
        raise InvalidAction(REQUIREMENT_MESSAGES[missing[0]])
    return warnings


REQUIREMENT_MESSAGES = {
    "parent_statement": "Confirm the parent or guardian has stated that they forbid the visits "
                        "(Child Abduction Act 1984 s2)",
    "occupier_consent_or_power": "Confirm the occupier consented or a legal power applies "
                                 "(PACE Code B)",
    "advisories_given": "Confirm the occupier was told the purpose of the search, that they "
                        "need not consent, and that anything seized may be used in evidence",
}


def is_overdue(due_on: date | None, status_open: bool, today: date) -> bool:
    return bool(due_on and status_open and due_on < today)


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    values: tuple[tuple[date, int], ...]  # oldest first
    start: int | None
    latest: int | None
    change: str  # "better", "worse", "same", "" (fewer than two values)


def _change(measure: Measure, start: int | None, latest: int | None, count: int) -> str:
    if count < 2 or start is None or latest is None:
        return ""
    if latest == start:
        return "same"
    rose = latest > start
    return "better" if rose == (measure.better == "higher") else "worse"


def measure_rows(catalogue: Catalogue, records: Iterable[tuple[str, date, int]]
                 ) -> list[MeasureRow]:
    """Each measure recorded for a child, with its values over time and whether it has
    moved the right way since the start (seed 001: measured before and after)."""
    by_code: dict[str, list[tuple[date, int]]] = {}
    for code, on, value in records:
        by_code.setdefault(code, []).append((on, value))
    rows = []
    for measure in catalogue.measures:
        values = sorted(by_code.get(measure.code, []))
        if not values:
            continue
        start, latest = values[0][1], values[-1][1]
        rows.append(MeasureRow(measure, tuple(values), start, latest,
                               _change(measure, start, latest, len(values))))
    return rows


def check_value(measure: Measure, value: int) -> None:
    if measure.scale == "rating" and value not in RATING_RANGE:
        raise InvalidAction(f"{measure.label} must be rated from 1 to 5")
    if measure.scale == "count" and value < 0:
        raise InvalidAction(f"{measure.label} must be 0 or more")
