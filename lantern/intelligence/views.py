from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import linebreaksbr, truncatewords
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from lantern.domain import language
from lantern.foundation import audit, paging
from lantern.foundation import rows as rows_of
from lantern.foundation.access import get_child_for_user, writable_children
from lantern.foundation.compiled import Compiled
from lantern.foundation.drawn import esc
from lantern.foundation.http import AuthenticatedHttpRequest, url_pattern
from lantern.foundation.models import Child
from lantern.foundation.templatetags.govuk import WORDING_REVIEWERS, checked_text
from lantern.foundation.when import short_date, short_datetime
from lantern.meetings import queries as meetings_queries

from . import access, actions, queries
from .forms import (
    AcceptForm,
    ChartFilterForm,
    DismissForm,
    GradeForm,
    GroupBasedForm,
    ProposalForm,
    SubjectDetailsForm,
    SubjectRiskForm,
    SubmitForm,
    UndoForm,
)
from .models import (
    Entity,
    EntityKind,
    IntelligenceReport,
    Mention,
    MergeProposal,
    Subject,
    Trigger,
)


@require_http_methods(["GET"])
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Intelligence the user may see, newest first, and what they may do with it."""
    user = request.user
    if not (access.can_submit(user) or user.role in access.CHART_ROLES):
        raise PermissionDenied("Your role does not work with intelligence.")
    reports: list[IntelligenceReport] = []
    pagination = None
    if user.role != "analyst":
        # 50 a page (foundation.paging): drawing 200 rows was most of the page (issue 18).
        reports, pagination = paging.paginate(
            request, lambda offset, limit: queries.reports_for(user, offset=offset,
                                                               limit=limit))
    # Each row's summary is what the reader may read of it: the text as written for those who
    # read it in full, the sanitised text for the others (never the source's details). Its
    # address and days are worked out here, once a row, rather than by reverse() and the date
    # filter in the template (a third of drawing the list, issue 18).
    url, mode = url_pattern("intelligence:report"), access.report_modes(user)
    rows = [(report, report.text if mode(report) == access.FULL
             else report.sanitised_text, url(report.pk), short_datetime(report.submitted_at),
             short_date(report.occurred_on) if report.occurred_on else "")
            for report in reports]
    audit.record(user, "list", summary="Opened the intelligence list",
                 changes={"reports": [r.pk for r in reports]})
    return render(request, "intelligence/index.html", {
        "reports": rows, "rows": _report_rows(request, rows), "pagination": pagination,
        "can_submit": access.can_submit(user),
        "can_chart": user.role in access.CHART_ROLES,
        "can_review": user.role in access.REVIEW_ROLES,
        "can_triggers": user.role in access.TRIGGER_ROLES,
        "can_rank": user.role in access.RANKING_ROLES,
    })


# A row of the intelligence list, as the template drew it a row at a time (50 rows of a dozen
# variables and conditions, a third of the page; issue 18). Each value escaped as the template
# escaped it (drawn.esc); the summary drawn by `checked_text` as the template's tag drew it.
_REPORT_ROW = (
    '\n    <tr class="govuk-table__row">\n      <td class="govuk-table__cell"><a class='
    '"govuk-link" href="{url}">{summary}</a></td>\n      <td class="govuk-table__cell">Shared '
    '{shared} by {agency}{happened}</td>\n      <td class="govuk-table__cell">{grading}</td>'
    '\n      <td class="govuk-table__cell">{children}</td>\n    </tr>\n  ')
_NOT_GRADED = '<strong class="govuk-tag govuk-tag--yellow">Not graded</strong>'
_DUE = ' <strong class="govuk-tag govuk-tag--orange">Due for re-grading</strong>'


def _report_rows(request: AuthenticatedHttpRequest, rows) -> SafeString:
    """The list's rows (`_REPORT_ROW`): each report, its summary, address and days (`index`)."""
    context = {"request": request}
    user = request.user
    # `checked_text` marks wording only for those who oversee practice; for everyone else it
    # draws the text as it stands, which is drawn here as it draws it, without asking who
    # reads it again for each of the 50 rows (issue 18).
    marked = bool(user.is_authenticated and getattr(user, "role", "") in WORDING_REVIEWERS)

    def summary_html(report, summary) -> str:
        if not summary:
            return f"Intelligence report {esc(report.pk)} (no sanitised text yet)"
        brief = _first_words(summary)
        if marked:
            return checked_text(context, brief, brief=True)
        return ('<span class="lantern-checked-text">'
                f"{linebreaksbr(brief, autoescape=True)}</span>")

    return mark_safe("".join(  # noqa: S308 - each value escaped by esc or checked_text
        _REPORT_ROW.format(
            url=esc(url), summary=summary_html(report, summary),
            shared=esc(shared), agency=esc(report.agency.name),
            happened=(f'<br><span class="govuk-body-s">Happened {esc(happened)}</span>'
                      if happened else ""),
            grading=(esc(report.grading) + (_DUE if report.due_for_regrading else "")
                     if report.graded else _NOT_GRADED),
            children=esc(report.child_count))
        for report, summary, url, shared, happened in rows))


