"""The suggestion a framework makes and its explanation: the category (or range) suggested,
any hard floor, what the framework requires for a category, and the reasons for all of it in
plain words. The framework suggests; the professional decides (SPEC §3). No Django."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Requirements:
    """What a framework requires for one category of one child."""

    requires_referral: bool
    strategy_meeting: str  # "required" | "consider" | "not_required"
    adult_route: bool
    requires_social_worker_rescreen: bool
    actions: tuple[str, ...]


@dataclass
class Outcome:
    """What a framework's rules make of the indicators, before what it requires is added."""

    minimum: int
    maximum: int
    floor: int | None = None  # no category below this one may be decided
    reasons: list[str] = field(default_factory=list)
    floor_reasons: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    drivers: list[str] = field(default_factory=list)


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

    def as_contract(self) -> dict[str, object]:
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
