"""Who sees which intelligence (SPEC §9: "police intelligence carries its own restrictions").
Built on lantern.foundation.access.visible_children; deny by default; 404 for outsiders.

A report is seen in one of three ways:

- in full (text and source details): by police of the report's area or of a child it
  concerns, and by the person who submitted it;
- sanitised (the sanitised text, no source details): once police have graded it, by anyone
  who may see a child it concerns (lantern.foundation.access) when its handling code is P; when
  the code is C, only by those whose role the conditions name;
- as links only (no text at all): by analysts of the area, for graded reports whose code is
  P or whose C conditions name analysts. Analysts never see a child's identity: children are
  shown as "Child in <area>" with a reference.

Ungraded reports are seen only in full, by police and the submitter. Board members and
administrators see no intelligence.

Links (child to entity) are seen with the report that made them. Those who open the link
chart (analysts, CSE team managers, police) also see the links of graded reports from any
area whose handling code permits their role (P, or C with their role named): networks cross
area boundaries (seed 003 §4). A child the user may not see appears in a chart or trigger only
as "a child in <area>", and the report behind such a link cannot be opened: the link is
visible, the identity and the text are not. A subject who is a child
keeps a child's protections: their name shows only to police and to those who may see their
record, and they are not ranked for disruption.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import BaseExpression
from django.http import Http404
from django.utils import timezone

from lantern.foundation import rows
from lantern.foundation.access import (
    NO_IDENTITY_ROLES,
    Viewer,
    child_visible_sql,
    is_active_user,
    viewing,
    visible_children,
    visible_through,
)
from lantern.foundation.compiled import Compiled, one_of
from lantern.foundation.models import Child, Role

from .models import Association, Entity, IntelligenceReport, Link, MergeProposal, Trigger

FULL = "full"
SANITISED = "sanitised"
LINKS_ONLY = "links"

# Roles that open the link chart (issue 7: analysts and CSE team managers; police too, who
# hold the intelligence).
CHART_ROLES = frozenset({Role.ANALYST, Role.CSE_MANAGER, Role.POLICE})
# Roles that review entity-resolution proposals.
REVIEW_ROLES = frozenset({Role.ANALYST, Role.CSE_MANAGER, Role.POLICE})
# Roles that see and act on triggers of their area (the alert goes to CSE team managers).
TRIGGER_ROLES = frozenset({Role.CSE_MANAGER, Role.POLICE})
TRIGGER_DECIDE_ROLES = frozenset({Role.CSE_MANAGER})
RANKING_ROLES = frozenset({Role.POLICE, Role.CSE_MANAGER, Role.ANALYST})


def _in_users_area(user) -> Q:
    """Reports of the user's area or about a child of it (the areas of its children are kept
    with the report: IntelligenceReport.child_areas)."""
    area_id = user.agency.area_id
    child_in_area = IntelligenceReport.child_areas.through.objects.filter(
        intelligencereport_id=OuterRef("pk"), area_id=area_id)
    return Q(area_id=area_id) | Q(Exists(child_in_area))


def _handling_allows(role: str, prefix: str = "") -> Q:
    """Reports (through `prefix`, e.g. "report__") whose handling lets this role read them."""
    return (Q(**{f"{prefix}handling": "P"})
            | Q(**{f"{prefix}handling": "C", f"{prefix}condition_roles__contains": f",{role},"}))


def visible_reports(user, *, by_row: bool = False, now=None) -> QuerySet[IntelligenceReport]:
    """Reports the user may see in some form. Lists start here. With `by_row`, whether a
    report concerns a child the user may see is asked of each report's children by key
    (`visible_through`), not by reading every child the user may see first: for a check of
    a few reports (the same rule). `user` may be a foundation.access.Viewer, and `now` the
    time grants are live at, for a query compiled once a role (foundation.compiled)."""
    reports = IntelligenceReport.objects.all()
    if not is_active_user(user) or user.role in {Role.BOARD, Role.ADMIN}:
        return reports.none()
    if user.role == Role.POLICE:
        return reports.filter(_in_users_area(user) | Q(submitted_by_id=user.pk))
    if user.role == Role.ANALYST:
        return reports.filter(_in_users_area(user) & _handling_allows(user.role))
    concerns_visible_child = IntelligenceReport.children.through.objects.filter(
        visible_through(user, "child", now=now) if by_row
        else Q(child__in=visible_children(user, now=now)),
        intelligencereport_id=OuterRef("pk"))
    return reports.filter(
        Q(submitted_by_id=user.pk)
        | (Q(Exists(concerns_visible_child)) & _handling_allows(user.role)))


def visible_reports_sql(user, report: str) -> tuple[str, list]:
    """`visible_reports` written out in SQL, as a condition on the report table aliased
    `report`, with its parameters: for a query written in SQL because building it with the ORM
    cost more than running it (`queries.still_ranked`, issue 17). The same rule, asked of each
    report's children by key as `by_row` (for police and analysts, of the areas kept with
    the report: `IntelligenceReport.child_areas`; test_visible_reports_sql)."""
    if not is_active_user(user) or user.role in {Role.BOARD, Role.ADMIN}:
        return "1 = 0", []
    children = IntelligenceReport.children.through._meta.db_table
    child = Child._meta.db_table

    def concerns(condition: str, params: list) -> tuple[str, list]:
        # Table names from the models; every value a parameter.
        return (f"EXISTS (SELECT 1 FROM {children} rc INNER JOIN {child} c "  # noqa: S608
                f"ON c.id = rc.child_id"
                f" WHERE rc.intelligencereport_id = {report}.id AND {condition})", params)

    handling = handling_allows_sql(user.role, report)
    if user.role in {Role.POLICE, Role.ANALYST}:
        areas = IntelligenceReport.child_areas.through._meta.db_table
        area_id = user.agency.area_id
        area = (f"({report}.area_id = %s OR EXISTS (SELECT 1 FROM {areas} ra"  # noqa: S608
                f" WHERE ra.intelligencereport_id = {report}.id AND ra.area_id = %s))",
                [area_id, area_id])
        if user.role == Role.POLICE:
            return f"({area[0]} OR {report}.submitted_by_id = %s)", [*area[1], user.pk]
        return f"({area[0]} AND {handling[0]})", [*area[1], *handling[1]]
    seen, params = concerns(*child_visible_sql(user, "rc.child_id", "c.area_id"))
    return (f"({report}.submitted_by_id = %s OR ({seen} AND {handling[0]}))",
            [user.pk, *params, *handling[1]])


def handling_allows_sql(role: str, report: str) -> tuple[str, list]:
    """`_handling_allows` written out in SQL, as a condition on the report table aliased
    `report`, with its parameters."""
    escaped = role.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return (f"({report}.handling = 'P' OR ({report}.handling = 'C' AND "
            f"{report}.condition_roles LIKE %s ESCAPE '\\'))", [f"%,{escaped},%"])


def report_mode(user, report: IntelligenceReport) -> str:
    return report_modes(user)(report)


def report_modes(user) -> Callable[[IntelligenceReport], str]:
    """`report_mode` of one reader for many reports (a list's): who reads asked once, not
    for each row (the signed-in user is a lazy object, each attribute read through it)."""
    pk, role = user.pk, user.role
    if role == Role.POLICE:
        return lambda report: FULL
    other = LINKS_ONLY if role == Role.ANALYST else SANITISED
    return lambda report: FULL if report.submitted_by_id == pk else other


# A report by its key among those the user may see (`visible_reports`, asked of the report's
# children by key as `by_row`: the same rule), with what its page shows beside it; compiled
# once a role and prepared on PostgreSQL (foundation.compiled, issue 18): building it with the
# ORM cost more than running it, and planning it each time (0.8 ms at 100,000 children) more
# than the generic plan's run (0.1 ms), the same walk by the report's key.
_REPORT: Compiled[IntelligenceReport] = Compiled(
    lambda role, *, viewer, viewer_agency, viewer_area, now, report: visible_reports(
        Viewer(viewer, viewer_agency, viewer_area, role), by_row=True, now=now)
    .select_related("agency", "submitted_by", "graded_by", "area").filter(pk=report)[:1],
    prepared=True)


def get_report_for_user(user, report_id, *, for_change: bool = False
                        ) -> tuple[IntelligenceReport, bool]:
    """The report and whether the user may grade it (police who see it). How much of it the
    user reads is `report_mode`. 404 for those who may not open it (analysts see links only)."""
    viewer = viewing(user)
    if viewer is None:  # sees no child (analysts: links only), by the rule itself
        report = (visible_reports(user).select_related("agency", "submitted_by", "graded_by",
                                                       "area")
                  .filter(pk=report_id).first())
    else:
        found = _REPORT(viewer[0], report=int(report_id), now=timezone.now(), **viewer[1])
        report = found[0] if found else None
    if report is None or report_mode(user, report) == LINKS_ONLY:
        raise Http404("No intelligence report found")
    # The report was found among those the user may see: police grade what they see, with no
    # second visibility query (issue 18).
    may_grade = user.role == Role.POLICE
    if for_change and not may_grade:
        raise PermissionDenied("Police grade intelligence.")
    return report, may_grade


def openable_reports(user, report_ids) -> set[int]:
    """Of these reports, the ones the user may open (a chronology entry links only to those).
    Analysts see reports as links only and open none."""
    if not report_ids or (user.role == Role.ANALYST):
        return set()
    return set(visible_reports(user).filter(pk__in=list(report_ids))
               .values_list("pk", flat=True))


def can_submit(user) -> bool:
    """Any professional who works with children shares intelligence (seed 001, 7)."""
    return is_active_user(user) and user.role not in NO_IDENTITY_ROLES


def visible_links(user, *, by_row: bool = False) -> QuerySet[Link]:
    return Link.objects.filter(report__in=visible_reports(user, by_row=by_row))


def chart_links(user, *, by_row: bool = False) -> QuerySet[Link]:
    """Links drawn in the link chart: the user's own visible links, and for chart roles the
    links of any area's graded reports whose handling permits their role. With `by_row`, each
    link's report is asked of by key (its handling, then whether the user may see it), not by
    reading every report the user may see first: for the links of one record (the same rule;
    at 100,000 children reading them first took 5 ms for 216 links)."""
    if not is_active_user(user) or user.role not in CHART_ROLES:
        return Link.objects.none()
    if by_row:
        seen = visible_reports(user, by_row=True).filter(pk=OuterRef("report_id"))
        return Link.objects.filter(_handling_allows(user.role, "report__") | Q(Exists(seen)))
    across = IntelligenceReport.objects.filter(_handling_allows(user.role))
    return Link.objects.filter(Q(report__in=visible_reports(user)) | Q(report__in=across))


def chart_entity_allowed(user, entity_id) -> bool:
    root = Entity.objects.filter(pk=entity_id).values_list("canonical_id", flat=True).first()
    ids = {int(entity_id), root} - {None}
    # The record's links (or those of its group) the chart may draw, asked first: by the
    # links' entity index, each link's report by key (issue 18); then whether a report the
    # user may see mentions it.
    group = Entity.objects.filter(Q(pk__in=ids) | Q(canonical_id__in=ids)).values("pk")
    if (chart_links(user, by_row=True).filter(entity_id__in=group).exists()
            or visible_entities(user).filter(pk=entity_id).exists()):
        return True
    # A phone, vehicle or online identity the chart draws beside a person (an association in
    # a report the chart shows) opens as a chart too, as the neighbourhood drew it.
    used = (Q(subject_id__in=ids) | Q(subject__canonical_id__in=ids) | Q(entity_id__in=ids)
            | Q(entity__canonical_id__in=ids))
    return Association.objects.filter(
        used, report__in=chart_links(user).values("report_id")).exists()


def link_flags(user) -> dict[str, BaseExpression]:
    """Annotations for links the user sees (a chart's): `readable`, whether the user may open
    the link's report (`openable_reports`), and `named`, whether they may see the link's
    child's identity (`named_children`). The same rules, asked of each link by key in the
    query that reads the links, rather than by two more queries each naming every report and
    child the links found (issue 18: the most-linked subject's chart named 103 reports and
    215 children)."""
    if not is_active_user(user) or user.role == Role.ANALYST:
        readable: BaseExpression = Value(False)
    else:
        readable = Exists(visible_reports(user, by_row=True).filter(pk=OuterRef("report_id")))
    if not is_active_user(user) or user.role in NO_IDENTITY_ROLES:
        named: BaseExpression = Value(False)
    else:
        named = ExpressionWrapper(visible_through(user, "child"), output_field=BooleanField())
    return {"readable": readable, "named": named}


def named_children(user, child_ids) -> set[int]:
    """Of these children, the ids of those whose identity the user may see (their keys only:
    a chart of 200 children read and decoded every one of their rows to ask, issue 18)."""
    return named_from(named_statement(user, child_ids))


def named_statement(user, child_ids) -> tuple[str, list] | None:
    """The statement `named_children` reads with (to run ahead, `rows.ahead`, and then read
    by `named_from`: it holds the time now, so is made once); None where it needs none."""
    ids = sorted({int(pk) for pk in child_ids})
    if not ids or user.role in NO_IDENTITY_ROLES:
        return None
    # Written in SQL (child_visible_sql, the rule of visible_children): built with the ORM,
    # the visibility cost more to build than to run (issue 18; test_named_children_in_sql).
    # Prepared on PostgreSQL, one statement however many children (foundation.compiled).
    seen, params = child_visible_sql(user, "c.id", "c.area_id")
    chosen, chosen_params = one_of("c.id", ids)
    # The table from the model; every value a parameter.
    return (f"SELECT c.id FROM {Child._meta.db_table} c "  # noqa: S608
            f"WHERE {chosen} AND {seen}", [*chosen_params, *params])


def named_from(statement: tuple[str, list] | None) -> set[int]:
    """The children `named_statement` reads."""
    if statement is None:
        return set()
    return {pk for (pk,) in rows.fetch(*statement, prepared=True)}


def require(user, roles, message: str) -> None:
    if not is_active_user(user) or user.role not in roles:
        raise PermissionDenied(message)


def visible_entities(user) -> QuerySet[Entity]:
    """Entities mentioned in a report the user may see, with every record merged with them."""
    mentioned = Entity.objects.filter(mentions__report__in=visible_reports(user))
    roots = mentioned.values("canonical_id")
    ids = mentioned.values("pk")
    return Entity.objects.filter(Q(pk__in=ids) | Q(pk__in=roots) | Q(canonical_id__in=ids)
                                 | Q(canonical_id__in=roots))


def visible_proposals(user) -> QuerySet[MergeProposal]:
    if not is_active_user(user) or user.role not in REVIEW_ROLES:
        return MergeProposal.objects.none()
    entities = visible_entities(user).values("pk")
    return MergeProposal.objects.filter(left__in=entities, right__in=entities)


def get_proposal_for_user(user, proposal_id, *, for_change: bool = False
                          ) -> tuple[MergeProposal, bool]:
    """The proposal and whether it can still be decided (open) or undone (merged)."""
    proposal = visible_proposals(user).select_related("left__subject", "right__subject").filter(
        pk=proposal_id).first()
    if proposal is None:
        raise Http404("No proposal found")
    may_change = proposal.status in (MergeProposal.Status.OPEN, MergeProposal.Status.MERGED)
    if for_change and not may_change:
        raise PermissionDenied("This proposal has been decided.")
    return proposal, may_change


def trigger_area(user) -> int | None:
    """The area whose triggers the user sees; None where they see none."""
    if not is_active_user(user) or user.role not in TRIGGER_ROLES:
        return None
    return user.agency.area_id


def visible_triggers(user) -> QuerySet[Trigger]:
    area = trigger_area(user)
    if area is None:
        return Trigger.objects.none()
    return Trigger.objects.filter(areas=area)


# A trigger by its key among an area's, compiled once a process and prepared on PostgreSQL
# (foundation.compiled, issue 18): a read by key, whose generic plan is the same index walk.
_TRIGGER: Compiled[Trigger] = Compiled(
    lambda area, trigger: Trigger.objects.filter(areas=area, pk=trigger)[:1], prepared=True)


def get_trigger_for_user(user, trigger_id, *, for_change: bool = False
                         ) -> tuple[Trigger, bool]:
    """The trigger and whether the user may decide on it (CSE team managers)."""
    area = trigger_area(user)
    # visible_triggers(user).filter(pk=trigger_id).first(), compiled.
    found = _TRIGGER(area=area, trigger=int(trigger_id)) if area is not None else []
    trigger = found[0] if found else None
    if trigger is None:
        raise Http404("No trigger found")
    may_decide = user.role in TRIGGER_DECIDE_ROLES
    if for_change and not may_decide:
        raise PermissionDenied("CSE team managers decide on triggers.")
    return trigger, may_decide


def subject_label(user, subject, named: set[int]) -> str:
    """A subject's name, unless they are a child whose record the user may not see."""
    if subject.treated_as_child():
        if (subject.child_id and subject.child_id in named) or (
                is_active_user(user) and user.role == Role.POLICE):
            return f"{subject.name_text()} (a child: their own needs are considered separately)"
        return "A young person (a child's details are protected)"
    return subject.name_text()
