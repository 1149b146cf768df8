"""The West Midlands regional CSE screening tool (SPEC §3.1; seed 001, the West Midlands
regional CSE toolkit, Coventry Safeguarding Children Board): categories 1 to 3, the highest
category of any indicator present, with hard floors. No Django."""

from collections import Counter

from ..frameworks import Framework
from .common import (
    NOT_REQUIRED,
    REQUIRED,
    SOCIAL_WORKER,
    ScreeningInput,
    ScreeningInputError,
    Settings,
    of_kind,
    wordings,
)
from .model import Outcome, Requirements


class WestMidlands:
    code = "wm"

    def questions(self, age: int) -> frozenset[str]:
        asked = {"s47_cse"}
        if age >= 18:
            asked.add("additional_needs")
        return frozenset(asked)

    def check_scope(self, given: ScreeningInput) -> None:
        # Under 18, or 18-20 with additional needs (seed 001, Important points: "special
        # consideration up to the age of 21"). A learning disability is an additional need.
        additional = given.additional_needs or given.learning_disability
        if given.age >= 18 and not (additional and given.age <= 20):
            raise ScreeningInputError(
                f"age {given.age} is outside the West Midlands tool's scope: under 18, or 18 "
                "to 20 with additional needs"
            )

    def suggest(self, framework: Framework, given: ScreeningInput, settings: Settings) -> Outcome:
        # Every West Midlands indicator points to a category; any indicator of another kind
        # (a checklist) would inform judgement only, and counts towards none.
        signals = of_kind(framework, given.indicators, "category")
        per_category = Counter(framework.category_of(c) for c in signals)
        highest = max(per_category, default=0)
        out = Outcome(1, 1)
        if highest:
            listed = ", ".join(
                f"{count} of category {number}" for number, count in sorted(per_category.items())
            )
            out.drivers = sorted(c for c in signals if framework.category_of(c) == highest)
            out.reasons.append(
                f"Indicators ticked: {listed}. The tool suggests the highest category of any "
                f"indicator present: category {highest}, because of: "
                f"{wordings(framework, out.drivers)} (West Midlands CSE toolkit, Figure 2)."
            )
        else:
            out.reasons.append(
                "No indicators ticked. The tool has no category below 1; record your analysis "
                "of why a screening was needed (West Midlands CSE toolkit, Figure 2)."
            )

        if given.indicators and given.age < 13:
            out.floor = 2
            out.floor_reasons.append(
                "The child is under 13 and there are indicators of CSE, so they cannot be "
                "category 1 (West Midlands CSE toolkit, Important points: no child under 13 can be "
                "assessed as low risk)."
            )
        if given.indicators and given.learning_disability:
            out.floor = 2
            out.floor_reasons.append(
                "The child has a learning disability and there are indicators of CSE, so they "
                "cannot be category 1 (West Midlands CSE toolkit, Important points: no child with "
                "a learning disability will be assessed as low risk)."
            )
        if given.s47_cse:
            out.floor = 3
            out.floor_reasons.append(
                "This is a section 47 enquiry with CSE as the presenting issue, so the category "
                "is 3 (SPEC §3.1; West Midlands CSE toolkit, Figure 2: category 3 is the risk of "
                "significant harm)."
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
                f"consider whether category {highest + 1} is right (West Midlands CSE toolkit: "
                f"several lower-category indicators prompt the next category; this area's "
                f"setting is {prompt_at})."
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
                "(West Midlands CSE toolkit, Important points; SPEC §3.1)."
            )
        return out

    def requirements(self, framework: Framework, category: int, given: ScreeningInput,
                     settings: Settings) -> Requirements:
        rescreen = given.screener_role != SOCIAL_WORKER
        adult_route = given.age >= 18
        actions = list(framework.category(category).responses)
        if rescreen:
            actions.append(
                "A social worker re-screens this screening (West Midlands CSE toolkit, screening "
                "tool guidance 1: any screening not completed by a social worker is screened again "
                "by one)"
            )
        if adult_route:
            actions.append(
                "Notify adult safeguarding and plan the transition: Care Act criteria and a "
                "leaving-care pathway plan that names the CSE vulnerability (West Midlands CSE "
                "toolkit, young people aged 18 years and over)"
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
