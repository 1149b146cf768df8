"""Multi-agency meetings as data, and the plain rules about them (SPEC §5). No Django.

`lantern/meetings/data/meetings.toml` holds the kinds of meeting (with their agenda template,
the pathway step each is, who must attend and who Lantern proposes to invite), the agendas,
the invitee types, what each policy profile adds, the outcomes and the CSE risk assessment's
contributors. `load(path)` validates it and fails naming the file, the entry and the problem.

Who convenes and chairs a kind is the area's policy profile's (lantern/domain/profiles.py);
`chair_for` falls back to the kind's defaults here, marked as adopted, for a kind the profile
does not name (a complex strategy meeting in Coventry, for instance).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import datafile
from .profiles import MEETING_KINDS, OWNER_ROLES, MeetingRule, Profile

AGENDAS = ("initial", "review")
STEPS = ("strategy_discussion", "meeting", "review")
# lantern.people.models.AgencyKind values
AGENCY_KINDS = {"police", "csc", "education", "health", "yot", "housing", "voluntary",
                "probation", "other"}
FINDS = {"referrer", "allocated", "role", "agency", "other_areas", "named"}
WHENS = {"always", "looked_after"}
OFFERED = {"everywhere", "profile"}
FORMATS = ("in_person", "video", "phone")


class MeetingDataError(ValueError):
    """The meetings data file is malformed."""


@dataclass(frozen=True)
class AgendaItem:
    code: str
    title: str
    citation: str
    closed_hint: bool = False


@dataclass(frozen=True)
class Invitee:
    code: str
    label: str
    professional: bool
    find: str
    when: str
    citation: str
    role: str = ""
    agency_kind: str = ""


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    citation: str


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    agenda: str
    step: str
    must_attend: tuple[str, ...]
    by_phone: bool
    offered: str
    invite: tuple[str, ...]
    default_convened_by: str
    default_chaired_by: str
    default_owner_role: str
    citation: str
    several_children: bool = False


@dataclass(frozen=True)
class ProfileExtra:
    invite: tuple[str, ...] = ()
    family_warned: bool = False
    exit_strategy: bool = False
    citation: str = ""


@dataclass(frozen=True)
class RiskAssessment:
    contributors: tuple[str, ...]
    oversight: tuple[str, ...]
    citation: str


@dataclass(frozen=True)
class Catalogue:
    version: str
    kinds: Mapping[str, Kind]
    agendas: Mapping[str, tuple[AgendaItem, ...]]
    invitees: Mapping[str, Invitee]
    outcomes: tuple[Outcome, ...]
    extras: Mapping[tuple[str, str], ProfileExtra] = field(default_factory=dict)
    risk_assessment: RiskAssessment | None = None

    def kind(self, code: str) -> Kind:
        try:
            return self.kinds[code]
        except KeyError:
            raise LookupError(f"unknown meeting kind {code!r}") from None

    def additions(self, profile: Profile, kind: str) -> ProfileExtra:
        """What the profile (or, for a local profile, the profile it is based on) adds."""
        return (self.extras.get((profile.code, kind))
                or self.extras.get((profile.base, kind)) or ProfileExtra())

    def outcome(self, code: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.code == code:
                return outcome
        raise LookupError(f"unknown outcome {code!r}")


def _req(data, key: str, kind: type, where: str):
    return datafile.require(data, key, kind, where, MeetingDataError)


def _strings(data: Mapping, key: str, where: str, allowed: Iterable[str] | None = None
             ) -> tuple[str, ...]:
    values = data.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise MeetingDataError(f"{where}: '{key}' must be a list of strings")
    if allowed is not None:
        unknown = sorted(set(values) - set(allowed))
        if unknown:
            raise MeetingDataError(f"{where}: '{key}' names unknown {', '.join(unknown)}")
    return tuple(values)


def _one_of(value: str, allowed: Iterable[str], where: str, key: str) -> str:
    if value not in allowed:
        raise MeetingDataError(f"{where}: '{key}' must be one of {sorted(allowed)}, "
                               f"not {value!r}")
    return value


def _invitees(raw: Mapping, where: str) -> dict[str, Invitee]:
    found = {}
    for code, spec in raw.items():
        at = f"{where}: invitees.{code}"
        find = _one_of(_req(spec, "find", str, at), FINDS, at, "find")
        role = spec.get("role", "")
        agency_kind = spec.get("agency_kind", "")
        if find in {"allocated", "role"} and role not in OWNER_ROLES:
            raise MeetingDataError(f"{at}: find '{find}' needs a Lantern role")
        if find == "agency" and agency_kind not in AGENCY_KINDS:
            raise MeetingDataError(f"{at}: find 'agency' needs an agency_kind")
        if agency_kind and agency_kind not in AGENCY_KINDS:
            raise MeetingDataError(f"{at}: unknown agency_kind {agency_kind!r}")
        found[code] = Invitee(
            code=code, label=_req(spec, "label", str, at),
            professional=_req(spec, "professional", bool, at), find=find,
            when=_one_of(_req(spec, "when", str, at), WHENS, at, "when"),
            citation=_req(spec, "citation", str, at), role=role, agency_kind=agency_kind,
        )
    return found


def _kinds(raw: Mapping, invitees: Mapping[str, Invitee], where: str) -> dict[str, Kind]:
    found = {}
    for code, spec in raw.items():
        at = f"{where}: kinds.{code}"
        _one_of(code, MEETING_KINDS, at, "kind")
        found[code] = Kind(
            code=code, label=_req(spec, "label", str, at),
            agenda=_one_of(_req(spec, "agenda", str, at), AGENDAS, at, "agenda"),
            step=_one_of(_req(spec, "step", str, at), STEPS, at, "step"),
            must_attend=_strings(spec, "must_attend", at, AGENCY_KINDS),
            by_phone=_req(spec, "by_phone", bool, at),
            offered=_one_of(_req(spec, "offered", str, at), OFFERED, at, "offered"),
            invite=_strings(spec, "invite", at, invitees),
            default_convened_by=_req(spec, "default_convened_by", str, at),
            default_chaired_by=_req(spec, "default_chaired_by", str, at),
            default_owner_role=_one_of(_req(spec, "default_owner_role", str, at),
                                       OWNER_ROLES, at, "default_owner_role"),
            citation=_req(spec, "citation", str, at),
            several_children=bool(spec.get("several_children", False)),
        )
    missing = sorted(MEETING_KINDS - set(found))
    if missing:
        raise MeetingDataError(f"{where}: no entry for meeting kinds {', '.join(missing)}")
    return found


def _agendas(raw: Mapping, where: str) -> dict[str, tuple[AgendaItem, ...]]:
    found = {}
    for name in AGENDAS:
        items = raw.get(name)
        if not isinstance(items, list) or not items:
            raise MeetingDataError(f"{where}: agendas.{name} must list at least one item")
        codes = set()
        rows = []
        for i, spec in enumerate(items):
            at = f"{where}: agendas.{name}[{i}]"
            code = _req(spec, "code", str, at)
            if code in codes:
                raise MeetingDataError(f"{at}: code {code!r} appears twice")
            codes.add(code)
            rows.append(AgendaItem(code=code, title=_req(spec, "title", str, at),
                                   citation=_req(spec, "citation", str, at),
                                   closed_hint=bool(spec.get("closed_hint", False))))
        found[name] = tuple(rows)
    return found


def _outcomes(raw: list, where: str) -> tuple[Outcome, ...]:
    rows = []
    for i, spec in enumerate(raw or []):
        at = f"{where}: outcomes[{i}]"
        rows.append(Outcome(code=_req(spec, "code", str, at), label=_req(spec, "label", str, at),
                            citation=_req(spec, "citation", str, at)))
    if not rows:
        raise MeetingDataError(f"{where}: no outcomes")
    if len({o.code for o in rows}) != len(rows):
        raise MeetingDataError(f"{where}: each outcome code appears once")
    return tuple(rows)


def _extras(raw: Mapping, kinds: Mapping[str, Kind], invitees: Mapping[str, Invitee],
            where: str) -> dict[tuple[str, str], ProfileExtra]:
    found = {}
    for profile, by_kind in raw.items():
        for kind, spec in by_kind.items():
            at = f"{where}: profiles.{profile}.{kind}"
            if kind not in kinds:
                raise MeetingDataError(f"{at}: unknown meeting kind")
            found[(profile, kind)] = ProfileExtra(
                invite=_strings(spec, "invite", at, invitees),
                family_warned=bool(spec.get("family_warned", False)),
                exit_strategy=bool(spec.get("exit_strategy", False)),
                citation=_req(spec, "citation", str, at),
            )
    return found


def parse(data: Mapping, where: str) -> Catalogue:
    invitees = _invitees(_req(data, "invitees", dict, where), where)
    kinds = _kinds(_req(data, "kinds", dict, where), invitees, where)
    risk = _req(data, "risk_assessment", dict, where)
    return Catalogue(
        version=_req(data, "version", str, where),
        kinds=kinds,
        agendas=_agendas(_req(data, "agendas", dict, where), where),
        invitees=invitees,
        outcomes=_outcomes(data.get("outcomes", []), where),
        extras=_extras(data.get("profiles", {}), kinds, invitees, where),
        risk_assessment=RiskAssessment(
            contributors=_strings(risk, "contributors", f"{where}: risk_assessment",
                                  AGENCY_KINDS),
            oversight=_strings(risk, "oversight", f"{where}: risk_assessment", OWNER_ROLES),
            citation=_req(risk, "citation", str, f"{where}: risk_assessment"),
        ),
    )


def load(path: Path) -> Catalogue:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise MeetingDataError(f"{path.name}: not valid TOML: {error}") from error
    return parse(data, path.name)


def check_profiles(catalogue: Catalogue, profile_codes: Iterable[str]) -> None:
    """What the data adds per profile names profiles that exist (called at start-up)."""
    known = set(profile_codes)
    for profile, kind in catalogue.extras:
        if profile not in known:
            raise MeetingDataError(f"meetings data: profiles.{profile}.{kind} names an "
                                   "unknown policy profile")


# --- Rules ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chair(MeetingRule):
    """Who convenes and chairs a kind of meeting in an area, and where that comes from:
    the profile's rule, or (`adopted`) the kind's usual chair where the profile names none."""

    adopted: bool = False


def chair_for(kind: Kind, rule: MeetingRule | None) -> Chair:
    if rule is not None:
        return Chair(**vars(rule))
    return Chair(kind=kind.code, label=kind.label, situation="",
                 convened_by=kind.default_convened_by, chaired_by=kind.default_chaired_by,
                 owner_role=kind.default_owner_role, citation=kind.citation, adopted=True)


def offered_kinds(catalogue: Catalogue, profile: Profile) -> list[str]:
    """The kinds of meeting an area may convene: those its profile names, then those offered
    everywhere (SPEC §5 order)."""
    named = [rule.kind for rule in profile.meetings]
    rest = [code for code, kind in catalogue.kinds.items()
            if kind.offered == "everywhere" and code not in named]
    return named + rest


def may_convene(owner_role: str, user_role: str, *, allocated: bool) -> bool:
    """The convenor the profile names (its owner role) or a CSE team manager, who convenes and
    chairs multi-agency meetings (SPEC §1). A social worker convenes for a child they are
    allocated to (seed 001: the allocated social worker convenes for open cases)."""
    if user_role == "cse_manager":
        return True
    if user_role != owner_role:
        return False
    return allocated or owner_role != "social_worker"


def proposed_invitees(kind: Kind, extra: ProfileExtra, *, looked_after: bool,
                      joint: bool, invitees: Mapping[str, Invitee]) -> list[Invitee]:
    """Who Lantern proposes to invite, in the kind's order, then the profile's additions."""
    codes = list(kind.invite) + [c for c in extra.invite if c not in kind.invite]
    chosen = []
    for code in codes:
        invitee = invitees[code]
        if invitee.when == "looked_after" and not looked_after:
            continue
        if invitee.find == "other_areas" and not joint:
            continue
        chosen.append(invitee)
    return chosen


@dataclass(frozen=True)
class Warning:
    agency_kind: str
    stage: str  # "invited" (nobody invited) or "attended" (nobody came)


def attendance_warnings(kind: Kind, *, invited: Iterable[str], attended: Iterable[str] | None
                        ) -> list[Warning]:
    """Agencies that must attend (SPEC §5: police and children's social care at a strategy or
    MASE meeting; seed 000 §14) and are not invited, or (once attendance is recorded) did not
    attend."""
    invited, warnings = set(invited), []
    present = set(attended) if attended is not None else None
    for agency_kind in kind.must_attend:
        if agency_kind not in invited:
            warnings.append(Warning(agency_kind, "invited"))
        elif present is not None and agency_kind not in present:
            warnings.append(Warning(agency_kind, "attended"))
    return warnings


def format_allowed(kind: Kind, fmt: str) -> bool:
    """Seed 003 §11: a complex strategy is a meeting, never a telephone discussion."""
    return fmt in FORMATS and (fmt != "phone" or kind.by_phone)


def becomes_strategy_discussion(kind: Kind, *, section_47: bool) -> bool:
    """Seed 001: a MASE that decides on a section 47 enquiry becomes a strategy discussion, and
    the statutory process takes over."""
    return section_47 and kind.code.startswith("mase")


def missing_contributors(catalogue: Catalogue, contributed: Iterable[str]) -> list[str]:
    """Agency kinds that must contribute to the CSE risk assessment and have not (seed 001:
    at least children's social care, police and the CSE health worker)."""
    given = set(contributed)
    return [k for k in catalogue.risk_assessment.contributors if k not in given]
