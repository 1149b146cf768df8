"""Schemas of the data files the intelligence rules read (lantern/domain/data/): the trigger
criteria (`triggers.toml`, read by triggers.py), the disruption score's factors
(`disruption.toml`, disruption.py) and the short forms of given names (`nicknames.toml`,
resolution.py). Read through the one loader, `datafile`, so a malformed file stops Lantern at
start-up naming the file, the key and the problem. No Django."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from . import datafile
from .datafile import DataFileError, Schema, Text

DATA = Path(__file__).parent / "data"


class IntelligenceDataError(DataFileError):
    """A data file of the intelligence rules is malformed."""


# --- triggers.toml --------------------------------------------------------------------------
Role = Literal["suspect", "facilitating", "contact", "associated"]
Count = Annotated[int, Field(ge=0)]


class CriterionFile(Schema):
    label: Text
    # "joined": children joined through any shared entity, directly or through entities
    # associated with it (a phone two subjects use), within `max_distance` steps.
    focus: Literal["subject", "location", "organisation", "child", "joined"]
    roles: list[Role] = Field(min_length=1)
    min_children: Count = 0
    min_subjects: Count = 0
    max_distance: Annotated[int, Field(ge=2, le=8, multiple_of=2)] = 2


class ComplexStrategyFile(Schema):
    title: Text
    citation: Text
    proposal: Text
    joint_proposal: Text  # when the children are in more than one area
    criteria: dict[str, CriterionFile] = Field(min_length=1)


class NetworkReferralFile(Schema):
    title: Text
    citation: Text
    proposal: Text
    precondition: Text  # what must have happened before a referral (seed 003 §4)
    criteria: dict[str, CriterionFile] = Field(min_length=1)


class TriggersFile(Schema):
    version: Text
    complex_strategy: ComplexStrategyFile
    network_referral: NetworkReferralFile


def triggers() -> TriggersFile:
    return datafile.load(DATA / "triggers.toml", TriggersFile, IntelligenceDataError)


# --- disruption.toml ------------------------------------------------------------------------
# The factors the score knows how to measure (lantern/domain/disruption.py `score`): a file
# naming another is refused, rather than failing when a subject is first scored.
FactorCode = Literal["children_linked", "grading", "recency", "violence",
                     "previous_convictions", "reports", "cross_area"]


class FactorFile(Schema):
    label: Text
    explain: Text
    weight: float  # a whole number is a number too
    cap: Annotated[int, Field(ge=1)] | None = None  # the most of the value that counts


Grade = Literal["A", "B", "C", "D", "E"]


class AgeingFile(Schema):
    old_after_days: Annotated[int, Field(ge=1)]
    old_low_grade_weight: Annotated[float, Field(ge=0, le=1)]
    low_grades: list[Grade]
    review_months: dict[Grade, Annotated[int, Field(ge=1, le=60)]]


class DisruptionFile(Schema):
    version: Text
    factors: dict[FactorCode, FactorFile] = Field(min_length=1)
    ageing: AgeingFile


def disruption() -> DisruptionFile:
    return datafile.load(DATA / "disruption.toml", DisruptionFile, IntelligenceDataError)


# --- nicknames.toml -------------------------------------------------------------------------
class NicknamesFile(Schema):
    version: Text
    names: dict[str, list[Text]]  # each formal spelling to the short forms people use


def nicknames() -> NicknamesFile:
    return datafile.load(DATA / "nicknames.toml", NicknamesFile, IntelligenceDataError)
