"""Pages that compose the apps: each role's home page, the child's record (which draws from
every app), the work trays, convening a meeting from an intelligence trigger, and /healthz."""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lantern.domain import demographics, suppression
from lantern.foundation import audit, trays
from lantern.foundation import rows as rows_of
from lantern.foundation.access import (
    DECIDING_ROLES,
    NO_IDENTITY_ROLES,
    Viewer,
    get_child_for_user,
    require_contributor,
    visible_child,
    visible_children,
)
from lantern.foundation.compiled import Compiled
from lantern.foundation.http import AuthenticatedHttpRequest, url_pattern
from lantern.foundation.models import Child, Role
from lantern.foundation.paging import paginate
from lantern.foundation.templatetags.govuk import missing_timeline
from lantern.intelligence import access as intelligence_access
from lantern.intelligence import actions as intelligence_actions
from lantern.meetings import queries as meetings_queries
from lantern.meetings import views as meetings_views
from lantern.missing import drawn as missing_drawn
from lantern.missing import queries as missing_queries
from lantern.pathway import queries as pathway_queries
from lantern.people import actions as people_actions
from lantern.people import queries as people_queries
from lantern.people.forms import ETHNICITY_LABELS, REASON_LABELS, FindChildForm
from lantern.plans import drawn as plans_drawn
from lantern.plans import queries as plans_queries
from lantern.screening import queries as screening_queries
from lantern.sharing import access as sharing_access

from . import drawn, queries
from .forms import WorkFilterForm

# The home page lists this many re-screening tasks, soonest due first; the work tray has them
# all (issue 18: the front door's home drew 50, and read hundreds to choose them).
HOME_RESCREEN = 10


@require_http_methods(["GET"])
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each role's home page: the work that is theirs, soonest due first."""
    user = request.user
    context: dict = {"now": timezone.now()}
    if user.role in NO_IDENTITY_ROLES or not user.agency_id:
        context["figures"] = _area_figures(user)
        # Their own work, which names no child (the records a dip sample gives them to audit:
        # these roles have no work tray page).
        context["my_work"] = trays.page(user, "mine", limit=20)
        return render(request, "site/home_figures.html", context)

    # Immediate risk reported: at the top of the front door's home page (issue 14).
    context["urgent_alerts"] = trays.urgent_alerts(user)
    # Finding a child on the home page leads straight to recording a concern about them
    # (issue 15, item 3): the results come in place, so the concern is the next page.
    context["search_fields"] = _search_fields()
    context["intent"] = "concern"
    # The designated safeguarding lead's queue of their agency's concerns (SPEC §1).
    context["dsl_queue_count"] = (pathway_queries.concerns_to_discuss(user).count()
                                  if user.role == Role.DSL else None)
    if user.role in DECIDING_ROLES:
        context["awaiting"] = pathway_queries.awaiting_decision(user, limit=10)
    context["allocated"] = people_queries.allocated_to(user)
    context["allocated_html"] = drawn.allocated_items(context["allocated"])
    context["recent_concerns"] = pathway_queries.agency_concerns(user)
    context["agency_referrals"] = pathway_queries.agency_referrals(user)
    # Re-screening tasks (issue 3): the allocated social worker's, or the front door's; the
    # soonest due, and the rest in the work tray (one more read says whether there are more).
    rescreen = screening_queries.rescreen_work(user, limit=HOME_RESCREEN + 1)
    context["rescreen_work"] = rescreen[:HOME_RESCREEN]
    context["rescreen_more"] = len(rescreen) > HOME_RESCREEN
    shown = {r.child_id for r in context.get("awaiting", [])}
    shown |= {item.child_id for item in context["rescreen_work"]}
    shown |= {a.child_id for a in context["allocated"]}
    shown |= {item.child_id for item in context["urgent_alerts"] if item.child_id}
    shown |= {c.child_id for c in context["recent_concerns"]}
    shown |= {r.child_id for r in context["agency_referrals"]}
    audit.record(user, "list", summary="Opened their home page",
                 changes={"children": sorted(shown)})
    return render(request, "site/home.html", context)


@lru_cache(maxsize=1)
def _search_fields() -> str:
    """The home page's search for a child, as drawn empty: the same for everyone (it names no
    one), so drawn once a process (two fields through the form renderer, issue 18)."""
    return render_to_string("site/_home_search_fields.html", {"search_form": FindChildForm()})


