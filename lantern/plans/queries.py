"""Queries for plan pages and the child's record: each owns its joins."""

from collections.abc import Callable
from datetime import datetime
from typing import cast

from django.db.models import Count, Model, Prefetch, Q, QuerySet

from lantern.domain import plans as rules
from lantern.foundation.access import NO_IDENTITY_ROLES, visible_in_area
from lantern.foundation.compiled import Compiled
from lantern.foundation.figures import Slice
from lantern.foundation.flags import has_rows
from lantern.foundation.models import Child, User

from . import catalogue
from .models import ActionEvent, Breach, MeasureRecord, Plan, PlanAction, PlanReview


def plan_page(plan: Plan | None, *, family: bool = False) -> dict:
    """The plan's actions by kind with their history and breaches, its reviews and the
    outcome measures over time, in a fixed number of queries."""
    if plan is None:
        return {"plan": None, "groups": [], "reviews": [], "measure_rows": []}
    data = catalogue.get()
    actions = list(
        PlanAction.objects.filter(plan=plan)
        .select_related("owner__agency", "owner_agency", "subject", "work_item")
        .prefetch_related(Prefetch("events", queryset=ActionEvent.objects.select_related("by")),
                          Prefetch("breaches", queryset=Breach.objects.order_by("occurred_on")))
    )
    if family:
        # Action against named people stays with the professionals.
        actions = [a for a in actions if a.kind != "disruption"]
    for action in actions:
        action.kind_label = data.action_kind(action.kind).label
        action.status_label = data.status(action.status).label
        action.is_open = data.status(action.status).open
        action.tactic_label = (data.disruption_type(action.disruption_type).label
                               if action.disruption_type else "")
    groups = [{"kind": kind, "actions": [a for a in actions if a.kind == kind.code]}
              for kind in data.action_kinds if not (family and kind.code == "disruption")]
    return {
        "plan": plan,
        "groups": groups,
        "reviews": list(PlanReview.objects.filter(plan=plan).select_related("reviewed_by")),
        **measures(plan.child_id),
    }


# Compiled once a process and prepared on PostgreSQL (read by the child's key), issue 18.
_measure_records: Compiled[tuple] = Compiled(
    lambda child: MeasureRecord.objects.filter(child_id=child)
    .values_list("measure", "recorded_on", "value"), prepared=True)


def measures(child_id: int) -> dict:
    """The child's outcome measures over time (all their plans), for the record and the plan."""
    data = catalogue.get()
    records = _measure_records(child=child_id)
    dates = sorted({on for _code, on, _value in records})
    rows = [{"row": row, "cells": [dict(row.values).get(on) for on in dates]}
            for row in rules.measure_rows(data, records)]
    return {"measure_rows": rows, "measure_dates": dates, "rating_labels": data.rating_labels}


# The annotation `child_record_annotations` puts on a child: whether they have an active plan.
ACTIVE_PLAN_FOUND = "has_active_plan"


def child_record_annotations() -> dict:
    """For `get_child_for_user(..., annotations=...)`: whether the child has an active plan,
    so the record asks for no plan when there is none."""
    return {ACTIVE_PLAN_FOUND: has_rows(Plan, "child", Child, status=Plan.Status.ACTIVE)}


# The child's active plan as the record draws it: the next review and the open actions (issue
# 18); not its other columns, nor who last updated it. Compiled once a process (the open
# statuses are the catalogue's, read once a process) and prepared on PostgreSQL.
_active_plan: Compiled[Plan] = Compiled(
    lambda child: Plan.objects.filter(child_id=child, status=Plan.Status.ACTIVE)
    .only("id", "child", "status", "next_review_on")
    .annotate(open_actions=Count(
        "actions", filter=Q(actions__status__in=catalogue.get().open_statuses)))
    .order_by("pk")[:1], prepared=True)


def record_statements(child) -> list[tuple[str, list]]:
    """The reads `for_child_record` makes, for the record to run them ahead (`rows.ahead`)."""
    reads = _measure_records.statements(child=child.pk)
    if getattr(child, ACTIVE_PLAN_FOUND, True):
        reads += _active_plan.statements(child=child.pk)
    return reads


