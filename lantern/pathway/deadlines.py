"""When each step of a child's pathway is due: the area's policy profile (lantern.pathway.policy)
gives the timescale, the area's nation its bank holidays (lantern.domain.dates). Deadlines are
computed once, when a step starts, and stored on its work item with their basis: a later change
of profile leaves them as they were."""

from datetime import datetime

from lantern.domain.profiles import Due, NoTimescale, Profile

from . import policy


def profile_for(area) -> Profile:
    return policy.for_area(area)


def step_due(area, timescale: str, event: datetime, *, profile: Profile | None = None
             ) -> Due | None:
    """The deadline for a step under the area's profile, or None when it sets no timescale."""
    profile = profile or profile_for(area)
    try:
        return profile.due(timescale, event, nation=area.nation)
    except NoTimescale:
        return None


def referral_decision_due(area, received_at: datetime) -> Due:
    """Every profile sets a referral decision timescale (the profile validator insists), so a
    referral never waits without a deadline."""
    return profile_for(area).due("referral_decision", received_at, nation=area.nation)
