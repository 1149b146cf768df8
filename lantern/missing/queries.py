"""The queries that load missing episodes and what hangs off them: one function per page
owns its joins, so query counts stay flat however many episodes a child has."""

from datetime import datetime
from operator import attrgetter

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q
from django.utils import timezone

from lantern.domain import missing
from lantern.foundation import rows
from lantern.foundation.access import visible_in_area
from lantern.foundation.figures import Slice
from lantern.foundation.flags import has_rows
from lantern.foundation.http import url_pattern
from lantern.foundation.models import Agency, Child, WorkItem
from lantern.foundation.when import long_datetime

from . import drawn, lists
from . import settings as local
from .models import (
    MissingEpisode,
    MissingPersonProfile,
    ParentsDecision,
    PlacementReview,
    RestrictiveMeasure,
    ReturnInterview,
    TransitionPlan,
)

EPISODE_TYPE = MissingEpisode._meta.label_lower


def episodes_for(child: Child) -> list[MissingEpisode]:
    return list(
        MissingEpisode.objects.filter(child=child)
        .select_related("agency", "placement_agency", "interview__interviewer_agency")
    )


def pattern_for(child: Child, episodes: list[MissingEpisode] | None = None,
                now: datetime | None = None) -> missing.Pattern:
    """The pattern of the child's episodes now, against their area's trigger."""
    if episodes is None:
        episodes = list(MissingEpisode.objects.filter(child=child).only(
            "went_missing_at", "returned_at", "found_where", "missing_from"))
    return missing.pattern(
        (e.as_domain() for e in episodes), now or timezone.now(), local.trigger(child.area),
        timezone.get_current_timezone(),
    )


def _interview_items(episodes: list[MissingEpisode]) -> dict[str, WorkItem]:
    """The return home interview work item of each episode, by episode id (one query)."""
    if not episodes:
        return {}
    items = WorkItem.objects.filter(
        source_type=EPISODE_TYPE, source_id__in=[str(e.pk) for e in episodes],
        kind="return_interview",
    ).order_by("opened_at")
    return {item.source_id: item for item in items}


def with_interview_items(episodes: list[MissingEpisode]) -> list[MissingEpisode]:
    items = _interview_items(episodes)
    for episode in episodes:
        episode.rhi_item = items.get(str(episode.pk))
    return episodes


def open_prompts(child: Child) -> list[WorkItem]:
    """Open re-screening and strategy-discussion prompts opened about the child."""
    return list(
        WorkItem.objects.filter(child=child, source_type=Child._meta.label_lower,
                                source_id=str(child.pk), status=WorkItem.Status.OPEN,
                                kind__in=("rescreen", "strategy_discussion"))
        .select_related("owner").order_by("due_at")
    )


# The child's one-to-one record the child's record shows, for `get_child_for_user(...,
# related=...)`: loaded with the child, it costs the record no query of its own.
CHILD_RECORD_RELATED = ("transition_plan",)
# Set on a child loaded with `child_record_annotations()`: whether a missing-person profile is
# held. The record says only that, so the profile's columns are not read with the child.
PROFILE_FOUND = "has_missing_profile"


def child_record_annotations() -> dict:
    """For `get_child_for_user(..., annotations=...)`, with CHILD_RECORD_RELATED."""
    return {PROFILE_FOUND: has_rows(MissingPersonProfile, "child", Child)}


def _one_to_one(child: Child, name: str):
    """The child's record behind a one-to-one relation, or None: no query when it was loaded
    with the child (`select_related`), one otherwise."""
    try:
        return getattr(child, name)
    except ObjectDoesNotExist:
        return None


# What the child's record draws of each episode (its timeline and the pattern): when, from
# where, found where, by which agency, and the return home interview's outcome; not the
# circumstances, the return's details or the interview's (issue 18).
RECORD_EPISODE_FIELDS = (
    "id", "child", "missing_from", "went_missing_at", "returned_at", "found_where", "agency",
    "agency__name", "interview__id", "interview__episode", "interview__outcome",
    "interview__held_at",
)


def on_timeline(episodes: list[MissingEpisode]) -> list[MissingEpisode]:
    """What the timeline (missing/_timeline.html) draws of each episode, worked out once here
    rather than by `reverse()` and four date filters an episode: `url`, `went_iso` (the
    `date:'c'` of the local time), `went_text` and `found_text` ("3 March 2026, 14:05") and
    `interview_text` (the day the return home interview was held, "3 March 2026")."""
    url = url_pattern("missing:episode")
    for episode in episodes:
        went = timezone.localtime(episode.went_missing_at)
        episode.url = url(episode.pk)
        episode.went_iso = went.isoformat()
        episode.went_text = long_datetime(went)
        episode.found_text = (long_datetime(timezone.localtime(episode.returned_at))
                              if episode.returned_at else "")
        try:
            held = episode.interview.held_at
        except ObjectDoesNotExist:
            held = None
        episode.interview_text = (long_datetime(timezone.localtime(held), all_day=True)
                                  if held else "")
    return episodes


def for_child_record(child: Child) -> dict:
    """What the child's record shows about going missing and transitions: one query (the
    episodes) when the child was loaded with CHILD_RECORD_RELATED and
    `child_record_annotations()`, three otherwise."""
    # Every one is read, so put in order here, as the model orders them (see
    # pathway.queries.child_pathway).
    episodes = sorted(_record_episodes(child), key=attrgetter("went_missing_at", "pk"),
                      reverse=True)
    has_profile = getattr(child, PROFILE_FOUND, None)
    if has_profile is None:
        has_profile = _one_to_one(child, "missing_profile") is not None
    plan: TransitionPlan | None = _one_to_one(child, "transition_plan")
    pattern = pattern_for(child, episodes)
    return {
        "missing_episodes": on_timeline(episodes[:10]),
        "missing_pattern": pattern,
        # Drawn in Python, as missing/_pattern.html draws it (missing/tests/test_drawn.py).
        "missing_pattern_html": drawn.pattern_html(pattern),
        "has_missing_profile": has_profile,
        "transition_plan": plan,
    }


