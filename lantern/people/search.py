"""Finding a child among those the user may see, tolerant of spelling."""

from dataclasses import dataclass
from datetime import date

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet
from django.utils import timezone

from lantern.domain import names
from lantern.foundation.access import Viewer, viewing, visible_children
from lantern.foundation.compiled import Compiled
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
    if not (query or date_of_birth):
        return []
    candidates = candidate_rows(user, query, date_of_birth)
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
    areas: dict[int, Area] = {}  # one model an area, whichever children are in it
    return [Match(_child(row, DEFAULT_DB_ALIAS, areas), score, dob_matches)
            for score, dob_matches, row in kept[:limit]]


def candidate_rows(user, query: str, date_of_birth: date | None) -> list[tuple]:
    """The rows (CANDIDATE_FIELDS and the area's name) of the children the user may see whose
    names hold `query` (normalised) or sound like it, or who were born on the day."""
    seen = viewing(user)
    if seen is None:
        return []
    role, viewer = seen
    keys = names.phonetic_keys([query]) if query else []
    values: dict[str, object] = dict(viewer)
    if query:
        values["query"] = query
        values.update((f"key{n}", f" {key} ") for n, key in enumerate(keys))
    if date_of_birth:
        values["born"] = date_of_birth
    return _CANDIDATES(role, bool(query), len(keys), bool(date_of_birth),
                       now=timezone.now(), **values)


def _candidates(role: str, by_name: bool, keys: int, by_birth: bool, *, viewer: int,
                viewer_agency: int, viewer_area: int, now, query: str = "",
                born: date | None = None, **sounds: str) -> QuerySet:
    """The children the user may see whose names hold the search or sound like it (each
    phonetic key of it, `key0`...), or who were born on the day: as many as ranking reads."""
    condition = Q()
    if by_name:
        condition |= Q(search_text__contains=query)
        for n in range(keys):
            condition |= Q(search_keys__contains=sounds[f"key{n}"])
    if by_birth:
        condition |= Q(date_of_birth=born)
    user = Viewer(viewer, viewer_agency, viewer_area, role)
    return (visible_children(user, now=now).filter(condition, merged_into=None)
            .values_list(*CANDIDATE_FIELDS, "area__name")[:CANDIDATE_LIMIT])


# Compiled once a role and kind of search (lantern.foundation.compiled): building it took
# longer than PostgreSQL takes to answer it from the trigram indexes.
_CANDIDATES: Compiled[tuple] = Compiled(_candidates, prepared=True)


def _child(row: tuple, db: str, areas: dict[int, Area]) -> Child:
    """A candidate shown, as the model (its other fields deferred, as `only` leaves them), with
    its area's name (`areas`: the area's model, made once)."""
    child = Child.from_db(db, _CANDIDATE_COLUMNS, [row[i] for i in _CANDIDATE_ORDER])
    area = areas.get(row[1])
    if area is None:
        area = areas[row[1]] = Area.from_db(db, ["id", "name"], [row[1], row[-1]])
    child.area = area
    return child


# `Child.from_db` takes the values in the order of the model's columns: CANDIDATE_FIELDS in
# that order, and where each is in a row.
_CANDIDATE_COLUMNS = [f.attname for f in Child._meta.concrete_fields
                      if f.attname in CANDIDATE_FIELDS]
_CANDIDATE_ORDER = [CANDIDATE_FIELDS.index(name) for name in _CANDIDATE_COLUMNS]
