"""Which children the features' pages are about, by the ids in their addresses, for drafts
(lantern.foundation.drafts.may_read): a draft of a form about a child is offered back to its
author only while they may still see the child. Read through Django's model registry by label,
as the site composes every app; an address id that names no child (a monitoring review, a CSE
lead, a resolution proposal) is not listed."""

from collections.abc import Callable

from django.apps import apps

from lantern.foundation import drafts
from lantern.foundation.http import parse_id

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


# The tasking list's decision page (tasking/<cadence>/<key>/) names its item by kind and id
# ("concern-12", lantern.monitoring.tasking): a decision typed there is about the item's child.
TASKING_ITEMS = {
    "concern": ("pathway.Concern", "child_id"),
    "missing": ("missing.MissingEpisode", "child_id"),
    "work": ("foundation.WorkItem", "child_id"),
    "trigger": ("intelligence.Trigger", "children__id"),
    "breach": ("plans.Breach", "action__plan__child_id"),
    "subject": ("intelligence.Subject", "child_id"),
}


def _children_of(label: str, lookup: str) -> Callable[[int | str], set[int]]:
    def children(pk: int | str) -> set[int]:
        rows = apps.get_model(label).objects.filter(pk=pk).values_list(lookup, flat=True)
        return {child_id for child_id in rows if child_id is not None}
    return children


def _tasking_item_children(key: int | str) -> set[int]:
    kind, _, number = str(key).partition("-")
    pk = parse_id(number)
    if kind not in TASKING_ITEMS or pk is None:
        return set()
    return _children_of(*TASKING_ITEMS[kind])(pk)


def register() -> None:
    for name, (label, lookup) in SUBJECTS.items():
        drafts.register_subject(name, _children_of(label, lookup))
    drafts.register_subject("key", _tasking_item_children)
