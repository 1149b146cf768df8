"""Evaluating a screening: the framework suggests, the professional decides (SPEC §3).

`evaluate` turns the ticked indicators and a few facts about the child into a suggestion
(possibly a range), any hard floor, what the framework requires next, and the reasons for all
of it in plain words. `requirements` says what a framework requires for one category, so a
screening can record what follows from the category the professional decided on. No Django
here.

Each categorising framework has a rules object in RULES: West Midlands (`wm`, SPEC §3.1),
SERAF (`seraf`, §3.2) and Stockport's SERA levels (`sera`, §3.3). Checklists (`bristol`) have
no rules: they inform judgement only.
"""

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from .frameworks import Framework

SOCIAL_WORKER = "social_worker"

NOT_REQUIRED, CONSIDER, REQUIRED = "not_required", "consider", "required"

# Local settings the seeds leave open, with their documented defaults. An area overrides them
# in Area.local_settings; `lantern screen` uses the defaults.
DEFAULT_SETTINGS = {
    # seed 001 says several lower-category indicators should prompt the next category but
    # gives no number; three matches SPEC §3.2's reading of "multiple".
    "wm_prompt_next_category_at": 3,
    # seed 002 §5.7 says "multiple vulnerabilities" and "multiple ... risk indicators" without
    # a number; SPEC §3.2 reads them as two or more and three or more.
    "seraf_multiple_vulnerabilities": 2,
    "seraf_multiple_risk_indicators": 3,
    # seed 001 (screening tool guidance 1) says a social worker re-screens any screening made
    # by someone else, with no timescale. Lantern's default is the front door's own decision
    # time, 24 hours (seed 000 §13, SPEC §2), because the screening reaches the MASH with the
    # referral. Read by lantern.screening.actions.
    "wm_rescreen_hours": 24,
}

# The facts a screening may carry besides the indicators, as `lantern screen` reads them.
REQUEST_FIELDS = ("age", "indicators", "learning_disability", "additional_needs", "s47_cse",
                  "screener_role", "partner_age")

# seed 000 §4 (after Barnardo's): a partner five or more years older than a child under 18.
AGE_GAP_OF_CONCERN = 5


class ScreeningInputError(ValueError):
    """The input cannot be screened with this framework (unknown code, age out of scope)."""


@dataclass(frozen=True)
class ScreeningInput:
    age: int
    indicators: frozenset[str]
    learning_disability: bool = False
    additional_needs: bool = False
    s47_cse: bool = False
    screener_role: str = SOCIAL_WORKER
    # The age of the person described as the child's partner, when known (seed 000 §4).
    partner_age: int | None = None


@dataclass(frozen=True)
class Requirements:
    """What a framework requires for one category of one child."""

    requires_referral: bool
    strategy_meeting: str  # "required" | "consider" | "not_required"
    adult_route: bool
    requires_social_worker_rescreen: bool
    actions: tuple[str, ...]


@dataclass
class Suggestion:
    framework: str
    version: str
    minimum: int
    maximum: int
    floor: int | None
    requires_referral: bool
    requires_social_worker_rescreen: bool
    strategy_meeting: str  # "required" | "consider" | "not_required"
    adult_route: bool
    reasons: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    # The rules that set the floor, in words (also among `reasons`).
    floor_reasons: list[str] = field(default_factory=list)
    # The indicators that produced the suggestion (codes).
    drivers: list[str] = field(default_factory=list)

    @property
    def is_range(self) -> bool:
        return self.minimum != self.maximum

    def allows(self, category: int) -> bool:
        return self.floor is None or category >= self.floor

    @property
    def other_reasons(self) -> list[str]:
        """The reasons besides those for the floor (shown apart, with the floor)."""
        return [r for r in self.reasons if r not in self.floor_reasons]

    def as_contract(self) -> dict:
        """The JSON shape of `lantern screen` (issue 3, CLI contract)."""
        return {
            "framework": self.framework,
            "version": self.version,
            "suggested": {"min": self.minimum, "max": self.maximum},
            "floor": self.floor,
            "requires_referral": self.requires_referral,
            "requires_social_worker_rescreen": self.requires_social_worker_rescreen,
            "strategy_meeting": self.strategy_meeting,
            "adult_route": self.adult_route,
            "reasons": self.reasons + self.prompts,
            "actions": self.actions,
        }


