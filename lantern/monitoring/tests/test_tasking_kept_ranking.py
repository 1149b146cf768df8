"""What the weekly tasking list shows from a ranking of priority subjects kept ahead (issue 17)
once what the user may rank has changed since it was made: only through the pages, so the
tests hold wherever the kept ranking lives. That the ranking shown is the kept one, not made
again, is shown by a subject added since, which it does not yet have."""

import pytest
from django.urls import reverse

from lantern import testing
from lantern.foundation import grants
from lantern.intelligence.models import Entity, Subject
from lantern.intelligence.tests.helpers import grade, person, report

WEEKLY = reverse("monitoring:tasking") + "?list=weekly"
SECTION = reverse("monitoring:tasking_section", args=["weekly", "priority-subjects"])

pytestmark = pytest.mark.django_db


def _decide(subject) -> str:
    return reverse("monitoring:tasking_decide", args=["weekly", f"subject-{subject.pk}"])


def test_a_subject_merged_into_another_after_ranking_is_left_out_of_a_kept_ranking(p, child,
                                                                                   as_user):
    """A record merged into another is no longer a subject of its own (ranking now ranks the
    kept record alone): a ranking kept from before the merge must not show the merged
    record's name, nor let a decision be recorded on it, until it is ranked again."""
    grade(report(p.alice, [child], person("Dean", "Ward")), p.priya)
    grade(report(p.alice, [child], person("Kyle", "Morgan")), p.priya)
    client = as_user(p.maria)
    text = client.get(WEEKLY).text
    assert "Dean Ward: priority" in text and "Kyle Morgan: priority" in text
    dean, kyle = Subject.objects.get(given_names="Dean"), Subject.objects.get(given_names="Kyle")
    # Kyle's record is merged into Dean's as lantern.intelligence.actions merges: the links
    # stay, the merged record names the kept one as its canonical.
    Entity.objects.filter(pk=kyle.pk).update(canonical_id=dean.pk)
    grade(report(p.alice, [child], person("Lee", "Kent")), p.priya)  # after the ranking
    for page in (client.get(WEEKLY).text, client.get(SECTION).text):
        assert "Lee Kent" not in page  # the kept ranking, not one made now
        assert "Dean Ward: priority" in page
        assert "Kyle Morgan" not in page
    assert client.get(_decide(kyle)).status_code == 404
    assert client.get(_decide(dean)).status_code == 200


def test_a_subject_seen_only_through_a_grant_that_ends_is_left_out_of_a_kept_ranking(p,
                                                                                      as_user):
    """A CSE team manager sees another area's child only by a grant (a cross-area agreement),
    and so the intelligence about them: once it is revoked, a subject linked only to that
    child leaves the kept ranking's list, section page and decision page at once, not when
    ranked again."""
    eastern = testing.make_child(p.carol, given_names="Eastern")
    access = testing.give_access(eastern, p.maria)
    grade(report(p.carol, [eastern], person("Eddie", "East")), p.priya)
    client = as_user(p.maria)
    assert "Eddie East: priority" in client.get(WEEKLY).text
    eddie = Subject.objects.get(given_names="Eddie")
    grants.revoke(access, by=None, reason="Agreement ended")
    grade(report(p.alice, [testing.make_child(p.alice)], person("Lee", "Kent")), p.priya)
    for page in (client.get(WEEKLY).text, client.get(SECTION).text):
        assert "Lee Kent" not in page  # the kept ranking, not one made now
        assert "Eddie East" not in page
    assert client.get(_decide(eddie)).status_code == 404
