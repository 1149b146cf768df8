"""Writes of the monitoring app: naming and removing an agency's CSE leads, the decisions of
tasking meetings and the six-monthly review, each audited in the same transaction."""

import secrets
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.domain import dipsample
from lantern.foundation import audit, grants, work
from lantern.foundation.access import visible_children
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import GrantBasis
from lantern.meetings import queries as meetings_queries
from lantern.screening import queries as screening_queries

from . import queries, snapshots
from . import review as review_figures
from .models import (
    CseLead,
    DipSample,
    DipSampleAction,
    DipSampleGrade,
    DipSampleItem,
    SixMonthlyReview,
    TaskingDecision,
)

TASKING_KIND = "tasking_action"

FIELDS = ("name", "job_title", "phone", "email")


@transaction.atomic
def recount_data_set(*, now: datetime | None = None,
                     between: Callable[[], object] | None = None) -> int:
    """For `lantern work`: count each area's monitoring data set again when it is older than
    MONITORING_RECOUNT_SECONDS, and forget filtered slices counted over a day ago
    (lantern.monitoring.snapshots). How many were counted."""
    return snapshots.refresh(now=now, between=between)


def add_lead(agency, *, by, name: str, job_title: str = "", phone: str = "",
             email: str = "") -> CseLead:
    lead = CseLead.objects.create(agency=agency, name=name, job_title=job_title, phone=phone,
                                  email=email, added_by=by)
    audit.record(by, "create", lead, summary=f"Named a CSE lead for {agency.name}",
                 changes=audit.diff(None, lead, FIELDS))
    return lead


@transaction.atomic
def remove_lead(lead: CseLead, *, by) -> CseLead:
    lead = CseLead.objects.select_for_update().get(pk=lead.pk)
    if lead.removed_at is None:
        lead.removed_at = timezone.now()
        lead.removed_by = by
        lead.save(update_fields=["removed_at", "removed_by"])
        audit.record(by, "delete", lead,
                     summary=f"Removed a CSE lead for {lead.agency.name}")
    return lead


def may_see_child(user, child) -> bool:
    """Whether an action's owner may see the child's record: if not, their work names no
    child, only the decision's reference (`record_tasking_decision`)."""
    return visible_children(user).filter(pk=child.pk).exists()


@transaction.atomic
def record_tasking_decision(*, area, cadence: str, held_on: date, item_key: str,
                            item_label: str, child, decision: str, by, owner=None,
                            due_on: date | None = None, url: str = "") -> TaskingDecision:
    """Record the meeting's decision on one item of its list; an action with an owner becomes
    their work item, due at the end of `due_on`. Refused (IntegrityError) when the item
    already has a decision on this list."""
    row = TaskingDecision.objects.create(
        area=area, cadence=cadence, held_on=held_on, item_key=item_key,
        item_label=item_label[:300], child=child, decision=decision, action_owner=owner,
        action_due_on=due_on, decided_by=by)
    meeting = f"{row.get_cadence_display().lower()} tasking meeting"
    if owner is not None and due_on is not None:
        basis = (f"Agreed at the {meeting} on {held_on:%-d %B %Y} (Stockport CSE strategy: "
                 "daily and weekly tasking)")
        named = child is None or may_see_child(owner, child)
        if named:
            title = f"Tasking action: {decision}"
        else:
            # The owner may not see the child's record (need to know): their work names no
            # child and links to no record, only the decision's reference, which the chair
            # can look up on the list.
            title = f"Tasking action {row.reference}: {decision}"
            basis = (f"{basis}. The child's record is not open to you: ask "
                     f"{by.display_name}, quoting {row.reference}")
        row.work_item = work.open_item(
            area=area, kind=TASKING_KIND, title=title[:200],
            due_at=datetime.combine(due_on, time.max, tzinfo=timezone.get_current_timezone()),
            all_day=True, basis=basis, by=by, child=child if named else None, owner=owner,
            source=row, url=url if named else "")
        if not named:  # no link: the tasking list is not theirs either
            row.work_item.url = ""
            row.work_item.save(update_fields=["url"])
        row.save(update_fields=["work_item"])
    audit.record(by, "decide", row, child=child,
                 summary=f"Recorded the {meeting}'s decision on an item",
                 changes=audit.diff(None, row, ("cadence", "held_on", "item_key", "decision",
                                                "action_owner_id", "action_due_on")))
    if child is not None:
        add_chronology(child, kind="tasking", title=f"Discussed at the {meeting}",
                       detail=decision, occurred_at=timezone.now(), by=by, url=url)
    return row


class ReviewIssued(Exception):
    """The review has been issued: it is frozen."""


@transaction.atomic
def start_review(*, area, start: date, end: date, by) -> SixMonthlyReview:
    row = SixMonthlyReview.objects.create(area=area, period_start=start, period_end=end,
                                          created_by=by)
    audit.record(by, "create", row, summary="Started a six-monthly review",
                 changes=audit.diff(None, row, ("period_start", "period_end")))
    return row


