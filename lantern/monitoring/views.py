"""The monitoring pages: the partnership's data set with its filters, charts and CSV, the
completeness of children's records by agency, and the CSE leads directory. The data set is
for the roles that see figures, not identities (analysts, board members and auditors,
administrators), always with small-number suppression."""

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from lantern.domain import csvsafe, dipsample, names
from lantern.domain import monitoring as rules
from lantern.foundation import audit, pdf
from lantern.foundation.access import NO_IDENTITY_ROLES
from lantern.foundation.figures import Slice
from lantern.foundation.http import AuthenticatedHttpRequest
from lantern.foundation.models import Marking, Role
from lantern.foundation.paging import paginate
from lantern.meetings import queries as meetings_queries
from lantern.people import queries as people_queries
from lantern.screening import queries as screening_queries

from . import access, actions, dataset, drawn, queries, snapshots, tasking
from . import review as review_figures
from .forms import (
    DipSampleActionForm,
    DrawSampleForm,
    FiltersForm,
    LeadForm,
    LeadSearchForm,
    QualityForm,
    ReviewNarrativeForm,
    ReviewPeriodForm,
    TaskingDecisionForm,
)
from .models import CseLead, DipSampleItem, SixMonthlyReview


def may_monitor(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in NO_IDENTITY_ROLES


def require_monitor(user) -> None:
    if not may_monitor(user):
        raise PermissionDenied("The data set is for analysts, board members and auditors")


def _form(request: AuthenticatedHttpRequest) -> FiltersForm:
    # The download link adds format=csv to the page's own query: it is not a filter, so a
    # download of the unfiltered page counts the same area the page did.
    data = request.GET.copy()
    data.pop("format", None)
    return FiltersForm(data or None, areas=queries.areas(), agencies=queries.agencies(),
                       ethnicities=people_queries.ethnicity_choices(),
                       initial={"area": request.user.area_id})


def _kept(key: str, template: str, context: Callable[[], dict]) -> str:
    """A part of a page that holds no child's data and is the same for everyone who opens it
    (what `key` names), drawn once and kept for as long as the figures are: `context` is
    made only when it is drawn."""
    drawn = cache.get_or_set(key, lambda: render_to_string(template, context()),
                             settings.MONITORING_RECOUNT_SECONDS)
    return mark_safe(drawn)  # noqa: S308 - drawn by our own template


def _filters_html(request: AuthenticatedHttpRequest, form: FiltersForm | None) -> str:
    """The filters as drawn. Unfiltered, they are the same for everyone of an area (its
    areas, agencies and ethnicities to choose from), so they are drawn once and kept for
    as long as the figures are."""
    if form is not None:
        return render_to_string("monitoring/_filters.html", {"form": form, "open": True})
    return _kept(f"monitoring-filters:{request.user.area_id}", "monitoring/_filters.html",
                 lambda: {"form": _form(request), "open": False})


def _area_name(area_id: int | None) -> str:
    """An area's name, for a page's heading: kept for as long as the figures are (no child's
    data; an area is rarely renamed), so the page does not read the area each time."""
    if area_id is None:
        return ""
    return str(cache.get_or_set(f"monitoring-area-name:{area_id}",
                                lambda: queries.area_name(area_id),
                                settings.MONITORING_RECOUNT_SECONDS))


def _slice(form: FiltersForm, user) -> Slice:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    today = timezone.localdate()
    until = data.get("until") or today
    since = data.get("since") or (until - snapshots.DEFAULT_PERIOD)
    area = data.get("area") if form.is_bound and form.is_valid() else user.area_id
    born_after = born_by = None
    if data.get("age_band"):
        born_after, born_by = rules.birth_dates(rules.band(data["age_band"]), until)
    tz = timezone.get_current_timezone()
    return Slice(
        since=datetime.combine(since, time.min, tzinfo=tz),
        until=datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz),
        area_id=area, agency_id=data.get("agency"), gender=data.get("gender") or "",
        ethnicity=data.get("ethnicity") or "", born_after=born_after, born_by=born_by,
    )


