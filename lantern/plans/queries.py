"""Queries for plan pages and the child's record: each owns its joins."""

from django.db.models import Prefetch

from lantern.domain import plans as rules
from lantern.intelligence import access as intelligence_access
from lantern.intelligence.models import Subject
from lantern.people.models import User
from lantern.sharing.access import NO_IDENTITY_ROLES

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


def measures(child_id: int) -> dict:
    """The child's outcome measures over time (all their plans), for the record and the plan."""
    data = catalogue.get()
    records = list(MeasureRecord.objects.filter(child_id=child_id)
                   .values_list("measure", "recorded_on", "value"))
    dates = sorted({on for _code, on, _value in records})
    rows = [{"row": row, "cells": [dict(row.values).get(on) for on in dates]}
            for row in rules.measure_rows(data, records)]
    return {"measure_rows": rows, "measure_dates": dates, "rating_labels": data.rating_labels}


def for_child_record(child) -> dict:
    """The plan summary and outcome measures on the child's record: three queries."""
    plan = (Plan.objects.filter(child=child, status=Plan.Status.ACTIVE)
            .select_related("updated_by").first())
    open_actions = (PlanAction.objects.filter(plan=plan, status__in=catalogue.get().open_statuses)
                    .count() if plan else 0)
    return {"active_plan": plan, "open_plan_actions": open_actions, **measures(child.pk)}


def subjects_for(user, child):
    """People a disruption action may name: subjects linked to the child by intelligence the
    user may see (SPEC §6: against named subjects)."""
    visible = intelligence_access.visible_links(user).filter(child=child).values("entity_id")
    return (Subject.objects.filter(pk__in=visible, is_child=False)
            .order_by("family_name", "given_names"))


def owners_for(child):
    """Who may own an action: Lantern users in the child's area (the plan is multi-agency)."""
    return (User.objects.filter(is_active=True, agency__area_id=child.area_id)
            .exclude(role__in=NO_IDENTITY_ROLES).select_related("agency")
            .order_by("last_name", "first_name"))