@dataclass
class _Outcome:
    minimum: int
    maximum: int
    floor: int | None = None
    reasons: list[str] = field(default_factory=list)
    floor_reasons: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    drivers: list[str] = field(default_factory=list)


def _wordings(framework: Framework, codes: Collection[str]) -> str:
    return "; ".join(framework.indicator(c).wording for c in sorted(codes))


def _of_kind(framework: Framework, codes: Collection[str], kind: str) -> list[str]:
    return sorted(c for c in codes if framework.kind_of(c) == kind)


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"


# --- West Midlands (SPEC §3.1, seed 001) ----------------------------------------------------
class WestMidlands:
    code = "wm"

    def questions(self, age: int) -> frozenset[str]:
        asked = {"s47_cse"}
        if age >= 18:
            asked.add("additional_needs")
        return frozenset(asked)

    def check_scope(self, given: ScreeningInput) -> None:
        # Under 18, or 18-20 with additional needs (seed 001, Important points: "special
        # consideration up to the age of 21").
        if given.age >= 18 and not (given.additional_needs and given.age <= 20):
            raise ScreeningInputError(
                f"age {given.age} is outside the West Midlands tool's scope: under 18, or 18 "
                "to 20 with additional needs"
            )

    def suggest(self, framework: Framework, given: ScreeningInput, settings: Mapping) -> _Outcome:
        per_category = Counter(framework.indicator(c).category for c in given.indicators)
        highest = max(per_category, default=0)
        out = _Outcome(1, 1)
        if highest:
            listed = ", ".join(
                f"{count} of category {number}" for number, count in sorted(per_category.items())
            )
            out.drivers = sorted(
                c for c in given.indicators if framework.indicator(c).category == highest
            )
            out.reasons.append(
                f"Indicators ticked: {listed}. The tool suggests the highest category of any "
                f"indicator present: category {highest}, because of: "
                f"{_wordings(framework, out.drivers)} (seed 001, Figure 2)."
            )
        else:
            out.reasons.append(
                "No indicators ticked. The tool has no category below 1; record your analysis "
                "of why a screening was needed (seed 001, Figure 2)."
            )

        if given.indicators and given.age < 13:
            out.floor = 2
            out.floor_reasons.append(
                "The child is under 13 and there are indicators of CSE, so they cannot be "
                "category 1 (seed 001, Important points: no child under 13 can be assessed as "
                "low risk)."
            )
        if given.indicators and given.learning_disability:
            out.floor = 2
            out.floor_reasons.append(
                "The child has a learning disability and there are indicators of CSE, so they "
                "cannot be category 1 (seed 001, Important points: no child with a learning "
                "disability will be assessed as low risk)."
            )
        if given.s47_cse:
            out.floor = 3
            out.floor_reasons.append(
                "This is a section 47 enquiry with CSE as the presenting issue, so the category "
                "is 3 (SPEC §3.1; seed 001, Figure 2: category 3 is the risk of significant "
                "harm)."
            )
        out.reasons.extend(out.floor_reasons)

        suggested = max(highest, out.floor or 0, 1)
        if out.floor and suggested == out.floor and out.floor > highest:
            out.reasons.append(f"The suggestion is raised to the floor: category {out.floor}.")
        out.minimum = out.maximum = suggested

        prompt_at = int(settings["wm_prompt_next_category_at"])
        top = framework.category_numbers[-1]
        if highest and highest < top and per_category[highest] >= prompt_at and (
            suggested == highest
        ):
            out.prompts.append(
                f"{per_category[highest]} indicators of category {highest} are ticked: "
                f"consider whether category {highest + 1} is right (seed 001: several "
                f"lower-category indicators prompt the next category; this area's setting is "
                f"{prompt_at})."
            )
        if "wm3.under13_sexual_activity" in given.indicators and given.age >= 13:
            out.prompts.append(
                f"'{framework.indicator('wm3.under13_sexual_activity').wording}' is ticked for "
                f"a child of {given.age}: check the child's age and when the abuse happened."
            )
        if given.age >= 18:
            out.reasons.append(
                f"The young person is {given.age} with additional needs: screened under the "
                "special consideration up to 21, and the outcome routes to adults' services "
                "(seed 001, Important points; SPEC §3.1)."
            )
        return out

    def requirements(self, framework: Framework, category: int, given: ScreeningInput,
                     settings: Mapping) -> Requirements:
        rescreen = given.screener_role != SOCIAL_WORKER
        adult_route = given.age >= 18
        actions = list(framework.category(category).responses)
        if rescreen:
            actions.append(
                "A social worker re-screens this screening (seed 001, screening tool guidance "
                "1: any screening not completed by a social worker is screened again by one)"
            )
        if adult_route:
            actions.append(
                "Notify adult safeguarding and plan the transition: Care Act criteria and a "
                "leaving-care pathway plan that names the CSE vulnerability (seed 001, young "
                "people aged 18 years and over)"
            )
        return Requirements(
            # seed 001, screening tool guidance 5: categories 2 and 3 are referred.
            requires_referral=category >= 2,
            # seed 001, Figure 2: MASE for categories 2 and 3.
            strategy_meeting=REQUIRED if category >= 2 else NOT_REQUIRED,
            adult_route=adult_route,
            requires_social_worker_rescreen=rescreen,
            actions=tuple(actions),
        )


