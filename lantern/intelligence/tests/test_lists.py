"""Every list page's query count stays flat as rows grow (STYLE: tests)."""

import pytest

from lantern import testing
from lantern.intelligence.models import IntelligenceReport

from .helpers import grade, person, report


def _queries(client, url, django_assert_num_queries, expected: int) -> None:
    client.get(url)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def _add(p, n):
    for i in range(n):
        kid = testing.make_child(p.alice, given_names=f"Kid{i}")
        kid2 = testing.make_child(p.alice, given_names=f"Other{i}")
        grade(report(p.alice, [kid, kid2], person(f"Given{i}", f"Family{i}",
                                                  phone=f"07700 900{i:03d}")), p.priya)
        report(p.alice, [kid], person(f"Given{i}", f"Family{i}", phone=f"07700 900{i:03d}"))


# session, user, access subqueries, the rows with their joins and prefetches, audit (chain
# head lock, insert, head update), savepoints: the same however many rows. The triggers list
# also reads, for every row at once, the reports behind them the reader may open (their
# grading) and the entities that link the children (issue 15 item 6): two queries more. (The
# user's agency comes with the user since issue 18: one query fewer on each.)
# (The session is saved only when it changes or is a minute old since issue 18: three fewer.)
# (The intelligence list counts each report's children in its own query since issue 18, and
# the disruption priorities read the ranking kept ahead and its subjects: as many as ranking.)
# (The user's area comes with the user and their agency: one fewer on the subjects.)
@pytest.mark.parametrize("url,name,expected", [("/intelligence/", "maria", 9),
                                               ("/intelligence/triggers/", "maria", 12),
                                               ("/intelligence/resolution/", "priya", 10),
                                               ("/intelligence/subjects/", "priya", 10)])
def test_list_query_counts_stay_flat_as_rows_grow(p, child, as_user, url, name, expected,
                                                  django_assert_num_queries):
    client = as_user(getattr(p, name))
    _add(p, 2)
    _queries(client, url, django_assert_num_queries, expected)
    _add(p, 6)
    assert IntelligenceReport.objects.count() == 16
    _queries(client, url, django_assert_num_queries, expected)


def test_the_intelligence_list_shows_50_a_page_and_audits_the_reports_shown(p, child,
                                                                           as_user):
    from lantern.foundation.models import AuditEvent

    for i in range(51):
        report(p.alice, [child], text=f"Report number {i} about lifts.")
    client = as_user(p.alice)
    first = client.get("/intelligence/").text
    assert "Report number 50 " in first and "Report number 1 " in first
    assert "Report number 0 " not in first and 'rel="next"' in first
    opened = AuditEvent.objects.filter(summary="Opened the intelligence list").order_by("-pk")
    newest = list(IntelligenceReport.objects.order_by("-submitted_at", "-pk")
                  .values_list("pk", flat=True))
    assert opened.first().changes == {"reports": newest[:50]}
    second = client.get("/intelligence/?page=2").text
    assert "Report number 0 " in second and "Report number 1 " not in second
    assert opened.first().changes == {"reports": newest[50:]}
    # A teacher of another area, who shares intelligence too, sees none of them on any page.
    other = as_user(p.carol)
    assert "Report number" not in other.get("/intelligence/").text
    assert "Report number" not in other.get("/intelligence/?page=2").text


def test_the_triggers_list_shows_50_a_page_in_its_state_and_audits_those_shown(p, as_user):
    from lantern.foundation.models import AuditEvent
    from lantern.intelligence.models import Trigger

    for i in range(51):
        trigger = Trigger.objects.create(
            kind="complex_strategy", criterion="shared_perpetrator", key=f"t{i}",
            evidence={"label": f"Network number {i}", "children": [], "entities": [],
                      "reports": []})
        trigger.areas.set([p.north])
    Trigger.objects.create(kind="complex_strategy", criterion="shared_perpetrator",
                           key="east", evidence={"label": "Eastmoor network"}
                           ).areas.set([p.east])
    client = as_user(p.maria)
    first = client.get("/intelligence/triggers/?state=open").text
    assert "Network number 50<" in first and "Network number 1<" in first
    assert "Network number 0<" not in first and "Eastmoor network" not in first
    assert 'href="?state=open&amp;page=2"' in first or 'href="?state=open&page=2"' in first
    opened = AuditEvent.objects.filter(summary="Opened the triggers list").order_by("-pk")
    newest = list(Trigger.objects.filter(areas=p.north).order_by("-updated_at", "-pk")
                  .values_list("pk", flat=True))
    assert opened.first().changes == {"triggers": newest[:50]}
    second = client.get("/intelligence/triggers/?state=open&page=2").text
    assert "Network number 0<" in second and "Network number 1<" not in second
    assert opened.first().changes == {"triggers": newest[50:]}
    assert "Network number" not in client.get("/intelligence/triggers/?state=dismissed").text


def test_a_page_of_the_intelligence_list_past_its_end_leads_back_to_the_first(p, child,
                                                                              as_user):
    """A page past the end (an old bookmark, a report withdrawn since) says this page is empty,
    not that there is no intelligence at all, and leads to the first page (as every paged list
    does)."""
    report(p.alice, [child], text="Report about lifts.")
    text = as_user(p.alice).get("/intelligence/?page=3").text
    assert "There is no intelligence you can read yet" not in text
    assert 'href="?page=1">Go to the first page' in text


def test_a_page_of_the_triggers_list_past_its_end_leads_back_to_the_first(p, as_user):
    from lantern.intelligence.models import Trigger

    Trigger.objects.create(kind="complex_strategy", criterion="shared_perpetrator", key="t",
                           evidence={"label": "Network"}).areas.set([p.north])
    text = as_user(p.maria).get("/intelligence/triggers/?state=open&page=3").text
    assert "None on this page" in text
    assert "Go to the first page" in text and "state=open&amp;page=1" in text
