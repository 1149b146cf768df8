"""Writes to children's records. Each writes its audit row in the same transaction."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from lantern.domain import names
from lantern.foundation import audit, grants, notify, work
from lantern.foundation.access import AREA_CHANGE_ROLES
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import (
    Child,
    ChronologyEntry,
    GrantBasis,
    LegalStatus,
    Role,
    User,
    WorkItem,
)

from . import duplicates
from .models import Allocation, ChildMerge, MergeMove

CHILD_FIELDS = (
    "given_names", "family_name", "known_as", "aliases", "date_of_birth", "estimated_age",
    "estimated_on", "gender", "ethnicity", "first_language", "nationality", "disability",
    "disability_status", "unknown_reasons", "learning_disability", "looked_after",
    "care_leaver", "unaccompanied_asylum_seeking",
    "address", "postcode", "school", "nhs_number", "local_ids",
)


# The chronology entry a record starts with. A merge leaves the merged record's own one with
# it (the kept record was created once; the merge's entry says when the other one was).
CREATED_TITLE = "Record created in Lantern"


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
        child, kind="record", title=CREATED_TITLE, occurred_at=child.created_at,
        by=by, url=child.get_absolute_url(),
    )
    # The agency that brings the child to the partnership follows them through the referral
    # it makes (SPEC §9, "referral"): the one grant the record starts with. Later concerns,
    # screenings or referrals by anyone give nobody access.
    grants.grant(child, basis=GrantBasis.REFERRAL_ROUTING, agency=by.agency, by=by,
                 reason="Added the child's record and refers them")
    return child


POSSIBLE_MATCH = "possible_match"


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
            area=by.working_agency.area, child=child, kind=POSSIBLE_MATCH,
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


class NotLookedAfter(ValueError):
    """A legal status given for a child not looked after, or none for one who is."""


@transaction.atomic
def set_looked_after(child: Child, *, by: User, version: int, looked_after: bool,
                     legal_status: str, reason: str) -> Child:
    """Record whether the child is looked after and under what legal status (section 20, a
    care order, another basis: seed 001, Children Looked After), with the reason: audited
    with the old and new values and shown in the chronology, because the status decides
    whether the child's parents are told of significant matters. Raises StaleEdit when the
    record moved on since `version`, NothingChanged when nothing differs."""
    if looked_after and legal_status not in LegalStatus.values:
        raise NotLookedAfter("Select the child's legal status")
    if not looked_after and legal_status:
        raise NotLookedAfter("A child who is not looked after has no looked-after legal status")
    if not reason.strip():
        raise ValueError("a change of looked-after status needs a reason")
    current = Child.objects.select_for_update().get(pk=child.pk)
    if current.version != version:
        raise StaleEdit(child.pk)
    values = {"looked_after": looked_after, "legal_status": legal_status}
    changes = audit.diff(current, values, changed_only=True)
    if not changes:
        raise NothingChanged(child.pk)
    current.looked_after = looked_after
    current.legal_status = legal_status
    current.version += 1
    current.save(update_fields=["looked_after", "legal_status", "version"])
    audit.record(by, "update", current, child=current, reason=reason.strip(),
                 summary="Changed the child's looked-after status", changes=changes)
    title = (f"Looked after: {LegalStatus(legal_status).label}" if looked_after
             else "Recorded as not looked after")
    add_chronology(current, kind="record", title=title, occurred_at=timezone.now(), by=by,
                   detail=f"Reason: {reason.strip()}")
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


# --- Merging two records of one child (issue 15, item 2) -------------------------------------

# Rows that name a child but are not moved by a merge. Access stays as it was: grants,
# allocations and emergency access to the merged record do not become access to the kept one
# (the front door grants it if it should). The audit trail is never rewritten.
NOT_MOVED = frozenset({
    "foundation.Grant", "people.Allocation", "sharing.BreakGlassGrant",
    "foundation.AuditEvent", "foundation.AuditEntry", "foundation.AuditShown",
    "foundation.Child", "people.ChildMerge",
})


@dataclass(frozen=True)
class OneEach:
    """Rows a child has at most one of at a time (an open pathway). When both records have
    one, the merged record's is set aside by its own app's action (the pathway ends it as
    merged) so the kept record's carries on, and undoing the merge restores it. Registered by
    the app that owns the rows (its AppConfig.ready), so this app imports none of them."""

    current: Callable[[Child], object]  # the child's rows of this kind now (a QuerySet)
    # (pks, *, kept, by) -> the pks of the work items it closed with them (undo reopens them)
    set_aside: Callable[..., list[int]]
    restore: Callable[..., None]  # (pks, *, by)


ONE_EACH: dict[str, OneEach] = {}


def register_one_each(model_label: str, rule: OneEach) -> None:
    ONE_EACH[model_label] = rule


class MergeRefused(Exception):
    """A merge (or its undoing) that cannot be done; the message says why, for the page."""


def may_merge(user: User, child: Child) -> bool:
    """Only the front door and the CSE team manager of the child's area merge records."""
    agency = user.agency if user.is_active else None
    return bool(agency is not None and user.role in AREA_CHANGE_ROLES
                and agency.area_id == child.area_id)