@transaction.atomic
def edit_review(review: SixMonthlyReview, *, sections: dict[str, str], by) -> SixMonthlyReview:
    """Change the narrative of a draft; refused (ReviewIssued) once it is issued."""
    review = SixMonthlyReview.objects.select_for_update().get(pk=review.pk)
    if review.is_issued:
        raise ReviewIssued
    before = dict(review.sections or {})
    after = {key: sections.get(key, "") for key, _ in SixMonthlyReview.SECTIONS}
    changed = {key: {"old": before.get(key, ""), "new": text}
               for key, text in after.items() if before.get(key, "") != text}
    if changed:
        review.sections = after
        review.save(update_fields=["sections"])
        audit.record(by, "update", review, summary="Changed the six-monthly review's narrative",
                     changes=changed)
    return review


@transaction.atomic
def issue_review(review: SixMonthlyReview, *, by) -> SixMonthlyReview:
    """Issue the review: its figures are counted once more and frozen with the narrative."""
    review = SixMonthlyReview.objects.select_for_update().get(pk=review.pk)
    if review.is_issued:
        raise ReviewIssued
    now = timezone.now()
    review.snapshot = review_figures.figures(review.area_id, review.period_start,
                                             review.period_end, now=now)
    review.status = SixMonthlyReview.Status.ISSUED
    review.issued_by = by
    review.issued_at = now
    review.save(update_fields=["snapshot", "status", "issued_by", "issued_at"])
    audit.record(by, "decide", review, summary="Issued the six-monthly review",
                 changes={"status": {"old": "draft", "new": "issued"}})
    return review



# --- The monthly dip-sample audit (issue 17 item 4; seed 001: "Monthly audits to dip sample CSE
# Risk Assessments will take place to ensure consistency and quality") -------------------------

