"""The lawful bases offered when recording an information-sharing decision (data file
data/lawful_bases.toml), loaded once and checked."""

from functools import cache
from pathlib import Path

from lantern.domain import lists

PATH = Path(__file__).parent / "data" / "lawful_bases.toml"


@cache
def choices() -> list[tuple[str, str]]:
    return list(lists.lawful_bases(PATH))


def label(code: str) -> str:
    return dict(choices()).get(code, code)
