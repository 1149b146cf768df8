"""The lists this app reads from data/*.toml (push and pull factors, Care Act criteria,
recovery factors, transition outcomes, indicator suggestions, the looked-after children's
rules), loaded once and checked when
Lantern starts: a malformed file stops it, naming the file and the problem."""

from functools import cache
from pathlib import Path

from lantern.domain import lists, looked_after, missing

DATA = Path(__file__).parent / "data"


@cache
def _interview() -> lists.Interview:
    return lists.interview(DATA / "interview.toml")


@cache
def _transitions() -> lists.Transitions:
    return lists.transitions(DATA / "transitions.toml")


def push_factors():
    return _interview().push


def pull_factors():
    return _interview().pull


def care_act_criteria():
    return _transitions().care_act_criteria


def recovery_factors():
    return _transitions().recovery_factors


def transition_outcomes():
    return _transitions().outcomes


@cache
def suggestion_rules() -> tuple[missing.SuggestionRule, ...]:
    return missing.load_rules(DATA / "indicator_suggestions.toml")


@cache
def looked_after_rules() -> looked_after.LookedAfter:
    """Legal statuses and telling parents, measures needing a manager, placement questions and
    the screening a looked-after child's missing episode opens (data/looked_after.toml)."""
    return looked_after.load(DATA / "looked_after.toml")


def wording(rows, code: str) -> str:
    return dict(rows).get(code, code)


def load_all() -> None:
    for loader in (push_factors, pull_factors, care_act_criteria, recovery_factors,
                   transition_outcomes, suggestion_rules, looked_after_rules):
        loader()
