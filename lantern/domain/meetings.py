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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, Self, get_args

from pydantic import Field, model_validator

from . import datafile
from .datafile import DataFileError, Schema, Text, one_of, show
from .profiles import MEETING_KINDS, OWNER_ROLES, MeetingKind, MeetingRule, Profile

Agenda = Literal["initial", "review"]
AGENDAS: tuple[Agenda, ...] = get_args(Agenda)
STEPS = ("strategy_discussion", "meeting", "review")
# lantern.people.models.AgencyKind values
AGENCY_KINDS = {"police", "csc", "education", "health", "yot", "housing", "voluntary",
                "probation", "other"}
Find = Literal["referrer", "allocated", "role", "agency", "other_areas", "named"]
FINDS = set(get_args(Find))
When = Literal["always", "looked_after"]
WHENS = set(get_args(When))
Offered = Literal["everywhere", "profile"]
OFFERED = set(get_args(Offered))
FORMATS = ("in_person", "video", "phone")

AgencyKind = Annotated[str, one_of(AGENCY_KINDS)]
OwnerRole = Annotated[str, one_of(OWNER_ROLES)]


class MeetingDataError(DataFileError):
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
    default_chair_roles: tuple[str, ...] = ()
    # Whether the meeting completes the CSE risk assessment, with the police input and the
    # oversight of both the CSE team manager and the police (seed 001), and the citation.
    risk_assessment: bool = False
    risk_assessment_citation: str = ""
    sets_level: bool = True  # the meeting sets the child's level of risk (seed 001)


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
    risk_assessment: RiskAssessment
    extras: Mapping[tuple[str, str], ProfileExtra] = field(default_factory=dict)
    source: str = ""  # the file it was read from, for messages

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


# --- The file's schema ------------------------------------------------------------------------

class InviteeFile(Schema):
    label: Text
    professional: bool  # false for the child and family: they never see a closed section
    find: Find
    when: When
    citation: Text
    role: str = ""
    agency_kind: Annotated[str, one_of(AGENCY_KINDS | {""})] = ""

    @model_validator(mode="after")
    def _finds_someone(self) -> Self:
        if self.find in {"allocated", "role"} and self.role not in OWNER_ROLES:
            raise ValueError(f"find {show(self.find)} needs a Lantern role: role must be one of "
                             f"{', '.join(sorted(OWNER_ROLES))}")
        if self.find == "agency" and not self.agency_kind:
            raise ValueError("find \"agency\" needs an agency_kind")
        return self


class KindFile(Schema):
    label: Text
    agenda: Agenda
    step: Literal["strategy_discussion", "meeting", "review"]
    must_attend: list[AgencyKind] = []
    by_phone: bool
    offered: Offered
    invite: list[Text] = []
    default_convened_by: Text
    default_chaired_by: Text
    default_owner_role: OwnerRole
    default_chair_roles: list[OwnerRole] = Field(min_length=1)
    citation: Text
    several_children: bool = False
    risk_assessment: bool
    risk_assessment_citation: Text
    sets_level: bool = True

    @model_validator(mode="after")
    def _assessment_sets_level(self) -> Self:
        if self.risk_assessment and not self.sets_level:
            raise ValueError("a meeting that completes the risk assessment sets the level of "
                             "risk: sets_level cannot be false")
        return self


class AgendaItemFile(Schema):
    code: Text
    title: Text
    citation: Text
    closed_hint: bool = False


class OutcomeFile(Schema):
    code: Text
    label: Text
    citation: Text


class ProfileExtraFile(Schema):
    invite: list[Text] = []
    family_warned: bool = False
    exit_strategy: bool = False
    citation: Text


class RiskAssessmentFile(Schema):
    contributors: list[AgencyKind] = []
    oversight: list[OwnerRole] = []
    citation: Text


class MeetingsFile(Schema):
    version: Text
    kinds: dict[MeetingKind, KindFile]
    agendas: dict[Agenda, list[AgendaItemFile]]
    invitees: dict[str, InviteeFile]
    outcomes: list[OutcomeFile] = Field(min_length=1)
    profiles: dict[str, dict[MeetingKind, ProfileExtraFile]] = {}
    risk_assessment: RiskAssessmentFile


def _known_invitees(codes: list[str], invitees: Mapping[str, InviteeFile], where: str,
                    key: datafile.Loc) -> tuple[str, ...]:
    unknown = sorted(set(codes) - set(invitees))
    if unknown:
        raise MeetingDataError.at(where, key, f"names unknown invitees {', '.join(unknown)}")
    return tuple(codes)


def _unique(codes: list[str], where: str, key: datafile.Loc) -> None:
    for i, code in enumerate(codes):
        if code in codes[:i]:
            raise MeetingDataError.at(where, (*key, i, "code"), f"{show(code)} appears twice")


