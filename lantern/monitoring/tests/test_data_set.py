"""The monitoring data set page: who may open it, what it counts, small-number suppression,
its filters and its query count (which must not grow with the data)."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantern import testing
from lantern.monitoring import dataset, snapshots
from lantern.monitoring.models import DataSetSnapshot
from lantern.pathway import actions as pathway_actions
from lantern.pathway.models import Outcome
from lantern.screening.models import Screening

URL = reverse("monitoring:data_set")


def _referred_children(p, n, *, by=None, **details):
    for i in range(n):
        child = testing.make_child(by or p.alice, given_names=f"Child{i}", **details)
        testing.make_concern(child, by or p.alice)
        testing.make_screening(child, by or p.alice)
        testing.make_referral(child, by or p.alice)


@pytest.mark.django_db
def test_a_referrer_may_not_open_the_data_set(p, as_user):
    assert as_user(p.alice).get(URL).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ana", "bea", "ade"])
def test_analysts_board_members_and_administrators_open_it(p, as_user, who):
    response = as_user(getattr(p, who)).get(URL)
    assert response.status_code == 200
    assert "Monitoring data set" in response.text


@pytest.mark.django_db
def test_referrals_are_counted_by_the_agency_that_made_them(p, as_user):
    _referred_children(p, 6)
    response = as_user(p.bea).get(URL)
    referrals = response.context["figures"][0]
    assert referrals.rows == ["Riverside Academy"]
    assert referrals.table.cells[0][0].text == "6"


@pytest.mark.django_db
def test_a_count_from_1_to_4_is_shown_as_fewer_than_5_with_a_second_count_withheld(p, as_user):
    _referred_children(p, 6)
    _referred_children(p, 2, by=p.bob)
    response = as_user(p.bea).get(URL)
    referrals = response.context["figures"][0]
    shown = dict(zip(referrals.rows, [row[0].text for row in referrals.table.cells],
                     strict=True))
    assert shown == {"Hillcrest School": "fewer than 5", "Riverside Academy": "withheld"}
    assert referrals.table.column_totals[0].text == "8"
    assert "fewer than 5" in response.text


@pytest.mark.django_db
def test_front_door_decisions_are_counted_by_outcome(p, as_user):
    _referred_children(p, 5)
    for referral in p.north.referrals.all():
        pathway_actions.decide_referral(referral, Outcome.ASSESSMENT, by=p.fiona,
                                        rationale="Assess.", allocate_to=p.sam)
    decisions = as_user(p.bea).get(URL).context["figures"][1]
    shown = dict(zip(decisions.rows, [row[0].text for row in decisions.table.cells],
                     strict=True))
    assert shown["Assessment"] == "5"
    assert shown["Awaiting a decision"] == "0"


@pytest.mark.django_db
def test_filters_narrow_the_children_counted(p, as_user):
    _referred_children(p, 5, gender="female")
    _referred_children(p, 7, gender="male")
    response = as_user(p.bea).get(URL, {"gender": "male"})
    assert response.context["figures"][0].table.cells[0][0].text == "7"


@pytest.mark.django_db
def test_a_filtered_count_is_withheld_when_the_unfiltered_one_would_give_away_a_small_count(
        p, as_user):
    """7 referrals in all and 5 of them girls would tell a board member that 2 were boys."""
    _referred_children(p, 5, gender="female")
    _referred_children(p, 2, gender="male")
    client = as_user(p.bea)
    unfiltered = client.get(URL).context["figures"][0]
    girls = client.get(URL, {"gender": "female"}).context["figures"][0]
    assert unfiltered.table.cells[0][0].text == "7"
    assert girls.table.cells[0][0].text == "withheld"
    assert girls.table.column_totals[0].text == "withheld"
    assert girls.chart.bars[0].hidden


@pytest.mark.django_db
def test_one_area_s_figures_do_not_give_away_another_area_s_small_count(p, as_user):
    """All areas: 7 referrals; Northbridge alone: 6; so Eastmoor's 1 must not be worked out."""
    _referred_children(p, 6)
    carol_child = testing.make_child(p.carol, given_names="East")
    testing.make_referral(carol_child, p.carol)
    client = as_user(p.bea)
    everywhere = client.get(URL, {"area": ""}).context["figures"][0]
    north = client.get(URL, {"area": p.north.pk}).context["figures"][0]
    assert everywhere.table.column_totals[0].text == "7"
    assert north.rows == ["Riverside Academy"]
    assert north.table.cells[0][0].text == "withheld"
    assert north.table.column_totals[0].text == "withheld"


