"""Screening frameworks as versioned data: loading and validating the TOML definitions in
lantern/screening/frameworks/. A malformed file fails loudly, naming the file and the problem.
No Django here."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field

from . import datafile, labels
from .datafile import DataFileError, Schema, Text, show


class FrameworkError(DataFileError):
    """A framework definition is malformed."""


@dataclass(frozen=True)
class Category:
    number: int
    label: str
    description: str
    citation: str
    responses: tuple[str, ...]


# What a group of indicators is to the framework's rules:
#   category          its indicators point to one category (West Midlands, SERA levels)
#   vulnerability     SERAF's vulnerabilities (seed 002 §5.2)
#   risk              SERAF's risk indicators (seed 002 §5.3)
#   significant_risk  SERAF's significant risk indicators (seed 002 §5.4)
#   checklist         informs judgement only, no category of its own (SERA's checklist,
#                     push/pull/risk factors)
GroupKind = Literal["category", "vulnerability", "risk", "significant_risk", "checklist"]
GROUP_KINDS: tuple[str, ...] = get_args(GroupKind)


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    category: int | None  # the category a group's indicators point to, if any
    kind: str = "category"
    hint: str = ""
    citation: str = ""


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    wording: str
    citation: str
    seed_wording: str = ""
    category: int | None = None


# Facts about the child a screening asks besides the indicators (see ScreeningInput).
Fact = Literal["learning_disability", "additional_needs", "s47_cse"]
FACTS: tuple[str, ...] = get_args(Fact)


@dataclass(frozen=True)
class MeetingCriterion:
    """Something that supports convening a strategy meeting without being required (SERA,
    seed 000 §14): present when any of its indicators is ticked or any of its facts is true."""

    code: str
    wording: str
    citation: str
    indicators: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Framework:
    code: str
    version: str
    name: str
    kind: str  # "categorising" (suggests a category) or "checklist" (informs judgement only)
    source: str
    categories: tuple[Category, ...]
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    age_note: str = ""
    # What the framework calls its categories: "category" (West Midlands, SERAF) or "level"
    # (Stockport's SERA levels, seed 000 §11).
    category_noun: str = "category"
    meeting_criteria: tuple[MeetingCriterion, ...] = ()
    _by_code: dict[str, Indicator] = field(default_factory=dict, compare=False, repr=False)

    def indicator(self, code: str) -> Indicator:
        return self._by_code[code]

    def has_indicator(self, code: str) -> bool:
        return code in self._by_code

    def category(self, number: int) -> Category:
        for category in self.categories:
            if category.number == number:
                return category
        raise KeyError(number)

    @property
    def category_numbers(self) -> list[int]:
        return [c.number for c in self.categories]

    def indicators_in(self, group_code: str) -> list[Indicator]:
        return [i for i in self.indicators if i.group == group_code]

    def group(self, code: str) -> Group:
        for group in self.groups:
            if group.code == code:
                return group
        raise KeyError(code)

    def category_of(self, indicator_code: str) -> int:
        """The category an indicator of a category group points to. ValueError for an
        indicator of any other kind of group, which has no category of its own."""
        category = self.indicator(indicator_code).category
        if category is None:
            raise ValueError(f"{indicator_code} is a {self.kind_of(indicator_code)} indicator, "
                             "with no category of its own")
        return category

    def kind_of(self, indicator_code: str) -> str:
        """The kind of group an indicator belongs to (see GROUP_KINDS)."""
        return self.group(self.indicator(indicator_code).group).kind

    def category_name(self, number: int) -> str:
        """"category 2" or "level 2", as the framework says it."""
        return f"{self.category_noun} {number}"

    def range_name(self, minimum: int, maximum: int) -> str:
        if minimum == maximum:
            return self.category_name(minimum)
        return f"{labels.plural(self.category_noun)} {minimum} to {maximum}"


# --- The file's schema ------------------------------------------------------------------------
FrameworkKind = Literal["categorising", "checklist"]
KINDS = set(get_args(FrameworkKind))
CATEGORY_NOUNS = {"category", "level"}


class CategoryFile(Schema):
    number: int
    label: Text
    description: str = ""
    citation: Text
    responses: list[Text] = []


class GroupFile(Schema):
    code: Text
    label: Text
    # A category group's category; the other kinds have none. Without `kind`, a group with a
    # category is a category group and one without is a checklist.
    category: int | None = None
    kind: GroupKind | None = None
    hint: str = ""
    citation: str = ""


class IndicatorFile(Schema):
    code: Text
    group: Text
    wording: Text
    citation: Text
    seed_wording: str = ""


class MeetingCriterionFile(Schema):
    code: Text
    wording: Text
    citation: Text
    indicators: list[Text] = []
    facts: list[Fact] = []


class FrameworkFile(Schema):
    code: Text
    version: Text
    name: Text
    kind: FrameworkKind
    source: Text
    age_note: str = ""
    category_noun: Literal["category", "level"] = "category"
    categories: list[CategoryFile] = []
    groups: list[GroupFile] = []
    indicators: list[IndicatorFile] = Field(min_length=1)
    meeting_criteria: list[MeetingCriterionFile] = []


# An indicator's code is its group's code, a dot and a name: "wm1.missing_or_late",
# "seraf.v.abuse_neglect", "sera.p.sti".
NAME = re.compile(r"^[a-z0-9_]+$")


def parse(data: object, source_name: str) -> Framework:
    """Build a Framework from parsed TOML: the schema, then every rule a definition must meet
    that is about more than one value."""
    where = source_name
    raw = datafile.validate(data, FrameworkFile, where, FrameworkError)
    code, kind = raw.code, raw.kind

    def fail(key: datafile.Loc | str, problem: str) -> FrameworkError:
        return FrameworkError.at(where, key, problem)

    categories = tuple(
        Category(number=c.number, label=c.label, description=c.description,
                 citation=c.citation, responses=tuple(c.responses))
        for c in raw.categories
    )
    numbers = [c.number for c in categories]
    if kind == "checklist" and categories:
        raise fail("categories", "a checklist framework has no categories")
    if kind == "categorising":
        if not categories:
            raise fail("categories", "a categorising framework needs categories")
        if numbers != list(range(1, len(numbers) + 1)):
            raise fail("categories", "must be numbered 1, 2, 3... in order")

    groups = []
    for i, g in enumerate(raw.groups):
        if not re.match(rf"^{re.escape(code)}(\d+|\.[a-z0-9_]+)$", g.code):
            raise fail(("groups", i, "code"),
                       f"expected the framework code {show(code)} followed by a number or a "
                       f"dot and a lower-case name, got {show(g.code)}")
        group_kind = g.kind or ("category" if g.category is not None else "checklist")
        if group_kind == "category":
            if g.category not in numbers:
                raise fail(("groups", i, "category"),
                           f"expected one of the categories {', '.join(map(str, numbers))}, "
                           f"got {show(g.category)}")
        elif g.category is not None:
            raise fail(("groups", i, "category"),
                       f"a {group_kind} group has no category of its own")
        if kind == "checklist" and group_kind != "checklist":
            raise fail(("groups", i, "kind"), "a checklist framework has only checklist groups")
        groups.append(Group(code=g.code, label=g.label, category=g.category, kind=group_kind,
                            hint=g.hint, citation=g.citation))
    group_by_code = {g.code: g for g in groups}
    if len(group_by_code) != len(groups):
        raise fail("groups", "each group code appears once")
    if kind == "categorising" and all(g.kind == "checklist" for g in groups):
        raise fail("groups", "a categorising framework needs groups that are not only "
                             "checklists")

    indicators = []
    seen: set[str] = set()
    for i, ind in enumerate(raw.indicators):
        at = ("indicators", i)
        if ind.code in seen:
            raise fail((*at, "code"), f"{show(ind.code)} appears twice")
        seen.add(ind.code)
        if not ind.code.startswith(code) or "." not in ind.code:
            raise fail((*at, "code"), f"codes start with the framework code {show(code)}, "
                                      f"got {show(ind.code)}")
        if ind.group not in group_by_code:
            raise fail((*at, "group"), f"names unknown group {show(ind.group)}")
        prefix, _dot, indicator_name = ind.code.rpartition(".")
        if prefix != ind.group or not NAME.match(indicator_name):
            raise fail((*at, "code"),
                       f"codes are the group's code, a dot and a lower-case name "
                       f"({show(ind.group + '.something')}), got {show(ind.code)}")
        indicators.append(Indicator(code=ind.code, group=ind.group, wording=ind.wording,
                                    citation=ind.citation, seed_wording=ind.seed_wording,
                                    category=group_by_code[ind.group].category))

    criteria = []
    for i, c in enumerate(raw.meeting_criteria):
        unknown = [code for code in c.indicators if code not in seen]
        if unknown:
            raise fail(("meeting_criteria", i, "indicators"),
                       f"names unknown indicators: {', '.join(unknown)}")
        criteria.append(MeetingCriterion(code=c.code, wording=c.wording, citation=c.citation,
                                         indicators=tuple(c.indicators), facts=tuple(c.facts)))

    return Framework(
        code=code,
        version=raw.version,
        name=raw.name,
        kind=kind,
        source=raw.source,
        categories=categories,
        groups=tuple(groups),
        indicators=tuple(indicators),
        age_note=raw.age_note,
        category_noun=raw.category_noun,
        meeting_criteria=tuple(criteria),
        _by_code={i.code: i for i in indicators},
    )


def load_file(path: Path) -> Framework:
    return parse(datafile.read(path, FrameworkError), datafile.name(path))


def load_directory(directory: Path) -> dict[tuple[str, str], Framework]:
    """Every framework version in a directory, keyed by (code, version)."""
    frameworks: dict[tuple[str, str], Framework] = {}
    for path in sorted(directory.glob("*.toml")):
        framework = load_file(path)
        key = (framework.code, framework.version)
        if key in frameworks:
            raise FrameworkError.at(datafile.name(path), "version",
                                    f"{framework.code} {framework.version} defined twice")
        frameworks[key] = framework
    return frameworks
