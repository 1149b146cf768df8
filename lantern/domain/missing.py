"""Missing episodes: the pattern of a child's going missing, whether it meets the area's
trigger, and which screening indicators it suggests. No Django here.

Going missing is "the most immediate indicator of vulnerability to sexual exploitation"
(seed 003 §3, risk factors). A pattern is computed from the episodes recorded, never stored,
so it is always what the records say now.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, model_validator

from . import datafile
from .datafile import DataFileError, Schema, Text, one_of, show

# An episode counts as overnight when the child was still missing at this hour of the night
# (local time): "staying out overnight" (seed 001, Figure 2) and "periods of going missing
# overnight or longer" (seed 002 §5.4) name no hour, so Lantern takes 3am, when a child out
# late would long since have been expected home. A Lantern reading, documented as such.
OVERNIGHT_HOUR = 3
# "For a day or more": an episode that lasted at least this long.
DAY = timedelta(hours=24)
# Where episodes are "missing from home" rather than from care, school or elsewhere.
FROM_HOME = "home"


@dataclass(frozen=True)
class Episode:
    went_missing_at: datetime
    returned_at: datetime | None = None
    found_where: str = ""
    missing_from: str = ""

    def __post_init__(self) -> None:
        # Arithmetic between datetimes of one zone is wall-clock arithmetic in Python; in UTC
        # it counts real hours, across the clocks changing too.
        object.__setattr__(self, "went_missing_at", self.went_missing_at.astimezone(UTC))
        if self.returned_at is not None:
            object.__setattr__(self, "returned_at", self.returned_at.astimezone(UTC))

    def end(self, now: datetime) -> datetime:
        return self.returned_at or now

    def duration(self, now: datetime) -> timedelta:
        return max(self.end(now) - self.went_missing_at, timedelta(0))

    def overnight(self, now: datetime, tz: tzinfo) -> bool:
        """Still missing at OVERNIGHT_HOUR (local time) on some night."""
        start = self.went_missing_at.astimezone(tz)
        first = datetime.combine(start.date(), time(OVERNIGHT_HOUR), tzinfo=tz)
        if first < start:
            first = datetime.combine(start.date() + timedelta(days=1), time(OVERNIGHT_HOUR),
                                     tzinfo=tz)
        return first < self.end(now)


@dataclass(frozen=True)
class Trigger:
    """The area's trigger: `episodes` or more episodes that began in the last `days` days.
    The seeds give no number (seed 000 §14 names "repeatedly missing" as supporting a strategy
    meeting; seed 001 sends children in care who go missing to be screened): three in thirty
    days is Lantern's default, a local setting each area may change."""

    episodes: int = 3
    days: int = 30

    def __str__(self) -> str:
        return f"{self.episodes} or more episodes in {self.days} days"


@dataclass(frozen=True)
class Pattern:
    total: int
    last_30: int
    last_90: int
    longest: timedelta | None
    longest_is_ongoing: bool
    where_found: tuple[tuple[str, int], ...]
    currently_missing: bool
    missing_since: datetime | None
    trigger: Trigger
    in_trigger_window: int
    # Over the last 90 days:
    overnight: int
    back_same_night: int
    from_home: int
    day_or_more: int

    @property
    def trigger_met(self) -> bool:
        # Exactly at the threshold meets it; one fewer does not.
        return self.in_trigger_window >= self.trigger.episodes

    def missing_for(self, now: datetime) -> timedelta | None:
        return now - self.missing_since if self.missing_since else None

    @property
    def longest_text(self) -> str:
        return describe_duration(self.longest)


def _began_within(episode: Episode, now: datetime, days: int) -> bool:
    return now - timedelta(days=days) <= episode.went_missing_at <= now


def _place_key(place: str) -> str:
    return " ".join(place.split()).casefold()


