"""Recording a screening: the framework's suggestion is kept beside the professional's own
category, analysis, the child's views and protective factors (seed 003 §5). What the framework
requires is recorded for the category the professional decided on. A screening by anyone but
a social worker opens a re-screening task for a social worker (seed 001, screening tool
guidance 1); a social worker's screening closes the child's open ones."""

from collections.abc import Collection, Mapping
from datetime import timedelta

from django.db import transaction

from lantern.domain.frameworks import Framework
from lantern.domain.labels import in_sentence
from lantern.domain.screening import (
    ScreeningInput,
    Suggestion,
    requirements,
    settings_with_defaults,
)
from lantern.foundation import audit, notify, work
from lantern.foundation.chronology import add_chronology
from lantern.foundation.models import Child, Role, User, WorkItem
from lantern.pathway import actions as pathway_actions
from lantern.pathway.actions import Step
from lantern.people import queries as people_queries

from . import bichard, registry
from .models import BichardAssessment, Screening

RESCREEN = "rescreen"


class BelowFloor(ValueError):
    pass


class RationaleMissing(ValueError):
    pass


@transaction.atomic
def record_screening(
    child: Child,
    *,
    by: User,
    given: ScreeningInput,
    suggestion: Suggestion,
    final_category: int,
    analysis: str,
    rationale: str = "",
    child_views: str = "",
    protective_factors: str = "",
    evidence: dict[str, str] | None = None,
    concern=None,
    checklists: Collection[tuple[Framework, Collection[str]]] = (),
    settings: Mapping | None = None,
) -> Screening:
    if not suggestion.allows(final_category):
        raise BelowFloor(final_category)
    if not (suggestion.minimum <= final_category <= suggestion.maximum) and not rationale.strip():
        raise RationaleMissing(final_category)
    framework = registry.get(suggestion.framework, suggestion.version)
    required = requirements(framework, final_category, given, settings)
    ticked_lists = {
        checklist.code: {
            "version": checklist.version,
            "items": sorted(c for c in items if checklist.has_indicator(c)),
        }
        for checklist, items in checklists
    }
    recorded = set(given.indicators).union(*(c["items"] for c in ticked_lists.values()))
    screening = Screening.objects.create(
        child=child,
        concern=concern,
        framework=suggestion.framework,
        framework_version=suggestion.version,
        screened_by=by,
        agency=by.working_agency,
        indicators=sorted(given.indicators),
        evidence={k: v for k, v in (evidence or {}).items() if k in recorded and v},
        suggested_min=suggestion.minimum,
        suggested_max=suggestion.maximum,
        floor=suggestion.floor,
        reasons=suggestion.reasons + suggestion.prompts,
        required_actions=list(required.actions),
        final_category=final_category,
        rationale=rationale,
        analysis=analysis,
        child_views=child_views,
        protective_factors=protective_factors,
        by_social_worker=by.role == Role.SOCIAL_WORKER,
        facts={
            "age": given.age,
            "learning_disability": given.learning_disability,
            "additional_needs": given.additional_needs,
            "s47_cse": given.s47_cse,
            "partner_age": given.partner_age,
            "screener_role": given.screener_role,
        },
        checklists=ticked_lists,
        requires_referral=required.requires_referral,
        strategy_meeting=required.strategy_meeting,
        adult_route=required.adult_route,
    )
    audit.record(
        by, "create", screening, child=child, summary="Completed a screening",
        changes=audit.created(
            screening, ("framework", "framework_version", "indicators", "suggested_min",
                        "suggested_max", "floor", "final_category", "rationale", "facts",
                        "checklists", "requires_referral", "strategy_meeting", "adult_route")
        ),
    )
    label = framework.category(final_category).label
    add_chronology(
        child,
        kind="screening",
        title=f"Screened: {framework.category_name(final_category)} ({in_sentence(label)})",
        occurred_at=screening.screened_at,
        by=by,
        url=screening.get_absolute_url(),
    )
    # A screening starts the child's pathway, or moves it on from a concern (SPEC §2).
    pathway_actions.note_event(child, Step.SCREENING, by=by, at=screening.screened_at,
                               url=screening.get_absolute_url())
    # The meetings the decided category calls for become work on the pathway (issue 14).
    pathway_actions.require_meetings(child, framework=suggestion.framework,
                                     category=final_category, by=by, at=screening.screened_at)
    # So do the category 3 and trafficking responses (the National Referral Mechanism...).
    pathway_actions.open_responses(child, framework=suggestion.framework,
                                   category=final_category, indicators=screening.indicators,
                                   by=by, at=screening.screened_at)
    # A young person aged 18 or over at risk: adult safeguarding is told (issue 14, item 10).
    pathway_actions.open_adult_referral(
        child, age=given.age, by=by, at=screening.screened_at, framework=suggestion.framework,
        category=final_category,
        trigger=f"Screened, aged {given.age}: {framework.category_name(final_category)} "
                f"({in_sentence(label)})")
    if given.s47_cse:
        # A section 47 enquiry with CSE presenting reaches the front door at once (issue 14).
        pathway_actions.raise_urgent(
            child, by=by, at=screening.screened_at,
            what="a screening records a section 47 enquiry with CSE presenting",
            url=screening.get_absolute_url())
    # Any screening answers a re-screen asked of the child (e.g. by a pattern of missing
    # episodes); the West Midlands social-worker re-screen is closed only by a social worker.
    work.close_items(source=child, kind=RESCREEN, by=by)
    # The CSE team is told of every child at risk (seed 001).
    notify.tell_by_rules("child_at_risk", area=child.area, url=screening.get_absolute_url(),
                         source=screening, by=by, child=child,
                         keep=lambda rule: rule.at_risk(suggestion.framework, final_category))
    if by.role == Role.SOCIAL_WORKER:
        _close_rescreens(child, by=by)
    elif suggestion.requires_social_worker_rescreen:
        _open_rescreen(screening, settings=settings_with_defaults(settings))
    return screening