def _relations():
    """(model, field name, what to call it) for every row that names a child and may move:
    every foreign key to the child, whichever app it is in (read from Django's own model
    registry, hidden ones included, so a relation added later moves too and no feature app is
    imported). A many-to-many moves through its rows' own foreign key."""
    for rel in Child._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete
                and (rel.one_to_many or rel.one_to_one)):
            continue
        model = rel.related_model
        if model._meta.label in NOT_MOVED:
            continue
        owner = model._meta.auto_created  # the model a many-to-many's rows belong to
        label = (f"{owner._meta.verbose_name_plural} naming the child" if owner
                 else str(model._meta.verbose_name_plural))
        yield model, rel.field.name, label  # type: ignore[union-attr]


def _to_move(model, name: str, merged: Child):
    """The rows of `model` naming `merged` that a merge moves: all of them, but the merged
    record's own "Record created" entry, which stays with it (the kept record's chronology
    would otherwise say twice that the record was created)."""
    rows = model.objects.filter(**{name: merged})
    if model is ChronologyEntry:
        rows = rows.exclude(kind="record", title=CREATED_TITLE)
    return rows


def _merged_work(merged: Child, kept: Child, *, by: User) -> dict[str, list[int]]:
    """The merged record's open work, so nobody is asked to act on a record set aside:
    - a possible match to check (`refer_possible_match`) is closed (cancelled): the merge
      answers it;
    - work about the record itself (a re-screen or a reminder its own episodes prompted) is
      pointed at the kept record, where the child's history now is, and stays open;
    - work about what moves (a referral to decide, an interview, a plan action) moves with it
      and stays open; the work of a pathway set aside is closed by its app (ONE_EACH).
    Returns what was closed and re-pointed, for undo."""
    done: dict[str, list[int]] = {"closed": [], "repointed": []}
    items = WorkItem.objects.select_for_update().filter(child=merged,
                                                        status=WorkItem.Status.OPEN)
    for item in items.filter(kind=POSSIBLE_MATCH):
        if work.close_item(item, by=by, status=WorkItem.Status.CANCELLED):
            done["closed"].append(item.pk)
    for item in items.filter(source_type="foundation.child", source_id=str(merged.pk)):
        _repoint(item, merged, kept, by=by, why="Work moved with the merged record")
        done["repointed"].append(item.pk)
    return done


def _repoint(item: WorkItem, old: Child, new: Child, *, by: User, why: str) -> None:
    before = {"source_id": item.source_id, "url": item.url}
    item.source_id = str(new.pk)
    item.url = item.url.replace(f"/children/{old.pk}/", f"/children/{new.pk}/", 1)
    item.save(update_fields=["source_id", "url"])
    audit.record(by, "reassign_work", item, child=new,
                 summary=f"{why}: {item.get_kind_label()}",
                 changes=audit.diff(before, {"source_id": item.source_id, "url": item.url}))


def _move(rows: list[tuple], to: Child, *, what: str) -> None:
    """Point each model's rows (pks) at `to`, one savepoint per model so a clash (two open
    pathways, two active plans, two missing person profiles) names what clashed."""
    for model, name, pks, label in rows:
        if not pks:
            continue
        try:
            with transaction.atomic():
                apps.get_model(model).objects.filter(pk__in=pks).update(**{name: to})
        except IntegrityError as clash:
            raise MergeRefused(
                f"Both records have {label} that cannot be joined. Close or end one, then "
                f"{what} again.") from clash


