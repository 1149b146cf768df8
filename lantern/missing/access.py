"""Who sees and adds to missing episodes, built on lantern.foundation.access. Whoever may see
the child sees their missing episodes; anyone who may add to the child's record (police,
carers' agencies, schools...; not emergency access, which is read-only) may record a return
and an interview."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from lantern.foundation.access import can_change_child, may_add_to_child, visible_children

from .models import MissingEpisode, RestrictiveMeasure


def visible_missing_episodes(user) -> QuerySet[MissingEpisode]:
    return MissingEpisode.objects.filter(child__in=visible_children(user))


def get_missing_episode_for_user(user, episode_id, *, for_change: bool = False
                                 ) -> tuple[MissingEpisode, bool]:
    """The episode and whether the user may add to it: 404 for outsiders, 403 for a change
    by someone whose access to the child is read-only (emergency access)."""
    episode = (
        visible_missing_episodes(user)
        .select_related("child__area", "agency", "recorded_by", "placement_agency",
                        "return_recorded_by")
        .filter(pk=episode_id).first()
    )
    if episode is None:
        raise Http404("No missing episode found")
    may_change = may_add_to_child(user, episode.child)
    if for_change and not may_change:
        raise PermissionDenied("Your access to this child's record is read-only.")
    return episode, may_change


def get_measure_for_user(user, measure_id, *, for_change: bool = False
                         ) -> tuple[RestrictiveMeasure, bool]:
    """A proposed restrictive measure and whether the user may change the child's record
    (decide it, with the manager's right, or record it taken): 404 for outsiders, 403 for a
    change by someone who may only read the record."""
    found = (RestrictiveMeasure.objects.filter(pk=measure_id,
                                               child__in=visible_children(user))
             .select_related("child__area", "proposed_by", "decided_by", "taken_by").first())
    if found is None:
        raise Http404("No measure found")
    may_change = can_change_child(user, found.child)
    if for_change and not may_change:
        raise PermissionDenied("Only those who may change the child's record may do this.")
    return found, may_change