@pytest.mark.django_db
def test_a_filtered_count_whose_complement_is_5_or_more_is_shown(p, as_user):
    _referred_children(p, 5, gender="female")
    _referred_children(p, 6, gender="male")
    girls = as_user(p.bea).get(URL, {"gender": "female"}).context["figures"][0]
    assert girls.table.cells[0][0].text == "5"


@pytest.mark.django_db
def test_an_impossible_date_gets_a_message_and_the_typed_date_back(p, as_user):
    response = as_user(p.bea).get(
        URL, {"since_day": "31", "since_month": "2", "since_year": "2026"})
    assert response.status_code == 200
    assert "Start of the period must be a real date" in response.text
    assert 'value="31"' in response.text


@pytest.mark.django_db
def test_the_csv_neutralises_text_a_spreadsheet_would_run(p, as_user):
    p.riverside.name = '=HYPERLINK("http://evil.example","Click")'
    p.riverside.save()
    _referred_children(p, 6)
    response = as_user(p.bea).get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Figure", "Row", "Column", "Value"]
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"Click\")" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@pytest.mark.django_db
def test_the_csv_carries_the_suppression_the_page_shows(p, as_user):
    _referred_children(p, 2)
    response = as_user(p.bea).get(URL, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Referrals by the agency that made them", "Riverside Academy", "Referrals",
            "fewer than 5"] in rows


@pytest.mark.django_db
def test_each_chart_is_an_image_with_a_title_and_description(p, as_user):
    _referred_children(p, 6)
    text = as_user(p.bea).get(URL).text
    assert '<svg class="lantern-bar-chart govuk-!-margin-bottom-4" role="img"' in text
    assert '<title id="chart-referrals-title">' in text
    assert "Bar chart. Riverside Academy: 6." in text


@pytest.mark.django_db
@pytest.mark.parametrize("places", [True, False])
def test_counting_the_data_set_takes_as_many_queries_with_more_data(p, places):
    s = snapshots.default_slice(p.north.pk)
    _referred_children(p, 2)
    snapshots.count(s, places=places)  # kept the first time; replaced after
    with CaptureQueriesContext(connection) as few:
        snapshots.count(s, places=places)
    _referred_children(p, 12, by=p.bob)
    with CaptureQueriesContext(connection) as many:
        counted = snapshots.count(s, places=places)
    assert counted.figures[0].table.column_totals[0].text == "14"
    # Referrals (2), screenings (2), meetings (3), work (1), missing (1), intelligence (2, or 4
    # with places), disruption (3), dip-sample grades (1); keeping them (update or create).
    # All of it twice: the area's view, and all areas' that it is suppressed against (ADR 0015).
    print(f"places={places}: {len(few)} queries with 2 children, {len(many)} with 14")
    assert len(many) == len(few)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ana", "bea"])
def test_the_page_reads_the_counted_figures_in_as_many_queries_with_more_data(p, as_user, who):
    client = as_user(getattr(p, who))
    _referred_children(p, 2)
    client.get(URL)  # counted the first time it is asked for
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    _referred_children(p, 12, by=p.bob)
    client.post(URL)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.context["figures"][0].table.column_totals[0].text == "14"
    # Session, user and agency; the counted figures of the slice and of the coarser view it is
    # suppressed against (all areas, ADR 0015), in one read; the audit row.
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_page_shows_the_figures_as_last_counted_until_they_are_counted_again(p, as_user):
    client = as_user(p.bea)
    _referred_children(p, 6)
    assert client.get(URL).context["figures"][0].table.cells[0][0].text == "6"
    _referred_children(p, 6)
    response = client.get(URL)
    assert response.context["figures"][0].table.cells[0][0].text == "6"
    assert "Counted at" in response.text
    assert client.post(URL).status_code == 302
    assert client.get(URL).context["figures"][0].table.cells[0][0].text == "12"


