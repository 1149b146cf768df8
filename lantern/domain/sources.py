"""The five published procedures Lantern's rules come from, and how a citation names them.

The code, the data files and the docs cite them by the team's file names, "seed 000" to
"seed 004" (README). A practitioner does not know those names: whatever a user is shown names
the published procedure instead, by a short name ("West Midlands CSE toolkit §3.2"). `cited`
turns one into the other, keeping everything else ("§5.8", "appendix 3", "Figure 2"). No Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Procedure:
    number: str  # the team's file name: "001" for "seed 001"
    short: str  # what a user is shown
    title: str  # the published procedure, in full


PROCEDURES: tuple[Procedure, ...] = (
    Procedure("000", "Stockport CSE procedure",
              "Stockport LSCB, Sexual Exploitation policy and procedure"),
    Procedure("001", "West Midlands CSE toolkit",
              "Coventry Safeguarding Children Board, CSE toolkit (West Midlands regional model)"),
    Procedure("002", "All Wales CSE protocol",
              "All Wales Child Protection Procedures, protocol for children at risk of sexual "
              "exploitation"),
    Procedure("003", "Bristol CSE practice guidance",
              "Bristol (KCS), Safeguarding children at risk of sexual exploitation, practice "
              "guidance"),
    Procedure("004", "Stockport CSE strategy", "Stockport SCB, CSE strategy 2016-19"),
)

BY_NUMBER: dict[str, Procedure] = {p.number: p for p in PROCEDURES}

_SEED = re.compile(r"seed (00[0-4])", re.IGNORECASE)


def _name(match: re.Match[str]) -> str:
    return BY_NUMBER[match.group(1)].short


def cited(text: str) -> str:
    """"seed 000 §13; seed 002 §5.8" -> "Stockport CSE procedure §13; All Wales CSE protocol
    §5.8": every "seed 00N" (any case) named by its procedure's short name, the rest kept."""
    if "00" not in text:  # the usual case, without a regex
        return text
    return _SEED.sub(_name, text)


def names_a_procedure(text: str) -> bool:
    """Whether `text` cites one of the five procedures by its short name."""
    return any(p.short in text for p in PROCEDURES)
