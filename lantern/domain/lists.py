"""Coded lists as data, read through the one loader (`datafile`): the Bichard questions
(lantern/screening/data/bichard.toml), the lawful bases for sharing information
(lantern/sharing/data/lawful_bases.toml), the push and pull factors a return home interview
asks about (lantern/missing/data/interview.toml), the lists of transition planning
(lantern/missing/data/transitions.toml) and what a designated safeguarding lead and a referrer
agree about a concern (lantern/pathway/data/discussion_outcomes.toml). Every entry has a code
(unique in its list), Lantern's wording and a citation. The apps say where their files are;
this says what is in them. No Django."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from pydantic import Field

from . import datafile
from .datafile import DataFileError, Schema, Text, show


class ListError(DataFileError):
    """A list's data file is malformed."""


Pairs = tuple[tuple[str, str], ...]  # (code, wording) in the file's order


class Entry(Schema):
    code: Text
    wording: Text
    citation: Text


class Coded(Protocol):
    @property
    def code(self) -> str: ...


def _unique(entries: Sequence[Coded], key: str, where: str) -> None:
    codes: set[str] = set()
    for i, entry in enumerate(entries):
        if entry.code in codes:
            raise ListError.at(where, (key, i, "code"), f"{show(entry.code)} appears twice")
        codes.add(entry.code)


def _pairs(entries: Sequence[Entry]) -> Pairs:
    return tuple((entry.code, entry.wording) for entry in entries)


# --- The Bichard questions (seed 000, appendix 2) -------------------------------------------

@dataclass(frozen=True)
class Question:
    code: str
    wording: str
    seed_wording: str
    answer: str = "yes_no"  # "yes_no" (yes, no, not known, with a note) or "text"


@dataclass(frozen=True)
class Questions:
    version: str
    citation: str
    questions: tuple[Question, ...]


class QuestionFile(Schema):
    code: Text
    wording: Text
    seed_wording: str = ""  # the seed's words, where Lantern's differ
    # "text" for a question answered only in words (what the young person says, in their own
    # words); the others are answered yes, no or not known, with an optional note.
    answer: Literal["yes_no", "text"] = "yes_no"


class BichardFile(Schema):
    version: Text
    citation: Text
    questions: list[QuestionFile] = Field(min_length=1)


def bichard(path: Path) -> Questions:
    return parse_bichard(datafile.read(path, ListError), datafile.name(path))


def parse_bichard(data: object, where: str) -> Questions:
    raw = datafile.validate(data, BichardFile, where, ListError)
    _unique(raw.questions, "questions", where)
    return Questions(raw.version, raw.citation,
                     tuple(Question(q.code, q.wording, q.seed_wording, q.answer)
                           for q in raw.questions))


# --- Lawful bases for an information-sharing decision ---------------------------------------

class LawfulBasisFile(Schema):
    code: Text
    label: Text
    citation: Text


class LawfulBasesFile(Schema):
    bases: list[LawfulBasisFile] = Field(min_length=1)


def lawful_bases(path: Path) -> Pairs:
    """(code, label) of each lawful basis."""
    return parse_lawful_bases(datafile.read(path, ListError), datafile.name(path))


def parse_lawful_bases(data: object, where: str) -> Pairs:
    raw = datafile.validate(data, LawfulBasesFile, where, ListError)
    _unique(raw.bases, "bases", where)
    return tuple((basis.code, basis.label) for basis in raw.bases)


# --- Missing episodes: return home interviews and transitions -------------------------------

@dataclass(frozen=True)
class Interview:
    push: Pairs
    pull: Pairs


class InterviewFile(Schema):
    push: list[Entry] = Field(min_length=1)
    pull: list[Entry] = Field(min_length=1)


def interview(path: Path) -> Interview:
    return parse_interview(datafile.read(path, ListError), datafile.name(path))


def parse_interview(data: object, where: str) -> Interview:
    raw = datafile.validate(data, InterviewFile, where, ListError)
    _unique(raw.push, "push", where)
    _unique(raw.pull, "pull", where)
    return Interview(push=_pairs(raw.push), pull=_pairs(raw.pull))


@dataclass(frozen=True)
class Transitions:
    care_act_criteria: Pairs
    recovery_factors: Pairs
    outcomes: Pairs


class TransitionsFile(Schema):
    care_act_criteria: list[Entry] = Field(min_length=1)
    recovery_factors: list[Entry] = Field(min_length=1)
    outcomes: list[Entry] = Field(min_length=1)


def transitions(path: Path) -> Transitions:
    return parse_transitions(datafile.read(path, ListError), datafile.name(path))


def parse_transitions(data: object, where: str) -> Transitions:
    raw = datafile.validate(data, TransitionsFile, where, ListError)
    for key in ("care_act_criteria", "recovery_factors", "outcomes"):
        _unique(getattr(raw, key), key, where)
    return Transitions(care_act_criteria=_pairs(raw.care_act_criteria),
                       recovery_factors=_pairs(raw.recovery_factors),
                       outcomes=_pairs(raw.outcomes))


# --- What a designated safeguarding lead and a referrer agree about a concern ---------------

@dataclass(frozen=True)
class DiscussionOutcome:
    code: str
    wording: str
    needs_screening: bool  # it confirms a screening of the concern, so one must exist
    next: str  # the page that follows: "screen", "refer" or ""


class DiscussionOutcomeFile(Schema):
    code: Text
    wording: Text
    citation: Text
    needs_screening: bool = False
    next: Literal["", "screen", "refer"] = ""


class DiscussionOutcomesFile(Schema):
    outcomes: list[DiscussionOutcomeFile] = Field(min_length=1)


def discussion_outcomes(path: Path) -> tuple[DiscussionOutcome, ...]:
    return parse_discussion_outcomes(datafile.read(path, ListError), datafile.name(path))


def parse_discussion_outcomes(data: object, where: str) -> tuple[DiscussionOutcome, ...]:
    raw = datafile.validate(data, DiscussionOutcomesFile, where, ListError)
    _unique(raw.outcomes, "outcomes", where)
    return tuple(DiscussionOutcome(o.code, o.wording, o.needs_screening, o.next)
                 for o in raw.outcomes)
