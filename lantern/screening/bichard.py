"""The Bichard questions (data/bichard.toml), loaded once and checked at start-up."""

from functools import cache
from pathlib import Path

from lantern.domain import lists
from lantern.domain.lists import Question, Questions

__all__ = ["PATH", "Question", "Questions", "load"]

PATH = Path(__file__).parent / "data" / "bichard.toml"


@cache
def load() -> Questions:
    return lists.bichard(PATH)
