"""Which rules evaluate a framework, and the evaluation itself: `evaluate` turns the ticked
indicators and a few facts about the child into a suggestion (possibly a range), any hard
floor, what the framework requires next, and the reasons for all of it; `requirements` says
what a framework requires for one category, so a screening can record what follows from the
category the professional decided on. No Django."""

from collections.abc import Mapping
from typing import Any

from ..frameworks import Framework
from .common import (
    AGE_GAP_OF_CONCERN,
    FrameworkRules,
    ScreeningInput,
    ScreeningInputError,
    settings_with_defaults,
)
from .model import Requirements, Suggestion
from .sera import Sera
from .seraf import Seraf
from .wm import WestMidlands

RULES: dict[str, FrameworkRules] = {
    rules.code: rules for rules in (WestMidlands(), Seraf(), Sera())
}


def rules_for(framework: Framework) -> FrameworkRules:
    if framework.code not in RULES:
        raise ScreeningInputError(f"framework '{framework.code}' does not suggest a category")
    return RULES[framework.code]


def check_framework(framework: Framework) -> None:
    """A categorising framework must have rules, with every category they name (called when
    the framework files load, so a mismatch stops Lantern at start-up)."""
    if framework.kind != "categorising":
        return
    rules = rules_for(framework)
    # Rules that name a meeting per category (SERAF, SERA) must name every category.
    meetings: Mapping[int, str] | None = getattr(rules, "MEETINGS", None)
    if meetings is not None and sorted(meetings) != framework.category_numbers:
        raise ScreeningInputError(
            f"framework '{framework.code}' {framework.version} has categories "
            f"{framework.category_numbers}; its rules know {sorted(meetings)}"
        )


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
                "concern to act on; a smaller gap can still be one (Stockport CSE procedure §4)."
            )
    if given.indicators and 16 <= given.age < 18:
        prompts.append(
            "Being 16 or 17 does not lower the risk: young people over the age of consent are "
            "still children who can suffer significant harm (Stockport CSE procedure §5; West "
            "Midlands CSE toolkit)."
        )
    return prompts


def requirements(framework: Framework, category: int, given: ScreeningInput,
                 settings: Mapping[str, Any] | None = None) -> Requirements:
    """What `framework` requires for `category` (e.g. the category the professional decided
    on, which may differ from the suggestion)."""
    _check(framework, given)
    return rules_for(framework).requirements(
        framework, category, given, settings_with_defaults(settings)
    )


def evaluate(
    framework: Framework, given: ScreeningInput, settings: Mapping[str, Any] | None = None
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
