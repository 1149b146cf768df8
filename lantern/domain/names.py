"""Names of people as agencies write them: normalised, keyed by sound and compared with
tolerance for spelling. Used to find a child and, later, to resolve subjects in intelligence.
No Django here."""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz

_NOT_LETTERS = re.compile(r"[^a-z0-9' -]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def normalise(name: str) -> str:
    """Lower case, accents removed, punctuation dropped, single spaces: 'Zoë  O'Neil-Smith'
    becomes "zoe o'neil smith". Kept for the names asked most recently: a search ranks
    hundreds of names, the same ones search after search."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    ascii_only = ascii_only.replace("-", " ")
    return _SPACES.sub(" ", _NOT_LETTERS.sub(" ", ascii_only)).strip()


def tokens(name: str) -> list[str]:
    return _words(normalise(name))


def _words(normalised: str) -> list[str]:
    return [t for t in normalised.replace("'", "").split(" ") if t]


def phonetic_keys(names: Iterable[str]) -> set[str]:
    """Metaphone key of every word of every name, so 'Mohammed' and 'Mohamed' share one."""
    return {key for name in names for key in _keys_of(normalise(name))}


@lru_cache(maxsize=16384)
def _keys_of(normalised: str) -> frozenset[str]:
    return frozenset(jellyfish.metaphone(t) for t in _words(normalised))


def search_text(names: Iterable[str]) -> str:
    """One string holding every normalised name, for prefix and substring search."""
    return " | ".join(sorted({normalise(n) for n in names if normalise(n)}))


def keys_text(names: Iterable[str]) -> str:
    """Phonetic keys padded with spaces so a database `contains ' KEY '` matches whole keys."""
    keys = sorted(phonetic_keys(names))
    return f" {' '.join(keys)} " if keys else ""


def similarity(query: str, names: Iterable[str]) -> float:
    """Best 0-100 similarity between what was typed and any of a person's names. Word order
    and extra middle names do not count against a match."""
    q = normalise(query)
    if not q:
        return 0.0
    keys = phonetic_keys([q])  # once, not once a name (a search ranks hundreds of names)
    best = 0.0
    for name in names:
        n = normalise(name)
        if not n:
            continue
        score = max(fuzz.token_set_ratio(q, n), fuzz.WRatio(q, n))
        if keys and score < 90.0 and keys <= _keys_of(n):  # n is normalised already
            score = 90.0
        best = max(best, score)
    return best


def named_in(text: str, names: Iterable[str]) -> list[str]:
    """The words of these names that `text` uses as words of its own (accents and case aside),
    in the names' order: a child's given, family or known-as name written in a note meant for
    someone who may not know who the child is. Words of one letter are not looked for."""
    # "Kayla's mother" names Kayla: a possessive's "'s" is not part of the name.
    words = {word.removesuffix("'s").replace("'", "") for word in normalise(text).split(" ")}
    found: list[str] = []
    for name in names:
        for word in tokens(name):
            if len(word) > 1 and word in words and word not in found:
                found.append(word)
    return found
