"""What every framework's rules share: the facts a screening is evaluated with, the local
settings, the shape of a framework's rules, and a few ways of putting indicators into words.
No Django."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ..frameworks import Fact, Framework
from .model import Outcome, Requirements

SOCIAL_WORKER = "social_worker"

StrategyMeeting = Literal["not_required", "consider", "required"]
NOT_REQUIRED: StrategyMeeting = "not_required"
CONSIDER: StrategyMeeting = "consider"
REQUIRED: StrategyMeeting = "required"

# Local settings the seeds leave open, with their documented defaults. An area overrides them
# in Area.local_settings; `lantern screen` uses the defaults.
DEFAULT_SETTINGS: dict[str, int] = {
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

# The local settings with every default filled in (see `settings_with_defaults`).
Settings = Mapping[str, int]

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

    def fact(self, name: Fact) -> bool:
        """One of the facts besides the indicators (frameworks.FACTS), by name."""
        facts = {"learning_disability": self.learning_disability,
                 "additional_needs": self.additional_needs, "s47_cse": self.s47_cse}
        return facts[name]


def settings_with_defaults(settings: Mapping[str, Any] | None) -> dict[str, int]:
    """The defaults with an area's own values laid over them (at least 1 each); keys that are
    not screening settings are left out."""
    merged = dict(DEFAULT_SETTINGS)
    for key, value in (settings or {}).items():
        if key in DEFAULT_SETTINGS:
            merged[key] = max(1, int(value))
    return merged


class FrameworkRules(Protocol):
    """The rules of one categorising framework."""

    code: str

    def questions(self, age: int) -> frozenset[str]:
        """The facts besides the indicators the rules use for a child of `age`."""
        ...

    def check_scope(self, given: ScreeningInput) -> None:
        """ScreeningInputError when the child is outside the framework's scope."""
        ...

    def suggest(self, framework: Framework, given: ScreeningInput,
                settings: Settings) -> Outcome: ...

    def requirements(self, framework: Framework, category: int, given: ScreeningInput,
                     settings: Settings) -> Requirements: ...


def wordings(framework: Framework, codes: Collection[str]) -> str:
    return "; ".join(framework.indicator(c).wording for c in sorted(codes))


def of_kind(framework: Framework, codes: Collection[str], kind: str) -> list[str]:
    return sorted(c for c in codes if framework.kind_of(c) == kind)


def plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"
