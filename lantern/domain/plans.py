"""The one plan per child as data, and the plain rules about it (SPEC §6). No Django.

`lantern/plans/data/plans.toml` holds the kinds of action (safety, disruption, support), the
disruption tactics against named subjects, the statuses of an action and the outcome measures
(seed 001). `load(path)` validates it. `measure_rows` turns the values recorded at the start
and at each review into the change over time shown on the child's record.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import datafile

SCALES = ("rating", "count")
BETTER = ("higher", "lower")
REQUIREMENTS = {"parent_statement", "occupier_consent_or_power", "advisories_given"}
RATING_RANGE = range(1, 6)


class PlanDataError(ValueError):
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


@dataclass(frozen=True)
class Catalogue:
    version: str
    action_kinds: tuple[Choice, ...]
    disruption_types: tuple[DisruptionType, ...]
    statuses: tuple[Status, ...]
    measures: tuple[Measure, ...]
    rating_labels: Mapping[int, str]

    def _find(self, rows, code: str, what: str):
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


def _req(data, key: str, kind: type, where: str):
    return datafile.require(data, key, kind, where, PlanDataError)


def _rows(data: Mapping, key: str, where: str):
    rows = data.get(key)
    if not isinstance(rows, list) or not rows:
        raise PlanDataError(f"{where}: '{key}' must list at least one entry")
    codes = set()
    for i, spec in enumerate(rows):
        at = f"{where}: {key}[{i}]"
        code = _req(spec, "code", str, at)
        if code in codes:
            raise PlanDataError(f"{at}: code {code!r} appears twice")
        codes.add(code)
        yield at, spec


def parse(data: Mapping, where: str) -> Catalogue:
    kinds = tuple(Choice(spec["code"], _req(spec, "label", str, at), spec.get("hint", ""),
                         _req(spec, "citation", str, at))
                  for at, spec in _rows(data, "action_kinds", where))
    if {k.code for k in kinds} != {"safety", "disruption", "support"}:
        raise PlanDataError(f"{where}: action_kinds must be safety, disruption and support "
                            "(SPEC §6)")
    disruption = []
    for at, spec in _rows(data, "disruption_types", where):
        requires = tuple(spec.get("requires", []))
        unknown = sorted(set(requires) - REQUIREMENTS)
        if unknown:
            raise PlanDataError(f"{at}: unknown requirement(s) {', '.join(unknown)}")
        disruption.append(DisruptionType(
            spec["code"], _req(spec, "label", str, at), spec.get("hint", ""),
            _req(spec, "citation", str, at), under_16=bool(spec.get("under_16", False)),
            requires=requires))
    statuses = tuple(Status(spec["code"], _req(spec, "label", str, at),
                            _req(spec, "open", bool, at))
                     for at, spec in _rows(data, "statuses", where))
    if not any(s.open for s in statuses) or all(s.open for s in statuses):
        raise PlanDataError(f"{where}: statuses need both open and closed ones")
    measures = []
    for at, spec in _rows(data, "measures", where):
        scale = _req(spec, "scale", str, at)
        better = _req(spec, "better", str, at)
        if scale not in SCALES or better not in BETTER:
            raise PlanDataError(f"{at}: scale must be one of {SCALES} and better one of "
                                f"{BETTER}")
        measures.append(Measure(spec["code"], _req(spec, "label", str, at), scale, better,
                                _req(spec, "citation", str, at),
                                optional=bool(spec.get("optional", False))))
    labels = _req(data, "rating_labels", dict, where)
    rating_labels = {int(k): v for k, v in labels.items()}
    if set(rating_labels) != set(RATING_RANGE):
        raise PlanDataError(f"{where}: rating_labels must label 1 to 5")
    return Catalogue(version=_req(data, "version", str, where), action_kinds=kinds,
                     disruption_types=tuple(disruption), statuses=statuses,
                     measures=tuple(measures), rating_labels=rating_labels)


def load(path: Path) -> Catalogue:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PlanDataError(f"{path.name}: not valid TOML: {error}") from error
    return parse(data, path.name)


# --- Rules ------------------------------------------------------------------------------------

class InvalidAction(ValueError):
    """An action the plan cannot hold as given; the message says why, for the user."""


def check_action(catalogue: Catalogue, *, kind: str, disruption_type: str = "",
                 has_subject: bool = False, child_age: int | None = None,
                 facts: Iterable[str] = ()) -> list[str]:
    """Refuse what the plan cannot hold; return warnings the user should see."""
    catalogue.action_kind(kind)
    warnings = []
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
        warnings.append(f"A {tactic.label.lower()} rests on the Child Abduction Act 1984 s2, "
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
