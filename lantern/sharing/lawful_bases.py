"""The lawful bases offered when recording an information-sharing decision (data file
data/lawful_bases.toml), loaded once and checked."""

import tomllib
from functools import cache
from pathlib import Path

PATH = Path(__file__).parent / "data" / "lawful_bases.toml"


@cache
def choices() -> list[tuple[str, str]]:
    data = tomllib.loads(PATH.read_text(encoding="utf-8"))
    rows = []
    for index, base in enumerate(data.get("bases", [])):
        for key in ("code", "label", "citation"):
            if not str(base.get(key, "")).strip():
                raise ValueError(f"{PATH.name}: bases[{index}] is missing '{key}'")
        rows.append((base["code"], base["label"]))
    if len({code for code, _ in rows}) != len(rows):
        raise ValueError(f"{PATH.name}: lawful basis codes must be unique")
    return rows


def label(code: str) -> str:
    return dict(choices()).get(code, code)
