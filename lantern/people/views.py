from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_http_methods

from lantern.domain import names
from lantern.intelligence import access as intelligence_access
from lantern.sharing import audit
from lantern.sharing.access import (
    ACCESS_LOG_ROLES,
    active_break_glass,
    can_contribute,
    get_child_for_user,
    visible_children,
)

from . import actions, queries
from .forms import ETHNICITY_LABELS, ChildForm, FindChildForm
from .search import find_children


def _require_contributor(request: HttpRequest) -> None:
    if not can_contribute(request.user):
        raise PermissionDenied("Your role does not work with individual children's records.")


@require_http_methods(["GET"])
def find_child(request: HttpRequest) -> HttpResponse:
    """Find a child by name (spelling-tolerant) or date of birth, among those the user may
    see. Works as a plain form; with htmx the results update as the user types."""
    _require_contributor(request)
    form = FindChildForm(request.GET or None)
    matches = None
    if form.is_bound and form.is_valid():
        name = form.cleaned_data.get("name", "")
        dob = form.cleaned_data.get("date_of_birth")
        matches = find_children(request.user, name, dob)
        audit.record(
            request.user, "search", summary="Searched for a child",
            changes={"query": {"name": name, "date_of_birth": dob},
                     "results": [m.child.pk for m in matches]},
        )
    context = {"form": form, "matches": matches}
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "people/_search_results.html", context)
    return render(request, "people/find_child.html", context)


@require_http_methods(["GET", "POST"])
def add_child(request: HttpRequest) -> HttpResponse:
    _require_contributor(request)
    initial = {"given_names": request.GET.get("given_names", ""),
               "family_name": request.GET.get("family_name", "")}
    form = ChildForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        details = form.child_details()
        duplicate = _visible_duplicate(request.user, details)
        if duplicate is not None:
            form.add_error(
                None,
                f"You can already see a record for {duplicate.full_name} with this date of "
                "birth. Open it from 'Find a child' rather than adding a second record.",
            )
        else:
            child = actions.add_child(by=request.user, **details)
            messages.success(request, f"Record added for {child.full_name}.")
            return redirect(child)
    return render(request, "people/add_child.html", {"form": form})


def _unlink_unopenable(user, chronology) -> None:
    """An entry says that intelligence was shared; it links to the report only for those its
    handling lets open it (police grade and restrict reports, issue 7)."""
    reports = {}
    for entry in chronology:
        if entry.kind == "intelligence" and entry.url:
            try:
                reports[entry.pk] = resolve(urlsplit(entry.url).path).kwargs.get("report_id")
            except Resolver404:
                reports[entry.pk] = None
    openable = intelligence_access.openable_reports(user, set(reports.values()) - {None})
    for entry in chronology:
        if entry.pk in reports and reports[entry.pk] not in openable:
            entry.url = ""


def _visible_duplicate(user, details):
    if not details.get("date_of_birth"):
        return None
    wanted = names.normalise(f"{details['given_names']} {details['family_name']}")
    for child in visible_children(user).filter(date_of_birth=details["date_of_birth"]):
        if names.normalise(child.full_name) == wanted:
            return child
    return None


@require_http_methods(["GET"])
def child_record(request: HttpRequest, child_id: int) -> HttpResponse:
    child, can_change = get_child_for_user(request.user, child_id)
    emergency = active_break_glass(request.user, child)
    audit.record(request.user, "view", child, child=child, summary="Opened the child's record",
                 reason=f"Emergency access: {emergency.reason}" if emergency else "")
    context = {
        "child": child,
        "can_change": can_change,
        "emergency": emergency,
        "can_read_access_log": request.user.role in ACCESS_LOG_ROLES
        and child.area_id == request.user.area_id,
        "age": child.age(),
        "ethnicity_label": ETHNICITY_LABELS.get(child.ethnicity, ""),
        **queries.child_record(child),
    }
    _unlink_unopenable(request.user, context["chronology"])
    return render(request, "people/child_record.html", context)
