"""Which children the features' pages are about, by the ids in their addresses, for drafts
(lantern.foundation.drafts.may_read): a draft of a form about a child is offered back to its
author only while they may still see the child. Read through Django's model registry by label,
as the site composes every app; an address id that names no child (a monitoring review, a CSE
lead, a resolution proposal) is not listed."""

from collections.abc import Callable

from django.apps import apps

from lantern.foundation import drafts

# id name in the address -> (model label, the lookup from that model to the child's id)
SUBJECTS = {
    "concern_id": ("pathway.Concern", "child_id"),
    "referral_id": ("pathway.Referral", "child_id"),
    "requirement_id": ("pathway.MeetingRequirement", "child_id"),
    "response_id": ("pathway.TrackedResponse", "child_id"),
    "adult_id": ("pathway.AdultReferral", "child_id"),
    "screening_id": ("screening.Screening", "child_id"),
    "assessment_id": ("screening.BichardAssessment", "child_id"),
    "episode_id": ("missing.MissingEpisode", "child_id"),
    "measure_id": ("missing.RestrictiveMeasure", "child_id"),
    "action_id": ("plans.PlanAction", "plan__child_id"),
    "meeting_id": ("meetings.Meeting", "records__child_id"),
    "decision_id": ("sharing.SharingDecision", "child_id"),
    "report_id": ("intelligence.IntelligenceReport", "children__id"),
    "trigger_id": ("intelligence.Trigger", "children__id"),
    "entity_id": ("intelligence.Subject", "child_id"),
}


def _children_of(label: str, lookup: str) -> Callable[[int], set[int]]:
    def children(pk: int) -> set[int]:
        rows = apps.get_model(label).objects.filter(pk=pk).values_list(lookup, flat=True)
        return {child_id for child_id in rows if child_id is not None}
    return children


def register() -> None:
    for name, (label, lookup) in SUBJECTS.items():
        drafts.register_subject(name, _children_of(label, lookup))
