"""The child's record shows each pathway step with its due and actual dates."""

from datetime import datetime

from django.utils import timezone

from lantern import testing
from lantern.domain import dates
from lantern.pathway import actions
from lantern.pathway.models import Outcome


def test_the_record_shows_each_step_with_due_and_actual_dates(p, child, as_user):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    received = datetime(2024, 12, 20, 10, 0, tzinfo=dates.LONDON)
    referral = testing.make_referral(child, p.alice, received_at=received)
    actions.decide_referral(referral, Outcome.ASSESSMENT, by=p.fiona,
                            rationale="Assess with the family.")
    decided = timezone.localtime(referral.decision.decided_at)
    body = as_user(p.fiona).get(f"/children/{child.pk}/").content.decode()
    # The decision: due 24 hours after receipt, done (late, long after 2024).
    assert "21 Dec 2024, 10:00" in body
    assert f"{decided:%-d %b %Y, %H:%M}" in body
    assert "late" in body
    # The assessment: due on a date, 7 working days on, with its basis; in progress.
    assert "3 Jan 2025" in body
    assert "Initial assessment within 7 working days" in body
    assert "In progress" in body


def test_other_open_work_about_the_child_is_shown(p, as_user):
    actions.adopt_profile(p.north, "stockport", by=p.ade)
    child = testing.make_child(p.alice)
    testing.make_referral(child, p.alice)
    body = as_user(p.fiona).get(f"/children/{child.pk}/").content.decode()
    assert "Decide whether to refer to the police" in body