@pytest.mark.django_db
def test_counting_again_keeps_the_filters_asked_for(p, as_user):
    _referred_children(p, 5, gender="male")
    client = as_user(p.bea)
    client.get(URL, {"gender": "male"})
    _referred_children(p, 2, gender="male")
    response = client.post(f"{URL}?gender=male")
    assert response["Location"] == f"{URL}?gender=male"
    assert client.get(URL, {"gender": "male"}).context["figures"][0].table.cells[0][0].text == "7"


@pytest.mark.django_db
def test_a_referrer_may_not_count_the_data_set_again(p, as_user):
    assert as_user(p.alice).post(URL).status_code == 403
    assert not DataSetSnapshot.objects.exists()


@pytest.mark.django_db
def test_what_is_kept_is_the_counts_and_suppression_is_applied_when_shown(p, as_user):
    _referred_children(p, 3)
    response = as_user(p.bea).get(URL)
    kept = DataSetSnapshot.objects.get(area_id=p.north.pk)
    assert kept.figures[0]["rows"] == [["Riverside Academy", [3]]]
    assert response.context["figures"][0].table.cells[0][0].text == "fewer than 5"


@pytest.mark.django_db
def test_the_coarser_views_a_filtered_slice_needs_are_counted_once_and_kept(p, as_user):
    _referred_children(p, 6, gender="female")
    girls_in_the_area = {"area": p.north.pk, "gender": "female"}
    as_user(p.bea).get(URL, girls_in_the_area)
    # The area's girls; the area; all areas' girls; all areas (ADR 0015).
    assert DataSetSnapshot.objects.count() == 4
    counted = set(DataSetSnapshot.objects.values_list("key", "counted_at"))
    as_user(p.bea).get(URL, {"gender": "female"})  # all areas' girls: counted already
    as_user(p.ade).get(URL, girls_in_the_area)
    assert set(DataSetSnapshot.objects.values_list("key", "counted_at")) == counted


@pytest.mark.django_db
@pytest.mark.parametrize("places", [True, False])
def test_every_figure_is_made_again_the_same_from_what_is_kept(p, places):
    _referred_children(p, 6)
    _referred_children(p, 2, by=p.bob)
    s = snapshots.default_slice(p.north.pk)
    made = dataset.build(s, now=timezone.now(), places=places)
    again = [dataset.from_source(json.loads(json.dumps(fig.source))) for fig in made]
    assert [fig.source for fig in again] == [fig.source for fig in made]
    snapshots.count(s, places=places)
    assert snapshots.figures(s, places=places).figures == made  # against the coarser views


@pytest.mark.django_db
def test_movement_compares_the_category_before_the_period_with_its_end(p, as_user):
    for i in range(5):
        child = testing.make_child(p.alice, given_names=f"Moved{i}")
        old = testing.make_screening(child, p.alice, final_category=1, rationale="Less.")
        Screening.objects.filter(pk=old.pk).update(
            screened_at=timezone.now() - timedelta(days=400))
        testing.make_screening(child, p.alice, final_category=2, rationale="More.")
    movement = as_user(p.bea).get(URL).context["figures"][3]
    shown = dict(zip(movement.rows, [row[0].text for row in movement.table.cells],
                     strict=True))
    assert shown["Category of risk went up"] == "5"
    assert shown["Screened for the first time"] == "0"


@pytest.mark.django_db
def test_timeliness_counts_open_work_by_whether_it_is_overdue(p, as_user):
    for i in range(5):
        child = testing.make_child(p.alice, given_names=f"Late{i}")
        testing.make_referral(child, p.alice,
                              received_at=timezone.now() - timedelta(hours=30))
    timeliness = as_user(p.bea).get(URL).context["figures"][5]
    rows = {label: [c.text for c in cells] for label, cells, _ in timeliness.lines}
    assert rows["Front-door decision"] == ["0", "0", "0", "5"]


