"""Finding a child among those the user may see, tolerant of spelling."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from lantern.domain import names
from lantern.foundation.access import visible_children
from lantern.foundation.models import Child

CANDIDATE_LIMIT = 500
MATCH_THRESHOLD = 70.0
# What ranking and the results read of each candidate (up to 500 of them): not the address,
# the search keys or the other JSON fields, which would be read and decoded for nothing.
SHOWN_FIELDS = ("area__name", "given_names", "family_name", "known_as", "aliases",
                "date_of_birth", "estimated_age", "estimated_on")


@dataclass
class Match:
    child: Child
    score: float
    dob_matches: bool
    url: str = ""  # where choosing the child leads (the record, or the page the user set out for)


def find_children(user, name: str = "", date_of_birth: date | None = None,
                  limit: int = 25) -> list[Match]:
    """Children the user may see whose names sound or look like `name`, or who were born on
    `date_of_birth`; best matches first. The database narrows by substring and sound-alike
    keys; rapidfuzz ranks what comes back."""
    query = names.normalise(name)
    condition = Q()
    if query:
        condition |= Q(search_text__contains=query)
        for key in names.phonetic_keys([query]):
            condition |= Q(search_keys__contains=f" {key} ")
    if date_of_birth:
        condition |= Q(date_of_birth=date_of_birth)
    if not condition:
        return []
    candidates = (
        visible_children(user).filter(condition, merged_into=None)
        .select_related("area").only(*SHOWN_FIELDS)[:CANDIDATE_LIMIT]
    )
    matches = []
    for child in candidates:
        dob_matches = bool(date_of_birth and child.date_of_birth == date_of_birth)
        score = names.similarity(query, child.all_names) if query else 0.0
        if query and date_of_birth:
            keep = dob_matches or score >= MATCH_THRESHOLD
        elif query:
            keep = score >= MATCH_THRESHOLD
        else:
            keep = dob_matches
        if keep:
            matches.append(Match(child, score + (25 if dob_matches else 0), dob_matches))
    matches.sort(key=lambda m: (-m.score, m.child.family_name, m.child.given_names))
    return matches[:limit]
