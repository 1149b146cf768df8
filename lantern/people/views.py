from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lantern.domain import names
from lantern.foundation import audit
from lantern.foundation.access import require_contributor, visible_children
from lantern.foundation.http import AuthenticatedHttpRequest

from . import actions
from .forms import ChildForm, FindChildForm
from .search import find_children


@require_http_methods(["GET"])
def find_child(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a child by name (spelling-tolerant) or date of birth, among those the user may
    see. Works as a plain form; with htmx the results update as the user types."""
    require_contributor(request.user)
    form = FindChildForm(request.GET or None)
    matches = None
    if form.is_bound and form.is_valid():
        name = form.cleaned_data.get("name", "")
        dob = form.cleaned_data.get("date_of_birth")
        matches = find_children(request.user, name, dob)
        audit.record(
            request.user, "search", summary="Searched for a child",
            changes={"query": {"name": name, "date_of_birth": dob},
                     "children": [m.child.pk for m in matches]},
        )
    context = {"form": form, "matches": matches}
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "people/_search_results.html", context)
    return render(request, "people/find_child.html", context)


@require_http_methods(["GET", "POST"])
def add_child(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_contributor(request.user)
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


def _visible_duplicate(user, details):
    if not details.get("date_of_birth"):
        return None
    wanted = names.normalise(f"{details['given_names']} {details['family_name']}")
    for child in visible_children(user).filter(date_of_birth=details["date_of_birth"]):
        if names.normalise(child.full_name) == wanted:
            return child
    return None
