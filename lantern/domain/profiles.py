"""Policy profiles as data: an area's timescales, reviews per category, who convenes and chairs
which meeting, and the screening frameworks it uses (SPEC §4). Loading and validating the TOML
files in lantern/pathway/profiles/ and the local profiles an administrator defines as overrides
of one of them. A malformed profile fails loudly, naming the file and the problem. No Django.

A timescale looks like this (exactly one of hours, working_days, calendar_days, immediate):

    [timescales.meeting]
    label = "MASE meeting"
    working_days = 15
    from = "referral"                  # the event counted from: "referral" or "step"
    citation = "seed 001, MASE meetings"
    adopted = ""                       # set when the rule is not the profile's own seed's

or `same_as = "other_step"` where a procedure calls one step by another's name.
"""

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from . import datafile, dates


class ProfileError(ValueError):
    """A policy profile is malformed."""


class NoTimescale(LookupError):
    """The profile sets no timescale for the step."""


# Steps a timescale can be set for. The first five are the `lantern due` contract (issue 4).
STEPS = {
    "referral_decision": "Decision on a referral",
    "assessment": "Assessment",
    "initial_assessment": "Initial assessment",
    "meeting": "Multi-agency meeting",
    "police_referral_decision": "Decision whether to refer to the police",
    "strategy_discussion": "Strategy discussion",
    "urgent_strategy_discussion": "Urgent strategy discussion",
    "return_interview": "Return home interview after a missing episode",
}
CLI_STEPS = ("referral_decision", "assessment", "initial_assessment", "meeting",
             "police_referral_decision")

EVENTS = {
    "referral": "the referral being received",
    "step": "the step starting",
    "return": "the child's return from a missing episode",
}
UNITS = ("hours", "working_days", "calendar_days", "immediate")

# SPEC §5 meeting kinds.
MEETING_KINDS = {
    "strategy_discussion", "strategy_meeting", "mase_initial", "mase_review",
    "mase_looked_after", "complex_strategy", "cp_conference", "cmog",
}
# Lantern roles (lantern.people.models.Role) whose tray can hold the work of convening.
OWNER_ROLES = {"front_door", "social_worker", "cse_manager", "police", "dsl", "referrer"}

TOP_LEVEL_KEYS = {"code", "name", "nation", "source", "frameworks", "timescales", "reviews",
                  "meetings", "meeting_kind", "base"}
TIMESCALE_KEYS = {"label", "from", "from_wording", "citation", "adopted", "same_as", *UNITS}
REVIEW_KEYS = {"framework", "category", "minimum", "regular", "citation"}
MEETING_KEYS = {"kind", "label", "situation", "convened_by", "chaired_by", "owner_role",
                "citation"}
# What a local profile may override.
OVERRIDE_KEYS = {"name", "nation", "frameworks", "timescales", "reviews", "meetings",
                 "meeting_kind"}
CODE = re.compile(r"^[a-z][a-z0-9_-]{1,39}$")


