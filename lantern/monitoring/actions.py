"""Writes of the monitoring app: naming and removing an agency's CSE leads, the decisions of
tasking meetings and the six-monthly review, each audited in the same transaction."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from lantern.foundation import audit, work
from lantern.foundation.chronology import add_chronology

from . import review as review_figures
from .models import CseLead, SixMonthlyReview, TaskingDecision

TASKING_KIND = "tasking_action"

FIELDS = ("name", "job_title", "phone", "email")


@transaction.atomic
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
        row.work_item = work.open_item(
            area=area, kind=TASKING_KIND, title=f"Tasking action: {decision}"[:200],
            due_at=datetime.combine(due_on, time.max, tzinfo=timezone.get_current_timezone()),
            all_day=True, basis=f"Agreed at the {meeting} on {held_on:%-d %B %Y} (seed 004: "
                                "daily and weekly tasking)",
            by=by, child=child, owner=owner, source=row, url=url)
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