def looked_after_for(child: Child) -> dict:
    """The looked-after page: the decisions about telling the parents, the measures proposed
    with their decisions, and the latest answers to the placement questions (three queries)."""
    rules = lists.looked_after_rules()
    measures = list(RestrictiveMeasure.objects.filter(child=child)
                    .select_related("proposed_by", "decided_by", "taken_by"))
    for measure in measures:
        found = rules.measure(measure.kind)
        measure.label = found.label if found else measure.kind
    review = (PlacementReview.objects.filter(child=child).select_related("recorded_by")
              .first())
    return {
        "rules": rules,
        "status_rule": rules.legal_status(child.legal_status),
        "parents_decisions": list(ParentsDecision.objects.filter(child=child)
                                  .select_related("recorded_by", "episode")[:50]),
        "measures": measures,
        "placement_review": review,
        "placement_answers": [(q, review.answers.get(q.code, "")) for q in
                              rules.placement_questions] if review else [],
    }


def profile_for(child: Child) -> MissingPersonProfile | None:
    return (MissingPersonProfile.objects.filter(child=child)
            .select_related("agency", "updated_by").first())


def transition_plan_for(child: Child) -> TransitionPlan | None:
    return TransitionPlan.objects.filter(child=child).select_related("recorded_by").first()


def suggestion_rules():
    """The screening indicators missing episodes may suggest, with their reasons
    (data/indicator_suggestions.toml; the screening page applies them)."""
    return lists.suggestion_rules()


def disappearing_days(area) -> int:
    """Missing now for this many days suggests the child is disappearing (a local setting)."""
    return local.disappearing_days(area)


# --- Monitoring (issue 17): aggregates without identities -----------------------------------

def parents_exceptions(area=None) -> int:
    """How many times a manager decided a looked-after child's parents were not told although
    the child's legal status says they must be (section 20): one query, for monitoring."""
    rows = ParentsDecision.objects.filter(manager_exception=True)
    if area is not None:
        rows = rows.filter(child__area=area)
    return rows.count()


def monitoring_parents_exceptions(s: Slice) -> int:
    """A manager's decisions, in the period, that a looked-after child's parents were not told
    although the child's legal status says they must be (section 20), about children in the
    slice; the agency is the manager's. One query."""
    return ParentsDecision.objects.filter(
        s.period("recorded_at"), s.children(), s.agency("agency_id"), manager_exception=True,
    ).count()


def monitoring_missing(s: Slice) -> dict:
    """Episodes that began in the period, the children who went missing, how many are back,
    and the return home interviews recorded for them (held, or offered and declined): one
    query. Whether the interviews were on time is the return-interview row of the
    timeliness figures (the work item's 72-hour clock)."""
    return MissingEpisode.objects.filter(
        s.period("went_missing_at"), s.children(), s.agency("agency_id"),
    ).aggregate(
        episodes=Count("id"),
        children=Count("child", distinct=True),
        returned=Count("id", filter=Q(returned_at__isnull=False)),
        interviews_held=Count("id", filter=Q(interview__outcome=ReturnInterview.Outcome.HELD)),
        interviews_declined=Count(
            "id", filter=Q(interview__outcome=ReturnInterview.Outcome.DECLINED)),
    )


# --- Tasking (issue 17; seed 004: daily and weekly tasking meetings) --------------------------

def tasking_missing_now(user, *, offset: int = 0, limit: int = 100, pk: int | None = None
                        ) -> list[MissingEpisode]:
    """Children of the user's area missing now (an episode with no return), longest missing
    first, among the episodes the user may see: one query. With `pk`, that episode only."""
    found = MissingEpisode.objects.filter(visible_in_area(user, "child"), returned_at=None)
    if pk is not None:
        found = found.filter(pk=pk)
    return list(found.select_related("child")
                .order_by("went_missing_at", "pk")[offset:offset + limit])


def _record_episodes(child: Child) -> list[MissingEpisode]:
    """The child's missing episodes, as much as the record draws of each
    (RECORD_EPISODE_FIELDS), with their agency and return home interview, in no order. Written
    in SQL, its rows made into models (the ORM took about 0.6 ms of Python to build the query,
    issue 18); `site/tests/test_record_sql.py` holds it to the ORM's."""
    return rows.read(*episodes_read(child))


def episodes_read(child: Child) -> tuple:
    """What `_record_episodes` reads: `rows.read`'s arguments (the record reads it ahead)."""
    return (
        # Table and column names from the models; every value a parameter.
        f"{MissingEpisode._meta.db_table} e "
        f"INNER JOIN {Agency._meta.db_table} a ON a.id = e.agency_id "
        f"LEFT JOIN {ReturnInterview._meta.db_table} i ON i.episode_id = e.id "
        "WHERE e.child_id = %s", [child.pk], ("e", MissingEpisode, _EPISODE),
        ("a", Agency, _AGENCY, "agency"), ("i", ReturnInterview, _INTERVIEW, "interview"))


_EPISODE = rows.fields_of(MissingEpisode, *(f for f in RECORD_EPISODE_FIELDS if "__" not in f))
_AGENCY = rows.fields_of(Agency, "id", "name")
_INTERVIEW = rows.fields_of(ReturnInterview, "id", "episode", "outcome", "held_at")
