"""Every write to a child's one plan (SPEC §6). Each audits in the same transaction; actions
with a due date are work items owned by their owner, so overdue actions reach the owner's tray
and escalate through `lantern work` like any other deadline.

Every change names the plan `version` it started from. If the plan has moved on since, nothing
is saved and StalePlan says who changed it and when: two people editing the plan at once never
overwrite each other's work.

    start_plan(child, by=..., meeting=None)          the active plan, made if there is none
    add_action(plan, version=..., by=..., kind="safety", description=..., risk=..., ...)
    update_action(action, version=..., by=..., status="done", ...)
    record_breach(action, version=..., by=..., occurred_on=..., detail=...)
    record_measures(plan, version=..., by=..., values={"missing_episodes": 3}, stage="start")
    review_plan(plan, by=..., meeting=..., summary=..., next_review_on=...)
    close_plan(plan, version=..., by=..., reason=...)
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from lantern.domain import plans as rules
from lantern.domain.dates import end_of_day
from lantern.domain.labels import in_sentence
from lantern.foundation import audit, grants, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Agency, Child, GrantBasis, Role, User, WorkItem
from lantern.people import queries as people_queries

from . import catalogue
from .models import ActionEvent, Breach, MeasureRecord, Plan, PlanAction, PlanReview

ACTION_BASIS = ("Due date agreed in the child's plan (West Midlands CSE toolkit: the plan sets "
                "clear lead officers and timescales)")


class PlanError(Exception):
    """A plan change the rules do not allow; the message says why, for the user."""


class StalePlan(PlanError):
    """The plan changed since this edit began."""

    def __init__(self, plan: Plan):
        who = f" by {plan.updated_by.display_name}" if plan.updated_by is not None else ""
        when = timezone.localtime(plan.updated_at)
        super().__init__(
            f"Someone else changed this plan{who} at {when:%H:%M on %-d %B %Y} while you were "
            "editing it. Your change has not been saved: read the plan as it is now, then make "
            "your change again.")
        self.plan = plan


def active_plan(child: Child) -> Plan | None:
    return Plan.objects.filter(child=child, status=Plan.Status.ACTIVE).first()


def start_plan(child: Child, *, by: User, meeting=None) -> Plan:
    """The child's active plan, made now if there is none. There is only ever one (seed 001):
    if two people start one at the same moment, the database keeps one and both get it."""
    existing = active_plan(child)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            plan = Plan.objects.create(child=child, created_by=by, updated_by=by,
                                       agreed_at_meeting=meeting)
            audit.record(by, "create", plan, child=child, summary="Started the child's plan",
                         changes=audit.created(plan, ("status", "agreed_at_meeting_id")))
            add_chronology(child, kind="plan", title="Plan agreed" if meeting else
                           "Plan started", occurred_at=plan.created_at, by=by,
                           url=plan.get_absolute_url())
            return plan
    except IntegrityError:
        # Someone else started it first: the partial unique index allows one active plan.
        started = active_plan(child)
        if started is None:
            raise
        return started


def _lock(plan: Plan, version: int) -> Plan:
    # No join under the lock: PostgreSQL re-reads the locked row after waiting, but not the
    # joined one, so who changed it is looked up afterwards (in StalePlan).
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if current.status != Plan.Status.ACTIVE:
        raise PlanError("This plan has been closed")
    if current.version != version:
        raise StalePlan(current)
    return current


def _moved_on(plan: Plan, by: User) -> None:
    plan.version += 1
    plan.updated_at = timezone.now()
    plan.updated_by = by
    plan.save(update_fields=["version", "updated_at", "updated_by", "next_review_on",
                             "last_reviewed_at"])


def _work_owner(action: PlanAction) -> tuple[User | None, str]:
    """Who the deadline belongs to: the owner, or for an owner without a Lantern account (a
    foster carer, a parent) the child's allocated social worker, who coordinates the plan
    (seed 002 §5.9.6), else the area's social workers."""
    if action.owner_id:
        return action.owner, ""
    allocation = (people_queries.open_allocations(action.plan.child, role=Role.SOCIAL_WORKER)
                  .order_by("-started_at").first())
    if allocation is not None:
        return allocation.user, ""
    return None, Role.SOCIAL_WORKER