@transaction.atomic
def merge_children(kept: Child, merged: Child, *, by: User, reason: str) -> ChildMerge:
    """Join `merged` into `kept`: every row naming `merged` (its concerns, referrals,
    screenings, chronology and the rest, but not access) is pointed at `kept`, each move
    recorded so `undo_merge` can move exactly those back. Nothing is deleted; `merged` keeps
    its own details and now points at `kept`. Audited and in the chronology on both records.
    The caller checks that `by` may see both; `may_merge` is checked here."""
    if not reason.strip():
        raise ValueError("a merge needs a reason")
    ids = sorted([kept.pk, merged.pk])
    locked = {c.pk: c for c in Child.objects.select_for_update().filter(pk__in=ids)}
    kept, merged = locked[kept.pk], locked[merged.pk]
    if kept.pk == merged.pk:
        raise MergeRefused("Choose a different record: a record cannot be merged into itself.")
    if kept.merged_into_id or merged.merged_into_id:
        raise MergeRefused("One of these records has already been merged into another. Open "
                           "the record it was merged into instead.")
    # Records of one area only: what a merge moves keeps its area (the areas of the children an
    # intelligence report concerns are kept with it, IntelligenceReport.child_areas).
    if kept.area_id != merged.area_id:
        raise MergeRefused("These records are in different areas. Only records of one area "
                           "can be merged.")
    if not (may_merge(by, kept) and may_merge(by, merged)):
        raise MergeRefused("Only the front door or the CSE team manager of the child's area "
                           "can merge records.")
    evidence = duplicates.reasons(kept, duplicates.details_of(merged))
    set_aside: dict[str, list] = {}
    changed_work = _merged_work(merged, kept, by=by)
    for label, rule in ONE_EACH.items():
        theirs = list(rule.current(merged).values_list("pk", flat=True))  # type: ignore[attr-defined]
        if theirs and rule.current(kept).exists():  # type: ignore[attr-defined]
            changed_work["closed"] += rule.set_aside(theirs, kept=kept, by=by)
            set_aside[label] = theirs
    merge = ChildMerge.objects.create(kept=kept, merged=merged, merged_by=by,
                                      reason=reason.strip(), evidence=evidence,
                                      set_aside=set_aside, work=changed_work)
    rows = []
    for model, name, label in _relations():
        pks = list(_to_move(model, name, merged).values_list("pk", flat=True))
        rows.append((model._meta.label, name, pks, label))
        MergeMove.objects.bulk_create(
            MergeMove(merge=merge, model=model._meta.label, field=name, object_pk=str(pk))
            for pk in pks)
    _move(rows, kept, what="merge the records")
    merged.merged_into = kept
    merged.version += 1
    merged.save(update_fields=["merged_into", "version"])
    moved = {label: len(pks) for _model, _name, pks, label in rows if pks}
    for child, summary in ((kept, f"Merged record {merged.pk} into this record"),
                           (merged, f"Merged this record into record {kept.pk}")):
        audit.record(by, "merge", merge, child=child, summary=summary, reason=reason.strip(),
                     changes={"kept": kept.pk, "merged": merged.pk, "moved": moved,
                              "evidence": evidence, "set_aside": set_aside,
                              "work": changed_work})
    now = timezone.now()
    created = timezone.localtime(merged.created_at)
    add_chronology(kept, kind="record", occurred_at=now, by=by,
                   title=f"Another record of this child was merged into this one "
                         f"({merged.full_name}, record {merged.pk})",
                   detail=f"Reason: {reason.strip()}\nRecord {merged.pk} was created in "
                          f"Lantern on {created:%-d %B %Y}"
                          + (f" by {merged.created_by_agency.name}"
                             if merged.created_by_agency else "") + ".")
    add_chronology(merged, kind="record", occurred_at=now, by=by,
                   title=f"Merged into record {kept.pk}: its history is now there",
                   detail=f"Reason: {reason.strip()}", url=kept.get_absolute_url())
    return merge


@transaction.atomic
def undo_merge(merge: ChildMerge, *, by: User, reason: str) -> ChildMerge:
    """Move back exactly what the merge moved, and make the merged record stand on its own
    again. What was added to the kept record after the merge stays there. Audited and in the
    chronology on both records."""
    if not reason.strip():
        raise ValueError("undoing a merge needs a reason")
    merge = ChildMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise MergeRefused("This merge has already been undone.")
    ids = sorted([merge.kept_id, merge.merged_id])
    locked = {c.pk: c for c in Child.objects.select_for_update().filter(pk__in=ids)}
    kept, merged = locked[merge.kept_id], locked[merge.merged_id]
    if not (may_merge(by, kept) and may_merge(by, merged)):
        raise MergeRefused("Only the front door or the CSE team manager of the child's area "
                           "can undo a merge.")
    grouped: dict[tuple[str, str], list[str]] = {}
    for move in merge.moves.order_by("pk"):
        grouped.setdefault((move.model, move.field), []).append(move.object_pk)
    rows = [(model, name, pks, str(apps.get_model(model)._meta.verbose_name_plural))
            for (model, name), pks in grouped.items()]
    _move(rows, merged, what="undo the merge")
    for label, pks in (merge.set_aside or {}).items():
        ONE_EACH[label].restore(pks, by=by)
    changed_work = merge.work or {}
    work.reopen_items(changed_work.get("closed", []), by=by)
    for item in WorkItem.objects.filter(pk__in=changed_work.get("repointed", [])):
        _repoint(item, kept, merged, by=by, why="Work back with its record, the merge undone")
    merged.merged_into = None
    merged.version += 1
    merged.save(update_fields=["merged_into", "version"])
    merge.undone_by, merge.undone_at, merge.undo_reason = by, timezone.now(), reason.strip()
    merge.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    moved = {label: len(pks) for _model, _name, pks, label in rows}
    for child, summary in ((kept, f"Undid the merge of record {merged.pk} into this record"),
                           (merged, f"Undid the merge of this record into record {kept.pk}")):
        audit.record(by, "unmerge", merge, child=child, summary=summary, reason=reason.strip(),
                     changes={"kept": kept.pk, "merged": merged.pk, "moved_back": moved})
    for child, title in ((kept, f"Merge undone: record {merged.pk} ({merged.full_name}) "
                                "stands on its own again, with its history"),
                         (merged, f"Merge into record {kept.pk} undone: this record's history "
                                  "is back")):
        add_chronology(child, kind="record", occurred_at=merge.undone_at, by=by, title=title,
                       detail=f"Reason: {reason.strip()}")
    return merge
