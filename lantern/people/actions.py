"""Writes to children's records. Each writes its audit row in the same transaction."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from lantern.domain import names
from lantern.foundation import audit, grants, notify, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Child, GrantBasis, Role, User

from .models import Allocation

CHILD_FIELDS = (
    "given_names", "family_name", "known_as", "aliases", "date_of_birth", "estimated_age",
    "estimated_on", "gender", "ethnicity", "first_language", "nationality", "disability",
    "disability_status", "unknown_reasons", "learning_disability", "looked_after",
    "care_leaver", "unaccompanied_asylum_seeking",
    "address", "postcode", "school", "nhs_number", "local_ids",
)


def _refresh_search_fields(child: Child) -> None:
    child.search_text = names.search_text(child.all_names)
    child.search_keys = names.keys_text(child.all_names)


@transaction.atomic
def add_child(*, by: User, **details) -> Child:
    """Create a child's record in the recording user's area."""
    unknown = set(details) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"unknown child fields: {sorted(unknown)}")
    child = Child(area=by.working_agency.area, created_by=by, created_by_agency=by.agency,
                  **details)
    if child.date_of_birth is None and child.estimated_age is not None and not child.estimated_on:
        child.estimated_on = timezone.localdate()
    _refresh_search_fields(child)
    child.save()
    audit.record(
        by, "create", child, child=child, summary="Added the child's record",
        changes=audit.created(child, CHILD_FIELDS),
    )
    add_chronology(
        child, kind="record", title="Record created in Lantern", occurred_at=child.created_at,
        by=by, url=child.get_absolute_url(),
    )
    # The agency that brings the child to the partnership follows them through the referral
    # it makes (SPEC §9, "referral"): the one grant the record starts with. Later concerns,
    # screenings or referrals by anyone give nobody access.
    grants.grant(child, basis=GrantBasis.REFERRAL_ROUTING, agency=by.agency, by=by,
                 reason="Added the child's record and refers them")
    return child


@transaction.atomic
def refer_possible_match(matches: list[Child], *, by: User, details: dict) -> None:
    """Send a child the user was adding to the front door, because they may already be known
    through a record the user may not open (issue 15, item 2). The front door, which sees every
    child of the area, gets one work item per possible record; the user learns nothing about
    it. Nothing is added to the child's record."""
    born = details.get("date_of_birth")
    described = f"{details['given_names']} {details['family_name']}".strip()
    if born:
        described += f", born {born:%-d %B %Y}"
    for child in matches:
        work.open_item(
            area=by.working_agency.area, child=child, kind="possible_match",
            owner_role=Role.FRONT_DOOR,
            title=f"May already be known: {by.display_name} ({by.working_agency.name}) "
                  f"was adding {described}",
            due_at=None, basis="No procedure sets a timescale: the front door's judgement",
            by=by, url=child.get_absolute_url(),
        )
    audit.record(by, "refer", summary="Sent a child who may already be known to the front door",
                 changes={"details": {k: details.get(k) for k in (
                     "given_names", "family_name", "date_of_birth", "postcode", "school",
                     "nhs_number")}, "possible_matches": [c.pk for c in matches]})
    notify.after_commit(
        "Lantern: a child who may already be known",
        "A practitioner adding a child's record was told the child may already be known to "
        "the partnership. Open your work tray in Lantern to check.",
        notify.role_addresses(Role.FRONT_DOOR, [by.working_agency.area]),
    )


class StaleEdit(Exception):
    """Someone else changed the record since this edit began."""


@transaction.atomic
def update_child(child: Child, *, by: User, version: int, **details) -> Child:
    """Change a child's details. `version` is the version the editor started from: if the
    record has moved on since, nothing is saved and StaleEdit is raised (no lost update)."""
    unknown = set(details) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"unknown child fields: {sorted(unknown)}")
    current = Child.objects.select_for_update().get(pk=child.pk)
    if current.version != version:
        raise StaleEdit(child.pk)
    changes = audit.diff(current, details, changed_only=True)
    for name, value in details.items():
        setattr(current, name, value)
    _refresh_search_fields(current)
    current.version += 1
    current.save()
    audit.record(by, "update", current, child=current, summary="Changed the child's details",
                 changes=changes)
    return current


# What "Correct details" may change (issue 15, item 4), and how the chronology names each.
CORRECTABLE = {
    "given_names": "first names", "family_name": "last name", "known_as": "known as",
    "aliases": "other names", "date_of_birth": "date of birth", "estimated_age": "estimated age",
    "estimated_on": "age estimated on", "address": "address", "postcode": "postcode",
    "school": "school or college", "nhs_number": "NHS number", "nationality": "nationality",
    "unknown_reasons": "why something is not known",
}


class NothingChanged(Exception):
    """A correction that changes nothing."""


@transaction.atomic
def correct_child(child: Child, *, by: User, version: int, reason: str, **details) -> Child:
    """Correct a child's identifying details, with the reason. Audited with the old and new
    values; the chronology says what was corrected, why and by whom. Raises StaleEdit when the
    record moved on since `version`, NothingChanged when nothing differs. The caller checks that
    `by` may change the record (lantern.foundation.access.get_child_for_user, for_change)."""
    unknown = set(details) - set(CORRECTABLE)
    if unknown:
        raise TypeError(f"fields that cannot be corrected: {sorted(unknown)}")
    if not reason.strip():
        raise ValueError("a correction needs a reason")
    current = Child.objects.select_for_update().get(pk=child.pk)
    if current.version != version:
        raise StaleEdit(child.pk)
    changes = audit.diff(current, details, changed_only=True)
    if not changes:
        raise NothingChanged(child.pk)
    for name, value in details.items():
        setattr(current, name, value)
    _refresh_search_fields(current)
    current.version += 1
    current.save()
    audit.record(by, "update", current, child=current, summary="Corrected the child's details",
                 changes=changes, reason=reason.strip())
    corrected = [CORRECTABLE[name] for name in CORRECTABLE if name in changes]
    add_chronology(
        current, kind="record", title=f"Details corrected: {', '.join(corrected)}",
        occurred_at=timezone.now(), by=by, detail=f"Reason: {reason.strip()}",
    )
    return current


@transaction.atomic
def allocate(child: Child, worker: User, *, by: User) -> Allocation:
    allocation, created = Allocation.objects.get_or_create(
        child=child, user=worker, ended_at=None, defaults={"allocated_by": by}
    )
    if created:
        audit.record(
            by, "allocate", allocation, child=child,
            summary=f"Allocated {worker.display_name}",
            changes=audit.diff(None, {"user": worker.pk}),
        )
        grants.grant(child, basis=GrantBasis.ALLOCATION, user=worker, by=by, changes=True,
                     reason="Allocated to the child", source=allocation)
        add_chronology(
            child, kind="allocation", title=f"Allocated to {worker.display_name}",
            occurred_at=allocation.started_at, by=by,
        )
        # The child's work for the worker's role moves to them (issue 14, item 7).
        work.follow_allocation(child, worker, by=by)
    return allocation


def age_years(child: Child, on: date | None = None) -> int | None:
    age = child.age(on)
    return age.years if age else None
