from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lantern.foundation import audit
from lantern.foundation.access import get_child_for_user, require_contributor
from lantern.foundation.http import AuthenticatedHttpRequest

from . import actions, duplicates, intents
from .forms import ChildForm, CorrectChildForm, FindChildForm
from .search import find_children


@require_http_methods(["GET"])
def find_child(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a child by name (spelling-tolerant) or date of birth, among those the user may
    see. Works as a plain form; with htmx the results update as the user types."""
    require_contributor(request.user)
    intent = intents.clean(request.GET.get("next"))
    form = FindChildForm(_search_terms(request) or None)
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
        for match in matches:
            match.url = intents.url_for(intent, match.child)
    context = {"form": form, "matches": matches, "intent": intent,
               "add_url": intents.add_child_url(
                   intent, request.GET.get("name", ""),
                   (request.GET.get("date_of_birth_day", ""),
                    request.GET.get("date_of_birth_month", ""),
                    request.GET.get("date_of_birth_year", "")))}
    if request.htmx and request.htmx.target == "search-results":
        return render(request, "people/_search_results.html", context)
    return render(request, "people/find_child.html", context)


def _search_terms(request: AuthenticatedHttpRequest) -> dict:
    """The search's own fields from the query string (not `next`, nor anything else)."""
    return {key: request.GET[key] for key in
            ("name", "date_of_birth_day", "date_of_birth_month", "date_of_birth_year")
            if key in request.GET}


def _initial_from_search(request: AuthenticatedHttpRequest) -> dict:
    """What was searched for, carried into "add a child" (issue 15, item 3): the name split
    into first and last names, and the date of birth when it was a real date."""
    given, family = intents.split_name(request.GET.get("name", "")[:200])
    initial = {"given_names": request.GET.get("given_names", "")[:120] or given,
               "family_name": request.GET.get("family_name", "")[:120] or family}
    terms = _search_terms(request)
    if any(key.startswith("date_of_birth") for key in terms):
        search = FindChildForm(terms)
        search.is_valid()
        if search.cleaned_data.get("date_of_birth"):
            initial["date_of_birth"] = search.cleaned_data["date_of_birth"]
    return initial


@require_http_methods(["GET", "POST"])
def add_child(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add a child. Before creating the record the page shows children of the area who may be
    the same child, with why (issue 15, item 2); the user opens one they may see, sends the
    child to the front door when the match is one they may not open, or confirms that this is
    a different child."""
    require_contributor(request.user)
    intent = intents.clean(request.GET.get("next"))
    initial = _initial_from_search(request) if request.method == "GET" else {}
    form = ChildForm(request.POST if request.method == "POST" else None, initial=initial)
    context: dict = {"form": form, "intent": intent}
    if request.method == "POST" and form.is_valid():
        details = form.child_details()
        matches = duplicates.possible_matches(request.user, details)
        hidden = [m.child for m in matches if not m.openable]
        if hidden and "send_to_front_door" in request.POST:
            actions.refer_possible_match(hidden, by=request.user, details=details)
            messages.success(request, "Sent to the front door. They will check whether the "
                                      "child is already known and contact you.")
            return redirect("home")
        # Sending to the front door when no hidden match remains (the details were changed)
        # shows the page again rather than adding a record nobody confirmed.
        confirmed = (request.POST.get("different_child") == "yes"
                     and "send_to_front_door" not in request.POST)
        if (matches and not confirmed) or "send_to_front_door" in request.POST:
            audit.record(
                request.user, "search", summary="Shown possible matches while adding a child",
                changes={"results": [m.child.pk for m in matches if m.openable],
                         "not_openable": len(hidden)},
            )
            openable = [m for m in matches if m.openable]
            for match in openable:
                match.url = intents.url_for(intent, match.child)
            context.update(openable=openable, not_openable=bool(hidden))
        else:
            child = actions.add_child(by=request.user, **details)
            if matches:
                audit.record(
                    request.user, "decide", child, child=child,
                    summary="Confirmed a different child from the possible matches",
                    changes={"possible_matches": [m.child.pk for m in matches]},
                )
            messages.success(request, f"Record added for {child.full_name}.")
            return redirect(intents.url_for(intent, child))
    return render(request, "people/add_child.html", context)


@require_http_methods(["GET", "POST"])
def correct_child(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """Correct the child's details, with the reason: for those who may change the record (the
    area's front door and CSE team manager, an allocated worker)."""
    require_contributor(request.user)
    child, _can_change = get_child_for_user(request.user, child_id, for_change=True)
    form = CorrectChildForm(request.POST if request.method == "POST" else None, child=child)
    if request.method == "GET":
        audit.record(request.user, "view", child, child=child,
                     summary="Opened the child's details to correct them")
    if request.method == "POST" and form.is_valid():
        try:
            child = actions.correct_child(
                child, by=request.user, version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"], **form.correction(),
            )
        except actions.StaleEdit:
            form.add_error(None, "Someone else changed this record while you were correcting "
                                 "it. Open the record again to see their changes, then make "
                                 "your corrections.")
        except actions.NothingChanged:
            form.add_error(None, "You have not changed any details. Change a detail, or go "
                                 "back to the record.")
        else:
            messages.success(request, f"Details corrected for {child.full_name}.")
            return redirect(child)
    return render(request, "people/correct_child.html", {"form": form, "child": child})