def _area_figures(user) -> dict:
    """Counts without identities, for analysts, board members and administrators, with
    small-number suppression as in the monitoring data set: awaiting and decided add up to
    the total, so one hidden among them hides another; the overdue and on-time counts are
    parts of them that no shown figure completes."""
    area = user.agency.area if user.agency_id else None
    referrals = pathway_queries.referral_figures(area)
    split = suppression.suppress([[referrals["awaiting"]], [referrals["decided"]]],
                                 row_totals=False)
    by_category = screening_queries.category_counts(area)
    categories = suppression.suppress_list([row["n"] for row in by_category])
    for row, cells in zip(by_category, categories.cells, strict=True):
        row["shown"] = cells[0].text
    return {"area": area, "by_category": by_category, "referrals": {
        "total": split.column_totals[0].text if split.column_totals else "",
        "awaiting": split.cells[0][0].text, "decided": split.cells[1][0].text,
        "overdue": suppression.suppress_list([referrals["overdue"]]).cells[0][0].text,
        "decided_on_time":
            suppression.suppress_list([referrals["decided_on_time"]]).cells[0][0].text,
    }, "meeting_exceptions": suppression.suppress_list(
        [pathway_queries.meeting_exceptions(area=area)]).cells[0][0].text,
        "chair_exceptions": suppression.suppress_list(
            [meetings_queries.chair_exceptions(area=area)]).cells[0][0].text,
        "response_exceptions": suppression.suppress_list(
            [pathway_queries.response_exceptions(area=area)]).cells[0][0].text,
        "parents_exceptions": suppression.suppress_list(
            [missing_queries.parents_exceptions(area=area)]).cells[0][0].text}


