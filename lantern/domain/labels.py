"""Labels inside sentences: "CSE team manager", never "cse team manager" (issue 15)."""

from functools import lru_cache

# Plurals the code builds from a noun it holds (a framework's "category" or "level").
_PLURALS = {"category": "categories", "level": "levels", "identity": "identities"}


@lru_cache(maxsize=2048)  # a few hundred labels, asked for on every page
def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: the first letter lower-cased, unless the first
    word is an acronym (CSE, MASE, NHS, RHI) or a name; the rest stays as written."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and (first[:2].isupper() or any(c.isupper() for c in first[1:])):
        return label
    return label[:1].lower() + label[1:]


def plural(noun: str) -> str:
    """The plural of a noun Lantern builds sentences from."""
    if noun in _PLURALS:
        return _PLURALS[noun]
    if noun.endswith("y") and noun[-2:-1] not in set("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


class Pronouns:
    """How to refer to a child in generated text (demo minutes, plans): from their recorded
    gender, and "they" when it is not known or they describe themselves another way."""

    def __init__(self, gender: str) -> None:
        self.they, self.them, self.their = {
            "female": ("she", "her", "her"),
            "male": ("he", "him", "his"),
        }.get(gender, ("they", "them", "their"))

    @property
    def their_cap(self) -> str:
        return self.their.capitalize()
