"""The data migration that gives Coventry's meeting for a child already open to children's
services its own kind (issue 14, item 2), beside the MASE review."""

import importlib

from django.apps import apps
from django.utils import timezone

from lantern.meetings.models import Meeting
from lantern.pathway.models import MeetingRequirement, Pathway

from . import helpers as h

migration = importlib.import_module("lantern.meetings.migrations.0006_statutory_review_kind")


def test_open_case_meetings_stored_as_mase_reviews_become_statutory_reviews(p, child):
    h.refer_and_decide(p, child)
    old = h.convene(p, [child], kind="statutory_review")
    Meeting.objects.filter(pk=old.pk).update(kind="mase_review", label=migration.OLD_LABEL)
    review = h.convene(p, [child], kind="mase_review")
    pathway = Pathway.objects.get(child=child)
    requirement = MeetingRequirement.objects.create(
        pathway=pathway, child=child, area=p.north, kind="mase_initial", label="MASE meeting",
        counts=["mase_initial", "mase_looked_after", "mase_review"], framework="wm",
        category=2, citation="West Midlands CSE toolkit", required_at=timezone.now())
    migration.forwards(apps, None)
    assert Meeting.objects.get(pk=old.pk).kind == "statutory_review"
    assert Meeting.objects.get(pk=review.pk).kind == "mase_review"
    requirement.refresh_from_db()
    assert requirement.counts == ["mase_initial", "mase_looked_after", "statutory_review"]
