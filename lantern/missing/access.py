"""Who sees and adds to missing episodes, built on lantern.foundation.access. Whoever may see
the child sees their missing episodes; anyone who contributes to children's records (police,
carers' agencies, schools...) may record a return and an interview."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from lantern.foundation.access import can_contribute, visible_children

from .models import MissingEpisode


def visible_missing_episodes(user) -> QuerySet[MissingEpisode]:
    return MissingEpisode.objects.filter(child__in=visible_children(user))


def get_missing_episode_for_user(user, episode_id, *, for_change: bool = False
                                 ) -> tuple[MissingEpisode, bool]:
    """The episode and whether the user may add to it: 404 for outsiders, 403 for a change
    by a role that does not contribute to children's records."""
    episode = (
        visible_missing_episodes(user)
        .select_related("child__area", "agency", "recorded_by", "placement_agency",
                        "return_recorded_by")
        .filter(pk=episode_id).first()
    )
    if episode is None:
        raise Http404("No missing episode found")
    may_change = can_contribute(user)
    if for_change and not may_change:
        raise PermissionDenied("Your role does not add to children's records.")
    return episode, may_change
