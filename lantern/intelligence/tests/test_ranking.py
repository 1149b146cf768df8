"""The disruption ranking kept ahead for each user (issue 17 and 18,
lantern.intelligence.queries.kept_ranking): the weekly tasking list's priority subjects and
the disruption priorities page read the last ranking, `lantern work` ranks again, and what is
shown is still checked against what the user may see."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lantern import testing
from lantern.intelligence import actions, queries
from lantern.intelligence.models import IntelligenceReport, RankingSnapshot, Subject
from lantern.intelligence.tests.helpers import grade, person, report
from lantern.monitoring.models import TaskingDecision

WEEKLY = reverse("monitoring:tasking") + "?list=weekly"
SECTION = reverse("monitoring:tasking_section", args=["weekly", "priority-subjects"])

pytestmark = pytest.mark.django_db


def _dean(p, child):
    return grade(report(p.alice, [child], person("Dean", "Ward")), p.priya)


def test_the_weekly_list_shows_the_ranking_as_last_made_until_it_is_made_again(p, child,
                                                                              as_user):
    _dean(p, child)
    client = as_user(p.maria)
    assert "Dean Ward: priority" in client.get(WEEKLY).text
    kayla = testing.make_child(p.alice, given_names="Kayla")
    grade(report(p.alice, [child, kayla], person("Kyle", "Morgan")), p.priya)
    assert "Kyle Morgan" not in client.get(WEEKLY).text  # kept: not ranked on every list
    assert actions.refresh_rankings() == 0  # not yet older than MONITORING_RECOUNT_SECONDS
    assert actions.refresh_rankings(now=timezone.now() + timedelta(minutes=16)) == 1
    # The list as drawn a moment ago is kept (TASKING_REDRAW_SECONDS) until drawn again.
    assert "Kyle Morgan" not in client.get(WEEKLY).text
    text = client.get(f"{WEEKLY}&redraw=1").text
    assert text.index("Kyle Morgan") < text.index("Dean Ward")
    assert "Kyle Morgan" in client.get(SECTION).text


def test_a_ranking_a_day_old_or_made_for_another_role_is_made_again_when_shown(p, child):
    _dean(p, child)
    first = queries.kept_ranking(p.maria)
    assert [r.subject_id for r in first.rows] == list(Subject.objects.values_list("pk",
                                                                                flat=True))
    RankingSnapshot.objects.update(ranked_at=timezone.now() - timedelta(days=2))
    assert queries.kept_ranking(p.maria).ranked_at > first.ranked_at
    RankingSnapshot.objects.update(role="police")
    again = queries.kept_ranking(p.maria)
    assert RankingSnapshot.objects.get().role == p.maria.role
    assert again.rows


def test_a_subject_the_user_may_no_longer_see_is_left_out_of_a_kept_ranking(p, child,
                                                                           as_user):
    _dean(p, child)
    client = as_user(p.maria)
    assert "Dean Ward" in client.get(WEEKLY).text
    # The report's handling now names police only: CSE team managers no longer see it.
    IntelligenceReport.objects.update(handling="C", condition_roles=",police,")
    assert RankingSnapshot.objects.get(user=p.maria).rows  # still kept
    assert "Dean Ward" not in client.get(WEEKLY).text
    assert "Dean Ward" not in client.get(SECTION).text
    dean = Subject.objects.get()
    assert client.get(reverse("monitoring:tasking_decide",
                              args=["weekly", f"subject-{dean.pk}"])).status_code == 404


def test_the_meeting_records_a_decision_on_a_priority_subject(p, child, as_user):
    _dean(p, child)
    dean = Subject.objects.get()
    client = as_user(p.maria)
    client.get(WEEKLY)
    url = reverse("monitoring:tasking_decide", args=["weekly", f"subject-{dean.pk}"])
    response = client.post(f"{url}?from=priority-subjects",
                           {"decision": "Ask police for a disruption plan."})
    assert response.status_code == 302 and response["Location"] == SECTION
    assert TaskingDecision.objects.get().item_key == f"subject-{dean.pk}"


def test_work_forgets_the_rankings_of_those_no_longer_tasking(p, child):
    _dean(p, child)
    queries.kept_ranking(p.maria)
    queries.kept_ranking(p.priya)
    p.priya.is_active = False
    p.priya.save()
    actions.refresh_rankings(now=timezone.now() + timedelta(minutes=16))
    assert list(RankingSnapshot.objects.values_list("user", flat=True)) == [p.maria.pk]


def test_lantern_work_ranks_again_a_ranking_older_than_the_recount_interval(p, child):
    _dean(p, child)
    queries.kept_ranking(p.maria)
    old = timezone.now() - timedelta(minutes=16)
    RankingSnapshot.objects.update(ranked_at=old)
    out = StringIO()
    call_command("work", "--once", stdout=out)
    assert "1 priority subject ranking(s) made" in out.getvalue()
    assert RankingSnapshot.objects.get().ranked_at > old


# The disruption priorities page (issue 18): the same kept ranking as the weekly list.
SUBJECTS = reverse("intelligence:subjects")


def test_the_priorities_page_shows_the_ranking_as_last_made_until_it_is_made_again(p, child,
                                                                                   as_user):
    _dean(p, child)
    client = as_user(p.priya)
    text = client.get(SUBJECTS).text
    assert "Dean Ward" in text and "Ranked at" in text
    kayla = testing.make_child(p.alice, given_names="Kayla")
    grade(report(p.alice, [child, kayla], person("Kyle", "Morgan")), p.priya)
    assert "Kyle Morgan" not in client.get(SUBJECTS).text  # kept: not ranked on every request
    assert actions.refresh_rankings(now=timezone.now() + timedelta(minutes=16)) == 1
    text = client.get(SUBJECTS).text
    assert text.index("Kyle Morgan") < text.index("Dean Ward")


def test_the_priorities_page_and_the_weekly_list_keep_one_ranking(p, child, as_user,
                                                                  monkeypatch):
    _dean(p, child)
    client = as_user(p.maria)
    assert "Dean Ward" in client.get(SUBJECTS).text
    # Neither ranks again: both read the ranking the first made.
    monkeypatch.setattr(queries, "ranking", lambda *args, **kwargs: 1 / 0)
    assert "Dean Ward: priority" in client.get(WEEKLY).text
    assert "Dean Ward" in client.get(SUBJECTS).text
    assert RankingSnapshot.objects.get().user == p.maria


def test_a_subject_the_user_may_no_longer_see_is_left_off_the_priorities_page_and_its_audit(
        p, child, as_user):
    from lantern.foundation.models import AuditEvent

    _dean(p, child)
    dean = Subject.objects.get()
    client = as_user(p.maria)
    assert "Dean Ward" in client.get(SUBJECTS).text
    opened = AuditEvent.objects.filter(summary="Opened the disruption ranking")
    assert opened.get().changes == {"subjects": [dean.pk]}
    # The report's handling now names police only: CSE team managers no longer see it.
    IntelligenceReport.objects.update(handling="C", condition_roles=",police,")
    assert RankingSnapshot.objects.get(user=p.maria).rows  # still kept
    text = client.get(SUBJECTS).text
    assert "Dean Ward" not in text and "No people are linked" in text
    assert opened.order_by("-pk").first().changes == {"subjects": []}


def test_violence_recorded_since_the_ranking_counts_on_the_priorities_page(p, child, as_user):
    kayla = testing.make_child(p.alice, given_names="Kayla")
    grade(report(p.alice, [child, kayla], person("Dean", "Ward")), p.priya)
    grade(report(p.alice, [child], person("Kyle", "Morgan")), p.priya)
    client = as_user(p.priya)
    text = client.get(SUBJECTS).text
    assert text.index("Dean Ward") < text.index("Kyle Morgan")
    kyle = Subject.objects.get(given_names="Kyle")
    assert client.post(reverse("intelligence:subject_risk", args=[kyle.pk]),
                       {"violence": "yes", "previous_convictions": "0"}).status_code == 302
    text = client.get(SUBJECTS).text
    # Violence (20) outweighs one more child (10), without ranking again.
    assert text.index("Kyle Morgan") < text.index("Dean Ward")
    kept = queries.kept_ranking(p.priya)
    assert [r.subject_id for r in kept.rows][0] != kyle.pk


def test_the_priorities_page_counts_the_young_people_left_out_of_the_kept_ranking(p, child,
                                                                                  as_user):
    report(p.alice, [child], person("Tyler", "Young", is_child=True))
    client = as_user(p.priya)
    client.get(SUBJECTS)
    assert RankingSnapshot.objects.get().young_people == 1
    text = client.get(SUBJECTS).text
    assert "considered through their own record" in text and "Tyler" not in text


def test_analysts_rankings_are_kept_and_teachers_have_none(p, child, as_user):
    _dean(p, child)
    assert "Dean Ward" in as_user(p.ana).get(SUBJECTS).text
    assert as_user(p.alice).get(SUBJECTS).status_code == 403
    actions.refresh_rankings(now=timezone.now() + timedelta(minutes=16))
    assert list(RankingSnapshot.objects.values_list("user", flat=True)) == [p.ana.pk]


def test_still_ranked_finds_the_subjects_a_link_the_user_may_see_leads_to(p, child):
    """`still_ranked`, written in SQL, finds for everyone the adults to whom a link the user
    may see (`visible_links`) leads: their own while not merged into another record, or one
    of a record merged into theirs."""
    from django.db.models import Q

    from lantern.intelligence import access
    from lantern.intelligence.models import Entity
    from lantern.intelligence.tests.test_access import EVERYONE

    eastern = testing.make_child(p.carol, given_names="Eastern")
    testing.give_access(eastern, p.sam)
    grade(report(p.alice, [child], person("Dean", "Ward")), p.priya)
    grade(report(p.alice, [child], person("Kyle", "Morgan")), p.priya, handling="C",
          roles=["cse_manager"])
    report(p.alice, [child], person("Una", "Graded"))
    grade(report(p.carol, [eastern], person("Eddie", "East")), p.priya)
    grade(report(p.carol, [eastern], person("Merged", "Away")), p.priya)
    kept, away = Subject.objects.get(given_names="Dean"), Subject.objects.get(given_names="Merged")
    Entity.objects.filter(pk=away.pk).update(canonical_id=kept.pk)
    subjects = list(Subject.objects.all())
    found_by_anyone = set()
    for name in EVERYONE:
        user = getattr(p, name)
        links = access.visible_links(user)
        expected = {s.pk for s in subjects if links.filter(
            Q(entity_id=s.pk, entity__canonical__isnull=True)
            | Q(entity_id=s.pk, entity__canonical_id=s.pk) | Q(entity__canonical_id=s.pk),
        ).exists()}
        found = set(queries.still_ranked(user, [s.pk for s in subjects]))
        assert found == expected, name
        found_by_anyone |= found
    # The case this is about happened: someone ranks Dean through the record merged into his.
    assert away.pk not in found_by_anyone and kept.pk in found_by_anyone


def test_still_ranked_reads_each_subject_as_the_orm_does(p, child):
    """The subjects `still_ranked` reads as plain rows have the values the ORM reads: names,
    nicknames (JSON), dates and flags."""
    from datetime import date

    grade(report(p.alice, [child], person("Dean", "Ward", nickname="Deano")), p.priya)
    Subject.objects.filter(given_names="Dean").update(
        nicknames=["Deano", "D"], date_of_birth=date(1990, 2, 3), violence=True,
        previous_convictions=4)
    dean = Subject.objects.get(given_names="Dean")
    (found,) = queries.still_ranked(p.maria, [dean.pk]).values()
    fields = ("given_names", "family_name", "nicknames", "is_child", "child_id",
              "date_of_birth", "birth_year", "birth_month", "violence", "previous_convictions")
    assert [getattr(found, f) for f in fields] == [getattr(dean, f) for f in fields]
    assert found.name_text() == "Dean Ward (known as Deano, D)"


def test_the_kept_ranking_is_scored_with_the_areas_own_weights(p, child):
    """The kept ranking is scored again with the user's area's weights (its local settings),
    as ranking it afresh scores it, subject by subject and factor by factor."""
    grade(report(p.alice, [child, testing.make_child(p.alice, given_names="Kayla")],
                 person("Dean", "Ward")), p.priya)
    grade(report(p.alice, [child], person("Kyle", "Morgan")), p.priya)
    area = p.priya.agency.area
    area.local_settings = {**(area.local_settings or {}),
                           "disruption_weights": {"children_linked": 3, "reports": 40}}
    area.save()
    p.priya.refresh_from_db()
    fresh, _ = queries.ranking(p.priya)
    kept = queries.ranked_from_kept(p.priya, queries.kept_ranking(p.priya))
    assert [(r.subject.pk, r.score) for r in kept] == [(r.subject.pk, r.score) for r in fresh]
    weights = {line.code: line.weight for line in kept[0].score.lines}
    assert (weights["children_linked"], weights["reports"]) == (3, 40)


def test_a_subjects_score_is_kept_for_the_same_facts_on_the_same_day(p, child):
    grade(report(p.alice, [child], person("Dean", "Ward")), p.priya)
    kept = queries.kept_ranking(p.priya)
    (first,) = queries.ranked_from_kept(p.priya, kept)
    (again,) = queries.ranked_from_kept(p.priya, kept)
    assert again.score is first.score
    # Recency counts from the day scored: a year on, scored again.
    (later,) = queries.ranked_from_kept(p.priya, kept,
                                        today=timezone.localdate() + timedelta(days=400))
    recency = {line.code: line.value for line in later.score.lines}["recency"]
    assert recency == 0 != {line.code: line.value for line in first.score.lines}["recency"]
