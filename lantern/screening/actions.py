"""Recording a screening: the framework's suggestion is kept beside the professional's own
category, analysis, the child's views and protective factors (seed 003 §5)."""

from django.db import transaction

from lantern.domain.screening import ScreeningInput, Suggestion
from lantern.pathway import work
from lantern.people.actions import add_chronology
from lantern.people.models import Child, Role, User
from lantern.sharing import audit

from .models import Screening


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
) -> Screening:
    if not suggestion.allows(final_category):
        raise BelowFloor(final_category)
    if not (suggestion.minimum <= final_category <= suggestion.maximum) and not rationale.strip():
        raise RationaleMissing(final_category)
    screening = Screening.objects.create(
        child=child,
        concern=concern,
        framework=suggestion.framework,
        framework_version=suggestion.version,
        screened_by=by,
        agency=by.agency,
        indicators=sorted(given.indicators),
        evidence={k: v for k, v in (evidence or {}).items() if k in given.indicators and v},
        suggested_min=suggestion.minimum,
        suggested_max=suggestion.maximum,
        floor=suggestion.floor,
        reasons=suggestion.reasons + suggestion.prompts,
        required_actions=suggestion.actions,
        final_category=final_category,
        rationale=rationale,
        analysis=analysis,
        child_views=child_views,
        protective_factors=protective_factors,
        by_social_worker=by.role == Role.SOCIAL_WORKER,
    )
    audit.record(
        by, "create", screening, child=child, summary="Completed a screening",
        changes=audit.created(
            screening, ("framework", "framework_version", "indicators", "suggested_min",
                        "suggested_max", "floor", "final_category", "rationale")
        ),
    )
    # A screening answers any re-screening asked of the child (e.g. by a missing pattern).
    work.close_items(source=child, kind="rescreen", by=by)
    label = screening.framework_definition.category(final_category).label
    add_chronology(
        child,
        kind="screening",
        title=f"Screened: category {final_category} ({label.lower()})",
        occurred_at=screening.screened_at,
        by=by,
        url=f"/screenings/{screening.pk}/",
    )
    return screening
