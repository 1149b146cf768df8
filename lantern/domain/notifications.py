"""Who is told when something happens (issue 14 item 9): the rules of data/notifications.toml,
each with its citation. Which rules apply to an event in an area's policy profile, and whether
a screening's category means a child at risk. No Django: the foundation's notify module finds
the people and writes the notifications."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from . import datafile
from .datafile import DataFileError, Schema, Text

DATA = Path(__file__).parent / "data"

Event = Literal["referral", "strategy_concluded", "child_at_risk", "adult_risk",
                "young_adult_at_risk"]
Recipient = Literal["cse_lead_officer", "allocated_social_worker", "referrer", "cse_team"]
EVERY_PROFILE = "*"


class NotificationsDataError(DataFileError):
    """The notification rules file is malformed."""


class RuleFile(Schema):
    event: Event
    profiles: list[Text] = Field(min_length=1)
    tell: list[Recipient] = Field(min_length=1)
    title: Text
    reason: Text
    citation: Text
    threshold: dict[str, Annotated[int, Field(ge=0)]] = {}


class NotificationsFile(Schema):
    version: Text
    rules: dict[str, RuleFile] = Field(min_length=1)


@dataclass(frozen=True)
class Rule:
    code: str
    event: str
    profiles: tuple[str, ...]
    tell: tuple[str, ...]
    title: str
    reason: str
    citation: str
    threshold: tuple[tuple[str, int], ...] = ()

    def applies_to(self, profile: str, base: str = "") -> bool:
        """Whether the rule belongs to this policy profile (a local profile follows its base)."""
        return EVERY_PROFILE in self.profiles or bool({profile, base} & set(self.profiles))

    def at_risk(self, framework: str, category: int | None) -> bool:
        """Whether a screening's category (or level) reaches the rule's threshold: never for a
        tool the rule sets no threshold for, nor without a category."""
        minimum = dict(self.threshold).get(framework)
        return minimum is not None and category is not None and category >= minimum


def parse(data: object, where: str) -> tuple[Rule, ...]:
    parsed = datafile.validate(data, NotificationsFile, where, NotificationsDataError)
    return tuple(Rule(code=code, event=r.event, profiles=tuple(r.profiles), tell=tuple(r.tell),
                      title=r.title, reason=r.reason, citation=r.citation,
                      threshold=tuple(sorted(r.threshold.items())))
                 for code, r in parsed.rules.items())


@cache
def rules() -> tuple[Rule, ...]:
    path = DATA / "notifications.toml"
    return parse(datafile.read(path, NotificationsDataError), datafile.name(path))


def rules_for(event: str, profile: str = "", base: str = "") -> tuple[Rule, ...]:
    """The rules for an event in a policy profile."""
    return tuple(r for r in rules() if r.event == event and r.applies_to(profile, base))