def _open_rescreen(screening: Screening, *, settings: Mapping) -> WorkItem | None:
    """A task for the child's allocated social worker, or else the front door of the child's
    area. One open task per child is enough: a social worker's screening answers them all."""
    child, by = screening.child, screening.screened_by
    if WorkItem.objects.filter(child=child, kind=RESCREEN, status=WorkItem.Status.OPEN).exists():
        return None
    allocation = (people_queries.open_allocations(child, role=Role.SOCIAL_WORKER)
                  .order_by("started_at").first())
    hours = settings["wm_rescreen_hours"]
    return work.open_item(
        area=child.area,
        child=child,
        kind=RESCREEN,
        title=f"Re-screen {child.full_name}: screened by {by.display_name}, "
        f"{by.working_agency.name}",
        due_at=screening.screened_at + timedelta(hours=hours),
        basis=(
            "A social worker re-screens any screening not completed by a social worker (West "
            f"Midlands CSE toolkit, screening tool guidance 1). The toolkit sets no timescale: "
            f"this area's is "
            f"{hours} hours."
        ),
        owner=allocation.user if allocation else None,
        owner_role="" if allocation else Role.FRONT_DOOR,
        source=screening,
        by=by,
    )


def _close_rescreens(child: Child, *, by: User) -> int:
    sources = WorkItem.objects.filter(
        child=child, kind=RESCREEN, status=WorkItem.Status.OPEN,
        source_type=Screening._meta.label_lower,
    ).values_list("source_id", flat=True)
    closed = 0
    for screening in Screening.objects.filter(pk__in=[int(pk) for pk in sources]):
        closed += work.close_items(source=screening, kind=RESCREEN, by=by)
    return closed


@transaction.atomic
def record_bichard(
    child: Child,
    *,
    by: User,
    answers: dict,
    discussed_with: str,
    refer_to_social_care: bool,
    reasons: str,
    consent: str,
    consent_detail: str = "",
    other_person_age: int | None = None,
) -> BichardAssessment:
    """The initial risk assessment for a young person under 18 about whom there are concerns
    of sexual activity (seed 000, appendix 2 and flowchart): decisions recorded either way."""
    questions = bichard.load()
    assessment = BichardAssessment.objects.create(
        child=child, questions_version=questions.version, answers=answers,
        other_person_age=other_person_age, discussed_with=discussed_with,
        refer_to_social_care=refer_to_social_care, reasons=reasons, consent=consent,
        consent_detail=consent_detail, assessed_by=by, agency=by.working_agency,
    )
    audit.record(
        by, "create", assessment, child=child,
        summary="Recorded an initial risk assessment of concerns about sexual activity",
        changes=audit.created(assessment, ("answers", "other_person_age", "discussed_with",
                                           "refer_to_social_care", "reasons", "consent",
                                           "consent_detail")),
    )
    add_chronology(
        child, kind="bichard",
        title="Initial risk assessment of concerns about sexual activity: "
        + ("referral to children's social care" if refer_to_social_care else "no referral"),
        occurred_at=assessment.assessed_at, by=by, url=assessment.get_absolute_url(),
    )
    return assessment
