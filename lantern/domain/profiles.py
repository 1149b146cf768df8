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
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import AfterValidator, Discriminator, Field, Tag, model_validator

from . import datafile, dates
from .datafile import DataFileError, Schema, Text, one_of, show


class ProfileError(DataFileError):
    """A policy profile is malformed."""


class NoTimescale(LookupError):
    """The profile sets no timescale for the step."""


# Steps a timescale can be set for. The first five are the `lantern due` contract (issue 4).
Step = Literal["referral_decision", "assessment", "initial_assessment", "meeting",
               "police_referral_decision", "strategy_discussion",
               "urgent_strategy_discussion", "return_interview"]
STEPS: dict[Step, str] = {
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

Event = Literal["referral", "step", "return"]
EVENTS: dict[Event, str] = {
    "referral": "the referral being received",
    "step": "the step starting",
    "return": "the child's return from a missing episode",
}
Unit = Literal["hours", "working_days", "calendar_days", "immediate"]
UNITS: tuple[Unit, ...] = get_args(Unit)

# SPEC §5 meeting kinds.
MeetingKind = Literal["strategy_discussion", "strategy_meeting", "mase_initial", "mase_review",
                      "mase_looked_after", "statutory_review", "complex_strategy",
                      "cp_conference", "cmog"]
MEETING_KINDS = set(get_args(MeetingKind))
# Lantern roles (lantern.people.models.Role) whose tray can hold the work of convening.
OWNER_ROLES = {"front_door", "social_worker", "cse_manager", "police", "dsl", "referrer"}
# Who decides the child's and family's participation: a Lantern role, or the meeting's chair.
CHAIR = "chair"

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
    event: Event
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
    adopted: str = ""  # set when the rule is not the profile's own seed's

    def needs_date(self, reviews_held: int) -> bool:
        """Whether a meeting or review setting this level must set the date of the next
        review: always when reviews are regular, else until the minimum is held."""
        return self.regular or reviews_held < self.minimum


@dataclass(frozen=True)
class MeetingRule:
    kind: str
    label: str
    situation: str
    convened_by: str
    chaired_by: str
    owner_role: str
    citation: str
    # The Lantern roles that may chair it (SPEC §5, issue 14): anyone else chairs only with a
    # reason a manager accepts.
    chair_roles: tuple[str, ...] = ()

    def may_chair(self, role: str) -> bool:
        return role in self.chair_roles


@dataclass(frozen=True)
class ParticipationRule:
    """Who decides whether the child and family attend a meeting, and with whom (SPEC §5)."""

    decided_by: tuple[str, ...]  # Lantern roles, or "chair" (the meeting's chair)
    decided_with: str  # whom they decide it with, in words; "" when they decide alone
    citation: str
    adopted: str = ""  # set when the rule is not the profile's own seed's

    def may_decide(self, role: str, *, is_chair: bool) -> bool:
        return role in self.decided_by or (is_chair and CHAIR in self.decided_by)

    def describe(self) -> str:
        who = " or ".join("the meeting's chair" if d == CHAIR else ROLE_NAMES.get(d, d)
                          for d in self.decided_by)
        return who + (f", with {self.decided_with}" if self.decided_with else "")


ROLE_NAMES = {"front_door": "a front door worker", "social_worker": "a social worker",
              "cse_manager": "a CSE team manager", "police": "the police",
              "dsl": "a designated safeguarding lead", "referrer": "the referrer"}


@dataclass(frozen=True)
class RequiredMeeting:
    """A meeting the decided category or level calls for: the pathway opens it as work and
    cannot reach a plan or exit until it is held (or a manager records an exception)."""

    framework: str
    categories: tuple[int, ...]
    kind: str  # one of the profile's [[meetings]]
    counts: tuple[str, ...]  # meeting kinds whose holding satisfies it
    citation: str

    @property
    def timescale(self) -> str:
        """The profile timescale it is due by: a strategy discussion's own, else the meeting's."""
        return "strategy_discussion" if self.kind == "strategy_discussion" else "meeting"


@dataclass(frozen=True)
class ClosureApproval:
    """Categories at which closing with no further action needs a manager's approval."""

    framework: str
    categories: tuple[int, ...]
    citation: str


@dataclass(frozen=True)
class ResponseOutcome:
    """What was done about a tracked response, as the person recording it chooses it."""

    code: str
    label: str
    after: tuple[str, ...] = ()  # the outcomes it may follow; empty: only as the first
    decided: bool = False  # a decision received (the NRM's): the pathway may end
    final: bool = True  # the response is done; otherwise `next` is the work that follows
    not_when_indicated: bool = False  # refused when the trigger indicators are present
    next: str = ""
    next_basis: str = ""


@dataclass(frozen=True)
class TrackedResponse:
    """A response a decided category or the indicators recorded call for (issue 14, item 6):
    opened as work with an owner and a due date (or whose judgement sets one), done with what
    was done. With `exit_until_decided`, a child with the indicators cannot leave the pathway
    until an outcome marked `decided` is recorded, unless a manager records an exception."""

    code: str
    label: str
    framework: str
    categories: tuple[int, ...]
    indicators: tuple[str, ...]
    owner_role: str  # the tray that holds it while no social worker is allocated
    timescale: Timescale | None
    judgement: str  # whose judgement sets when it is done, when no timescale does
    exit_until_decided: bool
    meetings: tuple[str, ...]  # meeting kinds whose holding about the child does it
    outcomes: tuple[ResponseOutcome, ...]
    citation: str
    indicators_citation: str = ""

    def calls_for(self, framework: str, category: int | None,
                  indicators: Iterable[str] = ()) -> tuple[bool, bool]:
        """(whether it is called for, whether because the trigger indicators are present)."""
        if framework != self.framework:
            return False, False
        indicated = bool(set(indicators) & set(self.indicators))
        return indicated or category in self.categories, indicated

    def outcome(self, code: str) -> ResponseOutcome | None:
        return next((o for o in self.outcomes if o.code == code), None)

    def allowed_outcomes(self, current: str, *, indicated: bool) -> tuple[ResponseOutcome, ...]:
        """What may be recorded next, after `current` (empty: nothing recorded yet)."""
        if current and (found := self.outcome(current)) is not None and found.final:
            return ()
        return tuple(o for o in self.outcomes
                     if (current in o.after if current else not o.after)
                     and not (indicated and o.not_when_indicated))


@dataclass(frozen=True)
class AdultSafeguarding:
    """Telling adult safeguarding of a young person aged 18 or over at risk (issue 14, item
    10): the route the area's nation uses, the lowest decided category of each tool that
    means "at risk", the tray that holds the work while no social worker is allocated, and a
    timescale or whose judgement sets when it is done."""

    route: str  # the adult safeguarding route, in words
    tell: str  # whom the referral goes to, in words
    at_risk: tuple[tuple[str, int], ...]  # (framework, lowest category at risk)
    owner_role: str
    timescale: Timescale | None
    judgement: str
    citation: str
    adopted: str = ""  # set when the rule is not the profile's own seed's

    def calls_for(self, framework: str, category: int | None) -> bool:
        """Whether a screening's decided category means the young person is at risk."""
        lowest = dict(self.at_risk).get(framework)
        return lowest is not None and category is not None and category >= lowest


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
    required_meetings: tuple[RequiredMeeting, ...] = ()
    closure_approval: tuple[ClosureApproval, ...] = ()
    participation: ParticipationRule | None = None
    review_kind: str = ""  # the kind of meeting the pathway's review step holds, if any
    responses: tuple[TrackedResponse, ...] = ()
    adult_safeguarding: AdultSafeguarding | None = None

    def responses_called_for(self, framework: str, category: int | None,
                             indicators: Iterable[str] = ()
                             ) -> tuple[tuple[TrackedResponse, bool], ...]:
        """The tracked responses a decided category or the indicators recorded call for, each
        with whether the trigger indicators are present, in the profile's order."""
        found = []
        for rule in self.responses:
            called, indicated = rule.calls_for(framework, category, indicators)
            if called:
                found.append((rule, indicated))
        return tuple(found)

    def response(self, code: str) -> TrackedResponse | None:
        return next((r for r in self.responses if r.code == code), None)

    def closing_needs_manager(self, framework: str, category: int | None
                              ) -> ClosureApproval | None:
        """The rule by which closing with no further action at this category needs a
        manager's approval with reasons, if there is one."""
        for rule in self.closure_approval:
            if rule.framework == framework and category in rule.categories:
                return rule
        return None

    def meetings_required(self, framework: str, category: int | None
                          ) -> tuple[RequiredMeeting, ...]:
        """The meetings a decided category (or level) of a framework calls for, in order."""
        if category is None:
            return ()
        return tuple(r for r in self.required_meetings
                     if r.framework == framework and category in r.categories)

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


# --- The file's schema ------------------------------------------------------------------------

def _code(value: str) -> str:
    if not CODE.match(value):
        raise ValueError(f"expected 2 to 40 lower-case letters, digits, - or _ (starting with a "
                         f"letter), got {show(value)}")
    return value


# A number of hours or days: at least 1, at most a year.
Amount = Annotated[int, Field(ge=1, le=366)]


class TimescaleFile(Schema):
    label: Text
    event: Event = Field(alias="from")
    from_wording: str = ""
    citation: Text
    adopted: str = ""  # set when the rule is not the profile's own seed's
    hours: Amount | None = None
    working_days: Amount | None = None
    calendar_days: Amount | None = None
    immediate: Literal[True] | None = None

    @model_validator(mode="after")
    def _one_unit(self) -> Self:
        if len(self.units) != 1:
            raise ValueError(f"give exactly one of {', '.join(UNITS)}")
        return self

    @property
    def units(self) -> list[Unit]:
        return [unit for unit in UNITS if getattr(self, unit) is not None]


class SameAsFile(Schema):
    """A step a procedure calls by another's name: `same_as = "initial_assessment"`."""

    same_as: Step


def _timescale_shape(value: Any) -> str:
    return "same_as" if isinstance(value, dict) and "same_as" in value else "own"


TimescaleEntry = Annotated[
    Annotated[TimescaleFile, Tag("own")] | Annotated[SameAsFile, Tag("same_as")],
    Discriminator(_timescale_shape),
]


class ReviewFile(Schema):
    framework: Text
    category: Annotated[int, Field(ge=1)]
    minimum: Annotated[int, Field(ge=0)]  # reviews held before the pathway may exit
    regular: bool  # each review sets the date of the next
    citation: Text
    adopted: str = ""  # set when the rule is not the profile's own seed's


class MeetingFile(Schema):
    kind: MeetingKind
    label: Text
    situation: Text
    convened_by: Text
    chaired_by: Text
    owner_role: Annotated[str, one_of(OWNER_ROLES)]
    chair_roles: list[Annotated[str, one_of(OWNER_ROLES)]] = Field(min_length=1)
    citation: Text


class ParticipationFile(Schema):
    decided_by: list[Annotated[str, one_of(OWNER_ROLES | {CHAIR})]] = Field(min_length=1)
    decided_with: str = ""
    citation: Text
    adopted: str = ""


class RequiredMeetingFile(Schema):
    framework: Text
    categories: list[Annotated[int, Field(ge=1)]] = Field(min_length=1)
    kind: MeetingKind
    counts: list[MeetingKind] = []  # other kinds whose holding satisfies it
    citation: Text


class ClosureApprovalFile(Schema):
    framework: Text
    categories: list[Annotated[int, Field(ge=1)]] = Field(min_length=1)
    citation: Text


class ResponseOutcomeFile(Schema):
    code: Annotated[str, AfterValidator(_code)]
    label: Text
    after: list[str] = []
    decided: bool = False
    final: bool = True
    not_when_indicated: bool = False
    next: str = ""
    next_basis: str = ""


class ResponseTimescaleFile(TimescaleFile):
    """A tracked response's own timescale, counted from when it is opened."""

    event: Literal["step"] = Field(alias="from")


class ResponseFile(Schema):
    code: Annotated[str, AfterValidator(_code)]
    label: Text
    framework: Text
    categories: list[Annotated[int, Field(ge=1)]] = []
    indicators: list[Text] = []
    indicators_citation: str = ""
    owner_role: Annotated[str, one_of(OWNER_ROLES)]
    due: ResponseTimescaleFile | None = None
    judgement: str = ""
    exit_until_decided: bool = False
    meetings: list[MeetingKind] = []
    citation: Text
    outcomes: list[ResponseOutcomeFile] = Field(min_length=1)


class AdultSafeguardingFile(Schema):
    route: Text
    tell: Text
    # The lowest decided category of each of the profile's tools that means "at risk".
    at_risk: dict[str, Annotated[int, Field(ge=1)]] = Field(min_length=1)
    owner_role: Annotated[str, one_of(OWNER_ROLES)]
    due: ResponseTimescaleFile | None = None
    judgement: str = ""
    citation: Text
    adopted: str = ""


class ProfileFile(Schema):
    code: Annotated[str, AfterValidator(_code)]
    name: Text
    nation: Annotated[str, one_of(dates.NATIONS)]
    source: Text
    frameworks: list[Text] = Field(min_length=1)
    timescales: dict[Step, TimescaleEntry] = {}
    # Every profile says how many reviews follow each level of risk, and how often (issue 14).
    reviews: list[ReviewFile] = Field(min_length=1)
    meetings: list[MeetingFile] = []
    meeting_kind: str = ""  # the kind of meeting the pathway's meeting step holds
    review_kind: str = ""  # the kind of meeting the pathway's review step holds, if any
    base: str = ""  # for a local profile: the profile it overrides
    required_meetings: list[RequiredMeetingFile] = []
    closure_approval: list[ClosureApprovalFile] = []
    participation: ParticipationFile
    responses: list[ResponseFile] = []
    # Every profile says how adult safeguarding is told of a young person at risk (issue 14).
    adult_safeguarding: AdultSafeguardingFile


class OverridesFile(Schema):
    """What a local profile may override; the result is checked as a whole profile."""

    name: object = None
    nation: object = None
    frameworks: object = None
    timescales: dict[str, object] | None = None
    reviews: object = None
    meetings: object = None
    meeting_kind: object = None
    review_kind: object = None
    required_meetings: object = None
    closure_approval: object = None
    participation: object = None
    responses: object = None
    adult_safeguarding: object = None


def _timescales(raw: ProfileFile, where: str) -> dict[str, Timescale]:
    found: dict[str, Timescale] = {}
    for step, spec in raw.timescales.items():
        if isinstance(spec, TimescaleFile):
            unit = spec.units[0]
            amount = 0 if unit == "immediate" else getattr(spec, unit)
            found[step] = Timescale(step=step, label=spec.label, unit=unit, amount=amount,
                                    event=spec.event, citation=spec.citation,
                                    from_wording=spec.from_wording, adopted=spec.adopted)
    for step, spec in raw.timescales.items():
        if isinstance(spec, SameAsFile):
            source = found.get(spec.same_as)
            if source is None:
                raise ProfileError.at(where, ("timescales", step, "same_as"),
                                      f"{show(spec.same_as)} has no timescale of its own")
            found[step] = replace(source, step=step, called=spec.same_as)
    return found


def _reviews(raw: ProfileFile, where: str) -> tuple[ReviewRule, ...]:
    rules = []
    seen = set()
    for i, spec in enumerate(raw.reviews):
        if spec.framework not in raw.frameworks:
            raise ProfileError.at(where, ("reviews", i, "framework"),
                                  f"expected one of the profile's frameworks "
                                  f"({', '.join(raw.frameworks)}), got {show(spec.framework)}")
        if (spec.framework, spec.category) in seen:
            raise ProfileError.at(where, ("reviews", i),
                                  f"{spec.framework} category {spec.category} appears twice")
        seen.add((spec.framework, spec.category))
        rules.append(ReviewRule(spec.framework, spec.category, spec.minimum, spec.regular,
                                spec.citation, spec.adopted))
    return tuple(rules)


def _meetings(raw: ProfileFile, where: str) -> tuple[MeetingRule, ...]:
    rules = tuple(MeetingRule(kind=m.kind, label=m.label, situation=m.situation,
                              convened_by=m.convened_by, chaired_by=m.chaired_by,
                              owner_role=m.owner_role, citation=m.citation,
                              chair_roles=tuple(m.chair_roles))
                  for m in raw.meetings)
    if len({r.kind for r in rules}) != len(rules):
        raise ProfileError.at(where, "meetings", "each meeting kind appears once")
    return rules


def _required_meetings(raw: ProfileFile, meetings: tuple[MeetingRule, ...],
                       where: str) -> tuple[RequiredMeeting, ...]:
    kinds = {m.kind for m in meetings}
    found = []
    for i, spec in enumerate(raw.required_meetings):
        if spec.framework not in raw.frameworks:
            raise ProfileError.at(where, ("required_meetings", i, "framework"),
                                  f"expected one of the profile's frameworks "
                                  f"({', '.join(raw.frameworks)}), got {show(spec.framework)}")
        if spec.kind not in kinds:
            raise ProfileError.at(where, ("required_meetings", i, "kind"),
                                  f"expected one of the kinds in its [[meetings]], got "
                                  f"{show(spec.kind)}")
        counts = (spec.kind, *(k for k in spec.counts if k != spec.kind))
        found.append(RequiredMeeting(spec.framework, tuple(spec.categories), spec.kind, counts,
                                     spec.citation))
    return tuple(found)


def _reviews_cover_required(reviews: tuple[ReviewRule, ...],
                            required: tuple[RequiredMeeting, ...], where: str) -> None:
    """A level that calls for a meeting leads to a plan, so the profile says how it is reviewed."""
    covered = {(r.framework, r.category) for r in reviews}
    for i, rule in enumerate(required):
        for category in rule.categories:
            if (rule.framework, category) not in covered:
                raise ProfileError.at(where, ("required_meetings", i, "categories"),
                                      f"{rule.framework} category {category} calls for a "
                                      "meeting but [[reviews]] says nothing of its reviews")


def _closure_approval(raw: ProfileFile, where: str) -> tuple[ClosureApproval, ...]:
    for i, spec in enumerate(raw.closure_approval):
        if spec.framework not in raw.frameworks:
            raise ProfileError.at(where, ("closure_approval", i, "framework"),
                                  f"expected one of the profile's frameworks "
                                  f"({', '.join(raw.frameworks)}), got {show(spec.framework)}")
    return tuple(ClosureApproval(s.framework, tuple(s.categories), s.citation)
                 for s in raw.closure_approval)


def _response(spec: ResponseFile, i: int, raw: ProfileFile, kinds: set[str],
              where: str) -> TrackedResponse:
    def problem(key: str | tuple[str | int, ...], text: str) -> ProfileError:
        keys: tuple[str | int, ...] = (key,) if isinstance(key, str) else key
        keys = tuple(k for k in keys if k != "")
        return ProfileError.at(where, ("responses", i, *keys), text)

    if spec.framework not in raw.frameworks:
        raise problem("framework", f"expected one of the profile's frameworks "
                                   f"({', '.join(raw.frameworks)}), got {show(spec.framework)}")
    if not spec.categories and not spec.indicators:
        raise problem("", "give the categories or the indicators that call for it")
    if spec.indicators and not spec.indicators_citation.strip():
        raise problem("indicators_citation", "say where the indicators come from")
    if spec.due is None and not spec.judgement.strip():
        raise problem("judgement", "with no `due` timescale, say whose judgement sets when it "
                                   "is done")
    for kind in spec.meetings:
        if kind not in kinds:
            raise problem("meetings", f"expected one of the kinds in its [[meetings]], got "
                                      f"{show(kind)}")
    codes = [o.code for o in spec.outcomes]
    if len(set(codes)) != len(codes):
        raise problem("outcomes", "each outcome code appears once")
    for j, outcome in enumerate(spec.outcomes):
        for before in outcome.after:
            if before not in codes:
                raise problem(("outcomes", j, "after"),
                              f"expected one of the outcomes, got {show(before)}")
        if not outcome.final and not outcome.next.strip():
            raise problem(("outcomes", j, "next"), "an outcome that is not final says what "
                                                  "work follows")
    if not any(o.final for o in spec.outcomes):
        raise problem("outcomes", "at least one outcome is final")
    if spec.exit_until_decided and not spec.indicators:
        raise problem("exit_until_decided", "name the indicators whose presence keeps the "
                                            "child on the pathway")
    if spec.exit_until_decided and not any(o.decided for o in spec.outcomes):
        raise problem("exit_until_decided", "at least one outcome is `decided`")
    timescale = None
    if spec.due is not None:
        unit = spec.due.units[0]
        timescale = Timescale(step=spec.code, label=spec.due.label, unit=unit,
                              amount=0 if unit == "immediate" else getattr(spec.due, unit),
                              event="step", citation=spec.due.citation,
                              from_wording=spec.due.from_wording or "the response being opened",
                              adopted=spec.due.adopted)
    return TrackedResponse(
        code=spec.code, label=spec.label, framework=spec.framework,
        categories=tuple(spec.categories), indicators=tuple(spec.indicators),
        owner_role=spec.owner_role, timescale=timescale, judgement=spec.judgement.strip(),
        exit_until_decided=spec.exit_until_decided, meetings=tuple(spec.meetings),
        outcomes=tuple(ResponseOutcome(o.code, o.label, tuple(o.after), o.decided, o.final,
                                       o.not_when_indicated, o.next, o.next_basis)
                       for o in spec.outcomes),
        citation=spec.citation, indicators_citation=spec.indicators_citation)


def _responses(raw: ProfileFile, meetings: tuple[MeetingRule, ...],
               where: str) -> tuple[TrackedResponse, ...]:
    kinds = {m.kind for m in meetings}
    found = tuple(_response(spec, i, raw, kinds, where) for i, spec in enumerate(raw.responses))
    if len({r.code for r in found}) != len(found):
        raise ProfileError.at(where, "responses", "each response code appears once")
    return found


def _adult_safeguarding(raw: ProfileFile, where: str) -> AdultSafeguarding:
    spec = raw.adult_safeguarding
    for framework in spec.at_risk:
        if framework not in raw.frameworks:
            raise ProfileError.at(where, ("adult_safeguarding", "at_risk", framework),
                                  f"expected one of the profile's frameworks "
                                  f"({', '.join(raw.frameworks)}), got {show(framework)}")
    if spec.due is None and not spec.judgement.strip():
        raise ProfileError.at(where, ("adult_safeguarding", "judgement"),
                              "with no `due` timescale, say whose judgement sets when it is "
                              "done")
    timescale = None
    if spec.due is not None:
        unit = spec.due.units[0]
        timescale = Timescale(step="adult_safeguarding", label=spec.due.label, unit=unit,
                              amount=0 if unit == "immediate" else getattr(spec.due, unit),
                              event="step", citation=spec.due.citation,
                              from_wording=spec.due.from_wording or "the concern being raised",
                              adopted=spec.due.adopted)
    return AdultSafeguarding(
        route=spec.route, tell=spec.tell, at_risk=tuple(sorted(spec.at_risk.items())),
        owner_role=spec.owner_role, timescale=timescale, judgement=spec.judgement.strip(),
        citation=spec.citation, adopted=spec.adopted)


def parse(data: object, source_name: str) -> Profile:
    """Build a Profile from parsed TOML: the schema, then the rules across its entries."""
    where = source_name
    raw = datafile.validate(data, ProfileFile, where, ProfileError)
    timescales = _timescales(raw, where)
    # A referral always has a deadline: the front door's tray is built on it.
    if "referral_decision" not in timescales:
        raise ProfileError.at(
            where, "timescales",
            "a profile must set timescales.referral_decision (mark it `adopted` when its own "
            "procedure sets none)")
    meetings = _meetings(raw, where)
    for key in ("meeting_kind", "review_kind"):
        value = getattr(raw, key)
        if value and value not in {m.kind for m in meetings}:
            raise ProfileError.at(where, key, f"expected one of the kinds in its [[meetings]], "
                                  f"got {show(value)}")
    reviews = _reviews(raw, where)
    required = _required_meetings(raw, meetings, where)
    _reviews_cover_required(reviews, required, where)
    participation = raw.participation
    return Profile(
        code=raw.code,
        name=raw.name,
        nation=raw.nation,
        source=raw.source,
        frameworks=tuple(raw.frameworks),
        timescales=timescales,
        reviews=reviews,
        meetings=meetings,
        meeting_kind=raw.meeting_kind,
        review_kind=raw.review_kind,
        base=raw.base,
        required_meetings=required,
        closure_approval=_closure_approval(raw, where),
        participation=ParticipationRule(
            decided_by=tuple(participation.decided_by),
            decided_with=participation.decided_with.strip(),
            citation=participation.citation, adopted=participation.adopted),
        responses=_responses(raw, meetings, where),
        adult_safeguarding=_adult_safeguarding(raw, where),
    )


def load_file(path: Path) -> tuple[dict[str, Any], Profile]:
    """The file's raw data (a local profile's base) and its validated profile."""
    where = datafile.name(path)
    data = datafile.read(path, ProfileError)
    profile = parse(data, where)
    if profile.code != path.stem:
        raise ProfileError.at(where, "code",
                              f"must match the file name, got {show(profile.code)}")
    return data, profile


def load_directory(directory: Path) -> dict[str, tuple[dict[str, Any], Profile]]:
    found: dict[str, tuple[dict[str, Any], Profile]] = {}
    for path in sorted(directory.glob("*.toml")):
        data, profile = load_file(path)
        found[profile.code] = (data, profile)
    if not found:
        raise ProfileError.at(datafile.name(directory), "", "no policy profiles found")
    return found


def parse_overrides(text: str, where: str) -> dict[str, Any]:
    """A local profile's overrides, as TOML text an administrator writes."""
    try:
        data = datafile.cited_data(tomllib.loads(text or ""))
    except tomllib.TOMLDecodeError as error:
        raise ProfileError.at(where, "", f"not valid TOML: {error}") from error
    datafile.validate(data, OverridesFile, where, ProfileError)
    return data


def build_local(code: str, base_code: str, base_data: dict[str, Any],
                overrides_text: str) -> Profile:
    """A local profile: the base profile's data with the overrides laid over it, validated
    exactly as a file is. Timescales are overridden step by step; frameworks, reviews and
    meetings, when given, replace the base's."""
    where = f"local profile '{code}'"
    overrides = parse_overrides(overrides_text, where)
    merged = {k: v for k, v in base_data.items() if k != "timescales"}
    merged["timescales"] = {**base_data.get("timescales", {}), **overrides.get("timescales", {})}
    merged.update((k, v) for k, v in overrides.items() if k != "timescales")
    merged["code"] = code
    merged["base"] = base_code
    merged["source"] = f"local profile based on {base_code} ({base_data.get('source', '')})"
    merged.setdefault("name", code)
    return parse(merged, where)
