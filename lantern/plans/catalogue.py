"""The plans data (lantern/plans/data/plans.toml), loaded and validated once."""

from functools import cache
from pathlib import Path

from lantern.domain.plans import Catalogue, load

PATH = Path(__file__).parent / "data" / "plans.toml"


@cache
def get() -> Catalogue:
    return load(PATH)


def choices(rows) -> list[tuple[str, str]]:
    return [(row.code, row.label) for row in rows]
