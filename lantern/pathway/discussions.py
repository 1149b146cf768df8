"""What a designated safeguarding lead and the referrer may agree about a concern (data file
data/discussion_outcomes.toml), loaded once and checked."""

from functools import cache
from pathlib import Path

from lantern.domain import lists

PATH = Path(__file__).parent / "data" / "discussion_outcomes.toml"


@cache
def outcomes() -> dict[str, lists.DiscussionOutcome]:
    return {outcome.code: outcome for outcome in lists.discussion_outcomes(PATH)}


def choices() -> list[tuple[str, str]]:
    return [(code, outcome.wording) for code, outcome in outcomes().items()]


def label(code: str) -> str:
    outcome = outcomes().get(code)
    return outcome.wording if outcome else code