@dataclass(frozen=True)
class Due:
    """A computed deadline: `at` is the last moment it is met; `on` is its date when the
    timescale counts days (met any time that day)."""

    at: datetime
    on: date | None
    basis: str

    @property
    def all_day(self) -> bool:
        return self.on is not None

    def as_text(self) -> str:
        """`YYYY-MM-DD` for day-based deadlines, an ISO 8601 local datetime for the others."""
        if self.on is not None:
            return self.on.isoformat()
        return self.at.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Timescale:
    step: str
    label: str
    unit: str
    amount: int
    event: str
    citation: str
    from_wording: str = ""
    adopted: str = ""
    called: str = ""  # the step's name when reached through `same_as`

    @property
    def own(self) -> bool:
        """Set by the profile's own seed (not adopted from another procedure)."""
        return not self.adopted

    def rule(self, nation: str) -> str:
        event = self.from_wording or EVENTS[self.event]
        nation_name = dates.NATIONS.get(nation, nation)
        if self.unit == "immediate":
            return "without delay"
        if self.unit == "hours":
            return f"within {self.amount} hours of {event}"
        if self.unit == "calendar_days":
            return f"within {self.amount} days of {event}"
        return (f"within {self.amount} working days of {event}, not counting weekends or "
                f"bank holidays in {nation_name}")

    def basis(self, nation: str) -> str:
        source = self.citation + (f"; {self.adopted}" if self.adopted else "")
        return f"{self.label} {self.rule(nation)} ({source})"

    def due(self, event: datetime, nation: str) -> Due:
        basis = self.basis(nation)
        if self.unit == "immediate":
            return Due(at=dates.local(event), on=None, basis=basis)
        if self.unit == "hours":
            return Due(at=dates.add_hours(event, self.amount), on=None, basis=basis)
        if self.unit == "calendar_days":
            day = dates.add_calendar_days(event, self.amount)
        else:
            day = dates.add_working_days(event, self.amount, nation)
        return Due(at=dates.end_of_day(day), on=day, basis=basis)


@dataclass(frozen=True)
class ReviewRule:
    framework: str
    category: int
    minimum: int  # reviews held before the pathway may exit once a plan is agreed
    regular: bool  # each review sets the date of the next, until the pathway exits
    citation: str


@dataclass(frozen=True)
class MeetingRule:
    kind: str
    label: str
    situation: str
    convened_by: str
    chaired_by: str
    owner_role: str
    citation: str


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    nation: str
    source: str
    frameworks: tuple[str, ...]
    timescales: dict[str, Timescale] = field(compare=False)
    reviews: tuple[ReviewRule, ...] = ()
    meetings: tuple[MeetingRule, ...] = ()
    meeting_kind: str = ""  # the kind of meeting the pathway's meeting step holds
    base: str = ""  # for a local profile: the profile it overrides

    def timescale(self, step: str, *, own_only: bool = False) -> Timescale:
        """The step's timescale; NoTimescale when the profile sets none (with `own_only`,
        also when the profile only adopts one from another procedure)."""
        if step not in STEPS:
            raise KeyError(step)
        found = self.timescales.get(step)
        if found is None or (own_only and not found.own):
            raise NoTimescale(step)
        return found

    def due(self, step: str, event: datetime, *, nation: str | None = None,
            own_only: bool = False) -> Due:
        return self.timescale(step, own_only=own_only).due(event, nation or self.nation)

    def review_rule(self, framework: str, category: int) -> ReviewRule | None:
        for rule in self.reviews:
            if rule.framework == framework and rule.category == category:
                return rule
        return None

    def meeting(self, kind: str) -> MeetingRule | None:
        for rule in self.meetings:
            if rule.kind == kind:
                return rule
        return None

    def missing_steps(self) -> list[str]:
        """Steps with no timescale at all, for the administrator to see."""
        return [step for step in STEPS if step not in self.timescales]


def _require(data, key: str, kind: type, where: str):
    return datafile.require(data, key, kind, where, ProfileError)