def _sync_work(action: PlanAction, *, by: User) -> None:
    """Keep one open work item for an open action with a due date, due then, with its owner."""
    data = catalogue.get()
    is_open = data.status(action.status).open
    item = action.work_item
    owner, owner_role = _work_owner(action)
    due_at = end_of_day(action.due_on) if action.due_on else None
    current = item is not None and item.status == WorkItem.Status.OPEN
    if current and item is not None and is_open and item.due_at == due_at and item.owner_id == (
            owner.pk if owner else None) and item.owner_role == owner_role:
        return
    if current:
        work.close_items(source=action, by=by,
                         status=WorkItem.Status.DONE if not is_open else
                         WorkItem.Status.CANCELLED)
    if is_open and due_at is not None:
        action.work_item = work.open_item(
            area=action.plan.child.area, child=action.plan.child, kind="plan_action",
            title=f"Plan action due: {in_sentence(data.action_kind(action.kind).label)}",
            due_at=due_at, all_day=True, basis=ACTION_BASIS, owner=owner,
            owner_role=owner_role, source=action, by=by, url=action.get_absolute_url())
        action.save(update_fields=["work_item"])


def _event(action: PlanAction, *, by: User, what: str, changes: dict, meeting=None) -> None:
    ActionEvent.objects.create(action=action, by=by, what=what[:200], changes=changes,
                               meeting=meeting)


ACTION_FIELDS = ("kind", "disruption_type", "subject", "description", "risk", "owner",
                 "owner_name", "owner_agency", "owner_agency_name", "due_on", "status",
                 "parent_statement", "served_on", "occupier_consent_or_power",
                 "advisories_given")


def _check(plan: Plan, fields: dict) -> list[str]:
    data = catalogue.get()
    if fields.get("status") and fields["status"] not in {s.code for s in data.statuses}:
        raise PlanError("Select the status of the action")
    if not (fields.get("description") or "").strip():
        raise PlanError("Enter what will be done")
    if not (fields.get("risk") or "").strip():
        raise PlanError("Enter the risk the action addresses")
    if fields.get("owner") is None and not (fields.get("owner_name") or "").strip():
        raise PlanError("Select or name the person who owns the action")
    if fields.get("owner") is None and fields.get("owner_agency") is None and not (
            fields.get("owner_agency_name") or "").strip():
        raise PlanError("Enter the owner's agency")
    facts = [name for name in ("parent_statement", "occupier_consent_or_power",
                               "advisories_given") if fields.get(name)]
    age = plan.child.age()
    try:
        return rules.check_action(
            data, kind=fields["kind"], disruption_type=fields.get("disruption_type") or "",
            has_subject=fields.get("subject") is not None,
            child_age=age.years if age else None, facts=facts)
    except (rules.InvalidAction, LookupError) as error:
        raise PlanError(str(error).strip("'\"")) from None


def _grant_owner(action: PlanAction, *, by: User) -> None:
    """The owner of an action in the child's active plan sees the plan it belongs to (and the
    child), until the plan closes or the action passes to someone else."""
    if action.owner_id is not None:
        grants.grant(action.plan.child, basis=GrantBasis.PLAN_ACTION, user=action.owner,
                     by=by, source=action, reason="Owns an action in the child's plan")