@pytest.mark.django_db
def test_the_download_of_the_unfiltered_page_counts_the_same_area(p, as_user):
    _referred_children(p, 6)
    carol_child = testing.make_child(p.carol, given_names="East")
    testing.make_referral(carol_child, p.carol)
    response = as_user(p.bea).get(URL, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert not any("Eastmoor High School" in row for row in rows)


EXCEPTIONS = "Managers' exceptions to what the procedures require"


def _meetings_excepted(p, n, **details):
    """n children at category 2 (a MASE required), each excepted by maria."""
    from lantern.pathway.models import MeetingRequirement

    for i in range(n):
        child = testing.make_child(p.alice, given_names=f"Excepted{i}", **details)
        testing.make_screening(child, p.alice, indicators=("wm2.vehicles",))
        pathway_actions.record_meeting_exception(
            MeetingRequirement.objects.get(child=child), by=p.maria,
            reason="Discussed at her sister's MASE this week.")


def _exceptions(response) -> dict[str, str]:
    figure = next(f for f in response.context["figures"] if f.key == "exceptions")
    return dict(zip(figure.rows, [row[0].text for row in figure.table.cells], strict=True))


@pytest.mark.django_db
def test_managers_exceptions_are_rows_of_the_data_set_and_its_csv_suppressed(p, as_user):
    # Issue 14: each exception is counted in monitoring, not only on the figures home page.
    _meetings_excepted(p, 5)
    shown = _exceptions(as_user(p.bea).get(URL))
    assert shown["Required meetings not held"] == "5"
    assert shown["Adult safeguarding not told of a young person aged 18 or over"] == "0"
    _meetings_excepted(p, 1)  # 6, and an adult safeguarding exception: 1 is suppressed
    young_adult = testing.make_child(p.alice, given_names="Kim", learning_disability=True,
                                     date_of_birth=testing.birthday_years_ago(19))
    testing.make_screening(young_adult, p.alice)
    pathway_actions.record_adult_exception(young_adult.adult_referrals.get(), by=p.maria,
                                           reason="Already known to adult safeguarding.")
    as_user(p.bea).post(URL)  # "Count them again now": the page shows what was last counted
    response = as_user(p.bea).get(URL, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [EXCEPTIONS, "Required meetings not held", "Number", "6"] in rows
    assert [EXCEPTIONS, "Adult safeguarding not told of a young person aged 18 or over",
            "Number", "fewer than 5"] in rows


@pytest.mark.django_db
def test_the_exceptions_follow_the_filters(p, as_user):
    _meetings_excepted(p, 5, gender="female")
    _meetings_excepted(p, 6, gender="male")
    assert _exceptions(as_user(p.bea).get(URL, {"gender": "male"}))[
        "Required meetings not held"] == "6"


@pytest.mark.django_db
def test_the_boards_csv_is_never_the_analysts_kept_one(p, as_user, child):
    """The CSV is written once a counting and kept (issue 17): the analyst's lists the places
    and networks intelligence links children to, the board's never does, so one is never the
    other's, whoever downloads first."""
    from lantern.intelligence.tests.helpers import grade, place, report

    grade(report(p.alice, [child], place("The Arcade", postcode="NB1 1AA")), p.priya)
    analyst = as_user(p.ana).get(URL, {"format": "csv"}).content.decode()
    assert "Networks the triggers found" in analyst
    board = as_user(p.bea).get(URL, {"format": "csv"}).content.decode()
    assert "Networks the triggers found" not in board and "Premises" not in board
    assert as_user(p.ana).get(URL, {"format": "csv"}).content.decode() == analyst


@pytest.mark.django_db
def test_the_page_speaks_to_the_board_not_of_the_projects_issue_numbers(p, as_user):
    page = as_user(p.bea).get(URL).text
    assert "issue 14" not in page
    assert "each is also on the child" in page