def where_found(episodes: Iterable[Episode]) -> tuple[tuple[str, int], ...]:
    """Places children were found, most often first (then most recent first); spellings that
    differ only in case or spacing count as one place, shown as most recently written."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    latest: dict[str, datetime] = {}
    for episode in episodes:
        place = " ".join(episode.found_where.split())
        if not place:
            continue
        key = _place_key(place)
        counts[key] += 1
        if key not in latest or episode.went_missing_at >= latest[key]:
            latest[key] = episode.went_missing_at
            shown[key] = place
    order = sorted(counts, key=lambda k: (-counts[k], -latest[k].timestamp()))
    return tuple((shown[k], counts[k]) for k in order)


def pattern(episodes: Iterable[Episode], now: datetime, trigger: Trigger, tz: tzinfo) -> Pattern:
    """The pattern of a child's episodes as of `now`. Episodes that begin after `now` (not
    possible in a true record) are left out."""
    now = now.astimezone(UTC)
    past = [e for e in episodes if e.went_missing_at <= now]
    recent = [e for e in past if _began_within(e, now, 90)]
    ongoing = [e for e in past if e.returned_at is None]
    longest_episode = max(past, key=lambda e: e.duration(now), default=None)
    overnight = [e for e in recent if e.overnight(now, tz)]
    return Pattern(
        total=len(past),
        last_30=sum(1 for e in past if _began_within(e, now, 30)),
        last_90=len(recent),
        longest=longest_episode.duration(now) if longest_episode else None,
        longest_is_ongoing=bool(longest_episode and longest_episode.returned_at is None),
        where_found=where_found(past),
        currently_missing=bool(ongoing),
        missing_since=min((e.went_missing_at for e in ongoing), default=None),
        trigger=trigger,
        in_trigger_window=sum(1 for e in past if _began_within(e, now, trigger.days)),
        overnight=len(overnight),
        back_same_night=len(recent) - len(overnight),
        from_home=sum(1 for e in recent if e.missing_from == FROM_HOME),
        day_or_more=sum(1 for e in recent if e.duration(now) >= DAY),
    )


def describe_duration(duration: timedelta | None) -> str:
    """'3 days 4 hours', '5 hours', 'less than an hour'."""
    if duration is None:
        return ""
    hours = int(duration.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    parts = []
    if days:
        parts.append(f"{days} day" + ("s" if days != 1 else ""))
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    return " ".join(parts) or "less than an hour"


# --- Screening indicators the pattern suggests -------------------------------------------------

# The conditions a suggestion rule may name (data/indicator_suggestions.toml), each a plain
# statement about the pattern.
CONDITIONS = {
    "repeated": "the area's trigger is met",
    "occasional": "at least one episode in the last 90 days, below the area's trigger",
    "overnight": "missing overnight at least once in the last 90 days",
    "back_same_night": "back the same night at least once in the last 90 days",
    "from_home": "missing from home at least once in the last 90 days",
    "day_or_more": "missing for a day or more at least once in the last 90 days",
    "missing_long_now": "missing now, for at least the area's 'disappearing' number of days",
    "earlier_cse_concern": "a concern or screening was recorded before the current episode",
}


def conditions(p: Pattern, now: datetime, *, disappearing_days: int,
               earlier_cse_concern: bool) -> frozenset[str]:
    held = set()
    if p.trigger_met:
        held.add("repeated")
    elif p.last_90:
        held.add("occasional")
    for name, count in (("overnight", p.overnight), ("back_same_night", p.back_same_night),
                        ("from_home", p.from_home), ("day_or_more", p.day_or_more)):
        if count:
            held.add(name)
    missing_for = p.missing_for(now)
    if missing_for is not None and missing_for >= timedelta(days=disappearing_days):
        held.add("missing_long_now")
    if earlier_cse_concern:
        held.add("earlier_cse_concern")
    return frozenset(held)


def facts(p: Pattern, now: datetime) -> dict[str, object]:
    """The values a suggestion's reason may quote."""
    missing_for = p.missing_for(now)
    return {
        "last_30": p.last_30,
        "last_90": p.last_90,
        "in_trigger_window": p.in_trigger_window,
        "trigger_episodes": p.trigger.episodes,
        "trigger_days": p.trigger.days,
        "overnight": p.overnight,
        "back_same_night": p.back_same_night,
        "from_home": p.from_home,
        "day_or_more": p.day_or_more,
        "longest": describe_duration(p.longest),
        "missing_for": describe_duration(missing_for),
    }


class SuggestionRuleError(DataFileError):
    """The suggestion rules file is malformed."""


@dataclass(frozen=True)
class SuggestionRule:
    framework: str
    code: str
    when: frozenset[str]
    reason: str
    citation: str


_PLACEHOLDER = re.compile(r"{(\w+)}")
_FACT_NAMES = frozenset(("last_30", "last_90", "in_trigger_window", "trigger_episodes",
                         "trigger_days", "overnight", "back_same_night", "from_home",
                         "day_or_more", "longest", "missing_for"))


class SuggestionFile(Schema):
    framework: Text
    code: Text
    when: list[Annotated[str, one_of(CONDITIONS)]] = Field(min_length=1)
    reason: Text  # may quote the pattern's values in braces: {last_30}
    citation: Text

    @model_validator(mode="after")
    def _fits(self) -> Self:
        if not re.fullmatch(rf"{re.escape(self.framework)}\d*\.\w+(\.\w+)*", self.code):
            raise ValueError(f"code {show(self.code)} is not a {self.framework} indicator code")
        bad = set(_PLACEHOLDER.findall(self.reason)) - _FACT_NAMES
        if bad:
            raise ValueError(f"the reason quotes unknown values {sorted(bad)} (it may quote "
                             f"{', '.join(sorted(_FACT_NAMES))})")
        return self


class SuggestionsFile(Schema):
    suggestions: list[SuggestionFile] = Field(min_length=1)


def parse_rules(data: object, source_name: str) -> tuple[SuggestionRule, ...]:
    raw = datafile.validate(data, SuggestionsFile, source_name, SuggestionRuleError)
    seen: set[str] = set()
    for i, rule in enumerate(raw.suggestions):
        if rule.code in seen:
            raise SuggestionRuleError.at(source_name, ("suggestions", i, "code"),
                                         f"{show(rule.code)} has two rules")
        seen.add(rule.code)
    return tuple(SuggestionRule(framework=r.framework, code=r.code, when=frozenset(r.when),
                                reason=r.reason, citation=r.citation)
                 for r in raw.suggestions)


def load_rules(path: Path) -> tuple[SuggestionRule, ...]:
    return parse_rules(datafile.read(path, SuggestionRuleError), datafile.name(path))


def suggest(rules: Iterable[SuggestionRule], framework: str, held: frozenset[str],
            values: Mapping[str, object]) -> list[tuple[str, str]]:
    """(code, reason) for each rule of `framework` whose conditions all hold."""
    return [
        (rule.code, rule.reason.format(**values))
        for rule in rules
        if rule.framework == framework and rule.when <= held
    ]
