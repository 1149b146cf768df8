"""Finding a child among those the user may see, tolerant of spelling."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from lantern.domain import names
from lantern.foundation.access import visible_children
from lantern.foundation.models import Area, Child

CANDIDATE_LIMIT = 500
MATCH_THRESHOLD = 70.0
# What ranking and the results read of each candidate (up to 500 of them): not the address,
# the search keys or the other JSON fields, which would be read and decoded for nothing. Read
# as values: only the children shown become models (issue 18: making models of the 129
# candidates for "Evans" at 100,000 children, and of their areas, cost 2.6 ms of CPU).
CANDIDATE_FIELDS = ("id", "area_id", "given_names", "family_name", "known_as", "aliases",
                    "date_of_birth", "estimated_age", "estimated_on")
GIVEN, FAMILY, KNOWN_AS, ALIASES, BORN = 2, 3, 4, 5, 6  # positions in CANDIDATE_FIELDS


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
        .values_list(*CANDIDATE_FIELDS, "area__name")[:CANDIDATE_LIMIT]
    )
    kept = []
    for row in candidates:
        dob_matches = bool(date_of_birth and row[BORN] == date_of_birth)
        score = names.similarity(query, Child.names_of(
            row[GIVEN], row[FAMILY], row[KNOWN_AS], row[ALIASES])) if query else 0.0
        if query and date_of_birth:
            keep = dob_matches or score >= MATCH_THRESHOLD
        elif query:
            keep = score >= MATCH_THRESHOLD
        else:
            keep = dob_matches
        if keep:
            kept.append((score + (25 if dob_matches else 0), dob_matches, row))
    kept.sort(key=lambda k: (-k[0], k[2][FAMILY], k[2][GIVEN]))
    return [Match(_child(row, candidates.db), score, dob_matches)
            for score, dob_matches, row in kept[:limit]]


def _child(row: tuple, db: str) -> Child:
    """A candidate shown, as the model (its other fields deferred, as `only` leaves them), with
    its area's name."""
    child = _from_db(Child, db, dict(zip(CANDIDATE_FIELDS, row, strict=False)))
    child.area = _from_db(Area, db, {"id": row[1], "name": row[-1]})
    return child


def _from_db(model, db: str, values: dict):
    """`model.from_db`, which takes the values in the order of the model's columns."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])