def _first_words(text):
    """`text|truncatewords:25`: its first 25 words, one space between each; without the
    filter's wrappers for the text of 25 words or fewer (most summaries)."""
    words = str(text).split()
    if len(words) > 25:
        return truncatewords(text, 25)
    joined = " ".join(words)
    return mark_safe(joined) if isinstance(text, SafeData) else joined  # noqa: S308 - was safe


@require_http_methods(["GET", "POST"])
def submit(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_submit(user):
        raise PermissionDenied("Your role does not share intelligence about children.")
    about = None
    if request.GET.get("child"):
        about, _ = get_child_for_user(user, request.GET["child"])
    choices = [(str(c.pk), c.full_name) for c in
               writable_children(user).order_by("family_name", "given_names")[:200]]
    if about is not None and str(about.pk) not in {v for v, _ in choices}:
        choices.insert(0, (str(about.pk), about.full_name))
    form = SubmitForm(request.POST if request.method == "POST" else None,
                      initial={"children": [str(about.pk)] if about else []},
                      children_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        children = list(writable_children(user).filter(pk__in=data["children"]))
        report = actions.submit_report(
            by=user, text=data["text"], occurred_on=data["occurred_on"],
            source_details=data["source_details"], children=children,
            mentions=form.mentions)
        messages.success(request, "Intelligence shared. Police will grade it; thank you.")
        return redirect(report)
    # The picker names up to 200 children: one audit row naming them all (issue 13).
    audit.record(user, "list", summary="Opened the form to share intelligence",
                 changes={"children": sorted(int(pk) for pk, _ in choices)})
    # SPEC §12: wording that blames the child is pointed out as the user types (htmx) and
    # again when the form comes back with errors.
    findings = language.check(form.data.get("text", "")) if form.is_bound else []
    return render(request, "intelligence/submit.html",
                  {"form": form, "about": about, "findings": findings})


@require_http_methods(["GET", "POST"])
def report_detail(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    user = request.user
    report, may_grade = access.get_report_for_user(user, report_id)
    mode = access.report_mode(user, report)
    form = None
    if may_grade:
        initial = {"sanitised_text": report.sanitised_text or report.text,
                   "source_grade": report.source_grade,
                   "intelligence_grade": report.intelligence_grade,
                   "handling": report.handling,
                   "handling_conditions": report.handling_conditions,
                   "condition_roles": report.condition_role_list}
        form = GradeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Police grade intelligence.")
        if form.is_valid():
            d = form.cleaned_data
            legacy = ((d["legacy_source"], d["legacy_intelligence"], d["legacy_handling"])
                      if d["legacy_source"] else None)
            actions.grade_report(
                report, by=user, source_grade=d["source_grade"],
                intelligence_grade=d["intelligence_grade"], handling=d["handling"],
                sanitised_text=d["sanitised_text"],
                handling_conditions=d["handling_conditions"],
                condition_roles=d["condition_roles"], legacy=legacy)
            messages.success(request, "Grading saved.")
            return redirect(report)
    children = _REPORT_CHILDREN(report=report.pk)
    named = access.named_children(user, [c.pk for c in children])
    mentions = _REPORT_MENTIONS(report=report.pk)
    audit.record(user, "view", report, child=children[0] if len(children) == 1 else None,
                 summary=f"Read intelligence ({mode})",
                 changes={"children": [c.pk for c in children]})
    return render(request, "intelligence/report.html", {
        "report": report, "mode": mode, "form": form, "children": children, "named": named,
        "mentions": [(m, _mention_text(user, m, mode, named)) for m in mentions],
        "can_chart": user.role in access.CHART_ROLES,
    })


# What a report is about and mentions (report.children, report.mentions), compiled once a
# process (foundation.compiled, issue 18).
# By the report's key, prepared on PostgreSQL (replay.py at 100,000 children: the children
# 0.29 → 0.09 ms, the mentions 0.30 → 0.08).
_REPORT_CHILDREN: Compiled[Child] = Compiled(lambda report: Child.objects.filter(
    intelligence_reports=report).select_related("area"), prepared=True)
_REPORT_MENTIONS: Compiled[Mention] = Compiled(lambda report: Mention.objects.filter(
    report_id=report).select_related("entity__area", "entity__subject"), prepared=True)


def _mention_text(user, mention, mode: str, named) -> str:
    """As the author wrote it for those who read the full report; otherwise the entity's
    label. A subject who is a child is never shown by name to those who may not see them."""
    entity = mention.entity
    if entity.kind == EntityKind.SUBJECT and entity.subject.treated_as_child():
        return access.subject_label(user, entity.subject, named)
    return mention.raw_text if mode == access.FULL else entity.label


# --- Resolution ---------------------------------------------------------------------------

@require_http_methods(["GET"])
def review(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(request.user, access.REVIEW_ROLES, "Your role does not review merges.")
    proposals = queries.open_proposals(request.user)
    decided = queries.decided_proposals(request.user)
    for proposal in proposals + decided:
        proposal.left_text = _entity_text(request.user, proposal.left)
        proposal.right_text = _entity_text(request.user, proposal.right)
    audit.record(request.user, "list", summary="Opened the entity resolution queue",
                 changes={"proposals": [p.pk for p in proposals]})
    return render(request, "intelligence/review.html",
                  {"proposals": proposals, "decided": decided})


def _entity_text(user, entity: Entity) -> str:
    if entity.kind == EntityKind.SUBJECT:
        subject = entity.subject
        return access.subject_label(user, subject, access.named_children(
            user, [subject.child_id] if subject.child_id else []))
    return entity.label


@require_http_methods(["GET", "POST"])
def proposal_detail(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    user = request.user
    access.require(user, access.REVIEW_ROLES, "Your role does not review merges.")
    proposal, _ = access.get_proposal_for_user(user, proposal_id)
    is_open = proposal.status in (MergeProposal.Status.OPEN, MergeProposal.Status.SECOND)
    is_merged = proposal.status == MergeProposal.Status.MERGED
    data = request.POST if request.method == "POST" else None
    form = ProposalForm(data if is_open else None) if is_open else None
    undo_form = UndoForm(data if is_merged else None) if is_merged else None
    if request.method == "POST":
        try:
            if form is not None and form.is_valid():
                actions.decide_proposal(proposal, form.cleaned_data["action"], by=user,
                                        reason=form.cleaned_data["reason"])
                messages.success(request, "Decision recorded.")
                return redirect("intelligence:review")
            if undo_form is not None and undo_form.is_valid():
                actions.undo_merge(proposal, by=user, reason=undo_form.cleaned_data["reason"])
                messages.success(request, "Merge undone.")
                return redirect("intelligence:review")
        except actions.ProposalClosed:
            messages.error(request, "Someone else decided this proposal first.")
            return redirect(proposal)
        except actions.SecondReviewerNeeded as error:
            if form is not None:
                form.add_error("action", str(error))
    else:
        audit.record(user, "view", proposal, summary="Read a merge proposal")
    return render(request, "intelligence/proposal.html", {
        "proposal": proposal, "form": form, "undo_form": undo_form,
        "left": _entity_text(user, proposal.left), "right": _entity_text(user, proposal.right),
        "decisions": list(proposal.decisions.select_related("decided_by")),
        "concerns": actions.merge_concerns(proposal) if is_open else [],
        "fields": [{**f, "label": f["field"].replace("_", " ").capitalize()}
                   for f in proposal.evidence.get("fields", [])],
    })


# --- Triggers -----------------------------------------------------------------------------

@require_http_methods(["GET"])
def trigger_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(request.user, access.TRIGGER_ROLES, "Triggers are for CSE team managers.")
    state = request.GET.get("state", Trigger.State.OPEN)
    if state not in Trigger.State.values:
        state = Trigger.State.OPEN
    # 50 a page (foundation.paging): the list grew with every trigger raised (issue 18).
    rows, pagination = paging.paginate(
        request, lambda offset, limit: queries.trigger_rows(request.user, state=state,
                                                            offset=offset, limit=limit))
    audit.record(request.user, "list", summary="Opened the triggers list",
                 changes={"triggers": [row.trigger.pk for row in rows]})
    return render(request, "intelligence/triggers.html",
                  {"rows": rows, "drawn_rows": _trigger_rows(rows), "state": state,
                   "states": Trigger.State.choices, "pagination": pagination})


# A row of the triggers list, as the template drew it a row at a time (50 rows of a dozen
# variables and conditions, a third of the page; issue 18). Each value escaped as the
# template escaped it (drawn.esc).
_TRIGGER_ROW = (
    '\n    <tr class="govuk-table__row">\n      <td class="govuk-table__cell"><a class='
    '"govuk-link" href="{url}">{label}</a><br><span class="govuk-body-s">{kind}{joint}{linked}'
    '</span></td>\n      <td class="govuk-table__cell lantern-nowrap">Raised {raised}{updated}'
    '</td>\n      <td class="govuk-table__cell">{gradings}</td>\n      <td class='
    '"govuk-table__cell">{children}</td>\n      <td class="govuk-table__cell">{areas}</td>\n'
    "    </tr>\n  ")


def _trigger_rows(rows: list[queries.TriggerRow]) -> SafeString:
    """The triggers list's rows (`_TRIGGER_ROW`)."""
    drawn = []
    for row in rows:
        trigger = row.trigger
        gradings = ", ".join(esc(g) for g in row.gradings)
        if row.unopenable:
            gradings += (f'{"<br>" if row.gradings else ""}<span class="govuk-body-s">'
                         f'{esc(row.unopenable)} report{"" if row.unopenable == 1 else "s"} '
                         "you cannot open</span>")
        drawn.append(_TRIGGER_ROW.format(
            url=esc(row.url), label=esc(trigger.evidence.get("label", "")),
            kind=esc(trigger.get_kind_display()),
            joint=' <strong class="govuk-tag govuk-tag--purple">Joint</strong>'
            if trigger.joint else "",
            linked=f'. Linked by {"; ".join(esc(x) for x in row.linked_by)}'
            if row.linked_by else "",
            raised=esc(row.raised),
            updated=f'<br><span class="govuk-body-s">Updated {esc(row.updated)}</span>'
            if row.updated else "",
            gradings=gradings, children=esc(getattr(trigger, "child_count", "")),
            areas=esc(row.areas)))
    return mark_safe("".join(drawn))  # noqa: S308 - each value escaped by esc


@require_http_methods(["GET", "POST"])
def trigger_detail(request: AuthenticatedHttpRequest, trigger_id: int) -> HttpResponse:
    user = request.user
    trigger, may_decide = access.get_trigger_for_user(user, trigger_id)
    is_open = trigger.state == Trigger.State.OPEN
    dismiss_form = accept_form = None
    which = request.POST.get("decision") if request.method == "POST" else None
    # Its own ids: the dismiss form beside it also asks for a "reason" (one id per page).
    group_form = GroupBasedForm(request.POST if which == "group" else None, initial={
        "group_based": trigger.group_based if trigger.group_based_at else None},
        auto_id="id_group_%s")
    if which == "group":
        # Recorded on a network whatever its state: a dismissed or accepted trigger's network
        # may still be judged group-based.
        if not may_decide:
            raise PermissionDenied("CSE team managers record group-based exploitation.")
        if group_form.is_valid():
            actions.record_group_based(trigger, by=user, **group_form.cleaned_data)
            messages.success(request, "Recorded. Your reason is kept with the network.")
            return redirect(trigger)
    if may_decide and is_open:
        dismiss_form = DismissForm(request.POST if which == "dismiss" else None)
        accept_form = AcceptForm(request.POST if which == "accept" else None)
        if which == "dismiss" and dismiss_form.is_valid():
            actions.dismiss_trigger(trigger, by=user, reason=dismiss_form.cleaned_data["reason"])
            messages.success(request, "Trigger dismissed. Your reason is kept with it.")
            return redirect("intelligence:triggers")
        if which == "accept" and accept_form.is_valid():
            actions.accept_trigger(trigger, by=user, note=accept_form.cleaned_data["note"])
            messages.success(request, "Trigger accepted.")
            return redirect(trigger)
    elif request.method == "POST" and which != "group":
        raise PermissionDenied("CSE team managers decide on open triggers.")
    evidence = trigger.evidence
    child_ids, entity_ids = evidence.get("children", []), evidence.get("entities", [])
    naming = access.named_statement(user, child_ids)
    with rows_of.ahead(queries.network_reads(child_ids, entity_ids, named=naming)):
        children = queries.children_by_id(child_ids)
        named = access.named_from(naming)
        found = queries.entities_by_id(entity_ids)
    roots = [found[pk] for pk in sorted(found)]
    # The network referral's precondition is judged now, not when the trigger was raised: a
    # meeting held and a plan agreed since then count.
    held = {str(c): timezone.localtime(when).date()
            for c, when in meetings_queries.strategy_held(child_ids).items()}
    precondition_met = bool(child_ids) and all(str(c) in held for c in child_ids)
    audit.record(user, "view", trigger, summary="Read a trigger",
                 changes={"children": sorted(named)})
    return render(request, "intelligence/trigger.html", {
        "trigger": trigger, "evidence": evidence, "may_decide": may_decide and is_open,
        "precondition_met": precondition_met,
        "may_convene": may_decide and trigger.kind == "complex_strategy"
        and trigger.state in (Trigger.State.OPEN, Trigger.State.ACCEPTED),
        "dismiss_form": dismiss_form, "accept_form": accept_form,
        "group_form": group_form if may_decide else None,
        "children": [{"child": c, "named": c.pk in named, "held": held.get(str(c.pk))}
                     for c in children],
        "entities": [(e, _entity_text(user, e)) for e in roots],
        "reports": evidence.get("reports", []),
    })


# --- Link chart ---------------------------------------------------------------------------

def _chart_request(request: AuthenticatedHttpRequest
                   ) -> tuple[queries.Chart, ChartFilterForm | None]:
    """The chart the request asks for, as the user may see it, and its filters as sent (None
    when none were: the page draws them empty, `_filter_questions`); 404 where the user may
    not open a chart around that record."""
    user = request.user
    access.require(user, access.CHART_ROLES,
                   "The link chart is for analysts, CSE team managers and police.")
    node = queries.parse_node(request.GET.get("focus", ""))
    if node is None:
        raise Http404("No such chart")
    filters = ChartFilterForm(request.GET) if any(k in request.GET for k in (
        "date_from_year", "date_to_year", "grades")) else None
    kwargs = {}
    if filters is not None and filters.is_valid():
        kwargs = {"date_from": filters.cleaned_data["date_from"],
                  "date_to": filters.cleaned_data["date_to"],
                  "grades": set(filters.cleaned_data["grades"]) or None}
    graph = queries.neighbourhood(user, node, **kwargs)
    # A link the chart may draw to the record (or its group) is the first reason the user may
    # open a chart around it (access.chart_entity_allowed), and for a child the only one: the
    # links just read answer it without asking again (issue 18). Without any (none, or none
    # the filters keep) the whole rule is asked.
    if not graph.linked and not _may_chart(user, node):
        raise Http404("No such chart")
    return graph, filters


def _may_chart(user, node: tuple[str, int]) -> bool:
    """Whether the user may open a chart around this record."""
    if node[0] == "entity":
        return access.chart_entity_allowed(user, node[1])
    # A chart around a child opens only where the user sees intelligence about them.
    return access.chart_links(user).filter(child_id=node[1]).exists()


def _named_children(nodes) -> list[int]:
    """Of these nodes (id, node), the children the chart names (their access logs show it);
    the others it shows only as "a child in <area>"."""
    return sorted(int(node_id[1:]) for node_id, node in nodes
                  if node.get("kind") == "child" and node.get("named"))


def _listed(request: AuthenticatedHttpRequest, graph: queries.Chart
            ) -> tuple[list[dict], paging.Pagination | None]:
    """The page of the focus's neighbours the list shows, 50 a page (foundation.paging): the
    most-linked subject has hundreds, and drawing every one of them with its links was half
    of the page (issue 18). The drawing itself has them all (`chart_data`). A page drawn
    again with a police form's errors (a POST, whose address pages could not follow) lists
    them all."""
    nodes = _neighbours(graph)
    if request.method != "GET":
        return _with_links(graph, nodes), None
    shown, pagination = paging.paginate(
        request, lambda offset, limit: nodes[offset:offset + limit])
    return _with_links(graph, shown), pagination


@require_http_methods(["GET"])
def chart(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The link chart around a child, person, place or vehicle: a Cytoscape.js drawing and,
    for everyone, the same graph as a list that works by keyboard and screen reader."""
    graph, filters = _chart_request(request)
    # As _police_subject, from the records the chart read (one query fewer).
    subject = graph.subject if request.user.role == "police" else None
    if subject is None:
        return _chart_page(request, graph, filters, _filter_query(request))
    return _chart_page(request, graph, filters, _filter_query(request), subject=subject,
                       risk_questions=_risk_questions(subject),
                       details_questions=_details_questions(subject))


def _chart_page(request: AuthenticatedHttpRequest, graph: queries.Chart,
                filters: ChartFilterForm | None, filter_query: str, *,
                risk_form: SubjectRiskForm | None = None,
                details_form: SubjectDetailsForm | None = None, **extra) -> HttpResponse:
    """The chart's page (its own, or again with a police form's errors): the drawing, and the
    list of the focus's neighbours a page at a time, audited as shown. A police form sent
    with errors is drawn again as sent (`risk_form`, `details_form`); `extra` has the police
    forms' questions (`risk_questions`, `details_questions`) for a person."""
    for questions, template, form in (
            ("risk_questions", _RISK_QUESTIONS, risk_form),
            ("details_questions", _DETAILS_QUESTIONS, details_form)):
        if form is not None:
            extra[questions] = _questions(template, form)
    nodes, pagination = _listed(request, graph)
    # What the page shows: the focus and the neighbours listed on it.
    shown = [(graph.focus, graph.nodes.get(graph.focus, {}))] + [(n["id"], n) for n in nodes]
    audit.record(request.user, "view", summary=f"Opened the link chart around {graph.focus}",
                 changes={"nodes": sorted(node_id for node_id, _ in shown),
                          "children": _named_children(shown)})
    return render(request, "intelligence/chart.html", {
        "graph": graph, "focus": graph.nodes.get(graph.focus), "filters": filters,
        "risk_form": risk_form, "details_form": details_form,
        "filter_questions": _filter_questions(filters),
        "filter_query": filter_query, "pagination": pagination,
        "items": _list_items(nodes, filter_query=filter_query, path=""),
        "neighbours": sum(1 for node_id in graph.nodes if node_id != graph.focus), **extra})


def _police_subject(user, node_id: str) -> Subject | None:
    """The subject a police officer may record violence and convictions for, if the chart is
    centred on one."""
    node = queries.parse_node(node_id)
    if user.role != "police" or node is None or node[0] != "entity":
        return None
    return Subject.objects.filter(pk=node[1]).first()


@require_http_methods(["POST"])
def subject_risk(request: AuthenticatedHttpRequest, entity_id: int) -> HttpResponse:
    subject = _police_subject(request.user, f"e{entity_id}")
    if subject is None or not access.chart_entity_allowed(request.user, entity_id):
        raise Http404("No such person")
    form = SubjectRiskForm(request.POST)
    if form.is_valid():
        actions.record_subject_risk(subject, by=request.user, **form.cleaned_data)
        messages.success(request, "Violence and convictions recorded.")
        return redirect(f"{reverse('intelligence:chart')}?focus=e{subject.pk}")
    graph = queries.neighbourhood(request.user, ("entity", subject.pk))
    return _chart_page(request, graph, None, "", risk_form=form,
                       details_questions=_details_questions(subject), subject=subject)


def _risk_initial(subject: Subject) -> dict:
    return {"violence": subject.violence, "previous_convictions": subject.previous_convictions}


def _details_initial(subject: Subject) -> dict:
    reasons = subject.unknown_reasons or {}
    return {"sex": subject.sex, "ethnicity": subject.ethnicity,
            "nationality": subject.nationality, "disability_status": subject.disability_status,
            **{f"{k}_reason": v for k, v in reasons.items()}}


def _details_form(subject: Subject, data=None) -> SubjectDetailsForm:
    return SubjectDetailsForm(data, initial=_details_initial(subject))


# --- The chart's forms --------------------------------------------------------------------
# The filters and the police forms' questions, each from its own template (the lines the
# chart's page had). A form not sent yet (no answers, no errors) is drawn once a process for
# the values it starts from: making the three forms (each copies its fields) and drawing their
# nine questions was a third of the police chart (issue 18). Each draws the same for the same
# values: their choices are fixed when the form is defined (none read from the database), and
# nothing else of a request reaches their questions (the CSRF token and the addresses stay in
# the page). test_the_charts_forms_drawn_once_are_drawn_as_new holds the kept to the new.
_FILTER_QUESTIONS = "intelligence/_chart_filters.html"
_RISK_QUESTIONS = "intelligence/_risk_questions.html"
_DETAILS_QUESTIONS = "intelligence/_details_questions.html"
_FORM_NAMES = {_FILTER_QUESTIONS: "filters", _RISK_QUESTIONS: "risk_form",
               _DETAILS_QUESTIONS: "details_form"}
_kept_questions: dict[tuple, SafeString] = {}


def _questions(template: str, form) -> SafeString:
    """The form's questions as `template` draws them, without the file's last line break
    (the page's own line has one)."""
    return mark_safe(  # noqa: S308 - drawn by the template, which escapes
        render_to_string(template, {_FORM_NAMES[template]: form}).removesuffix("\n"))


def _kept(template: str, make_form: Callable[[], forms.Form], initial: dict) -> SafeString:
    """`_questions` of a form not sent, made by `make_form` from `initial`, kept once a
    process for those values (a value that cannot be a key is drawn each time)."""
    # Each value with its type: equal values of two types (1 and True) may be drawn apart.
    key = (template, tuple((name, type(value), value) for name, value in sorted(
        initial.items())))
    try:
        found = _kept_questions.get(key)
    except TypeError:  # a value that cannot be hashed (a list in the reasons)
        return _questions(template, make_form())
    if found is None:
        if len(_kept_questions) >= 512:  # people's values vary: keep it bounded
            _kept_questions.clear()
        found = _kept_questions[key] = _questions(template, make_form())
    return found


def _filter_questions(filters: ChartFilterForm | None) -> SafeString:
    if filters is not None:
        return _questions(_FILTER_QUESTIONS, filters)
    return _kept(_FILTER_QUESTIONS, ChartFilterForm, {})


def _risk_questions(subject: Subject) -> SafeString:
    initial = _risk_initial(subject)
    return _kept(_RISK_QUESTIONS, lambda: SubjectRiskForm(initial=initial), initial)


def _details_questions(subject: Subject) -> SafeString:
    initial = _details_initial(subject)
    return _kept(_DETAILS_QUESTIONS, lambda: SubjectDetailsForm(initial=initial), initial)


@require_http_methods(["POST"])
def subject_details(request: AuthenticatedHttpRequest, entity_id: int) -> HttpResponse:
    """Police record who a person is (sex, ethnic group, nationality, disability), each with
    a reason when it is not known."""
    subject = _police_subject(request.user, f"e{entity_id}")
    if subject is None or not access.chart_entity_allowed(request.user, entity_id):
        raise Http404("No such person")
    form = _details_form(subject, request.POST)
    if form.is_valid():
        actions.record_subject_details(subject, by=request.user, **form.details)
        messages.success(request, "Details of the person recorded.")
        return redirect(f"{reverse('intelligence:chart')}?focus=e{subject.pk}")
    graph = queries.neighbourhood(request.user, ("entity", subject.pk))
    return _chart_page(request, graph, None, "", risk_questions=_risk_questions(subject),
                       details_form=form, subject=subject)


def _filter_query(request: AuthenticatedHttpRequest) -> str:
    """The chart's filters, to carry into expansions (not the focus or list position)."""
    kept = request.GET.copy()
    for name in ("focus", "path"):
        kept.pop(name, None)
    return kept.urlencode()


def _list_nodes(graph) -> list[dict]:
    """The neighbours of the focus, each with the links that join them, for the list view."""
    return _with_links(graph, _neighbours(graph))


def _neighbours(graph) -> list[dict]:
    """The neighbours of the focus in the list's order: children first, then by label."""
    return sorted((node for node_id, node in graph.nodes.items() if node_id != graph.focus),
                  key=lambda n: (n["kind"] != "child", n["label"]))


def _with_links(graph, nodes: list[dict]) -> list[dict]:
    """These neighbours, each with the links that join them, newest first: only those of the
    page listed (the most-linked subject's 215 neighbours each sorted and copied were a tenth
    of the chart's page; issue 18)."""
    # Each edge filed under its ends listed, not every edge read for every node; only the
    # edges of the nodes listed made (`Chart.edges_touching`).
    edges_of: dict[str, list[dict]] = {node["id"]: [] for node in nodes}
    for edge in graph.edges_touching(set(edges_of)):
        source, target = edge["source"], edge["target"]
        if source in edges_of:
            edges_of[source].append(edge)
        if target != source and target in edges_of:
            edges_of[target].append(edge)
    return [{**node, "edges": sorted(edges_of[node["id"]], key=_edge_date, reverse=True)}
            for node in nodes]


def _edge_date(edge: dict) -> str:
    return edge["date"]


# The list view's neighbour, each link that joins it, and the button that expands it in place
# (htmx, `chart_neighbours`), as a template drew them: a page of 50 was 1,000 of a template's
# variables, a fifth of the chart's time (issue 18). Each value escaped as a template would
# (drawn.esc), once: format_html escaped every value through its wrappers.
_ITEM = """
<li class="lantern-graph-list__item">
  <p class="govuk-body govuk-!-margin-bottom-1"><strong>{kind}:</strong> {name}{area}</p>
  <ul class="govuk-list govuk-list--bullet govuk-body-s">
    {links}
  </ul>
  <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" \
data-module="govuk-button" hx-get="{expand}" hx-target="#{target}" hx-swap="innerHTML">Show the \
links of {label}</button>
  <ul id="{target}" class="govuk-list lantern-graph-list" aria-live="polite"></ul>
</li>
"""
_LINKED = "<li>{role}; {date}; graded {grading}</li>"
_LINKED_READABLE = ("<li>{role}; {date}; graded {grading}; <a class=\"govuk-link\" href=\"{url}\">"
                    "read the report<span class=\"govuk-visually-hidden\"> of {date}</span></a>"
                    "</li>")


def _list_items(nodes: list[dict], *, filter_query: str, path: str) -> SafeString:
    """The list view's items (`_ITEM`) for these neighbours (`_list_nodes`); `path` names
    the item expanded, whose list they go in."""
    expand = queries.chart_urls().neighbours
    filters = f"&{filter_query}" if filter_query else ""
    items = []
    for node in nodes:
        label = esc(node["label"])
        name = (f'<a class="govuk-link" href="{esc(node["url"])}">{label}</a>' if node["url"]
                else label)
        links = "".join(
            (_LINKED_READABLE.format(role=esc(e["role_label"]), date=esc(e["date"]),
                                     grading=esc(e["grading"]), url=esc(e["report_url"]))
             if e["report_url"] else
             _LINKED.format(role=esc(e["role_label"]), date=esc(e["date"]),
                            grading=esc(e["grading"])))
            for e in node["edges"])
        node_id = node["id"]
        items.append(_ITEM.format(
            kind=esc(node.get("kind_label") or "Child"), name=name,
            area=f" ({esc(node['area'])})" if node["kind"] != "child" else "", links=links,
            expand=esc(f"{expand}?focus={node_id}&path={path}-{node_id}{filters}"),
            target=esc(f"n{path}-{node_id}"), label=label))
    return mark_safe("".join(items))  # noqa: S308 - each value escaped by esc


def _expanded(request: AuthenticatedHttpRequest) -> queries.Chart:
    graph, _filters = _chart_request(request)
    audit.record(request.user, "view", summary=f"Expanded the link chart at {graph.focus}",
                 changes={"nodes": sorted(graph.nodes),
                          "children": _named_children(graph.nodes.items())})
    return graph


@require_http_methods(["GET"])
def chart_data(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The same neighbourhood as JSON for the drawing (CSP forbids inline data scripts)."""
    return JsonResponse(_expanded(request).as_json())


@require_http_methods(["GET"])
def chart_neighbours(request: AuthenticatedHttpRequest) -> HttpResponse:
    """htmx: the neighbours of one node, expanded in place in the list view."""
    graph = _expanded(request)
    path = "".join(c for c in request.GET.get("path", "") if c.isalnum() or c == "-")[:200]
    return render(request, "intelligence/_neighbours.html", {"items": _list_items(
        _list_nodes(graph), filter_query=_filter_query(request), path=path)})


# --- Disruption ranking -------------------------------------------------------------------

@require_http_methods(["GET"])
def subjects(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(request.user, access.RANKING_ROLES,
                   "The disruption ranking is for police, CSE team managers and analysts.")
    # The ranking kept ahead (queries.kept_ranking): ranking on every request read every link
    # the user may see (issue 18). Each subject shown is checked again, and scored with their
    # violence and convictions as recorded now.
    kept = queries.kept_ranking(request.user)
    ranked = queries.ranked_from_kept(request.user, kept)
    audit.record(request.user, "list", summary="Opened the disruption ranking",
                 changes={"subjects": [r.subject.pk for r in ranked]})
    # Every subject's factors are drawn: their figures are written here, once each, rather
    # than by a template filter per cell, and the chart's address reversed once (issue 18).
    return render(request, "intelligence/subjects.html", {
        "ranked": _ranked_html(ranked, reverse("intelligence:chart")),
        "young_people": kept.young_people, "ranked_at": kept.ranked_at,
        "every": settings.MONITORING_RECOUNT_SECONDS // 60,
        "factors": [(line.label, whole_number(line.weight), line.explain)
                    for line in ranked[0].score.lines] if ranked else []})


# A row of a subject's score, factor by factor, as the template drew it a row at a time: 48
# subjects of 7 factors were 1,300 of the template's variables, most of drawing the page
# (issue 18). Escaped as the template would (format_html_join).
_FACTOR_ROW = """
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header">{}</th>
      <td class="govuk-table__cell govuk-table__cell--numeric">{}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{}</td>
    </tr>
  """


# Each subject ranked and their score factor by factor, as the template drew them a subject
# at a time (48 subjects' headings, captions and links; issue 18).
_NUMERIC = 'scope="col" class="govuk-table__header govuk-table__header--numeric"'
_HEADING = '\n<h2 class="govuk-heading-m">'
_SUBJECT = (  # after the heading's place in the ranking
    '. <a class="govuk-link" href="{chart}?focus=e{pk}">'
    '{label}</a>: {total} points</h2>\n<div class="lantern-table-scroll" role="region" '
    'aria-label="Score of {label}, factor by factor" tabindex="0">\n<table class="govuk-table">'
    '\n  <caption class="govuk-table__caption govuk-visually-hidden">Score of {label}, factor by'
    ' factor</caption>\n  <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
    '    <th scope="col" class="govuk-table__header">Factor</th>\n'
    f"    <th {_NUMERIC}>Value</th>\n    <th {_NUMERIC}>Weight</th>\n"
    f"    <th {_NUMERIC}>Points</th>\n"
    '  </tr></thead>\n  <tbody class="govuk-table__body">\n  {rows}\n  </tbody>\n</table>\n'
    "</div>\n")


# Each subject's heading and score as drawn (`_subject_html`), kept once a process for the
# same address, subject, name and score (a score cannot be changed once made): every
# priorities page drew every subject's again (48 of 7 factors, a sixth of the page at
# 100,000 children; issue 18). The types of the name and of the factors' labels are part of
# the key: text marked safe is drawn as it is, and equals the same text not marked, which is
# escaped.
_drawn_subjects: dict[tuple, str] = {}


def _drawn_key(r: queries.Ranked, chart_url: str) -> tuple:
    return (chart_url, r.subject.pk, type(r.label), r.label, r.score,
            tuple(type(line.label) for line in r.score.lines))


def _ranked_html(ranked: list[queries.Ranked], chart_url: str) -> SafeString:
    """The subjects ranked (`_HEADING`, their place, `_SUBJECT`, their factors `_FACTOR_ROW`),
    each value escaped as the template escaped it (drawn.esc)."""
    keys = [_drawn_key(r, chart_url) for r in ranked]
    found = [_drawn_subjects.get(key) for key in keys]
    missing = [i for i, html in enumerate(found) if html is None]
    if missing:
        if len(_drawn_subjects) + len(missing) > 2_000:  # bounded: a region's subjects
            _drawn_subjects.clear()
        drawn = _subject_html([ranked[i] for i in missing], chart_url)
        for i, html in zip(missing, drawn, strict=True):
            found[i] = _drawn_subjects[keys[i]] = html
    return mark_safe("".join(  # noqa: S308 - each value escaped by esc
        f"{_HEADING}{n}{html}" for n, html in enumerate(found, start=1)))


def _subject_html(ranked: list[queries.Ranked], chart_url: str) -> list[str]:
    """Each subject's heading after their place, and their score factor by factor; each figure
    written once (many repeat)."""
    figures: dict[float, str] = {}
    # Each factor's label, the same for every subject, escaped once.
    labels: dict[object, str] = {}

    def figure(value: float) -> str:
        if value not in figures:
            figures[value] = whole_number(value)
        return figures[value]

    def label(line) -> str:
        key = (type(line.label), line.label)  # text marked safe is not escaped: its own key
        if key not in labels:
            labels[key] = esc(line.label)
        return labels[key]

    chart = esc(chart_url)
    return [_SUBJECT.format(
        chart=chart, pk=esc(r.subject.pk), label=esc(r.label), total=figure(r.score.total),
        rows="".join(_FACTOR_ROW.format(label(line), figure(line.value), figure(line.weight),
                                        figure(line.points)) for line in r.score.lines))
        for r in ranked]


def whole_number(value: float) -> str:
    """As `{{ value|floatformat:0 }}` draws it: rounded half away from zero, no "-0"."""
    return str(int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