class ReferEveryConcern:
    """Frameworks of areas that refer every concern to social services (SPEC §2): a referral
    whenever any indicator is ticked, whatever the category. Subclasses say what the referral
    and a section 47 enquiry mean there, and which meeting each category needs."""

    MEETINGS: dict[int, str] = {}
    REFERRAL_ACTIONS: tuple[str, ...] = ()
    S47_ACTION = ""

    def questions(self, age: int) -> frozenset[str]:
        return frozenset({"s47_cse"})

    def actions(self, framework: Framework, category: int, given: ScreeningInput) -> list[str]:
        actions = list(self.REFERRAL_ACTIONS) if given.indicators else []
        if given.s47_cse:
            actions.append(self.S47_ACTION)
        return actions + list(framework.category(category).responses)

    def requirements(self, framework: Framework, category: int, given: ScreeningInput,
                     settings: Mapping) -> Requirements:
        routed = self.adult_route(category, given)
        return Requirements(
            requires_referral=bool(given.indicators),
            strategy_meeting=self.MEETINGS[category],
            adult_route=routed,
            requires_social_worker_rescreen=False,
            actions=tuple(self.actions(framework, category, given)
                          + self.adult_actions(given, routed)),
        )

    def adult_route(self, category: int, given: ScreeningInput) -> bool:
        return False

    def adult_actions(self, given: ScreeningInput, adult_route: bool) -> list[str]:
        return []


