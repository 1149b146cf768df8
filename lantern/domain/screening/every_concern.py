"""The shape shared by the frameworks of areas that refer every concern to social services
(SPEC §2): SERAF in Wales and Stockport's SERA levels. No Django."""

from collections.abc import Mapping
from typing import ClassVar

from ..frameworks import Framework
from .common import ScreeningInput, Settings
from .model import Requirements


class ReferEveryConcern:
    """Frameworks of areas that refer every concern to social services (SPEC §2): a referral
    whenever any indicator is ticked, whatever the category. Subclasses say what the referral
    and a section 47 enquiry mean there, and which meeting each category needs."""

    MEETINGS: ClassVar[Mapping[int, str]] = {}  # each category's strategy meeting
    REFERRAL_ACTIONS: ClassVar[tuple[str, ...]] = ()
    S47_ACTION: ClassVar[str] = ""

    def questions(self, age: int) -> frozenset[str]:
        return frozenset({"s47_cse"})

    def actions(self, framework: Framework, category: int, given: ScreeningInput) -> list[str]:
        actions = list(self.REFERRAL_ACTIONS) if given.indicators else []
        if given.s47_cse:
            actions.append(self.S47_ACTION)
        return actions + list(framework.category(category).responses)

    def requirements(self, framework: Framework, category: int, given: ScreeningInput,
                     settings: Settings) -> Requirements:
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