def for_child_record(child) -> dict:
    """The plan summary and outcome measures on the child's record: two queries (the plan with
    its open actions counted, the measures), one when the child was loaded with
    `child_record_annotations()` and has no active plan."""
    plan = None
    if getattr(child, ACTIVE_PLAN_FOUND, True):
        found = _active_plan(child=child.pk)
        plan = found[0] if found else None
    open_actions = getattr(plan, "open_actions", 0)  # annotated on the plan; 0 without one
    return {"active_plan": plan, "open_plan_actions": open_actions, **measures(child.pk)}


# Whom a disruption action may name is for intelligence to say: subjects linked to the child
# by intelligence the user may see, under its handling codes. Intelligence sits above plans (its
# triggers ask meetings, which ask plans, whether a plan was agreed), so it hands plans that
# query when Lantern starts (lantern.intelligence.apps) instead of plans importing it.
SubjectsFor = Callable[[User, Child], QuerySet]
_subjects: dict[str, SubjectsFor] = {}


def provide_subjects(subjects_for: SubjectsFor) -> None:
    _subjects["intelligence"] = subjects_for


def subjects_for(user, child) -> QuerySet:
    """People a disruption action may name (SPEC §6: against named subjects); none when no
    app provides them."""
    provider = _subjects.get("intelligence")
    if provider is None:
        subject_model = cast(type[Model], PlanAction._meta.get_field("subject").related_model)
        return subject_model._default_manager.none()
    return provider(user, child)


def owners_for(child):
    """Who may own an action: Lantern users in the child's area (the plan is multi-agency)."""
    return (User.objects.filter(is_active=True, agency__area_id=child.area_id)
            .exclude(role__in=NO_IDENTITY_ROLES).select_related("agency")
            .order_by("last_name", "first_name"))


def children_with_active_plans(child_ids) -> set[int]:
    return set(Plan.objects.filter(child__in=list(child_ids), status=Plan.Status.ACTIVE)
               .values_list("child_id", flat=True))


def first_plan_agreed(child_ids) -> dict[int, datetime]:
    """When each child's first plan was agreed, for those who have one."""
    found: dict[int, datetime] = {}
    for child_id, when in (Plan.objects.filter(child_id__in=list(child_ids))
                           .order_by("created_at").values_list("child_id", "created_at")):
        found.setdefault(child_id, when)
    return found


# --- Monitoring (issue 17): aggregates without identities -----------------------------------

def monitoring_disruption(s: Slice) -> dict:
    """Disruption in the period: actions agreed by tactic, Child Abduction Warning Notices
    served, and their breaches (seed 002, appendix 3). Three queries."""
    actions = PlanAction.objects.filter(s.children("plan__child__"), s.agency("owner_agency_id"),
                                        kind="disruption")
    agreed = dict(actions.filter(s.period("created_at")).values_list("disruption_type")
                  .annotate(n=Count("id")).order_by())
    served = actions.filter(s.day_period("served_on"), disruption_type="cawn").count()
    breaches = Breach.objects.filter(
        s.day_period("occurred_on"), action__in=actions.filter(disruption_type="cawn"),
    ).aggregate(breaches=Count("id"), notices=Count("action", distinct=True))
    types = catalogue.get().disruption_types
    return {
        "agreed": [(t.label, agreed.get(t.code, 0)) for t in types],
        "cawns_served": served,
        "breaches": breaches["breaches"],
        "notices_breached": breaches["notices"],
    }


# --- Tasking (issue 17; seed 004: daily and weekly tasking meetings) --------------------------

def tasking_breaches(user, since, *, offset: int = 0, limit: int = 100,
                     pk: int | None = None) -> list[Breach]:
    """Breaches of a Child Abduction Warning Notice recorded since `since`, for children of
    the user's area whom the user may see, newest first: one query. With `pk`, that breach
    only, if it is one of them."""
    found = Breach.objects.filter(visible_in_area(user, "action__plan__child"),
                                  recorded_at__gte=since)
    if pk is not None:
        found = found.filter(pk=pk)
    return list(found.select_related("action__plan__child")
                .order_by("-recorded_at", "-pk")[offset:offset + limit])
