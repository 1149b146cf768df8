"""Looked-after children (SPEC §13; seed 001, "Children Looked After"): the rules as data, read
from lantern/missing/data/looked_after.toml through the one loader. Each legal status says
whether the child's parents must be told of significant matters or are told unless there is a
clear justification; the measures that need a team or service manager's agreement; the
placement questions; and the screening a looked-after child's missing episode opens. No
Django."""

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from . import datafile
from .datafile import DataFileError, Schema, Text, show


class LookedAfterError(DataFileError):
    """The looked-after children's data file is malformed."""


# "must": parents are told of all significant matters; not telling them is an exception a
# manager records. "unless_justified": told unless there is clear justification, recorded
# with reasons by whoever decides.
ParentsRule = Literal["must", "unless_justified"]


@dataclass(frozen=True)
class LegalStatusRule:
    code: str
    label: str
    parents: ParentsRule
    rule: str
    citation: str

    @property
    def not_telling_needs_manager(self) -> bool:
        return self.parents == "must"


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    citation: str


@dataclass(frozen=True)
class Question:
    code: str
    wording: str
    hint: str
    citation: str


@dataclass(frozen=True)
class FirstEpisode:
    title: str
    basis: str
    citation: str


@dataclass(frozen=True)
class LookedAfter:
    legal_statuses: tuple[LegalStatusRule, ...]
    measures: tuple[Measure, ...]
    measures_agreed_by: str
    measures_citation: str
    placement_questions: tuple[Question, ...]
    first_episode: FirstEpisode

    def legal_status(self, code: str) -> LegalStatusRule | None:
        return next((s for s in self.legal_statuses if s.code == code), None)

    def measure(self, code: str) -> Measure | None:
        return next((m for m in self.measures if m.code == code), None)


class LegalStatusFile(Schema):
    code: Text
    label: Text
    parents: ParentsRule
    rule: Text
    citation: Text


class MeasureFile(Schema):
    code: Text
    label: Text
    citation: Text


class MeasuresFile(Schema):
    agreed_by: Text
    citation: Text
    kinds: list[MeasureFile] = Field(min_length=1)


class QuestionFile(Schema):
    code: Text
    wording: Text
    hint: str = ""
    citation: Text


class FirstEpisodeFile(Schema):
    title: Text
    basis: Text
    citation: Text


class LookedAfterFile(Schema):
    legal_statuses: list[LegalStatusFile] = Field(min_length=1)
    measures: MeasuresFile
    placement_questions: list[QuestionFile] = Field(min_length=1)
    first_episode: FirstEpisodeFile


def load(path: Path) -> LookedAfter:
    return parse(datafile.read(path, LookedAfterError), datafile.name(path))


def parse(data: object, where: str) -> LookedAfter:
    raw = datafile.validate(data, LookedAfterFile, where, LookedAfterError)
    for key, codes in (("legal_statuses", [s.code for s in raw.legal_statuses]),
                       ("measures.kinds", [m.code for m in raw.measures.kinds]),
                       ("placement_questions", [q.code for q in raw.placement_questions])):
        seen: set[str] = set()
        for i, code in enumerate(codes):
            if code in seen:
                raise LookedAfterError.at(where, f"{key}[{i}].code",
                                          f"{show(code)} appears twice")
            seen.add(code)
    return LookedAfter(
        legal_statuses=tuple(LegalStatusRule(
            code=s.code, label=s.label, parents=s.parents, rule=s.rule, citation=s.citation)
            for s in raw.legal_statuses),
        measures=tuple(Measure(code=m.code, label=m.label, citation=m.citation)
                       for m in raw.measures.kinds),
        measures_agreed_by=raw.measures.agreed_by,
        measures_citation=raw.measures.citation,
        placement_questions=tuple(Question(code=q.code, wording=q.wording, hint=q.hint,
                                           citation=q.citation)
                                  for q in raw.placement_questions),
        first_episode=FirstEpisode(title=raw.first_episode.title,
                                   basis=raw.first_episode.basis,
                                   citation=raw.first_episode.citation),
    )


def parents_decision_problem(rule: LegalStatusRule, *, told: bool, reason: str,
                             manager_agrees: bool) -> str:
    """Why a decision about telling the parents cannot be recorded as given ("" when it can).
    Telling them always can; not telling them needs the reasons, and under a status whose
    parents must be told, the agreement of a manager responsible for the child's case."""
    if told:
        return ""
    if not reason.strip():
        return "Enter why the child's parents are not being told"
    if rule.not_telling_needs_manager and not manager_agrees:
        return (f"{rule.rule} ({rule.citation}): only the team or service manager responsible "
                "for the child's case may decide they are not told")
    return ""
