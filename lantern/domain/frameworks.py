"""Screening frameworks as versioned data: loading and validating the TOML definitions in
lantern/screening/frameworks/. A malformed file fails loudly, naming the file and the problem.
No Django here."""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class FrameworkError(ValueError):
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
GROUP_KINDS = ("category", "vulnerability", "risk", "significant_risk", "checklist")


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
FACTS = ("learning_disability", "additional_needs", "s47_cse")


@dataclass(frozen=True)
class MeetingCriterion:
    """Something that supports convening a strategy meeting without being required (SERA,
    seed 000 §14): present when any of its indicators is ticked or any of its facts is true."""

    code: str
    wording: str
    citation: str
    indicators: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()


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
    _by_code: dict = field(default_factory=dict, compare=False, repr=False)

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

    def kind_of(self, indicator_code: str) -> str:
        """The kind of group an indicator belongs to (see GROUP_KINDS)."""
        return self.group(self.indicator(indicator_code).group).kind

    def category_name(self, number: int) -> str:
        """"category 2" or "level 2", as the framework says it."""
        return f"{self.category_noun} {number}"

    def range_name(self, minimum: int, maximum: int) -> str:
        if minimum == maximum:
            return self.category_name(minimum)
        return f"{self.category_noun}s {minimum} to {maximum}"


KINDS = {"categorising", "checklist"}
CATEGORY_NOUNS = {"category", "level"}
# An indicator's code is its group's code, a dot and a name: "wm1.missing_or_late",
# "seraf.v.abuse_neglect", "sera.p.sti".
NAME = re.compile(r"^[a-z0-9_]+$")


def _require(data: dict, key: str, kind: type, where: str):
    if key not in data:
        raise FrameworkError(f"{where}: missing '{key}'")
    value = data[key]
    if not isinstance(value, kind):
        raise FrameworkError(f"{where}: '{key}' must be {kind.__name__}, not {value!r}")
    if isinstance(value, str) and not value.strip():
        raise FrameworkError(f"{where}: '{key}' is empty")
    return value