DIP_SAMPLE_ACTION_KIND = "dip_sample_action"
DIP_SAMPLE_AUDIT_KIND = "dip_sample_audit"
DIP_SAMPLE_BASIS = ("Monthly dip-sample audit of screenings and risk assessments (West Midlands "
                    "CSE toolkit)")


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month of `month` as [its first moment, the next month's first moment)."""
    tz = timezone.get_current_timezone()
    first = month.replace(day=1)
    following = (first.replace(year=first.year + 1, month=1) if first.month == 12
                 else first.replace(month=first.month + 1))
    return (datetime.combine(first, time.min, tzinfo=tz),
            datetime.combine(following, time.min, tzinfo=tz))


@transaction.atomic
def draw_dip_sample(*, area, month: date, size: int, by, seed: int | None = None) -> DipSample:
    """Draw the month's sample of the area's screenings and risk assessments at random (with
    `seed`, or a new one that is kept), give each record to an auditor who did not make it, and
    grant each auditor read-only access to their record's child until they complete its audit.
    Refused (IntegrityError) when the month is already drawn."""
    since, until = month_bounds(month)
    # key: (kind, record id, child id, made at, who made it)
    found: dict[str, tuple[Any, ...]] = {}
    for row in screening_queries.dip_sample_candidates(area.pk, since, until):
        found[f"screening-{row[0]}"] = (DipSampleItem.Kind.SCREENING, *row)
    for assessed in meetings_queries.dip_sample_candidates(area.pk, since, until):
        found[f"risk_assessment-{assessed[0]}"] = (DipSampleItem.Kind.RISK_ASSESSMENT, *assessed)
    seed = secrets.randbits(48) if seed is None else seed
    chosen = dipsample.choose(list(found), size, seed)
    auditors = queries.dip_sample_auditors(area.pk)
    given = dipsample.assign(chosen, [u.pk for u in auditors], seed,
                             exclude={key: {found[key][4]} for key in chosen
                                      if found[key][4] is not None})
    by_pk: dict[int | None, Any] = {u.pk: u for u in auditors}
    sample = DipSample.objects.create(area=area, month=month.replace(day=1), size=size,
                                      seed=seed, candidates=len(found), drawn_by=by)
    audit.record(by, "create", sample, summary=f"Drew the dip sample for {sample.month:%B %Y}",
                 changes=audit.created(sample, ("month", "size", "seed", "candidates")))
    for key in chosen:
        kind, pk, child_id, at, _author = found[key]
        auditor = by_pk.get(given[key])
        item = DipSampleItem.objects.create(sample=sample, kind=kind, record_id=pk,
                                            child_id=child_id, recorded_at=at, auditor=auditor)
        audit.record(by, "create", item, child=item.child,
                     summary=f"Sampled a {item.get_kind_display().lower()} for the dip-sample "
                             f"audit of {sample.month:%B %Y}",
                     changes=audit.created(item, ("kind", "record_id", "auditor_id")))
        if auditor is not None:
            grants.grant(item.child, basis=GrantBasis.DIP_SAMPLE_AUDIT, by=by,
                         reason=f"Auditing item {item.pk} of the {sample.month:%B %Y} dip "
                                f"sample", user=auditor, read_only=True, source=item)
            _open_audit_work(item, sample, auditor, by=by)
    return sample


def _open_audit_work(item: DipSampleItem, sample: DipSample, auditor, *, by) -> None:
    """The record's audit, in its auditor's tray until they complete it. It names no child
    (auditors see aggregates, not identities, outside the record they audit): the audit page
    opens the record through the grant. Seed 001 audits monthly, so a month's sample is due by
    the end of the month after it, before the next month's is drawn."""
    _, following = month_bounds(sample.month)
    _, after_that = month_bounds(following.date())
    last_day = after_that.date() - timedelta(days=1)
    work.open_item(
        area=sample.area, kind=DIP_SAMPLE_AUDIT_KIND,
        title=f"Audit a {item.get_kind_display().lower()} for the {sample.month:%B %Y} dip "
              "sample",
        due_at=datetime.combine(last_day, time.max, tzinfo=timezone.get_current_timezone()),
        all_day=True, basis="West Midlands CSE toolkit: monthly dip-sample audits of risk "
                            "assessments; due by the end of the month after the month sampled",
        by=by, owner=auditor, source=item, url=item.get_absolute_url())


class AuditCompleted(Exception):
    """The audit of this record is completed: its grades are frozen."""


class FormIncomplete(Exception):
    """A record's audit cannot be completed before every area is graded."""


@transaction.atomic
def grade_dip_sample_item(item: DipSampleItem, *, grades: dict[str, tuple[str, str]],
                          summary: str, by, complete: bool = False) -> DipSampleItem:
    """Save the auditor's grades ({area: (grade, comment)}) and overall finding; with
    `complete`, complete the audit, which ends the auditor's access to the record. Refused
    (AuditCompleted) once completed; (FormIncomplete) when completing without every area
    graded."""
    item = DipSampleItem.objects.select_for_update().get(pk=item.pk)
    if item.is_completed:
        raise AuditCompleted
    before = {g.area: (g.grade, g.comment) for g in item.grades.all()}
    changes: dict[str, Any] = {}
    for area, (grade, comment) in grades.items():
        if before.get(area) == (grade, comment):
            continue
        if not grade and not comment:
            continue
        DipSampleGrade.objects.update_or_create(item=item, area=area,
                                                defaults={"grade": grade, "comment": comment})
        old = before.get(area, ("", ""))
        changes[area] = {"old": {"grade": old[0], "comment": old[1]},
                         "new": {"grade": grade, "comment": comment}}
    if summary != item.summary:
        changes["summary"] = {"old": item.summary, "new": summary}
        item.summary = summary
        item.save(update_fields=["summary"])
    if changes:
        audit.record(by, "update", item, child=item.child,
                     summary=f"Graded item {item.pk} of a dip sample", changes=changes)
    if complete:
        graded = {g.area for g in item.grades.all() if g.grade}
        if any(a.code not in graded for a in dipsample.form().areas):
            raise FormIncomplete
        item.completed_at = timezone.now()
        item.save(update_fields=["completed_at"])
        audit.record(by, "decide", item, child=item.child,
                     summary=f"Completed the audit of item {item.pk} of a dip sample",
                     changes=audit.diff({"completed_at": None},
                                        {"completed_at": item.completed_at}))
        grants.end_for_source(item, by=by, reason="The dip-sample audit is completed")
        work.close_items(source=item, kind=DIP_SAMPLE_AUDIT_KIND, by=by)
    return item


@transaction.atomic
def add_dip_sample_action(item: DipSampleItem, *, finding: str, action: str, owner,
                          due_on: date, by) -> DipSampleAction:
    """A finding of the audit and the action it calls for, opened as the owner's work item."""
    row = DipSampleAction.objects.create(item=item, finding=finding, action=action,
                                         owner=owner, due_on=due_on, added_by=by)
    # The work names no child: the action is about practice, and its owner need not be
    # someone who sees the child (their page shows the finding, not the record).
    row.work_item = work.open_item(
        area=item.sample.area, kind=DIP_SAMPLE_ACTION_KIND,
        title=f"Dip-sample audit action: {action}"[:200],
        due_at=datetime.combine(due_on, time.max, tzinfo=timezone.get_current_timezone()),
        all_day=True, basis=f"Agreed in the {item.sample.month:%B %Y} dip-sample audit "
                            "(West Midlands CSE toolkit: monthly dip-sample audits)",
        by=by, owner=owner, source=row, url=item.get_absolute_url())
    row.save(update_fields=["work_item"])
    audit.record(by, "create", row, child=item.child,
                 summary=f"Recorded a finding and action on item {item.pk} of a dip sample",
                 changes=audit.created(row, ("finding", "action", "owner_id", "due_on")))
    return row


@transaction.atomic
def complete_dip_sample_action(row: DipSampleAction, *, by) -> DipSampleAction:
    """The owner says the action is done: their work item closes."""
    if row.work_item is not None and row.work_item.status == row.work_item.Status.OPEN:
        work.close_item(row.work_item, by=by)
        audit.record(by, "update", row, child=row.item.child,
                     summary=f"Marked dip-sample action {row.pk} done",
                     changes={"status": {"old": "open", "new": "done"}})
    return row
