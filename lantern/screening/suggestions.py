"""Screening indicators a child's missing episodes suggest, for the screening page to tick in
advance with their reasons (the rules are the missing app's data,
lantern/missing/data/indicator_suggestions.toml). The practitioner confirms or unticks each
one: the product suggests, the professional decides (SPEC §3)."""

from django.utils import timezone

from lantern.domain import missing
from lantern.missing import queries as missing_queries
from lantern.pathway import queries as pathway_queries

from . import queries, registry


def _earlier_cse_concern(child, since) -> bool:
    return (pathway_queries.concern_before(child, since)
            or queries.screened_before(child, since))


def indicator_suggestions(child, framework_code: str, *, now=None) -> list[tuple[str, str]]:
    """(indicator code, reason) pairs for `framework_code`, in the order of the rules; empty
    when the child has no episodes or the framework is not installed."""
    try:
        framework = registry.get(framework_code)
    except LookupError:
        return []
    now = now or timezone.now()
    pattern = missing_queries.pattern_for(child, now=now)
    if not pattern.total:
        return []
    disappearing_days = missing_queries.disappearing_days(child.area)
    long_enough = pattern.missing_since is not None and (
        now - pattern.missing_since).days >= disappearing_days
    held = missing.conditions(
        pattern, now, disappearing_days=disappearing_days,
        earlier_cse_concern=long_enough and _earlier_cse_concern(child, pattern.missing_since),
    )
    found = missing.suggest(missing_queries.suggestion_rules(), framework_code, held,
                            missing.facts(pattern, now))
    return [(code, reason) for code, reason in found if framework.has_indicator(code)]