# --- SERAF (SPEC §3.2, seed 002 §5.2-5.7, §6) ----------------------------------------------
class Seraf(ReferEveryConcern):
    code = "seraf"
    MEETINGS = {1: NOT_REQUIRED, 2: CONSIDER, 3: REQUIRED, 4: REQUIRED}
    # SPEC §2: in Wales every concern is referred to social services (seed 002 §5.5).
    REFERRAL_ACTIONS = (
        "Refer to social services: every concern that a child is at risk of sexual "
        "exploitation is referred; the social services CSE lead officer and any allocated "
        "social worker are told of the referral (seed 002 §5.5)",
        "Social services complete the SERAF risk assessment within 7 working days of the "
        "referral (seed 002 §5.6)",
    )
    S47_ACTION = (
        "A section 47 enquiry with CSE presenting: police and social services hold a strategy "
        "discussion without delay (seed 002 §5.8)"
    )

    def check_scope(self, given: ScreeningInput) -> None:
        if given.age >= 25:
            # Issue 3 sets the scope; from 18 the pathway plan carries the protection
            # (seed 002 §6.5).
            raise ScreeningInputError(f"age {given.age} is outside SERAF's scope: under 25")

    def suggest(self, framework: Framework, given: ScreeningInput, settings: Mapping) -> _Outcome:
        vulnerable = _of_kind(framework, given.indicators, "vulnerability")
        risks = _of_kind(framework, given.indicators, "risk")
        significant = _of_kind(framework, given.indicators, "significant_risk")
        v, r, s = len(vulnerable), len(risks), len(significant)
        many_v = int(settings["seraf_multiple_vulnerabilities"])
        many_r = int(settings["seraf_multiple_risk_indicators"])
        counted = (
            f"Ticked: {_plural(v, 'vulnerability', 'vulnerabilities')}, "
            f"{_plural(r, 'risk indicator')}, {_plural(s, 'significant risk indicator')}."
        )
        reading = (
            f"The seed describes the categories in words, not counts; Lantern reads "
            f"'multiple' as {many_v} or more vulnerabilities and {many_r} or more risk "
            "indicators (SPEC §3.2; this area's settings)."
        )
        if s and (v or r):
            out = _Outcome(4, 4, drivers=significant)
            why = (
                f"{_wordings(framework, significant)}: a significant risk indicator together with "
                "other vulnerabilities or risk indicators means significant risk (seed 002 §5.7, "
                "§6.4.1)."
            )
        elif s:
            out = _Outcome(3, 4, drivers=significant)
            why = (
                f"{_wordings(framework, significant)}: a significant risk indicator with nothing "
                "else known. The table's significant risk also expects multiple vulnerabilities "
                "and risk indicators, so the suggestion is moderate or significant: find out "
                "more (seed 002 §5.7)."
            )
        elif r >= many_r:
            out = _Outcome(3, 3, drivers=risks)
            why = (
                f"{_wordings(framework, risks)}: multiple risk indicators mean moderate risk "
                "(seed 002 §5.7, §6.3)."
            )
        elif r:
            if v >= many_v:
                out = _Outcome(2, 3, drivers=risks + vulnerable)
                why = (
                    "One or two risk indicators with multiple vulnerabilities: the table's mild "
                    "risk allows one or two risk indicators, while §6.3 describes moderate risk "
                    "as multiple vulnerabilities with one or more risk indicators, so the "
                    "suggestion is mild or moderate (seed 002 §5.7, §6.2, §6.3)."
                )
            else:
                out = _Outcome(2, 2, drivers=risks)
                why = (
                    f"{_wordings(framework, risks)}: one or two risk indicators mean mild risk "
                    "(seed 002 §5.7)."
                )
        elif v >= many_v:
            out = _Outcome(1, 2, drivers=vulnerable)
            why = (
                "Multiple vulnerabilities and no risk indicators: not at risk allows "
                "vulnerabilities without risk indicators, while mild risk is described as "
                "multiple vulnerabilities, so the suggestion is not at risk or mild (seed 002 "
                "§5.7, §6.1, §6.2)."
            )
        else:
            out = _Outcome(1, 1, drivers=vulnerable)
            why = (
                "No risk indicators, and fewer than multiple vulnerabilities: not at risk (seed "
                "002 §5.7, §6.1)."
            )
        out.reasons = [counted, why, reading]
        return out

    def adult_route(self, category: int, given: ScreeningInput) -> bool:
        # seed 002 §5.7: from 18, moderate and significant risk go through the pathway plan,
        # the police public protection unit and adult safeguarding (§6.5).
        return given.age >= 18 and category >= 3

    def adult_actions(self, given: ScreeningInput, adult_route: bool) -> list[str]:
        if given.age < 18:
            return []
        if adult_route:
            return [
                "Address sexual exploitation in the pathway plan or other work plan, with "
                "liaison between social services and the police public protection unit (seed "
                "002 §5.7, §6.5.1)",
                "Consider a referral under adult safeguarding (POVA) arrangements (seed 002 "
                "§6.5)",
            ]
        return ["Include information and awareness raising in the pathway plan (seed 002 "
                "§6.5.1)"]


