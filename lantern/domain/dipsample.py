"""The monthly dip-sample audit (seed 001, "Child Sexual Exploitation Risk Assessment Tool":
monthly audits dip sample the CSE risk assessments to ensure consistency and quality): which
records a month's sample holds, which auditor audits each, and what the quality form grades
(data/dip_sample.toml). No Django: the monitoring app finds the month's records and writes the
sample.

The sample is reproducible: the same candidates, size and seed always give the same records
and the same auditors, so anyone can check that nobody picked the records to audit."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field

from . import datafile
from .datafile import DataFileError, Schema, Text

DATA = Path(__file__).parent / "data"


class DipSampleDataError(DataFileError):
    """The dip-sample file is malformed."""


class AreaFile(Schema):
    code: Text
    label: Text
    hint: Text
    citation: Text


class GradeFile(Schema):
    code: Text
    label: Text


class DipSampleFile(Schema):
    version: Text
    default_size: int = Field(ge=1, le=200)
    areas: list[AreaFile] = Field(min_length=1)
    grades: list[GradeFile] = Field(min_length=2)


@dataclass(frozen=True)
class QualityArea:
    code: str
    label: str
    hint: str
    citation: str


@dataclass(frozen=True)
class Form:
    default_size: int
    areas: tuple[QualityArea, ...]
    grades: tuple[tuple[str, str], ...]  # (code, label), best first

    def grade_label(self, code: str) -> str:
        return dict(self.grades).get(code, code)

    def area_label(self, code: str) -> str:
        return next((a.label for a in self.areas if a.code == code), code)


def parse(data: object, where: str) -> Form:
    parsed = datafile.validate(data, DipSampleFile, where, DipSampleDataError)
    for kind, codes in (("areas", [a.code for a in parsed.areas]),
                        ("grades", [g.code for g in parsed.grades])):
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise DipSampleDataError.at(where, kind, f"{', '.join(repeated)} listed twice")
    return Form(default_size=parsed.default_size,
                areas=tuple(QualityArea(a.code, a.label, a.hint, a.citation)
                            for a in parsed.areas),
                grades=tuple((g.code, g.label) for g in parsed.grades))


@cache
def form() -> Form:
    path = DATA / "dip_sample.toml"
    return parse(datafile.read(path, DipSampleDataError), datafile.name(path))


def choose(candidates: Sequence[str], size: int, seed: int) -> list[str]:
    """`size` of the candidates (all of them when there are fewer), drawn at random with
    `seed`: the candidates are sorted first, so the draw depends only on which records there
    are, never on the order a query returned them."""
    pool = sorted(set(candidates))
    if size <= 0 or not pool:
        return []
    return random.Random(seed).sample(pool, min(size, len(pool)))  # noqa: S311 - not a secret


def assign(chosen: Sequence[str], auditors: Sequence[int], seed: int,
           *, exclude: dict[str, set[int]] | None = None) -> dict[str, int | None]:
    """An auditor for each chosen record, shared out in turn from a shuffled order of the
    auditors (so the work is even), never someone `exclude` names for that record (its author:
    nobody audits their own work). None when every auditor is excluded."""
    order = sorted(set(auditors))
    random.Random(seed + 1).shuffle(order)  # noqa: S311 - not a secret
    exclude = exclude or {}
    out: dict[str, int | None] = {}
    turn = 0
    for key in chosen:
        picked = None
        for step in range(len(order)):
            candidate = order[(turn + step) % len(order)]
            if candidate not in exclude.get(key, set()):
                picked = candidate
                turn = (turn + step + 1) % len(order)
                break
        out[key] = picked
    return out
