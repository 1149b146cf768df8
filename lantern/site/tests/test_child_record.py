import pytest

from lantern import testing
from lantern.foundation.models import AuditEvent


@pytest.mark.parametrize("name", ["alice", "fiona", "maria", "priya"])
def test_entitled_people_open_the_record(p, child, as_user, name):
    assert as_user(getattr(p, name)).get(child.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("name", ["bob", "carol", "eve", "sam", "ana", "bea", "ade"])
def test_others_get_404(p, child, as_user, name):
    assert as_user(getattr(p, name)).get(child.get_absolute_url()).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, child):
    response = client.get(child.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_opening_the_record_is_audited(p, child, as_user):
    as_user(p.priya).get(child.get_absolute_url())
    event = AuditEvent.objects.filter(action="view", child=child).get()
    assert event.actor == p.priya and event.path == child.get_absolute_url()


def test_the_record_shows_age_in_years_and_months_and_the_chronology(p, child, as_user):
    body = as_user(p.alice).get(child.get_absolute_url()).content.decode()
    assert f"{child.age()}" in body
    assert "Concern recorded by Riverside Academy" in body
    assert "Turns 18 on" in body


# The child's record as alice's school sees it: the same however long the chronology grows.
# 25: issue 18 brought it to 24 (the user comes with their agency, and the child with whether
# the reader has emergency access, the missing-person profile, the transition plan and whether
# a plan is active); the pathway also prefetches its category 3 and trafficking responses
# (issue 14, item 6), with their work and owners, in one query; and one more for its adult
# safeguarding referrals (issue 14, item 10), with their work and owners.
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
RECORD = 23


def _queries_for_record(p, child, as_user, django_assert_num_queries) -> None:
    client = as_user(p.alice)
    client.get(child.get_absolute_url())  # warm the session
    with django_assert_num_queries(RECORD):
        client.get(child.get_absolute_url())


def test_record_query_count_stays_flat_as_the_chronology_grows(
    p, child, as_user, django_assert_num_queries
):
    _queries_for_record(p, child, as_user, django_assert_num_queries)
    for _ in range(5):
        testing.make_concern(child, p.alice)
        testing.make_screening(child, p.alice)
        testing.make_referral(child, p.alice)
    _queries_for_record(p, child, as_user, django_assert_num_queries)
