"""Evaluating a screening: the framework suggests, the professional decides (SPEC §3).

`evaluate` turns the ticked indicators and a few facts about the child into a suggestion
(possibly a range), any hard floor, what the framework requires next, and the reasons for all
of it in plain words. No Django here.
"""

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from .frameworks import Framework

SOCIAL_WORKER = "social_worker"

# Local settings the seeds leave open, with their documented defaults. An area overrides them
# in Area.local_settings.
DEFAULT_SETTINGS = {
    # seed 001 says several lower-category indicators should prompt the next category but
    # gives no number; three matches SPEC §3.2's reading of "multiple".
    "wm_prompt_next_category_at": 3,
}


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

    @property
    def is_range(self) -> bool:
        return self.minimum != self.maximum

    def allows(self, category: int) -> bool:
        return self.floor is None or category >= self.floor

    def as_contract(self) -> dict:
        """The JSON shape of `lantern screen` (issue "screening frameworks", CLI contract)."""
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


def _check_codes(framework: Framework, codes: Collection[str]) -> None:
    unknown = sorted(c for c in codes if not framework.has_indicator(c))
    if unknown:
        raise ScreeningInputError(
            f"unknown indicator code for framework '{framework.code}': {', '.join(unknown)}"
        )


def _wm(framework: Framework, given: ScreeningInput, settings: Mapping) -> Suggestion:
    # Age scope: under 18, or 18-20 with additional needs (seed 001, Important points:
    # "special consideration up to the age of 21").
    if given.age < 0:
        raise ScreeningInputError(f"age {given.age} is not a valid age")
    if given.age >= 18 and not (given.additional_needs and given.age <= 20):
        raise ScreeningInputError(
            f"age {given.age} is outside the West Midlands tool's scope: under 18, or 18 to 20 "
            "with additional needs"
        )

    reasons: list[str] = []
    prompts: list[str] = []
    per_category = Counter(framework.indicator(c).category for c in given.indicators)
    highest = max(per_category) if per_category else 0

    if highest:
        listed = ", ".join(
            f"{count} of category {number}" for number, count in sorted(per_category.items())
        )
        reasons.append(
            f"Indicators ticked: {listed}. The tool suggests the highest category of any "
            f"indicator present: category {highest} (seed 001, Figure 2)."
        )
    else:
        reasons.append(
            "No indicators ticked. The tool has no category below 1; record your analysis of "
            "why a screening was needed (seed 001, Figure 2)."
        )

    floor: int | None = None
    floor_reasons: list[str] = []
    if given.indicators and given.age < 13:
        floor = 2
        floor_reasons.append(
            "The child is under 13 and there are indicators of CSE, so they cannot be "
            "category 1 (seed 001, Important points: no child under 13 can be assessed as low "
            "risk)."
        )
    if given.indicators and given.learning_disability:
        floor = 2
        floor_reasons.append(
            "The child has a learning disability and there are indicators of CSE, so they "
            "cannot be category 1 (seed 001, Important points)."
        )
    if given.s47_cse:
        floor = 3
        floor_reasons.append(
            "This is a section 47 enquiry with CSE as the presenting issue, so the category is "
            "3 (SPEC §3.1)."
        )
    reasons.extend(floor_reasons)

    suggested = max(highest, floor or 0, 1)
    if floor and suggested == floor and floor > highest:
        reasons.append(f"The suggestion is raised to the floor: category {floor}.")

    prompt_at = int(settings.get("wm_prompt_next_category_at", 3))
    top = framework.category_numbers[-1]
    if highest and highest < top and per_category[highest] >= prompt_at and suggested == highest:
        prompts.append(
            f"{per_category[highest]} indicators of category {highest} are ticked: consider "
            f"whether category {highest + 1} is right (seed 001: several lower-category "
            f"indicators prompt the next category; this area's setting is {prompt_at})."
        )

    requires_referral = suggested >= 2
    rescreen = given.screener_role != SOCIAL_WORKER
    adult_route = given.age >= 18

    actions = list(framework.category(suggested).responses)
    if rescreen:
        actions.append(
            "A social worker re-screens this screening (seed 001, screening tool guidance 1: "
            "any screening not completed by a social worker is screened again by one)"
        )
    if adult_route:
        actions.append(
            "Notify adult safeguarding and plan the transition: Care Act criteria and a "
            "leaving-care pathway plan that names the CSE vulnerability (seed 001, young people "
            "aged 18 and over)"
        )
        reasons.append(
            f"The young person is {given.age} with additional needs: screened under the "
            "special consideration up to 21, and the outcome routes to adults' services."
        )

    return Suggestion(
        framework=framework.code,
        version=framework.version,
        minimum=suggested,
        maximum=suggested,
        floor=floor,
        requires_referral=requires_referral,
        requires_social_worker_rescreen=rescreen,
        strategy_meeting="required" if suggested >= 2 else "not_required",
        adult_route=adult_route,
        reasons=reasons,
        actions=actions,
        prompts=prompts,
    )


RULES = {"wm": _wm}


def evaluate(
    framework: Framework, given: ScreeningInput, settings: Mapping | None = None
) -> Suggestion:
    """Suggest a category for `given` under `framework`, with reasons and required actions."""
    if framework.code not in RULES:
        raise ScreeningInputError(f"framework '{framework.code}' does not suggest a category")
    _check_codes(framework, given.indicators)
    merged = {**DEFAULT_SETTINGS, **(settings or {})}
    return RULES[framework.code](framework, given, merged)