# --- Stockport SERA levels (SPEC §3.3, seed 000 §5, §11, §13-14) ---------------------------
class Sera(ReferEveryConcern):
    code = "sera"
    MEETINGS = {1: NOT_REQUIRED, 2: CONSIDER, 3: REQUIRED}
    # SPEC §2: a child suspected of suffering sexual exploitation is a child in need and is
    # referred to social care (seed 000 §13).
    REFERRAL_ACTIONS = (
        "Refer to children's social care: a child suspected of suffering sexual exploitation "
        "is a child in need (seed 000 §13)",
        "Social care decide within 24 hours and complete an initial assessment within 7 "
        "working days where appropriate (seed 000 §13)",
    )
    S47_ACTION = (
        "Concerns at the level of significant harm: a section 47 enquiry and an urgent "
        "strategy meeting or discussion with police (seed 000 §13 and flowchart)"
    )

    def check_scope(self, given: ScreeningInput) -> None:
        if given.age >= 18:
            raise ScreeningInputError(
                f"age {given.age} is outside the SERA levels' scope: under 18 (seed 000 §1)"
            )

    def suggest(self, framework: Framework, given: ScreeningInput, settings: Mapping) -> _Outcome:
        signals = _of_kind(framework, given.indicators, "category")
        checklist = _of_kind(framework, given.indicators, "checklist")
        if not signals:
            out = _Outcome(1, 1)
            out.reasons.append(
                "No level signals ticked: level 1 is the lowest level (seed 000 §11, level "
                "diagram)."
            )
        else:
            level = max(framework.indicator(c).category for c in signals)
            drivers = [c for c in signals if framework.indicator(c).category == level]
            if len(signals) == 1 and level > 1:
                out = _Outcome(level - 1, level, drivers=drivers)
                out.reasons.append(
                    f"{_wordings(framework, drivers)} is a level {level} signal and the only "
                    f"signal recorded. The diagram describes level 3 as multiple risk "
                    f"indicators and lower levels as fewer signals, so one signal suggests "
                    f"levels {level - 1} to {level} (seed 000 §11, level diagram; SPEC §3.3)."
                )
            else:
                out = _Outcome(level, level, drivers=drivers)
                out.reasons.append(
                    f"{_plural(len(signals), 'level signal')} recorded; the highest level with "
                    f"a signal present is level {level}, because of: "
                    f"{_wordings(framework, drivers)} (seed 000 §11, level diagram)."
                )
        out.reasons.append(
            "Levels can fall as well as rise: screen again whenever anything changes (seed 000 "
            "§11: movement between levels is not necessarily progressive)."
        )
        if checklist:
            out.prompts.append(
                f"{_plural(len(checklist), 'checklist indicator')} recorded: "
                f"{_wordings(framework, checklist)}. They inform your judgement and have no "
                "level of their own (seed 000 §5)."
            )
        family = [c for c in checklist if framework.indicator(c).group == "sera.f"]
        if family and signals:
            out.prompts.append(
                "Family history is recorded: it can increase the significance of the other "
                "indicators (seed 000 §5)."
            )
        if {"sera2.violence_intimidation_fear", "sera3.violence_intimidation_fear"} <= (
            given.indicators
        ):
            out.prompts.append(
                "'Experiencing violence, intimidation and fear' is ticked at both level 2 and "
                "level 3; the seed uses the same words at both levels. Tick the one that fits "
                "what the child is experiencing."
            )
        met = [
            criterion.wording for criterion in framework.meeting_criteria
            if set(criterion.indicators) & given.indicators
            or any(getattr(given, fact) for fact in criterion.facts)
        ]
        if met:
            out.prompts.append(
                "Present among the criteria that support convening a CSE strategy meeting "
                f"(none is required): {'; '.join(met)}. Weigh the child's age too (seed 000 "
                "§14)."
            )
        return out


RULES = {rules.code: rules for rules in (WestMidlands(), Seraf(), Sera())}


def rules_for(framework: Framework):
    if framework.code not in RULES:
        raise ScreeningInputError(f"framework '{framework.code}' does not suggest a category")
    return RULES[framework.code]


def check_framework(framework: Framework) -> None:
    """A categorising framework must have rules, with every category they name (called when
    the framework files load, so a mismatch stops Lantern at start-up)."""
    if framework.kind != "categorising":
        return
    rules = rules_for(framework)
    meetings = getattr(rules, "MEETINGS", None)
    if meetings is not None and sorted(meetings) != framework.category_numbers:
        raise ScreeningInputError(
            f"framework '{framework.code}' {framework.version} has categories "
            f"{framework.category_numbers}; its rules know {sorted(meetings)}"
        )


def settings_with_defaults(settings: Mapping | None) -> dict:
    merged = dict(DEFAULT_SETTINGS)
    for key, value in (settings or {}).items():
        if key in DEFAULT_SETTINGS:
            merged[key] = max(1, int(value))
    return merged


def questions(framework: Framework, age: int) -> frozenset[str]:
    """The facts besides the indicators that the framework's rules use for a child of `age`
    (what a screening page should ask)."""
    return rules_for(framework).questions(age)


def _check(framework: Framework, given: ScreeningInput) -> None:
    unknown = sorted(c for c in given.indicators if not framework.has_indicator(c))
    if unknown:
        raise ScreeningInputError(
            f"unknown indicator code for framework '{framework.code}': {', '.join(unknown)}"
        )
    if given.age < 0:
        raise ScreeningInputError(f"age {given.age} is not a valid age")
    if given.partner_age is not None and given.partner_age < 0:
        raise ScreeningInputError(f"partner_age {given.partner_age} is not a valid age")
    rules_for(framework).check_scope(given)


