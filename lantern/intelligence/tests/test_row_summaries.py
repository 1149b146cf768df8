"""Each row of the intelligence and trigger lists says what, when, how graded and how many
children, showing nothing the reader may not see (issue 15, item 6)."""

import pytest

from lantern import testing
from lantern.intelligence.models import Trigger

from .helpers import grade, person, report


@pytest.fixture
def kayla(p):
    return testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")


def test_the_author_reads_the_start_of_what_they_wrote(p, child, as_user):
    grade(report(p.alice, [child], person("Dean", "Ward")), p.priya)
    body = as_user(p.alice).get("/intelligence/").content.decode()
    assert "Seen with an older man who gives her lifts." in body
    assert "2BP" in body
    assert "Told by her friend" not in body  # how the source knows is never in the list


def test_others_read_the_sanitised_text_only(p, child, as_user):
    grade(report(p.alice, [child], person("Dean", "Ward")), p.priya)
    body = as_user(p.maria).get("/intelligence/").content.decode()
    assert "An adult is giving the child lifts." in body
    assert "older man" not in body and "Told by her friend" not in body


def test_each_report_in_the_list_says_how_many_children_it_concerns(p, child, kayla,
                                                                      as_user):
    report(p.alice, [child, kayla], person("Dean", "Ward"))
    report(p.alice, [child], person("Kyle", "Morgan"))
    body = as_user(p.alice).get("/intelligence/").content.decode()
    counts = [cell.split("</td>")[0] for cell in body.split('<td class="govuk-table__cell">')]
    assert sorted(c for c in counts if c in {"1", "2"}) == ["1", "2"]


def test_a_long_text_is_cut_short_in_the_list(p, child, as_user):
    words = " ".join(f"word{i}" for i in range(60))
    report(p.alice, [child], person("Dean", "Ward"), text=words)
    body = as_user(p.alice).get("/intelligence/").content.decode()
    assert "word24 …" in body and "word25" not in body


def test_a_trigger_row_says_what_links_the_children_and_how_the_intelligence_is_graded(
        p, child, kayla, as_user):
    grade(report(p.alice, [child, kayla], person("Dean", "Ward")), p.priya)
    body = as_user(p.maria).get("/intelligence/triggers/").content.decode()
    assert "Linked by Dean Ward" in body
    assert "2BP" in body
    assert "Raised " in body
    assert '<td class="govuk-table__cell">2</td>' in body  # two children linked


def test_a_report_the_reader_may_not_open_is_counted_not_graded(p, child, kayla, as_user):
    report(p.alice, [child, kayla], person("Dean", "Ward"))  # not graded: police and author
    body = as_user(p.maria).get("/intelligence/triggers/").content.decode()
    assert "1 report you cannot open" in body


def test_a_young_person_linking_children_is_not_named(p, child, kayla, as_user):
    report(p.alice, [child, kayla], person("Tyler", "Young", is_child=True))
    assert Trigger.objects.exists()
    body = as_user(p.maria).get("/intelligence/triggers/").content.decode()
    assert "Tyler" not in body
    assert "A young person (a child&#x27;s details are protected)" in body