@transaction.atomic
def add_action(plan: Plan, *, version: int, by: User, kind: str, description: str, risk: str,
               owner: User | None = None, owner_name: str = "",
               owner_agency: Agency | None = None, owner_agency_name: str = "",
               due_on: date | None = None, status: str = "not_started",
               disruption_type: str = "", subject=None, parent_statement: bool = False,
               served_on: date | None = None, occupier_consent_or_power: bool = False,
               advisories_given: bool = False, meeting=None) -> tuple[PlanAction, list[str]]:
    """Add a safety, disruption or support action. Returns it and any warnings to show."""
    current = _lock(plan, version)
    if owner is not None and owner_agency is None:
        owner_agency = owner.agency
    fields = {"kind": kind, "disruption_type": disruption_type, "subject": subject,
              "description": description.strip(), "risk": risk.strip(), "owner": owner,
              "owner_name": owner_name.strip(), "owner_agency": owner_agency,
              "owner_agency_name": owner_agency_name.strip(), "due_on": due_on,
              "status": status, "parent_statement": parent_statement, "served_on": served_on,
              "occupier_consent_or_power": occupier_consent_or_power,
              "advisories_given": advisories_given}
    warnings = _check(current, fields)
    action = PlanAction.objects.create(plan=current, created_by=by, agreed_at_meeting=meeting,
                                       **fields)
    created = {name: change for name, change in audit.created(action, [
        f"{f}_id" if f in ("subject", "owner", "owner_agency") else f for f in ACTION_FIELDS
    ]).items() if change["new"] not in (None, "", False)}
    _event(action, by=by, what="Action agreed", meeting=meeting, changes=created)
    _sync_work(action, by=by)
    _grant_owner(action, by=by)
    _moved_on(current, by)
    audit.record(by, "create", action, child=current.child,
                 summary=f"Added a {kind} action to the plan", changes=created)
    return action, warnings


@transaction.atomic
def update_action(action: PlanAction, *, version: int, by: User, meeting=None, **changes
                  ) -> tuple[PlanAction, list[str]]:
    """Change an action (its status, owner, due date...). Its history keeps each change."""
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown action fields {sorted(unknown)}")
    current = _lock(action.plan, version)
    locked = PlanAction.objects.select_for_update().get(pk=action.pk)
    if "owner" in changes and changes["owner"] is not None and not changes.get("owner_agency"):
        changes["owner_agency"] = changes["owner"].agency
    fields = {name: getattr(locked, name) for name in ACTION_FIELDS}
    fields.update(changes)
    warnings = _check(current, fields)
    diff = audit.diff(locked, changes, changed_only=True)
    if not diff:
        return locked, warnings
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    locked.plan = current
    status_changed = "status" in diff
    what = (f"Status: {in_sentence(catalogue.get().status(locked.status).label)}"
            if status_changed and len(diff) == 1 else "Action changed")
    _event(locked, by=by, what=what, changes=diff, meeting=meeting)
    _sync_work(locked, by=by)
    if "owner" in diff:
        grants.end_for_source(locked, by=by, reason="The action has a new owner")
        _grant_owner(locked, by=by)
    _moved_on(current, by)
    audit.record(by, "update", locked, child=current.child, summary="Changed a plan action",
                 changes=diff)
    return locked, warnings


@transaction.atomic
def record_breach(action: PlanAction, *, version: int, by: User, occurred_on: date,
                  detail: str) -> Breach:
    """A breach of a Child Abduction Warning Notice (seed 002, appendix 3)."""
    current = _lock(action.plan, version)
    if action.disruption_type != "cawn":
        raise PlanError("Breaches are recorded for a Child Abduction Warning Notice")
    if action.served_on is None:
        raise PlanError("Record when the notice was served first")
    if occurred_on < action.served_on:
        raise PlanError("A breach is on or after the date the notice was served")
    if not detail.strip():
        raise PlanError("Enter what happened")
    breach = Breach.objects.create(action=action, occurred_on=occurred_on,
                                   detail=detail.strip(), recorded_by=by)
    _event(action, by=by, what=f"Breach on {occurred_on:%-d %B %Y}",
           changes=audit.diff(None, {"breach": detail.strip()}))
    _moved_on(current, by)
    audit.record(by, "create", breach, child=current.child,
                 summary="Recorded a breach of a warning notice",
                 changes=audit.created(breach, ("occurred_on", "detail")))
    add_chronology(current.child, kind="plan_breach",
                   title="Child Abduction Warning Notice breached",
                   occurred_at=timezone.now(), by=by, url=current.get_absolute_url())
    return breach