@require_http_methods(["GET"])
def child_record(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    # The child comes with what the record asks of it (emergency access, the transition plan,
    # whether a missing-person profile is held, whether a plan is active, whether records were
    # merged into it), so those cost no query of their own.
    child, can_change = get_child_for_user(request.user, child_id, compiled=_RECORD_CHILD,
                                           merged=True)
    if child.merged_into_id:
        return _merged_record(request, child)
    emergency = sharing_access.active_break_glass(request.user, child)
    audit.record(request.user, "view", child, child=child, summary="Opened the child's record",
                 reason=f"Emergency access: {emergency.reason}" if emergency else "")
    context = {
        "child": child,
        "can_change": can_change,
        "emergency": emergency,
        "can_read_access_log": sharing_access.may_read_access_log(request.user, child),
        "age": child.age(),
        "ethnicity_label": ETHNICITY_LABELS.get(child.ethnicity, ""),
        "why_not_known": {k: REASON_LABELS.get(v, v)
                          for k, v in (child.unknown_reasons or {}).items()},
        "disability_label": dict(demographics.disability_choices()).get(
            child.disability_status, ""),
        "links": _record_links(child.pk),
        **queries.child_record(child),
    }
    # Only those who may merge see the merges into this record, with "undo" (issue 15).
    if people_actions.may_merge(request.user, child) and not emergency:
        context["may_merge"] = True
        context["merges"] = people_queries.merges_into(child)
    # Drawn in Python, as the template drew them (site/tests/test_drawn.py).
    context["referral_items"] = drawn.referral_items(context["referrals"])
    context["about_html"] = drawn.about_html(
        child, can_change=can_change, emergency=emergency,
        ethnicity_label=context["ethnicity_label"], why_not_known=context["why_not_known"],
        disability_label=context["disability_label"], allocations=context["allocations"],
        links=context["links"])
    context["rescreen_html"] = screening_queries.rescreen_html(
        child, context["rescreen"], new_url=context["links"]["screening_new"])
    context["plan_html"] = plans_drawn.child_plan_html(
        child, active_plan=context["active_plan"],
        open_plan_actions=context["open_plan_actions"], measure_rows=context["measure_rows"],
        measure_dates=context["measure_dates"], rating_labels=context["rating_labels"],
        links=context["links"])
    context["missing_html"] = missing_drawn.record_missing_html(
        child, missing_episodes=context["missing_episodes"],
        missing_pattern_html=context["missing_pattern_html"],
        has_missing_profile=context["has_missing_profile"],
        transition_plan=context["transition_plan"],
        timeline_html=missing_timeline(context["missing_episodes"]), links=context["links"])
    _unlink_unopenable(request.user, context["chronology"])
    context["undo_merge"] = _record_addresses(get_script_prefix(), get_urlconf())[1]
    # Drawn in Python, as the template drew it (site/tests/test_drawn.py).
    context["record_html"] = drawn.record_html(request, context)
    return render(request, "site/child_record.html", context)


def _record_child(role: str, *, child: int, viewer: int, viewer_agency: int, viewer_area: int,
                  now) -> QuerySet[Child]:
    """The child as the record reads them, if the viewer may see them: with what the record
    asks of the child (emergency access, the transition plan, whether a missing-person profile
    is held, whether a plan is active, whether records were merged into it), so those cost no
    query of their own. Every value (the viewer, the child, the time) a parameter."""
    user = Viewer(viewer, viewer_agency, viewer_area, role)
    return visible_child(
        user, child, now=now, related=missing_queries.CHILD_RECORD_RELATED,
        annotations={**sharing_access.break_glass_annotations(user, now),
                     **plans_queries.child_record_annotations(),
                     **missing_queries.child_record_annotations(),
                     **people_queries.child_record_annotations()})


# Compiled once a role (lantern.foundation.compiled) and planned once a connection: building
# the child's query with its access check took the ORM about 1.5 ms (issue 18).
_RECORD_CHILD: Compiled[Child] = Compiled(_record_child, prepared=True)


@require_http_methods(["GET"])
def child_chronology(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """The child's whole chronology, newest first, a page of 50 at a time: the record shows
    only the latest entries (issue 18), and a practitioner can read every entry here. Audited
    as the record is, with the page read."""
    child, _ = get_child_for_user(
        request.user, child_id,
        annotations=sharing_access.break_glass_annotations(request.user))
    emergency = sharing_access.active_break_glass(request.user, child)
    entries, pagination = paginate(request, lambda offset, limit: queries.chronology_page(
        child, offset=offset, limit=limit))
    audit.record(request.user, "view", child, child=child,
                 summary="Read the child's chronology", changes={"page": pagination.number},
                 reason=f"Emergency access: {emergency.reason}" if emergency else "")
    _unlink_unopenable(request.user, entries)
    return render(request, "site/child_chronology.html", {
        "child": child, "emergency": emergency, "chronology": entries,
        "pagination": pagination, "emergency_html": drawn.emergency_banner(emergency)})


# The record's own links about the child, each reversed once a process (`url_pattern`) rather
# than by `{% url %}` on every showing (a dozen a record, issue 18): `links.<name>` in
# site/child_record.html, the URL's name with "_" for ":".
_RECORD_LINKS = ("pathway:record_concern", "screening:new", "pathway:refer",
                 "sharing:record_decision", "screening:bichard_new", "people:merge",
                 "people:correct", "sharing:access_log", "pathway:pathway", "child_chronology",
                 "missing:episodes", "missing:profile", "missing:transition",
                 "missing:record_episode", "missing:looked_after", "plans:plan",
                 "meetings:child_meetings")


@lru_cache(maxsize=8)
def _record_addresses(prefix: str, urlconf) -> tuple[dict, Callable[[object], str]]:
    """The record's addresses reversed once a process for each script prefix and URL
    configuration (as `{% url %}` is, `govuk.QuickURLNode`): its links about the child (with
    sharing intelligence about them, the child as a query), and undoing a merge (for the
    merge's id)."""
    share = reverse("intelligence:submit")
    about_child = {name.replace(":", "_"): url_pattern(name) for name in _RECORD_LINKS}
    about_child["share_intelligence"] = lambda child_id: f"{share}?child={child_id}"
    return about_child, url_pattern("people:merge_undo")


def _record_links(child_id: int) -> dict[str, str]:
    return {name: pattern(child_id) for name, pattern
            in _record_addresses(get_script_prefix(), get_urlconf())[0].items()}


def _merged_record(request: AuthenticatedHttpRequest, child) -> HttpResponse:
    """A record merged into another (issue 15, item 2): its address leads to the record kept
    for those who may see that one; anyone else learns only that it was merged."""
    audit.record(request.user, "view", child, child=child,
                 summary="Opened a record merged into another")
    if visible_children(request.user).filter(pk=child.merged_into_id).exists():
        messages.info(request, f"Record {child.pk} ({child.full_name}) was merged into this "
                               "record. Its history is here.")
        return redirect("child", child_id=child.merged_into_id)
    return render(request, "site/merged_record.html", {"child": child})


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


@require_http_methods(["GET"])
def work_tray(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Work trays: the user's own, their team's (people they manage) and their area's, soonest
    due first, each row saying what is due, when and why, with the child's latest category."""
    require_contributor(request.user)
    user = request.user
    with rows_of.ahead(trays.tray_reads(user)):
        available = trays.trays_for(user)
        kinds = [(kind, trays.kind_label(kind)) for kind in trays.kinds_in_area(user)]
    tray = request.GET.get("tray", "mine")
    if tray not in available:
        tray = "mine"
    form = WorkFilterForm(request.GET, kinds=kinds)
    filters = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    rows, pagination = paginate(request, lambda offset, limit: queries.work_items(
        user, tray, kind=filters.get("kind") or "", category=filters.get("category"),
        overdue=bool(filters.get("overdue")), now=now, offset=offset, limit=limit,
    ))
    # The rows shown are the rows audited: a page of 50, not the whole tray.
    audit.record(user, "list", summary=f"Opened the work tray: {trays.TRAYS[tray].lower()}",
                 changes={"children": sorted({r.child_id for r in rows if r.child_id}),
                          "page": pagination.number})
    query = request.GET.copy()
    query.pop("tray", None)
    query.pop("page", None)
    return render(request, "site/work.html", {
        "rows": rows, "rows_html": drawn.work_rows(rows), "pagination": pagination, "tray": tray,
        "trays": [(t, trays.TRAYS[t]) for t in available],
        "form": form, "filters_html": _filters_html(request, form, kinds), "now": now,
        "filter_query": query.urlencode(),
    })


def _filters_html(request: HttpRequest, form: WorkFilterForm, kinds: list) -> str:
    """The tray's filters as drawn. With none set they are the same for every tray whose
    area has the same kinds of work (they name no child), so drawn once (1.2 ms of the
    page's CPU, issue 18) and kept by the process."""
    if any(name in request.GET for name in WorkFilterForm.base_fields):
        return render_to_string("site/_work_filters.html", {"form": form})
    return _unfiltered_html(tuple(kinds))


@lru_cache(maxsize=64)
def _unfiltered_html(kinds: tuple) -> str:
    return render_to_string("site/_work_filters.html",
                            {"form": WorkFilterForm(QueryDict(), kinds=list(kinds))})


@require_http_methods(["GET", "POST"])
def convene_from_trigger(request: AuthenticatedHttpRequest, trigger_id: int) -> HttpResponse:
    """A CSE team manager convenes the complex strategy meeting a trigger proposes, for the
    children it links; joint when another area's children are involved (seed 003 §11). The
    trigger is accepted in the same transaction as the meeting is convened."""
    trigger, _ = intelligence_access.get_trigger_for_user(request.user, trigger_id,
                                                          for_change=True)
    if trigger.kind != "complex_strategy" or trigger.state not in ("open", "accepted"):
        raise Http404("No complex strategy trigger to convene from")
    children = list(trigger.children.select_related("area").order_by("pk"))
    named = intelligence_access.named_children(request.user, [c.pk for c in children])

    def accept(meeting) -> None:
        if trigger.state == "open":
            intelligence_actions.accept_trigger(
                trigger, by=request.user,
                note=f"{meeting.label} convened for "
                f"{timezone.localtime(meeting.scheduled_for):%-d %B %Y}")

    return meetings_views.convene_page(request, children, trigger=trigger,
                                       back_url=trigger.get_absolute_url(),
                                       template_context={"named": named}, convened=accept)


@login_not_required
@require_http_methods(["GET"])
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_http_methods(["GET"])
def floor(request: HttpRequest) -> HttpResponse:
    """The floor: the least a signed-in page costs (every middleware, the session, sign-in
    and the second factor, and nothing else). `lantern bench pages` and scripts/load-test
    measure every page against it (issue 18); a load balancer may use it to check sessions."""
    return HttpResponse("signed in\n", content_type="text/plain; charset=utf-8")


@require_http_methods(["GET"])
def layout(request: HttpRequest) -> HttpResponse:
    """The layout alone: the base template with its navigation and the overdue banner and no
    content, so a benchmark can tell what every page pays before drawing its own."""
    return render(request, "site/layout.html")
