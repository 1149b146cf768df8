"""The Bichard questions (data/bichard.toml), loaded once and checked at start-up."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PATH = Path(__file__).parent / "data" / "bichard.toml"


@dataclass(frozen=True)
class Question:
    code: str
    wording: str
    seed_wording: str


@dataclass(frozen=True)
class Questions:
    version: str
    citation: str
    questions: tuple[Question, ...]


@cache
def load() -> Questions:
    data = tomllib.loads(PATH.read_text(encoding="utf-8"))
    questions = []
    for index, raw in enumerate(data.get("questions", [])):
        for key in ("code", "wording"):
            if not str(raw.get(key, "")).strip():
                raise ValueError(f"{PATH.name}: questions[{index}] is missing '{key}'")
        questions.append(Question(raw["code"], raw["wording"], raw.get("seed_wording", "")))
    codes = [q.code for q in questions]
    if not questions or len(set(codes)) != len(codes):
        raise ValueError(f"{PATH.name}: needs questions with unique codes")
    for key in ("version", "citation"):
        if not str(data.get(key, "")).strip():
            raise ValueError(f"{PATH.name}: missing '{key}'")
    return Questions(data["version"], data["citation"], tuple(questions))