@transaction.atomic
def record_measures(plan: Plan, *, version: int, by: User, values: dict[str, int],
                    stage: str, on: date | None = None, notes: dict[str, str] | None = None,
                    meeting=None) -> list[MeasureRecord]:
    """Outcome measures at the start of the plan or at a review (seed 001)."""
    if stage not in MeasureRecord.Stage.values:
        raise PlanError("Say whether this is the start of the plan or a review")
    if not values:
        raise PlanError("Record at least one measure")
    data = catalogue.get()
    for code, value in values.items():
        try:
            rules.check_value(data.measure(code), value)
        except LookupError:
            raise PlanError(f"Unknown measure {code}") from None
        except rules.InvalidAction as error:
            raise PlanError(str(error)) from None
    current = _lock(plan, version)
    on = on or timezone.localdate()
    rows = MeasureRecord.objects.bulk_create(
        MeasureRecord(plan=current, child=current.child, measure=code, value=value,
                      note=(notes or {}).get(code, "")[:300], stage=stage, recorded_on=on,
                      meeting=meeting, recorded_by=by)
        for code, value in values.items())
    _moved_on(current, by)
    audit.record(by, "create", current, child=current.child,
                 summary="Recorded outcome measures "
                         f"({in_sentence(MeasureRecord.Stage(stage).label)})",
                 changes=audit.diff(None, values))
    return rows


@transaction.atomic
def set_review_date(plan: Plan, *, by: User, next_review_on: date) -> Plan:
    """The review date a meeting sets (called by lantern.meetings.actions.conclude)."""
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    old = current.next_review_on
    current.next_review_on = next_review_on
    _moved_on(current, by)
    audit.record(by, "update", current, child=current.child, summary="Set the plan's review date",
                 changes=audit.diff({"next_review_on": old}, {"next_review_on": next_review_on}))
    return current


@transaction.atomic
def review_plan(plan: Plan, *, by: User, meeting, summary: str,
                next_review_on: date | None) -> PlanReview:
    """The plan reviewed at a review meeting (seed 001; seed 002 §6.4.1)."""
    if not summary.strip():
        raise PlanError("Enter how the plan is going")
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    review = PlanReview.objects.create(plan=current, meeting=meeting, reviewed_by=by,
                                       summary=summary.strip(), next_review_on=next_review_on)
    old = current.next_review_on
    current.next_review_on = next_review_on
    current.last_reviewed_at = review.reviewed_at
    _moved_on(current, by)
    audit.record(by, "review", current, child=current.child, summary="Reviewed the plan",
                 changes=audit.diff({"next_review_on": old},
                                    {"next_review_on": next_review_on,
                                     "summary": review.summary}))
    return review


@transaction.atomic
def close_plan(plan: Plan, *, version: int, by: User, reason: str) -> Plan:
    """End the plan (the child's pathway has moved on); its open actions stop with it."""
    if not reason.strip():
        raise PlanError("Enter why the plan is ending")
    current = _lock(plan, version)
    for action in PlanAction.objects.filter(plan=current,
                                            status__in=catalogue.get().open_statuses):
        action.status = "not_done"
        action.save(update_fields=["status"])
        _event(action, by=by, what="Stopped: the plan ended",
               changes=audit.diff({"status": "open"}, {"status": "not_done"}))
        work.close_items(source=action, by=by, status=WorkItem.Status.CANCELLED)
    for action in PlanAction.objects.filter(plan=current, owner__isnull=False):
        grants.end_for_source(action, by=by, reason="The plan ended")
    current.status = Plan.Status.CLOSED
    current.closed_at = timezone.now()
    current.closed_reason = reason.strip()
    current.version += 1
    current.updated_by = by
    current.updated_at = current.closed_at
    current.save()
    audit.record(by, "close", current, child=current.child, summary="Closed the child's plan",
                 changes=audit.diff({"status": "active"},
                                    {"status": "closed", "reason": current.closed_reason}))
    add_chronology(current.child, kind="plan_closed", title="Plan ended",
                   occurred_at=current.closed_at, by=by, detail=current.closed_reason,
                   url=current.get_absolute_url())
    return current
