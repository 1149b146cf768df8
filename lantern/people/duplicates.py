"""Possible matches for a child about to be added (issue 15, item 2; SPEC P10): so nobody adds a
second record for a child the partnership already knows.

Names are compared with the normaliser and fuzzy similarity that intelligence uses
(lantern.domain.names); a similar name counts only with something else that agrees (date of
birth, address, postcode or school), while the same NHS number, or the same date of birth and
postcode, is enough on its own. Candidates are every child of the user's area, not only those
the user may open: `PossibleMatch.openable` says which the page may describe. One the user may
not open is never described (SPEC §9, need to know)."""

from dataclasses import dataclass, field

from django.db.models import Q

from lantern.domain import names
from lantern.foundation.access import visible_children
from lantern.foundation.models import Child

# How alike two names must be (0-100, lantern.domain.names.similarity) to count as "similar".
NAME_THRESHOLD = 85.0
CANDIDATE_LIMIT = 500


@dataclass
class PossibleMatch:
    child: Child
    openable: bool
    reasons: list[str] = field(default_factory=list)
    url: str = ""  # where opening it leads (the record, or the page the user set out for)


def _typed_names(details: dict) -> list[str]:
    typed = [f"{details.get('given_names', '')} {details.get('family_name', '')}"]
    if details.get("known_as"):
        typed.append(f"{details['known_as']} {details.get('family_name', '')}")
    typed.extend(details.get("aliases") or [])
    return typed


def reasons(child: Child, details: dict) -> list[str]:
    """Why `child` may be the child `details` describes; empty when not enough agrees."""
    return _reasons(child, details, _typed_names(details))


def _reasons(child: Child, details: dict, typed_names: list[str]) -> list[str]:
    score = max((names.similarity(n, child.all_names) for n in typed_names), default=0.0)
    similar_name = score >= NAME_THRESHOLD
    same = {
        "nhs_number": bool(details.get("nhs_number"))
        and details["nhs_number"] == child.nhs_number,
        "date_of_birth": bool(details.get("date_of_birth"))
        and details["date_of_birth"] == child.date_of_birth,
        "postcode": bool(details.get("postcode"))
        and _postcode(details["postcode"]) == _postcode(child.postcode),
        "address": bool(names.normalise(details.get("address") or ""))
        and names.normalise(details["address"]) == names.normalise(child.address),
        "school": bool(details.get("school"))
        and names.normalise(details["school"]) == names.normalise(child.school),
    }
    if not (same["nhs_number"] or (same["date_of_birth"] and same["postcode"])
            or (similar_name and (same["date_of_birth"] or same["postcode"]
                                  or same["address"] or same["school"]))):
        return []
    why = []
    if same["nhs_number"]:
        why.append("Same NHS number")
    if similar_name:
        exact = any(names.normalise(n) in {names.normalise(c) for c in child.all_names}
                    for n in typed_names)
        why.append("Same name" if exact else "Similar name")
    if same["date_of_birth"]:
        why.append("Same date of birth")
    if same["address"]:
        why.append("Same address")
    if same["postcode"]:
        why.append("Same postcode")
    if same["school"]:
        why.append("Same school or college")
    return why


def details_of(child: Child) -> dict:
    """A child's record in the shape `reasons` compares (ChildForm.child_details gives it)."""
    return {"given_names": child.given_names, "family_name": child.family_name,
            "known_as": child.known_as, "aliases": list(child.aliases or []),
            "date_of_birth": child.date_of_birth, "nhs_number": child.nhs_number,
            "postcode": child.postcode, "address": child.address, "school": child.school}


def _postcode(value: str) -> str:
    return "".join((value or "").split()).upper()


def possible_matches(user, details: dict) -> list[PossibleMatch]:
    """Children of the user's area who may be the one `details` (as
    lantern.people.forms.ChildForm.child_details gives them) describes, those the user may open
    first."""
    typed_names = _typed_names(details)
    condition = Q()
    for key in names.phonetic_keys(typed_names):
        condition |= Q(search_keys__contains=f" {key} ")
    for field_name in ("date_of_birth", "nhs_number"):
        if details.get(field_name):
            condition |= Q(**{field_name: details[field_name]})
    if details.get("postcode"):
        condition |= Q(postcode__iexact=details["postcode"])
    if not condition:
        return []
    area = user.working_agency.area
    candidates = Child.objects.filter(condition, area=area,
                                      merged_into=None)[:CANDIDATE_LIMIT]
    openable = set(visible_children(user).filter(area=area, pk__in=[c.pk for c in candidates])
                   .values_list("pk", flat=True))
    matches = []
    for child in candidates:
        why = _reasons(child, details, typed_names)
        if why:
            matches.append(PossibleMatch(child, child.pk in openable, why))
    matches.sort(key=lambda m: (not m.openable, -len(m.reasons), m.child.family_name))
    return matches