@require_http_methods(["GET", "POST"])
def data_set(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The data set as last counted for the slice the filters ask for (lantern.monitoring.
    snapshots); a POST counts that slice again now and comes back to it."""
    require_monitor(request.user)
    filtered = request.GET.copy()
    filtered.pop("format", None)
    form = _form(request) if filtered else None
    s = _slice(form, request.user) if form else snapshots.default_slice(request.user.area_id)
    places = request.user.role == Role.ANALYST
    default = s == snapshots.default_slice(s.area_id)
    if request.method == "POST":
        counted = snapshots.count(s, places=places, default_period=default)
        audit.record(request.user, "update", summary="Counted the monitoring data set again",
                     changes={"seconds": counted.seconds})
        messages.success(request, "The figures have been counted again")
        return redirect(request.get_full_path())
    counted = snapshots.figures(s, places=places, default_period=default)
    if request.GET.get("format") == "csv":
        audit.record(request.user, "export", summary="Downloaded the monitoring data set")
        response = HttpResponse(_csv(counted), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="lantern-data-set.csv"'
        return response
    audit.record(request.user, "list", summary="Opened the monitoring data set")
    query = request.GET.copy()
    query["format"] = "csv"
    return render(request, "monitoring/data_set.html", {
        "form": form, "filters_html": _filters_html(request, form),
        "figures_html": _drawn(counted),
        # The figures themselves, made only when something reads them (tests do).
        "figures": SimpleLazyObject(lambda: counted.figures), "slice": s,
        "counted_at": counted.counted_at,
        "recount_minutes": max(1, round(settings.MONITORING_RECOUNT_SECONDS / 60)),
        "period_end": (s.until - timedelta(days=1)).date(), "csv_query": query.urlencode(),
    })


@require_http_methods(["GET"])
def data_quality(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_monitor(request.user)
    area_id = request.user.area_id
    counted = snapshots.quality(area_id)
    audit.record(request.user, "list", summary="Opened the completeness of children's records")
    return render(request, "monitoring/data_quality.html", {
        "figures_html": _drawn(counted, "monitoring/_data_quality_figures.html"),
        "counted_at": counted.counted_at,
        "recount_minutes": max(1, round(settings.MONITORING_RECOUNT_SECONDS / 60)),
        # The figures themselves, made only when something reads them (tests do).
        "figure": SimpleLazyObject(lambda: counted.figures[0]),
        "subject_figure": SimpleLazyObject(lambda: counted.figures[1]),
        "area_name": _area_name(area_id),
    })


def _csv(counted: snapshots.Counted) -> str:
    """The figures as a CSV file (suppressed, formula injection neutralised): like what is
    drawn, the same for everyone who downloads this counting, so written once and kept."""
    key = f"monitoring-csv:{counted.version}"
    text = cache.get(key)
    if text is None:
        out = io.StringIO()
        writer = csv.writer(out)
        for row in dataset.csv_rows(counted.figures):
            writer.writerow(csvsafe.row(row))
        text = out.getvalue()
        cache.set(key, text, settings.MONITORING_RECOUNT_SECONDS)
    return text


def _drawn(counted: snapshots.Counted, template: str = "monitoring/_figures.html") -> str:
    """The figures as drawn (charts and tables, suppressed): the same for everyone who opens
    this counting, so drawn once and kept until it is counted again."""
    key = f"monitoring-figures:{template}:{counted.version}"
    drawn = cache.get(key)
    if drawn is None:
        drawn = render_to_string(template, {"figures": counted.figures})
        cache.set(key, drawn, settings.MONITORING_RECOUNT_SECONDS)
    return mark_safe(drawn)  # noqa: S308 - drawn by our own template


# --- The CSE leads directory -----------------------------------------------------------------

LEAD_NAMERS = frozenset({Role.DSL, Role.CSE_MANAGER})


def lead_agencies(user) -> list:
    """The agencies whose CSE leads the user may name: an administrator's, any in their area;
    a designated safeguarding lead's or CSE team manager's, their own."""
    if not user.is_active or not user.agency_id:
        return []
    if user.role == Role.ADMIN:
        return [a for a in queries.agencies() if a.area_id == user.area_id]
    if user.role in LEAD_NAMERS:
        return [user.agency]
    return []


@require_http_methods(["GET"])
def leads(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Anyone signed in may find an agency's CSE leads: their own area's at first (a
    regional partnership has hundreds of agencies), any area's or all of them by choice."""
    def search_form() -> LeadSearchForm:
        return LeadSearchForm(request.GET or None, areas=queries.areas(),
                              initial={"area": request.user.area_id})

    form: LeadSearchForm | None
    fields_html: str
    if request.GET:
        form = search_form()
        valid = form.is_valid()
        fields_html = render_to_string("monitoring/_lead_search.html", {"form": form})
    else:
        # Before a search, its questions are the same for everyone of an area.
        form, valid = None, False
        fields_html = _kept(f"monitoring-lead-search:{request.user.area_id}",
                            "monitoring/_lead_search.html", lambda: {"form": search_form()})
    search = form.cleaned_data["q"].strip() if form is not None and valid else ""
    area_id = form.cleaned_data["area"] if form is not None and valid else request.user.area_id
    editable = {a.pk for a in lead_agencies(request.user)}
    agencies = queries.leads(search=search, area_id=area_id)
    return render(request, "monitoring/leads.html", {
        "form": form, "fields_html": fields_html, "agencies": agencies,
        "lead_tables": drawn.lead_tables(agencies, editable, get_token(request)),
        "search": search, "editable": editable,
    })


@require_http_methods(["GET", "POST"])
def add_lead(request: AuthenticatedHttpRequest) -> HttpResponse:
    agencies = lead_agencies(request.user)
    if not agencies:
        raise PermissionDenied("Only an agency's safeguarding lead, CSE team manager or an "
                               "administrator names its CSE leads")
    form = LeadForm(request.POST or None, agencies=agencies,
                    initial={"agency": agencies[0].pk if len(agencies) == 1 else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = next(a for a in agencies if a.pk == data["agency"])
        lead = actions.add_lead(agency, by=request.user, name=data["name"],
                                job_title=data["job_title"], phone=data["phone"],
                                email=data["email"])
        messages.success(request, f"{lead.name} is now named as a CSE lead for {agency.name}")
        return redirect("monitoring:leads")
    return render(request, "monitoring/add_lead.html", {"form": form})


@require_http_methods(["POST"])
def remove_lead(request: AuthenticatedHttpRequest, lead_id: int) -> HttpResponse:
    try:
        lead = queries.lead(lead_id)
    except CseLead.DoesNotExist:
        raise Http404("No such CSE lead") from None
    if lead.agency_id not in {a.pk for a in lead_agencies(request.user)}:
        raise PermissionDenied("You may not change this agency's CSE leads")
    actions.remove_lead(lead, by=request.user)
    messages.success(request, f"{lead.name} is no longer named as a CSE lead")
    return redirect("monitoring:leads")


# --- Tasking -----------------------------------------------------------------------------------

# Their weekly lists have the priority subjects: the intelligence app keeps a disruption
# ranking for each of them (lantern.intelligence.queries.KEPT_RANKING_ROLES).
TASKING_ROLES = frozenset({Role.FRONT_DOOR, Role.CSE_MANAGER, Role.POLICE})


def require_tasking(user) -> None:
    if not (user.is_active and user.agency_id and user.role in TASKING_ROLES):
        raise PermissionDenied("Tasking lists are for the front door, CSE team managers "
                               "and police")


def _cadence(value: str) -> str:
    return value if value in tasking.LOOK_BACK else "daily"


@require_http_methods(["GET"])
def tasking_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_tasking(request.user)
    cadence = _cadence(request.GET.get("list", "daily"))
    shown, drawn_at = tasking.drawn(request.user, cadence, redraw=_redraw(request))
    items = [i for s in shown for i in s.items]
    audit.record(request.user, "list", summary=f"Opened the {cadence} tasking list",
                 changes={"children": sorted({i.child.pk for i in items if i.child})})
    return render(request, "monitoring/tasking.html", {
        "cadence": cadence, "sections": [
            {"section": s.section, "items": s.items, "more": s.more,
             "rows": tasking.rows_html(s.items, request.user)} for s in shown],
        "today": timezone.localdate(),
        "shown": tasking.SHOWN, "drawn_at": drawn_at, "redraw_url": _redraw_url(request),
        "redraw_seconds": settings.TASKING_REDRAW_SECONDS,
        "rank_minutes": max(1, round(settings.MONITORING_RECOUNT_SECONDS / 60)),
    })


def _redraw(request: AuthenticatedHttpRequest) -> bool:
    """Whether the chair asked for the tasking list (or this page of a section) to be drawn
    again now, rather than shown as drawn within the last TASKING_REDRAW_SECONDS. The page drawn
    again is shown by the same request: each web process keeps its own drawings, so a redirect
    could be answered by another process from an older one."""
    return request.GET.get("redraw") == "1"


def _redraw_url(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query["redraw"] = "1"
    return f"?{query.urlencode()}"


@require_http_methods(["GET"])
def tasking_section(request: AuthenticatedHttpRequest, cadence: str,
                    section: str) -> HttpResponse:
    """One section of the list alone, 50 items a page, in the section's order."""
    require_tasking(request.user)
    cadence = _cadence(cadence)
    chosen = tasking.BY_SLUG.get(section)
    if chosen is None or chosen not in tasking.sections(cadence):
        raise Http404("No such section of the tasking list")
    c = tasking.context(request.user, cadence, back=chosen.slug)
    drawn_at = []

    def rows_for(offset: int, limit: int) -> list[tasking.Item]:
        rows, at = tasking.drawn_section(c, chosen, offset, limit, redraw=_redraw(request))
        drawn_at.append(at)
        return rows

    # The other pages' links do not draw the section again: one request asked for that.
    rows, pagination = paginate(request, rows_for, leave_out=("redraw",))
    tasking.with_decisions(c, rows)
    audit.record(request.user, "list",
                 summary=f"Opened {chosen.heading.lower()} on the {cadence} tasking list",
                 changes={"children": sorted({i.child.pk for i in rows if i.child})})
    return render(request, "monitoring/tasking_section.html", {
        "cadence": cadence, "section": chosen, "rows": rows, "pagination": pagination,
        "rows_html": tasking.rows_html(rows, request.user),
        "today": timezone.localdate(), "drawn_at": drawn_at[0],
        "redraw_url": _redraw_url(request), "redraw_seconds": settings.TASKING_REDRAW_SECONDS,
    })


def _tasking_back(cadence: str, back: str) -> str:
    """Where the decision page goes back to: the section's own page it was opened from, or
    the list."""
    if back in tasking.BY_SLUG:
        return reverse("monitoring:tasking_section", args=[cadence, back])
    return reverse("monitoring:tasking") + f"?list={cadence}"


# How long after the decision page is opened its form still finds the item on the list as it
# was then (a tasking meeting's length).
LISTED_FOR = timedelta(hours=3)


def _listed_at(request: AuthenticatedHttpRequest) -> datetime | None:
    """When the decision page being posted was opened (its form carries it), if within
    LISTED_FOR: the meeting may talk until the item has left the list (a concern the daily
    list showed is now more than 24 hours old), and what was typed must not be lost for it.
    Anything else is not taken (the list as it is now is asked)."""
    raw = request.POST.get("listed_at", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
        return None
    moment = datetime.fromtimestamp(int(raw), tz=UTC)
    now = timezone.now()
    return moment if now - LISTED_FOR <= moment <= now else None


@require_http_methods(["GET", "POST"])
def tasking_decide(request: AuthenticatedHttpRequest, cadence: str, key: str) -> HttpResponse:
    require_tasking(request.user)
    cadence = _cadence(cadence)
    back = request.GET.get("from", "")
    back = back if back in {s.slug for s in tasking.sections(cadence)} else ""
    listed_at = (_listed_at(request) if request.method == "POST" else None) or timezone.now()
    item = tasking.find(request.user, cadence, key, now=listed_at, back=back)
    if item is None and request.method != "POST":
        # The list the page was opened from is kept for TASKING_REDRAW_SECONDS
        # (tasking.drawn): an item it shows may have left the list since it was drawn (a
        # concern passing 24 hours old). Found on the list as it was then, its form carries
        # that time, so what is typed is recorded against it.
        listed_at -= timedelta(seconds=settings.TASKING_REDRAW_SECONDS)
        item = tasking.find(request.user, cadence, key, now=listed_at, back=back)
    back_url = _tasking_back(cadence, back)
    if item is None:
        if request.method == "POST":
            return _decision_not_recorded(request, cadence, back_url, None)
        raise Http404("That item is not on today's list")
    if item.decision is not None:
        if request.method == "POST":
            return _decision_not_recorded(request, cadence, back_url, item)
        messages.info(request, "The meeting's decision on that item is already recorded")
        return redirect(back_url)
    child = tasking.found_child(item)
    owners = queries.action_owners(request.user.area_id)
    form = TaskingDecisionForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = next((u for u in owners if u.pk == data["owner"]), None)
        _refuse_the_childs_name(form, owner, child)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_tasking_decision(
                area=request.user.area, cadence=cadence, held_on=timezone.localdate(),
                item_key=item.key, item_label=item.label, child=child,
                decision=data["decision"], by=request.user, owner=owner,
                due_on=data["due_on"], url=item.url)
        except IntegrityError:
            # Someone else recorded one since the item was found: theirs, read again.
            item = tasking.find(request.user, cadence, key, now=listed_at, back=back)
            return _decision_not_recorded(request, cadence, back_url, item)
        messages.success(request, "Decision recorded" if owner is None else (
            f"Decision recorded. The action is in {owner.display_name}'s work, due "
            f"{data['due_on']:%-d %B %Y}"))
        return redirect(back_url)
    if child is not None:
        audit.record(request.user, "view", child, child=child,
                     summary=f"Opened an item of the {cadence} tasking list")
    return render(request, "monitoring/tasking_decide.html", {
        "form": form, "item": item, "cadence": cadence, "back_url": back_url,
        "listed_at": int(listed_at.timestamp()),
        "back_label": (tasking.BY_SLUG[back].heading if back else
                       f"{'Weekly' if cadence == 'weekly' else 'Daily'} tasking")})


def _refuse_the_childs_name(form: TaskingDecisionForm, owner, child) -> None:
    """The decision goes into its owner's work word for word: an owner who may not see the
    child's record is given a reference, not the child's identity (need to know), so a
    decision naming the child is refused for them (the hint asks not to name the child)."""
    if owner is None or child is None or actions.may_see_child(owner, child):
        return
    found = names.named_in(form.cleaned_data["decision"], [*child.all_names, child.known_as])
    if found:
        form.add_error("decision", f"Do not name the child in the decision: "
                                   f"{owner.display_name} may not see their record. "
                                   f"Write ‘the child’ instead of ‘{found[0].title()}’")


def _decision_not_recorded(request: AuthenticatedHttpRequest, cadence: str, back_url: str,
                           item: tasking.Item | None) -> HttpResponse:
    """A decision sent for an item that someone else decided on first, or that has left the
    list (a child found, a concern older than the list looks back) or is no longer one the
    user may see: not recorded, and what was typed is shown back to be kept elsewhere, never
    dropped (the page is not a redirect, so its draft is kept too: lantern.foundation.drafts).
    The item is named only when it is still on the list the user may see."""
    return render(request, "monitoring/tasking_not_recorded.html", {
        "item": item, "decision": item.decision if item is not None else None,
        "typed": request.POST.get("decision", "")[:20_000], "back_url": back_url,
        "cadence": cadence,
    }, status=409 if item is not None else 404)


# --- The six-monthly review ---------------------------------------------------------------------

# The review holds only suppressed aggregates: no child or subject can be identified from it.
REVIEW_MARKING = Marking.OFFICIAL
ISSUED_MESSAGE = ("This review has been issued, so it can no longer be changed. Start a new "
                  "review for another period.")


def _review_area(user) -> int:
    """The area whose reviews the user works on: their own (a review is an area's)."""
    require_monitor(user)
    if user.area_id is None:
        raise PermissionDenied("A review is for an area: your account has none")
    return user.area_id


def _review(request: AuthenticatedHttpRequest, review_id: int) -> SixMonthlyReview:
    area_id = _review_area(request.user)
    try:
        return queries.review(review_id, area_id=area_id)
    except SixMonthlyReview.DoesNotExist:
        raise Http404("No such review") from None


def _review_figures(review: SixMonthlyReview) -> dict:
    """The frozen figures of an issued review. A draft's are counted when first opened and
    kept for as long as the data set's own countings (`MONITORING_RECOUNT_SECONDS`): counting
    two periods takes seconds at a regional scale, and the board reads and edits a draft
    many times; they are counted once more when the review is issued."""
    if review.is_issued and review.snapshot:
        return review.snapshot
    key = f"monitoring-review:{review.pk}:{review.period_start}:{review.period_end}"
    figures = cache.get(key)
    if figures is None:
        figures = review_figures.figures(review.area_id, review.period_start,
                                         review.period_end, now=timezone.now())
        cache.set(key, figures, settings.MONITORING_RECOUNT_SECONDS)
    return figures


@require_http_methods(["GET"])
def reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    area_id = _review_area(request.user)
    audit.record(request.user, "list", summary="Opened the six-monthly reviews")
    return render(request, "monitoring/reviews.html", {
        "reviews": queries.reviews(area_id), "area_name": _area_name(area_id)})


@require_http_methods(["GET", "POST"])
def review_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _review_area(request.user)
    form = ReviewPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = actions.start_review(area=request.user.area, start=form.cleaned_data["start"],
                                   end=form.cleaned_data["end"], by=request.user)
        messages.success(request, "Review started: write the board's narrative, then issue it")
        return redirect(row)
    return render(request, "monitoring/review_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedHttpRequest, review_id: int) -> HttpResponse:
    row = _review(request, review_id)
    if request.method == "POST":
        if row.is_issued:
            messages.error(request, ISSUED_MESSAGE)
            return redirect(row)
        form = ReviewNarrativeForm(request.POST)
        if form.is_valid():
            try:
                actions.edit_review(row, sections=form.cleaned_data, by=request.user)
            except actions.ReviewIssued:
                messages.error(request, ISSUED_MESSAGE)
            else:
                messages.success(request, "Narrative saved")
            return redirect(row)
    else:
        form = ReviewNarrativeForm(initial=dict(row.sections or {}))
    return _review_page(request, row, form)


def _review_page(request: AuthenticatedHttpRequest, row: SixMonthlyReview,
                 form: ReviewNarrativeForm) -> HttpResponse:
    audit.record(request.user, "view", row, summary="Opened a six-monthly review")
    figures = _with_measures(_review_figures(row))
    return render(request, "monitoring/review.html", {
        "review": row, "form": form, "figures": figures,
        "previous_period": _previous_period(figures),
        "counted_at": timezone.localtime(datetime.fromisoformat(figures["counted_at"]))})


def _with_measures(figures: dict) -> dict:
    """The figures, each saying the one thing it counts ("measure") when every line counts
    the same, so that the table needs no column repeating it ("" when it counts several)."""
    shown = []
    for fig in figures["figures"]:
        measures = {line["column"] for line in fig["lines"]}
        shown.append({**fig, "measure": measures.pop() if len(measures) == 1 else ""})
    return {**figures, "figures": shown}


def _previous_period(figures: dict) -> list[date]:
    """The period before the review's, as dates (the figures keep them as ISO strings)."""
    return [date.fromisoformat(day) for day in figures["previous_period"]]


@require_http_methods(["POST"])
def review_issue(request: AuthenticatedHttpRequest, review_id: int) -> HttpResponse:
    """Issue the review. The issue button is in the narrative's form, so what was typed and
    not yet saved is saved first rather than lost (a draft only: an issued review refuses)."""
    row = _review(request, review_id)
    narrated = any(key in request.POST for key, _ in SixMonthlyReview.SECTIONS)
    try:
        if narrated and not row.is_issued:
            form = ReviewNarrativeForm(request.POST)
            if not form.is_valid():
                return _review_page(request, row, form)
            with transaction.atomic():
                actions.edit_review(row, sections=form.cleaned_data, by=request.user)
                actions.issue_review(row, by=request.user)
        else:
            actions.issue_review(row, by=request.user)
    except actions.ReviewIssued:
        messages.error(request, ISSUED_MESSAGE)
    else:
        messages.success(request, "Review issued: its figures and narrative are now frozen")
    return redirect(row)


@require_http_methods(["GET"])
def review_pdf(request: AuthenticatedHttpRequest, review_id: int) -> HttpResponse:
    row = _review(request, review_id)
    title = (f"Six-monthly review: {row.period_start:%-d %B %Y} to "
             f"{row.period_end:%-d %B %Y}")
    figures = _with_measures(_review_figures(row))
    # A draft's figures are kept a while after they are counted: say when they were.
    body = pdf.render("monitoring/pdf/review.html", {
        "review": row, "figures": figures, "previous_period": _previous_period(figures),
        "made_at": timezone.localtime(datetime.fromisoformat(figures["counted_at"]))},
        title=title, marking=REVIEW_MARKING)
    audit.record(request.user, "export", row, summary="Exported a six-monthly review")
    return pdf.response(body, f"six-monthly-review-{row.period_start}-{row.period_end}.pdf")


# --- The monthly dip-sample audit (issue 17 item 4) ---------------------------------------------

def _sample_months(today) -> list[tuple[str, str]]:
    """The last twelve months before this one, the latest first, as (YYYY-MM, "November
    2026"): a month is sampled once it has ended."""
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        first = today.replace(year=year, month=month, day=1)
        months.append((f"{first:%Y-%m}", f"{first:%B %Y}"))
    return months


def sample_size() -> int:
    return settings.DIP_SAMPLE_SIZE or dipsample.form().default_size


@require_http_methods(["GET", "POST"])
def dip_samples(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The area's dip samples, the records given to the user to audit, and drawing a month's
    sample (auditors and administrators)."""
    access.require_dip_samples(request.user)
    user = request.user
    months = _sample_months(timezone.localdate())
    may_draw = access.may_draw(user)
    form = DrawSampleForm(request.POST if request.method == "POST" else None, months=months,
                          initial={"month": months[0][0]})
    if request.method == "POST":
        if not may_draw:
            raise PermissionDenied("Auditors and administrators draw the monthly sample")
        if form.is_valid():
            year, month = (int(part) for part in form.cleaned_data["month"].split("-"))
            first = timezone.localdate().replace(year=year, month=month, day=1)
            try:
                with transaction.atomic():
                    sample = actions.draw_dip_sample(area=user.working_agency.area, month=first,
                                                     size=sample_size(), by=user)
            except IntegrityError:
                form.add_error("month", f"The sample for {first:%B %Y} has already been drawn")
            else:
                drawn = sample.items.count()
                messages.success(request, f"Sample drawn: {drawn} record{'s' if drawn != 1 else ''}"
                                 if drawn else f"Sample drawn: {_nothing_to_sample(first)}")
                return redirect(sample)
    audit.record(user, "list", summary="Opened the dip-sample audits")
    mine = queries.my_dip_sample_items(user)
    # Before it is sent, the month to draw is the same question for everyone this month.
    month_html = (_kept(f"monitoring-draw-month:{months[0][0]}", "monitoring/_draw_month.html",
                        lambda: {"form": form})
                  if may_draw and not form.is_bound else "")
    return render(request, "monitoring/dip_samples.html", {
        "samples": queries.dip_samples(user.working_agency.area_id), "form": form,
        "month_html": month_html,
        "may_draw": may_draw, "mine": mine,
        # The auditor's records drawn here, not a template loop a row (issue 17).
        "mine_html": format_html_join("\n  ", '<li><a class="govuk-link" href="{}">{}</a> '
                                      '({} sample)</li>',
                                      ((i.url, i.title, i.month_text) for i in mine)),
        "size": sample_size(), "quality": dipsample.form()})


def _nothing_to_sample(month) -> str:
    return (f"there were no screenings or risk assessments in {month:%B %Y}, so there is "
            "nothing to audit")


def _grade_counts(items: list[DipSampleItem]) -> dataset.Figure:
    """The sample's completed grades by area of practice, suppressed as every figure is."""
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        if item.is_completed:
            for grade in item.grades.all():
                counts[(grade.area, grade.grade)] = counts.get((grade.area, grade.grade), 0) + 1
    return dataset.dip_sample_figure([(a, g, n) for (a, g), n in counts.items()])


@require_http_methods(["GET"])
def dip_sample(request: AuthenticatedHttpRequest, sample_id: int) -> HttpResponse:
    sample, _ = access.get_dip_sample_for_user(request.user, sample_id)
    items = queries.dip_sample_items(sample)
    audit.record(request.user, "view", sample, summary="Opened a dip sample")
    quality = dipsample.form()
    return render(request, "monitoring/dip_sample.html", {
        "sample": sample, "items": items, "fig": _grade_counts(items),
        "area_labels": {a.code: a.label for a in quality.areas}})


def _record(item: DipSampleItem):
    if item.kind == DipSampleItem.Kind.SCREENING:
        return screening_queries.dip_sample_screening(item.record_id)
    return meetings_queries.dip_sample_risk_assessment(item.record_id)


@require_http_methods(["GET", "POST"])
def dip_sample_item(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    """A sampled record's audit: for its auditor, the record (through their grant) and the
    quality form; for the action owners and the monitoring roles, its grades and actions."""
    user = request.user
    item, can_change = access.get_dip_sample_item_for_user(
        user, item_id, for_change=request.method == "POST")
    quality = dipsample.form()
    completing = request.method == "POST" and "complete" in request.POST
    saved = {g.area: g for g in item.grades.all()}
    initial: dict[str, str] = {"summary": item.summary}
    for code, grade in saved.items():
        initial[f"{code}_grade"] = grade.grade
        initial[f"{code}_comment"] = grade.comment
    form = QualityForm(request.POST if request.method == "POST" else None, initial=initial,
                       areas=quality.areas, grades=quality.grades, completing=completing)
    if request.method == "POST" and form.is_valid():
        try:
            actions.grade_dip_sample_item(item, grades=form.grades(),
                                          summary=form.cleaned_data["summary"], by=user,
                                          complete=completing)
        except actions.AuditCompleted:
            messages.error(request, "This audit is completed, so it can no longer be changed")
        else:
            messages.success(request, "Audit completed: your access to the record has ended"
                             if completing else "Audit saved")
        return redirect(item)
    readable = access.may_read_record(user, item)
    record = _record(item) if readable else None
    if record is not None:
        audit.record(user, "view", item, child=item.child,
                     summary=f"Read a {item.get_kind_display().lower()} for a dip-sample audit")
    else:
        audit.record(user, "view", item, summary="Opened a dip-sample audit")
    return render(request, "monitoring/dip_sample_item.html", {
        "item": item, "record": record, "form": form, "can_change": can_change,
        "form_rows": [(form[f"{a.code}_grade"], form[f"{a.code}_comment"])
                      for a in quality.areas],
        "grades": [(a, saved.get(a.code), quality.grade_label(saved[a.code].grade)
                    if a.code in saved else "") for a in quality.areas],
        "actions": list(item.actions.all())})


@require_http_methods(["GET", "POST"])
def dip_sample_action(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    """Record a finding and the action it calls for: the owner's work item."""
    item, _ = access.get_dip_sample_item_for_user(request.user, item_id)
    if item.auditor_id != request.user.pk:
        raise PermissionDenied("Only the record's auditor records its findings")
    owners = queries.action_owners(item.sample.area_id)
    form = DipSampleActionForm(request.POST if request.method == "POST" else None,
                               owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = next((u for u in owners if u.pk == data["owner"]), None)
        if owner is None:
            form.add_error("owner", "Select who will do it")
        else:
            actions.add_dip_sample_action(item, finding=data["finding"], action=data["action"],
                                          owner=owner, due_on=data["due_on"],
                                          by=request.user)
            messages.success(request, f"Action recorded: it is in {owner.display_name}'s work")
            return redirect(item)
    return render(request, "monitoring/dip_sample_action.html", {"item": item, "form": form})


@require_http_methods(["POST"])
def dip_sample_action_done(request: AuthenticatedHttpRequest, action_id: int) -> HttpResponse:
    """The action's owner marks it done."""
    row = queries.dip_sample_action(action_id)
    if row is None or row.owner_id != request.user.pk:
        raise Http404("No such action of yours")
    actions.complete_dip_sample_action(row, by=request.user)
    messages.success(request, "Action marked as done")
    return redirect(row)
