"""Helping professionals notice victim-blaming words in their own notes (SPEC §12). Children
cannot consent to their own abuse: these phrases describe the child as the problem. Each has a
child-centred alternative. No Django here."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    pattern: re.Pattern[str]
    why: str
    instead: str


def _p(pattern: str, why: str, instead: str) -> Phrase:
    return Phrase(re.compile(pattern, re.IGNORECASE), why, instead)


PHRASES = (
    _p(r"\bpromiscu\w*", "It blames the child for abuse done to them.",
       "Describe what was done to the child, e.g. 'is being sexually exploited by adults'."),
    _p(r"\bprostitut\w*|\bsex work\w*|\brent boy\b|\bescort\w*",
       "A child cannot sell sex: they are being sexually exploited.",
       "'is being sexually exploited', 'is being abused in exchange for money or goods'."),
    _p(r"\b(put|puts|putting|place|places|placing) (him|her|them)sel(f|ves) at risk\b",
       "The risk comes from the people exploiting the child, not from the child.",
       "'is at risk of harm from ...', 'is being targeted by ...'."),
    _p(r"\blifestyle choices?\b|\bchoos(es|ing) to\b|\bchose to\b"
       r"|\b(her|his|their) (own )?choice\b|\bmade (a|the) choice\b",
       "Children who are groomed and coerced have no real choice.",
       "'is being groomed', 'is being coerced or controlled by ...'."),
    _p(r"\bconsent(ed|ing|s)? to (sex|sexual|it|him|her|them|this)\b|\bconsensual\b"
       r"|\bwilling(ly)? (participant|went|took part)\b",
       "Children cannot consent to their own abuse.",
       "'was sexually abused', 'was raped'; record what the child said in their own words."),
    _p(r"\bin a relationship with\b|\b(older|adult) (boyfriend|girlfriend)\b",
       "An adult who abuses a child is not their partner.",
       "'is being exploited by (name), an adult aged ...'; keep the child's own word in quotes."),
    _p(r"\bsexually active\b",
       "For a child being exploited this hides abuse.",
       "Describe what happened and who with; a child under 13 cannot consent in law."),
)


# A form that shows its author the findings names them in this field, so that the author is
# not asked twice about wording they have seen (lantern.pathway.views.record_concern).
CHECKED_FIELD = "wording_checked"
SEPARATOR = "|"


@dataclass(frozen=True)
class Finding:
    text: str
    why: str
    instead: str


def check(text: str) -> list[Finding]:
    """Phrases in `text` that describe the child as the problem, in the order they appear."""
    found: list[tuple[int, Finding]] = []
    for phrase in PHRASES:
        for match in phrase.pattern.finditer(text or ""):
            found.append((match.start(), Finding(match.group(0), phrase.why, phrase.instead)))
    found.sort(key=lambda pair: pair[0])
    seen: set[str] = set()
    unique = []
    for _pos, finding in found:
        key = finding.text.lower()
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


@dataclass(frozen=True)
class Segment:
    """A piece of saved text: plain, or a phrase to check (`finding`, with `number`: which
    note below the text explains it)."""

    text: str
    finding: Finding | None = None
    number: int = 0


def segments(text: str) -> list[Segment]:
    """`text` cut into plain pieces and the phrases `check` finds, in order, so a page can mark
    each phrase where it stands in saved text (issue 15, item 5). Overlapping matches keep the
    one that starts first. Each distinct phrase has one number, shared by its repeats."""
    text = text or ""
    spans: list[tuple[int, int, Phrase]] = []
    for phrase in PHRASES:
        spans.extend((m.start(), m.end(), phrase) for m in phrase.pattern.finditer(text))
    spans.sort(key=lambda span: (span[0], -span[1]))
    pieces: list[Segment] = []
    numbers: dict[str, int] = {}
    at = 0
    for start, end, phrase in spans:
        if start < at:
            continue
        if start > at:
            pieces.append(Segment(text[at:start]))
        found = text[start:end]
        number = numbers.setdefault(found.lower(), len(numbers) + 1)
        pieces.append(Segment(found, Finding(found, phrase.why, phrase.instead), number))
        at = end
    if at < len(text):
        pieces.append(Segment(text[at:]))
    return pieces


def checked(findings: list[Finding]) -> str:
    """The findings as a form names them once shown (CHECKED_FIELD)."""
    return SEPARATOR.join(sorted({finding.text.lower() for finding in findings}))
