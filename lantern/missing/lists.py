"""The lists this app reads from data/*.toml (push and pull factors, Care Act criteria,
recovery factors, transition outcomes, indicator suggestions), loaded once and checked when
Lantern starts: a malformed file stops it, naming the file and the problem."""

import tomllib
from functools import cache
from pathlib import Path

from lantern.domain import missing

DATA = Path(__file__).parent / "data"


class ListError(ValueError):
    pass


@cache
def _file(name: str) -> dict:
    try:
        return tomllib.loads((DATA / name).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ListError(f"{name}: not valid TOML: {exc}") from exc


@cache
def entries(name: str, key: str) -> tuple[tuple[str, str], ...]:
    """(code, wording) for each [[key]] entry of data/`name`, each with a citation."""
    rows = []
    for index, entry in enumerate(_file(name).get(key, [])):
        for field in ("code", "wording", "citation"):
            if not str(entry.get(field, "")).strip():
                raise ListError(f"{name}: {key}[{index}] is missing '{field}'")
        rows.append((entry["code"], entry["wording"]))
    if not rows:
        raise ListError(f"{name}: no [[{key}]] entries")
    if len({code for code, _ in rows}) != len(rows):
        raise ListError(f"{name}: {key} codes must be unique")
    return tuple(rows)


def push_factors():
    return entries("interview.toml", "push")


def pull_factors():
    return entries("interview.toml", "pull")


def care_act_criteria():
    return entries("transitions.toml", "care_act_criteria")


def recovery_factors():
    return entries("transitions.toml", "recovery_factors")


def transition_outcomes():
    return entries("transitions.toml", "outcomes")


@cache
def suggestion_rules() -> tuple[missing.SuggestionRule, ...]:
    return missing.load_rules(DATA / "indicator_suggestions.toml")


def wording(rows, code: str) -> str:
    return dict(rows).get(code, code)


def load_all() -> None:
    for loader in (push_factors, pull_factors, care_act_criteria, recovery_factors,
                   transition_outcomes, suggestion_rules):
        loader()
