"""The child's one plan: its actions (with history), CAWN breaches, outcome measures, and the
plan as PDF (professional and family versions). Every object comes through
lantern.plans.access; every read and write is audited."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lantern.foundation import audit, pdf
from lantern.foundation.access import require_contributor
from lantern.foundation.http import AuthenticatedHttpRequest

from . import access, actions, catalogue, queries
from .forms import ActionForm, BreachForm, CloseForm, MeasuresForm, StatusForm


def _form_data(request):
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET"])
def plan(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    require_contributor(request.user)
    found, may_change = access.get_plan_for_user(request.user, child_id)
    child, plan = found.child, found.plan
    audit.record(request.user, "view", plan or child, child=child, summary="Read the plan")
    return render(request, "plans/plan.html", {
        "child": child, "may_change": may_change and plan is not None,
        "may_start": may_change and plan is None,
        "close_form": CloseForm(initial={"version": plan.version}) if plan and may_change
        else None,
        **queries.plan_page(plan),
    })


@require_http_methods(["POST"])
def start(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    require_contributor(request.user)
    found, _ = access.get_plan_for_user(request.user, child_id, for_change=True)
    child = found.child
    actions.start_plan(child, by=request.user)
    messages.success(request, "Plan started. Add its actions.")
    return redirect("plans:plan", child_id=child.pk)


def _action_form(request, child, plan, *, instance=None):
    initial = {"version": plan.version, "status": "not_started"}
    if instance is not None:
        initial.update({name: getattr(instance, name) for name in actions.ACTION_FIELDS})
        initial["version"] = plan.version
    return ActionForm(_form_data(request), initial=initial,
                      subjects=queries.subjects_for(request.user, child),
                      owners=queries.owners_for(child))


def _action_values(data: dict) -> dict:
    values = {name: data.get(name) for name in actions.ACTION_FIELDS}
    values["disruption_type"] = data.get("disruption_type") or ""
    values["owner_name"] = data.get("owner_name") or ""
    values["owner_agency_name"] = data.get("owner_agency_name") or ""
    values["owner_agency"] = None
    if values["kind"] != "disruption":
        values.update({"disruption_type": "", "subject": None, "parent_statement": False,
                       "served_on": None, "occupier_consent_or_power": False,
                       "advisories_given": False})
    return values


def _warn(request, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


@require_http_methods(["GET", "POST"])
def add_action(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    require_contributor(request.user)
    found, _ = access.get_plan_for_user(request.user, child_id, for_change=True)
    child, plan = found.child, found.plan
    if plan is None:
        plan = actions.start_plan(child, by=request.user)
    form = _action_form(request, child, plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _action, warnings = actions.add_action(plan, version=data["version"],
                                                   by=request.user, **_action_values(data))
        except actions.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action added to the plan.")
            _warn(request, warnings)
            return redirect("plans:plan", child_id=child.pk)
    elif request.method == "GET":
        audit.record(request.user, "view", plan, child=child,
                     summary="Opened the add-an-action page")
    return render(request, "plans/action_form.html", {"child": child, "plan": plan,
                                                      "form": form, "action": None})


@require_http_methods(["GET", "POST"])
def action(request: AuthenticatedHttpRequest, action_id: int) -> HttpResponse:
    """An action with its history. Those who keep the plan change any of it; the owner
    updates its status (and when a warning notice was served)."""
    require_contributor(request.user)
    item, may_change = access.get_action_for_user(request.user, action_id,
                                                  for_change=request.method == "POST")
    plan, child = item.plan, item.plan.child
    keeps_plan = access.can_change_plan(request.user, child) and plan.status == "active"
    cawn = item.disruption_type == "cawn"
    form = status_form = None
    if keeps_plan:
        form = _action_form(request, child, plan, instance=item)
    elif may_change:
        status_form = StatusForm(_form_data(request), cawn=cawn, initial={
            "version": plan.version, "status": item.status, "served_on": item.served_on})
    bound = form or status_form
    if request.method == "POST" and bound is not None and bound.is_valid():
        cleaned = dict(bound.cleaned_data)
        version = cleaned.pop("version")
        changes = _action_values(cleaned) if form is not None else cleaned
        try:
            _item, warnings = actions.update_action(item, version=version, by=request.user,
                                                    **changes)
        except actions.PlanError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, "Action updated.")
            _warn(request, warnings)
            return redirect(item)
    elif request.method == "GET":
        audit.record(request.user, "view", item, child=child, summary="Read a plan action")
    data = catalogue.get()
    return render(request, "plans/action.html", {
        "action": item, "plan": plan, "child": child, "form": form,
        "status_form": status_form,
        "breach_form": BreachForm(initial={"version": plan.version})
        if cawn and may_change and item.served_on else None,
        "events": list(item.events.select_related("by", "meeting")),
        "breaches": list(item.breaches.select_related("recorded_by")),
        "kind_label": data.action_kind(item.kind).label,
        "status_label": data.status(item.status).label,
        "tactic": data.disruption_type(item.disruption_type) if item.disruption_type else None,
    })


@require_http_methods(["POST"])
def breach(request: AuthenticatedHttpRequest, action_id: int) -> HttpResponse:
    require_contributor(request.user)
    item, _ = access.get_action_for_user(request.user, action_id, for_change=True)
    form = BreachForm(request.POST)
    if form.is_valid():
        try:
            actions.record_breach(item, version=form.cleaned_data["version"], by=request.user,
                                  occurred_on=form.cleaned_data["occurred_on"],
                                  detail=form.cleaned_data["detail"])
        except actions.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Breach recorded.")
    else:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values()
                                          for e in errors))
    return redirect(item)


@require_http_methods(["GET", "POST"])
def measures(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """Outcome measures at the start of the plan and at each review (seed 001)."""
    require_contributor(request.user)
    found, _ = access.get_plan_for_user(request.user, child_id, for_change=True)
    child, plan = found.child, found.plan
    if plan is None:
        raise Http404("The child has no plan yet")
    stage = "review" if plan.measures.exists() else "start"
    form = MeasuresForm(_form_data(request), initial={
        "version": plan.version, "stage": stage, "recorded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_measures(plan, version=form.cleaned_data["version"], by=request.user,
                                    values=form.values(), stage=form.cleaned_data["stage"],
                                    on=form.cleaned_data["recorded_on"])
        except actions.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Outcome measures recorded.")
            return redirect("plans:plan", child_id=child.pk)
    elif request.method == "GET":
        audit.record(request.user, "view", plan, child=child,
                     summary="Opened the outcome measures page")
    return render(request, "plans/measures.html", {"child": child, "plan": plan, "form": form,
                                                   **queries.measures(child.pk)})


@require_http_methods(["POST"])
def close(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    require_contributor(request.user)
    found, _ = access.get_plan_for_user(request.user, child_id, for_change=True)
    child, plan = found.child, found.plan
    if plan is None:
        raise Http404("The child has no plan")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            actions.close_plan(plan, version=form.cleaned_data["version"], by=request.user,
                               reason=form.cleaned_data["reason"])
        except actions.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The plan has ended.")
    else:
        messages.error(request, "Enter why the plan is ending")
    return redirect("plans:plan", child_id=child.pk)


@require_http_methods(["GET"])
def plan_pdf(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """The plan as PDF; the family version leaves out action against named people."""
    require_contributor(request.user)
    found, _ = access.get_plan_for_user(request.user, child_id)
    child, plan = found.child, found.plan
    if plan is None:
        raise Http404("The child has no plan")
    family = request.GET.get("version") == "family"
    # `reader`: whose role decides whether wording to check is marked (SPEC §12); never in
    # the family's copy, which is theirs to read.
    context = {"child": child, "family": family, "made_at": timezone.now(),
               "reader": None if family else request.user,
               **queries.plan_page(plan, family=family)}
    title = f"Plan for {child.full_name}" + (": the family's copy" if family else "")
    body = pdf.render("plans/pdf/plan.html", context, title=title,
                      marking=plan.protective_marking)
    audit.record(request.user, "export", plan, child=child,
                 summary="Exported the plan" + (" (family version)" if family else ""))
    return pdf.response(body, f"plan-{child.pk}{'-family' if family else ''}.pdf")