def parse(data: dict, source_name: str) -> Framework:
    """Build a Framework from parsed TOML, checking every rule a definition must meet."""
    where = source_name
    code = _require(data, "code", str, where)
    version = _require(data, "version", str, where)
    kind = _require(data, "kind", str, where)
    if kind not in KINDS:
        raise FrameworkError(f"{where}: kind must be one of {sorted(KINDS)}, not {kind!r}")

    categories = []
    for i, raw in enumerate(data.get("categories", [])):
        at = f"{where}: categories[{i}]"
        categories.append(
            Category(
                number=_require(raw, "number", int, at),
                label=_require(raw, "label", str, at),
                description=raw.get("description", ""),
                citation=_require(raw, "citation", str, at),
                responses=tuple(raw.get("responses", [])),
            )
        )
    numbers = [c.number for c in categories]
    if kind == "checklist" and categories:
        raise FrameworkError(f"{where}: a checklist framework has no categories")
    if kind == "categorising":
        if not categories:
            raise FrameworkError(f"{where}: a categorising framework needs categories")
        if numbers != list(range(1, len(numbers) + 1)):
            raise FrameworkError(f"{where}: categories must be numbered 1, 2, 3... in order")

    groups = []
    for i, raw in enumerate(data.get("groups", [])):
        at = f"{where}: groups[{i}]"
        group_code = _require(raw, "code", str, at)
        at = f"{where}: group '{group_code}'"
        if not re.match(rf"^{re.escape(code)}(\d+|\.[a-z0-9_]+)$", group_code):
            raise FrameworkError(
                f"{at}: group codes are the framework code '{code}' followed by a number or "
                "a dot and a lower-case name"
            )
        category = raw.get("category")
        group_kind = raw.get("kind", "category" if category is not None else "checklist")
        if group_kind not in GROUP_KINDS:
            raise FrameworkError(f"{at}: kind must be one of {list(GROUP_KINDS)}, not "
                                 f"{group_kind!r}")
        if group_kind == "category":
            if category not in numbers:
                raise FrameworkError(f"{at}: category {category!r} is not one of {numbers}")
        elif category is not None:
            raise FrameworkError(f"{at}: a {group_kind} group has no category of its own")
        if kind == "checklist" and group_kind != "checklist":
            raise FrameworkError(f"{at}: a checklist framework has only checklist groups")
        groups.append(
            Group(code=group_code, label=_require(raw, "label", str, at), category=category,
                  kind=group_kind, hint=raw.get("hint", ""), citation=raw.get("citation", ""))
        )
    group_by_code = {g.code: g for g in groups}
    if len(group_by_code) != len(groups):
        raise FrameworkError(f"{where}: group codes must be unique")
    if kind == "categorising" and all(g.kind == "checklist" for g in groups):
        raise FrameworkError(f"{where}: a categorising framework needs groups that are not "
                             "only checklists")

    indicators = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("indicators", [])):
        at = f"{where}: indicators[{i}]"
        ind_code = _require(raw, "code", str, at)
        at = f"{where}: indicator '{ind_code}'"
        if ind_code in seen:
            raise FrameworkError(f"{at} appears twice")
        seen.add(ind_code)
        if not ind_code.startswith(f"{code}") or "." not in ind_code:
            raise FrameworkError(f"{at}: codes must start with the framework code '{code}'")
        group_code = _require(raw, "group", str, at)
        if group_code not in group_by_code:
            raise FrameworkError(f"{at} names unknown group '{group_code}'")
        prefix, _dot, name = ind_code.rpartition(".")
        if prefix != group_code or not NAME.match(name):
            raise FrameworkError(
                f"{at}: codes are the group's code, a dot and a lower-case name "
                f"('{group_code}.something')"
            )
        indicators.append(
            Indicator(
                code=ind_code,
                group=group_code,
                wording=_require(raw, "wording", str, at),
                citation=_require(raw, "citation", str, at),
                seed_wording=raw.get("seed_wording", ""),
                category=group_by_code[group_code].category,
            )
        )
    if not indicators:
        raise FrameworkError(f"{where}: no indicators")

    criteria = []
    for i, raw in enumerate(data.get("meeting_criteria", [])):
        at = f"{where}: meeting_criteria[{i}]"
        criterion = MeetingCriterion(
            code=_require(raw, "code", str, at),
            wording=_require(raw, "wording", str, at),
            citation=_require(raw, "citation", str, at),
            indicators=tuple(raw.get("indicators", [])),
            facts=tuple(raw.get("facts", [])),
        )
        unknown = [c for c in criterion.indicators if c not in seen]
        if unknown:
            raise FrameworkError(f"{at} names unknown indicators: {', '.join(unknown)}")
        odd = [f for f in criterion.facts if f not in FACTS]
        if odd:
            raise FrameworkError(f"{at}: facts must be among {list(FACTS)}, not {odd}")
        criteria.append(criterion)

    return Framework(
        code=code,
        version=version,
        name=_require(data, "name", str, where),
        kind=kind,
        source=_require(data, "source", str, where),
        categories=tuple(categories),
        groups=tuple(groups),
        indicators=tuple(indicators),
        age_note=data.get("age_note", ""),
        category_noun=_category_noun(data, where),
        meeting_criteria=tuple(criteria),
        _by_code={i.code: i for i in indicators},
    )


def _category_noun(data: dict, where: str) -> str:
    noun = data.get("category_noun", "category")
    if noun not in CATEGORY_NOUNS:
        raise FrameworkError(f"{where}: category_noun must be one of {sorted(CATEGORY_NOUNS)}")
    return noun


def load_file(path: Path) -> Framework:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(f"{path.name}: not valid TOML: {exc}") from exc
    return parse(data, path.name)


def load_directory(directory: Path) -> dict[tuple[str, str], Framework]:
    """Every framework version in a directory, keyed by (code, version)."""
    frameworks: dict[tuple[str, str], Framework] = {}
    for path in sorted(directory.glob("*.toml")):
        framework = load_file(path)
        key = (framework.code, framework.version)
        if key in frameworks:
            raise FrameworkError(f"{path.name}: {framework.code} {framework.version} defined twice")
        frameworks[key] = framework
    return frameworks