def _common_prompts(given: ScreeningInput) -> list[str]:
    prompts = []
    if given.partner_age is not None and given.age < 18:
        gap = given.partner_age - given.age
        if gap >= AGE_GAP_OF_CONCERN:
            prompts.append(
                f"The person described as the child's partner is {gap} years older than the "
                f"child. A gap of {AGE_GAP_OF_CONCERN} years or more with a child under 18 is a "
                "concern to act on; a smaller gap can still be one (seed 000 §4)."
            )
    if given.indicators and 16 <= given.age < 18:
        prompts.append(
            "Being 16 or 17 does not lower the risk: young people over the age of consent are "
            "still children who can suffer significant harm (seeds 000 §5, 001)."
        )
    return prompts


def requirements(framework: Framework, category: int, given: ScreeningInput,
                 settings: Mapping | None = None) -> Requirements:
    """What `framework` requires for `category` (e.g. the category the professional decided
    on, which may differ from the suggestion)."""
    _check(framework, given)
    return rules_for(framework).requirements(
        framework, category, given, settings_with_defaults(settings)
    )


def evaluate(
    framework: Framework, given: ScreeningInput, settings: Mapping | None = None
) -> Suggestion:
    """Suggest a category for `given` under `framework`, with reasons and required actions.
    Where the suggestion is a range, what is required follows its upper end (issue 3)."""
    rules = rules_for(framework)
    _check(framework, given)
    merged = settings_with_defaults(settings)
    out = rules.suggest(framework, given, merged)
    # The suggestion never falls below a floor (SPEC §3).
    if out.floor is not None:
        out.minimum = max(out.minimum, out.floor)
        out.maximum = max(out.maximum, out.minimum)
    required = rules.requirements(framework, out.maximum, given, merged)
    return Suggestion(
        framework=framework.code,
        version=framework.version,
        minimum=out.minimum,
        maximum=out.maximum,
        floor=out.floor,
        requires_referral=required.requires_referral,
        requires_social_worker_rescreen=required.requires_social_worker_rescreen,
        strategy_meeting=required.strategy_meeting,
        adult_route=required.adult_route,
        reasons=out.reasons,
        actions=list(required.actions),
        prompts=out.prompts + _common_prompts(given),
        floor_reasons=out.floor_reasons,
        drivers=out.drivers,
    )


# --- The request `lantern screen` reads -----------------------------------------------------
def _flag(data: Mapping, name: str) -> bool:
    value = data.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ScreeningInputError(f"{name} must be true or false, not {value!r}")
    return value


def _whole_number(data: Mapping, name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScreeningInputError(f"{name} must be a whole number of years, not {value!r}")
    return value


def input_from_request(data: object) -> ScreeningInput:
    """A ScreeningInput from the JSON object of the CLI contract: `age` and `indicators` are
    required, the flags default to false and `screener_role` to "social_worker". Anything
    else is refused naming the offending key or value, so a misspelt flag (which could hide a
    hard floor) never passes silently."""
    if not isinstance(data, dict):
        raise ScreeningInputError(f"the input must be a JSON object, not {data!r}")
    unknown = sorted(set(data) - set(REQUEST_FIELDS))
    if unknown:
        raise ScreeningInputError(
            f"unknown field {', '.join(repr(k) for k in unknown)}; expected "
            f"{', '.join(REQUEST_FIELDS)}"
        )
    for name in ("age", "indicators"):
        if name not in data:
            raise ScreeningInputError(f"'{name}' is required")
    age = _whole_number(data, "age")
    if age is None:
        raise ScreeningInputError("age must be a whole number of years, not None")
    indicators = data["indicators"]
    if not isinstance(indicators, list) or not all(isinstance(c, str) for c in indicators):
        raise ScreeningInputError(f"indicators must be a list of codes, not {indicators!r}")
    role = data.get("screener_role", SOCIAL_WORKER)
    if role is None:
        role = SOCIAL_WORKER
    if not isinstance(role, str) or not role.strip():
        raise ScreeningInputError(f"screener_role must be a role or job title, not {role!r}")
    return ScreeningInput(
        age=age,
        indicators=frozenset(indicators),
        learning_disability=_flag(data, "learning_disability"),
        additional_needs=_flag(data, "additional_needs"),
        s47_cse=_flag(data, "s47_cse"),
        screener_role=role.strip(),
        partner_age=_whole_number(data, "partner_age"),
    )
