"""Screening frameworks as versioned data: loading and validating the TOML definitions in
lantern/screening/frameworks/. A malformed file fails loudly, naming the file and the problem.
No Django here."""

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


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    category: int | None  # the category a group's indicators point to, if any


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    wording: str
    citation: str
    seed_wording: str = ""
    category: int | None = None


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


KINDS = {"categorising", "checklist"}


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
    if kind == "categorising":
        if not categories:
            raise FrameworkError(f"{where}: a categorising framework needs categories")
        if numbers != list(range(1, len(numbers) + 1)):
            raise FrameworkError(f"{where}: categories must be numbered 1, 2, 3... in order")

    groups = []
    for i, raw in enumerate(data.get("groups", [])):
        at = f"{where}: groups[{i}]"
        category = raw.get("category")
        if category is not None and category not in numbers:
            raise FrameworkError(f"{at}: category {category} is not one of {numbers}")
        groups.append(
            Group(code=_require(raw, "code", str, at), label=_require(raw, "label", str, at),
                  category=category)
        )
    group_by_code = {g.code: g for g in groups}
    if len(group_by_code) != len(groups):
        raise FrameworkError(f"{where}: group codes must be unique")

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
        _by_code={i.code: i for i in indicators},
    )


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
