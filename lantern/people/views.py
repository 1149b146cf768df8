from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lantern.foundation import audit
from lantern.foundation.access import get_child_for_user, require_contributor
from lantern.foundation.http import AuthenticatedHttpRequest, parse_id
from lantern.foundation.models import Child

from . import actions, drawn, duplicates, intents
from .forms import ChildForm, CorrectChildForm, FindChildForm, MergeChildrenForm, UndoMergeForm
from .models import ChildMerge
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
        url_for = intents.urls_for(intent)
        for match in matches:
            match.url = url_for(match.child.pk)
    context = {"form": form, "matches": matches, "intent": intent,
               "match_rows": drawn.match_rows(matches or [], intent),
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
            url_for = intents.urls_for(intent)
            for match in openable:
                match.url = url_for(match.child.pk)
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


def _child_to_merge(user, child_id) -> Child:
    """A record the user may merge: 404 when they may not see it, 403 when they may see it
    but may not merge records, or it has already been merged into another."""
    require_contributor(user)
    child, _can_change = get_child_for_user(user, child_id, for_adding=False, merged=True)
    if not actions.may_merge(user, child):
        raise PermissionDenied("Only the front door or the CSE team manager of the child's "
                               "area can merge records.")
    if child.merged_into_id:
        raise PermissionDenied("This record has already been merged into another record.")
    return child


@require_http_methods(["GET"])
def merge_start(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """The records that may be the same child as this one, with why, to compare and merge
    (issue 15, item 2); or a record number the front door already knows."""
    child = _child_to_merge(request.user, child_id)
    matches = [m for m in duplicates.possible_matches(request.user,
                                                      duplicates.details_of(child))
               if m.child.pk != child.pk and m.openable]
    error = ""
    if "record" in request.GET:
        other = parse_id(request.GET["record"].strip())
        if other is None:
            error = "Enter a record number, like 1234"
        elif other == child.pk:
            error = "Enter the number of a different record"
        else:
            return redirect("people:merge_compare", child_id=child.pk, other_id=other)
    audit.record(request.user, "search", child, child=child,
                 summary="Looked for other records of the child to merge",
                 changes={"results": [m.child.pk for m in matches]})
    return render(request, "people/merge_start.html",
                  {"child": child, "matches": matches, "error": error,
                   "record": request.GET.get("record", "")})


# The rows of the comparison, and the match reasons (duplicates.reasons) each row shows.
_COMPARED = (
    ("Name", lambda c: c.display_name, ("Same name", "Similar name")),
    ("Other names", lambda c: ", ".join(c.aliases or []), ()),
    ("Date of birth", lambda c: f"{c.date_of_birth:%-d %B %Y}" if c.date_of_birth else "",
     ("Same date of birth",)),
    ("NHS number", lambda c: c.nhs_number, ("Same NHS number",)),
    ("Address", lambda c: c.address, ("Same address",)),
    ("Postcode", lambda c: c.postcode, ("Same postcode",)),
    ("School or college", lambda c: c.school, ("Same school or college",)),
    ("Added", lambda c: f"{c.created_at:%-d %B %Y}", ()),
)


@require_http_methods(["GET", "POST"])
def merge_compare(request: AuthenticatedHttpRequest, child_id: int,
                  other_id: int) -> HttpResponse:
    """Two records side by side, each in its own column, with why they may be one child; the
    front door chooses which to keep and says why."""
    child = _child_to_merge(request.user, child_id)
    other = _child_to_merge(request.user, other_id)
    if other.pk == child.pk:
        raise Http404("No other record")
    evidence = duplicates.reasons(child, duplicates.details_of(other))
    rows = [{"label": label, "values": [value(child), value(other)],
             "why": next((r for r in evidence if r in matches), "")}
            for label, value, matches in _COMPARED]
    form = MergeChildrenForm(request.POST if request.method == "POST" else None,
                             children=[child, other])
    if request.method == "GET":
        for shown in (child, other):
            audit.record(request.user, "view", shown, child=shown,
                         summary="Compared two records of the child to merge them",
                         changes={"records": [child.pk, other.pk]})
    if request.method == "POST" and form.is_valid():
        kept, merged = ((child, other) if form.cleaned_data["keep"] == str(child.pk)
                        else (other, child))
        try:
            merge = actions.merge_children(kept, merged, by=request.user,
                                           reason=form.cleaned_data["reason"])
        except actions.MergeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Record {merged.pk} was merged into this record. You "
                                      "can undo the merge from this record's page.")
            return redirect(merge.kept)
    return render(request, "people/merge_compare.html",
                  {"child": child, "other": other, "rows": rows, "evidence": evidence,
                   "form": form})


@require_http_methods(["GET", "POST"])
def merge_undo(request: AuthenticatedHttpRequest, merge_id: int) -> HttpResponse:
    """Undo a merge, with the reason: what moved goes back, and both records stand alone."""
    require_contributor(request.user)
    merge = ChildMerge.objects.select_related("kept", "merged", "merged_by").filter(
        pk=merge_id).first()
    if merge is None:
        raise Http404("No merge found")
    kept, _can_change = get_child_for_user(request.user, merge.kept_id, for_adding=False,
                                        merged=True)
    if not actions.may_merge(request.user, kept):
        raise PermissionDenied("Only the front door or the CSE team manager of the child's "
                               "area can undo a merge.")
    form = UndoMergeForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        audit.record(request.user, "view", kept, child=kept,
                     summary="Opened a merge of the child's records to undo it")
    if request.method == "POST" and form.is_valid():
        try:
            actions.undo_merge(merge, by=request.user, reason=form.cleaned_data["reason"])
        except actions.MergeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"The merge was undone. Record {merge.merged_id} stands "
                                      "on its own again, with its history.")
            return redirect(merge.merged)
    return render(request, "people/merge_undo.html",
                  {"merge": merge, "kept": merge.kept, "merged": merge.merged, "form": form,
                   "moved": merge.moves.count()})
