"""Per-area settings for missing episodes and transitions, read from Area.local_settings with
documented defaults. One small function per setting, so the policy-profile data can take them
over later without touching their callers.

    (the return home interview's hours are the policy profile's `return_interview` timescale)
    missing_trigger_episodes      the pattern trigger: this many episodes... (3)
    missing_trigger_days          ...that began within this many days (30)
    disappearing_days             missing now for this many days suggests wm3.disappearing (7)
    transition_reminder_months    transition planning prompt at this age in months (210)
    care_leaver_screening_age     care leavers screened up to this age (none: 21, the seeds' age)

A value that is not a whole number above zero is ignored (the default applies) and logged, so
a mistyped setting never stops a missing episode from being recorded.
"""

import logging
from datetime import datetime
from typing import overload

from django.utils import timezone

from lantern.domain import missing, transitions
from lantern.pathway import queries as pathway_queries

logger = logging.getLogger(__name__)

DISAPPEARING_DAYS = 7


@overload
def _setting(area, key: str, default: int) -> int: ...
@overload
def _setting(area, key: str, default: None) -> int | None: ...
def _setting(area, key: str, default: int | None) -> int | None:
    value = (area.local_settings or {}).get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        logger.warning("Area %s: local setting %r=%r is not a whole number above 0; using %r",
                       area.pk, key, value, default)
        return default
    return value


def rhi_hours(area) -> int:
    """The hours the area's policy profile gives for a return home interview (72 in every
    shipped profile; a local profile may change them)."""
    return pathway_queries.profile_for(area).timescale("return_interview").amount


def rhi_due(area, returned_at: datetime) -> datetime:
    """When the interview is due: counted in elapsed hours, so through nights, weekends and the
    clocks changing alike; never moved off a weekend."""
    due = pathway_queries.step_due(area, "return_interview", returned_at)
    assert due is not None, "the area's policy profile sets no return_interview timescale"
    return due.at


def rhi_basis(area) -> str:
    due = pathway_queries.step_due(area, "return_interview", timezone.now())
    assert due is not None, "the area's policy profile sets no return_interview timescale"
    return due.basis


def trigger(area) -> missing.Trigger:
    default = missing.Trigger()
    return missing.Trigger(
        episodes=_setting(area, "missing_trigger_episodes", default.episodes),
        days=_setting(area, "missing_trigger_days", default.days),
    )


def disappearing_days(area) -> int:
    return _setting(area, "disappearing_days", DISAPPEARING_DAYS)


def transition_reminder_months(area) -> int:
    return _setting(area, "transition_reminder_months", transitions.REMINDER_MONTHS)


def care_leaver_screening_age(area) -> int | None:
    return _setting(area, "care_leaver_screening_age", None)
