"""Screening indicators a child's missing episodes suggest, for the screening page to tick in
advance with their reasons (data/indicator_suggestions.toml). The practitioner confirms or
unticks each one: the product suggests, the professional decides (SPEC §3)."""

from django.utils import timezone

from lantern.domain import missing
from lantern.pathway.models import Concern
from lantern.screening import registry
from lantern.screening.models import Screening

from . import lists, queries
from . import settings as local


def _earlier_cse_concern(child, since) -> bool:
    return (Concern.objects.filter(child=child, recorded_at__lt=since).exists()
            or Screening.objects.filter(child=child, screened_at__lt=since).exists())


def indicator_suggestions(child, framework_code: str, *, now=None) -> list[tuple[str, str]]:
    """(indicator code, reason) pairs for `framework_code`, in the order of the rules; empty
    when the child has no episodes or the framework is not installed."""
    try:
        framework = registry.get(framework_code)
    except LookupError:
        return []
    now = now or timezone.now()
    pattern = queries.pattern_for(child, now=now)
    if not pattern.total:
        return []
    long_enough = pattern.missing_since is not None and (
        now - pattern.missing_since).days >= local.disappearing_days(child.area)
    held = missing.conditions(
        pattern, now, disappearing_days=local.disappearing_days(child.area),
        earlier_cse_concern=long_enough and _earlier_cse_concern(child, pattern.missing_since),
    )
    found = missing.suggest(lists.suggestion_rules(), framework_code, held,
                            missing.facts(pattern, now))
    return [(code, reason) for code, reason in found if framework.has_indicator(code)]