def _no_unknown(data: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _timescale(step: str, raw: dict, where: str) -> Timescale:
    units = [u for u in UNITS if u in raw]
    if len(units) != 1:
        raise ProfileError(f"{where}: give exactly one of {', '.join(UNITS)}")
    unit = units[0]
    if unit == "immediate":
        if raw["immediate"] is not True:
            raise ProfileError(f"{where}: 'immediate' must be true")
        amount = 0
    else:
        amount = _require(raw, unit, int, where)
        if not 1 <= amount <= 366:
            raise ProfileError(f"{where}: '{unit}' must be between 1 and 366, not {amount}")
    event = _require(raw, "from", str, where)
    if event not in EVENTS:
        raise ProfileError(f"{where}: 'from' must be one of {sorted(EVENTS)}, not {event!r}")
    adopted = raw.get("adopted", "")
    if not isinstance(adopted, str):
        raise ProfileError(f"{where}: 'adopted' must be str")
    return Timescale(
        step=step,
        label=_require(raw, "label", str, where),
        unit=unit,
        amount=amount,
        event=event,
        citation=_require(raw, "citation", str, where),
        from_wording=raw.get("from_wording", ""),
        adopted=adopted,
    )


def _timescales(raw_all: dict, where: str) -> dict[str, Timescale]:
    if not isinstance(raw_all, dict):
        raise ProfileError(f"{where}: 'timescales' must be a table of steps")
    found: dict[str, Timescale] = {}
    aliases: dict[str, str] = {}
    for step, raw in raw_all.items():
        at = f"{where}: timescales.{step}"
        if step not in STEPS:
            raise ProfileError(f"{at}: unknown step (steps are {', '.join(STEPS)})")
        if not isinstance(raw, dict):
            raise ProfileError(f"{at}: must be a table")
        _no_unknown(raw, TIMESCALE_KEYS, at)
        if "same_as" in raw:
            if set(raw) != {"same_as"}:
                raise ProfileError(f"{at}: 'same_as' stands alone")
            aliases[step] = _require(raw, "same_as", str, at)
        else:
            found[step] = _timescale(step, raw, at)
    for step, target in aliases.items():
        if target not in found:
            raise ProfileError(
                f"{where}: timescales.{step}: same_as '{target}', which has no timescale of its "
                "own"
            )
        source = found[target]
        found[step] = Timescale(**{**source.__dict__, "step": step, "called": target})
    return found


def _tables(raw_all, name: str, keys: set[str], where: str):
    """Each table of a list of tables ([[name]]), with where it is, checked for unknown keys."""
    if not isinstance(raw_all, list):
        raise ProfileError(f"{where}: '{name}' must be a list of tables")
    for i, raw in enumerate(raw_all):
        at = f"{where}: {name}[{i}]"
        if not isinstance(raw, dict):
            raise ProfileError(f"{at}: must be a table")
        _no_unknown(raw, keys, at)
        yield at, raw


def _reviews(raw_all, frameworks: tuple[str, ...], where: str) -> tuple[ReviewRule, ...]:
    rules = []
    seen = set()
    for at, raw in _tables(raw_all, "reviews", REVIEW_KEYS, where):
        framework = _require(raw, "framework", str, at)
        if framework not in frameworks:
            raise ProfileError(f"{at}: framework '{framework}' is not one of {list(frameworks)}")
        category = _require(raw, "category", int, at)
        minimum = _require(raw, "minimum", int, at)
        if category < 1 or minimum < 0:
            raise ProfileError(f"{at}: category must be 1 or more and minimum 0 or more")
        if (framework, category) in seen:
            raise ProfileError(f"{at}: {framework} category {category} appears twice")
        seen.add((framework, category))
        regular = _require(raw, "regular", bool, at)
        rules.append(ReviewRule(framework, category, minimum, regular,
                                _require(raw, "citation", str, at)))
    return tuple(rules)


def _meetings(raw_all, where: str) -> tuple[MeetingRule, ...]:
    rules = []
    for at, raw in _tables(raw_all, "meetings", MEETING_KEYS, where):
        kind = _require(raw, "kind", str, at)
        if kind not in MEETING_KINDS:
            raise ProfileError(f"{at}: kind '{kind}' is not one of {sorted(MEETING_KINDS)}")
        owner_role = _require(raw, "owner_role", str, at)
        if owner_role not in OWNER_ROLES:
            raise ProfileError(f"{at}: owner_role '{owner_role}' is not one of "
                               f"{sorted(OWNER_ROLES)}")
        rules.append(MeetingRule(
            kind=kind,
            label=_require(raw, "label", str, at),
            situation=_require(raw, "situation", str, at),
            convened_by=_require(raw, "convened_by", str, at),
            chaired_by=_require(raw, "chaired_by", str, at),
            owner_role=owner_role,
            citation=_require(raw, "citation", str, at),
        ))
    if len({r.kind for r in rules}) != len(rules):
        raise ProfileError(f"{where}: each meeting kind appears once")
    return tuple(rules)


def parse(data: dict, source_name: str) -> Profile:
    """Build a Profile from parsed TOML, checking every rule a profile must meet."""
    where = source_name
    _no_unknown(data, TOP_LEVEL_KEYS, where)
    code = _require(data, "code", str, where)
    if not CODE.match(code):
        raise ProfileError(f"{where}: code {code!r} must be lower-case letters, digits, - or _")
    nation = _require(data, "nation", str, where)
    if nation not in dates.NATIONS:
        raise ProfileError(f"{where}: nation must be one of {sorted(dates.NATIONS)}, "
                           f"not {nation!r}")
    frameworks = _require(data, "frameworks", list, where)
    if not frameworks or not all(isinstance(f, str) and f.strip() for f in frameworks):
        raise ProfileError(f"{where}: 'frameworks' must list at least one framework code")
    timescales = _timescales(data.get("timescales", {}), where)
    # A referral always has a deadline: the front door's tray is built on it.
    if "referral_decision" not in timescales:
        raise ProfileError(
            f"{where}: a profile must set timescales.referral_decision (mark it `adopted` "
            "when its own procedure sets none)"
        )
    meetings = _meetings(data.get("meetings", []), where)
    meeting_kind = data.get("meeting_kind", "")
    if meeting_kind and meeting_kind not in {m.kind for m in meetings}:
        raise ProfileError(f"{where}: meeting_kind '{meeting_kind}' is not one of its meetings")
    return Profile(
        code=code,
        name=_require(data, "name", str, where),
        nation=nation,
        source=_require(data, "source", str, where),
        frameworks=tuple(frameworks),
        timescales=timescales,
        reviews=_reviews(data.get("reviews", []), tuple(frameworks), where),
        meetings=meetings,
        meeting_kind=meeting_kind,
        base=data.get("base", ""),
    )


def load_file(path: Path) -> tuple[dict, Profile]:
    """The file's raw data (a local profile's base) and its validated profile."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path.name}: not valid TOML: {error}") from error
    profile = parse(data, path.name)
    if profile.code != path.stem:
        raise ProfileError(f"{path.name}: code '{profile.code}' must match the file name")
    return data, profile


def load_directory(directory: Path) -> dict[str, tuple[dict, Profile]]:
    found: dict[str, tuple[dict, Profile]] = {}
    for path in sorted(directory.glob("*.toml")):
        data, profile = load_file(path)
        found[profile.code] = (data, profile)
    if not found:
        raise ProfileError(f"{directory}: no policy profiles found")
    return found


def parse_overrides(text: str, where: str) -> dict:
    """A local profile's overrides, as TOML text an administrator writes."""
    try:
        data = tomllib.loads(text or "")
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{where}: not valid TOML: {error}") from error
    _no_unknown(data, OVERRIDE_KEYS, where)
    return data


def build_local(code: str, base_code: str, base_data: dict, overrides_text: str) -> Profile:
    """A local profile: the base profile's data with the overrides laid over it, validated
    exactly as a file is. Timescales are overridden step by step; frameworks, reviews and
    meetings, when given, replace the base's."""
    where = f"local profile '{code}'"
    overrides = parse_overrides(overrides_text, where)
    merged = {k: v for k, v in base_data.items() if k != "timescales"}
    merged["timescales"] = dict(base_data.get("timescales", {}))
    for key, value in overrides.items():
        if key == "timescales":
            if not isinstance(value, dict):
                raise ProfileError(f"{where}: 'timescales' must be a table of steps")
            merged["timescales"].update(value)
        else:
            merged[key] = value
    merged["code"] = code
    merged["base"] = base_code
    merged["source"] = f"local profile based on {base_code} ({base_data.get('source', '')})"
    merged.setdefault("name", code)
    return parse(merged, where)