def parse(data: object, where: str) -> Catalogue:
    """The catalogue from parsed TOML: the schema, then the cross references."""
    raw = datafile.validate(data, MeetingsFile, where, MeetingDataError)
    missing = sorted(MEETING_KINDS - set(raw.kinds))
    if missing:
        raise MeetingDataError.at(where, "kinds",
                                  f"no entry for meeting kinds {', '.join(missing)}")
    invitees = {code: Invitee(code=code, label=spec.label, professional=spec.professional,
                              find=spec.find, when=spec.when, citation=spec.citation,
                              role=spec.role, agency_kind=spec.agency_kind)
                for code, spec in raw.invitees.items()}
    kinds: dict[str, Kind] = {
        code: Kind(code=code, label=spec.label, agenda=spec.agenda, step=spec.step,
                   must_attend=tuple(spec.must_attend), by_phone=spec.by_phone,
                   offered=spec.offered,
                   invite=_known_invitees(spec.invite, raw.invitees, where,
                                          ("kinds", code, "invite")),
                   default_convened_by=spec.default_convened_by,
                   default_chaired_by=spec.default_chaired_by,
                   default_owner_role=spec.default_owner_role, citation=spec.citation,
                   several_children=spec.several_children,
                   default_chair_roles=tuple(spec.default_chair_roles),
                   risk_assessment=spec.risk_assessment,
                   risk_assessment_citation=spec.risk_assessment_citation,
                   sets_level=spec.sets_level)
        for code, spec in raw.kinds.items()
    }
    agendas: dict[str, tuple[AgendaItem, ...]] = {}
    for name in AGENDAS:
        items = raw.agendas.get(name, [])
        if not items:
            raise MeetingDataError.at(where, ("agendas", name), "must list at least one item")
        _unique([item.code for item in items], where, ("agendas", name))
        agendas[name] = tuple(AgendaItem(code=item.code, title=item.title,
                                         citation=item.citation, closed_hint=item.closed_hint)
                              for item in items)
    _unique([o.code for o in raw.outcomes], where, ("outcomes",))
    extras: dict[tuple[str, str], ProfileExtra] = {
        (profile, kind): ProfileExtra(
            invite=_known_invitees(spec.invite, raw.invitees, where,
                                   ("profiles", profile, kind, "invite")),
            family_warned=spec.family_warned, exit_strategy=spec.exit_strategy,
            citation=spec.citation)
        for profile, by_kind in raw.profiles.items() for kind, spec in by_kind.items()
    }
    risk = raw.risk_assessment
    return Catalogue(
        version=raw.version,
        kinds=kinds,
        agendas=agendas,
        invitees=invitees,
        outcomes=tuple(Outcome(code=o.code, label=o.label, citation=o.citation)
                       for o in raw.outcomes),
        extras=extras,
        risk_assessment=RiskAssessment(contributors=tuple(risk.contributors),
                                       oversight=tuple(risk.oversight), citation=risk.citation),
        source=where,
    )


def load(path: Path) -> Catalogue:
    return parse(datafile.read(path, MeetingDataError), datafile.name(path))


def check_profiles(catalogue: Catalogue, profile_codes: Iterable[str]) -> None:
    """What the data adds per profile names profiles that exist (called at start-up)."""
    known = set(profile_codes)
    for profile, kind in catalogue.extras:
        if profile not in known:
            raise MeetingDataError.at(catalogue.source or "meetings data", ("profiles", profile),
                                      f"names an unknown policy profile (known: "
                                      f"{', '.join(sorted(known))}); its entry {kind} cannot "
                                      "apply")


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
                 owner_role=kind.default_owner_role, citation=kind.citation,
                 chair_roles=kind.default_chair_roles, adopted=True)


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


# Who may convene a meeting the profile names someone else to convene, with a reason a manager
# of the area accepts before it is held (issue 14, item 2; seed 001, Figure 4: the allocated
# social worker convenes a MASE for a child open to children's social care): children's social
# care's practitioners. A school or a designated safeguarding lead refers instead; the police
# convene what the profile names them to (CMOG).
CONVENE_WITH_REASON = frozenset({"social_worker", "front_door"})


def may_convene_with_reason(user_role: str) -> bool:
    return user_role in CONVENE_WITH_REASON


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


def chair_needs_acceptance(chair: Chair, chair_role: str) -> bool:
    """Someone of a role the profile does not name chairs only with a reason a manager accepts
    (issue 14, item 2; SPEC §5: who chairs is per profile and per situation)."""
    return not chair.may_chair(chair_role)


def risk_assessment_problems(kind: Kind, *, police_input: bool, manager_oversight: bool,
                             police_oversight: bool) -> list[str]:
    """What the CSE risk assessment still lacks, at a kind of meeting that completes one
    (seed 001: the police must provide an input; oversight by the CSE team manager and the
    police). Other kinds (a CP conference link, CMOG) complete none."""
    if not kind.risk_assessment:
        return []
    missing = []
    if not police_input:
        missing.append("police_input")
    if not manager_oversight:
        missing.append("manager_oversight")
    if not police_oversight:
        missing.append("police_oversight")
    return missing


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
