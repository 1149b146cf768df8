"""The six-monthly review (seed 004, "Evaluation and review"): started for a chosen period,
its narrative written while a draft and frozen with its figures when issued; the PDF carries
the data set against the previous period, the narrative and the protective marking, and
never a child's name."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from lantern import testing
from lantern.domain.suppression import SECONDARY, SMALL, Cell
from lantern.foundation.models import AuditEvent
from lantern.monitoring import dataset, review
from lantern.monitoring.models import SixMonthlyReview

SENTENCE = "Referrals from schools rose after the autumn training."
NEW = reverse("monitoring:review_new")


def _referred_children(p, n):
    for i in range(n):
        child = testing.make_child(p.alice, given_names=f"Zelda{i}", family_name="Quorn")
        testing.make_referral(child, p.alice)


def _period_fields(start: date, end: date) -> dict[str, str]:
    return {"start_day": str(start.day), "start_month": str(start.month),
            "start_year": str(start.year), "end_day": str(end.day),
            "end_month": str(end.month), "end_year": str(end.year)}


def _draft(p, *, days=182) -> SixMonthlyReview:
    today = timezone.localdate()
    return SixMonthlyReview.objects.create(area=p.north, period_start=today - timedelta(days),
                                           period_end=today, created_by=p.bea)


def _narrate(client, row, **sections):
    return client.post(row.get_absolute_url(), sections, follow=True)


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    start, end = date(2026, 4, 1), date(2026, 9, 30)
    before_start, before_end = review.previous_period(start, end)
    assert before_end == date(2026, 3, 31)
    assert (before_end - before_start) == (end - start)


def test_the_change_is_given_between_shown_counts_and_not_shown_otherwise():
    now = dataset.figure("f", "F", [("A", [6]), ("B", [2])], columns=["N"], row_header="R",
                         column_totals=False)
    before = dataset.figure("f", "F", [("A", [9]), ("B", [7])], columns=["N"],
                            row_header="R", column_totals=False)
    lines = {line["row"]: line for line in review.compare([now], [before])[0]["lines"]}
    assert lines["A"]["change"] == "-3"
    assert lines["B"] == {"row": "B", "column": "N", "now": "fewer than 5", "before": "7",
                          "change": review.NOT_SHOWN}


@given(st.integers(0, 500), st.integers(0, 500),
       st.sampled_from(["", SMALL, SECONDARY]), st.sampled_from(["", SMALL, SECONDARY]))
def test_a_change_is_only_ever_worked_out_from_two_shown_counts(a, b, hide_a, hide_b):
    got = review.change(Cell(a, hide_a), Cell(b, hide_b))
    if hide_a or hide_b:
        assert got == review.NOT_SHOWN
    else:
        assert got == ("no change" if a == b else f"{a - b:+d}")


@pytest.mark.django_db
def test_a_referrer_may_not_open_the_reviews(p, as_user):
    assert as_user(p.alice).get(reverse("monitoring:reviews")).status_code == 403


@pytest.mark.django_db
def test_an_impossible_date_gets_a_message_and_the_typed_date_back(p, as_user):
    fields = _period_fields(date(2026, 1, 1), date(2026, 6, 30))
    fields["start_day"] = "31"
    fields["start_month"] = "2"
    response = as_user(p.bea).post(NEW, fields)
    assert response.status_code == 200
    assert "Start of the period must be a real date" in response.text
    assert 'value="31"' in response.text
    assert not SixMonthlyReview.objects.exists()


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_is_refused(p, as_user):
    response = as_user(p.bea).post(NEW, _period_fields(date(2026, 6, 30), date(2026, 1, 1)))
    assert "The end of the period must be the same as or after the start" in response.text
    assert not SixMonthlyReview.objects.exists()


@pytest.mark.django_db
def test_a_board_member_starts_a_draft_review_for_the_period(p, as_user):
    response = as_user(p.bea).post(NEW, _period_fields(date(2026, 4, 1), date(2026, 9, 30)))
    row = SixMonthlyReview.objects.get()
    assert response.status_code == 302 and response["Location"] == row.get_absolute_url()
    assert (row.area, row.period_start, row.status) == (p.north, date(2026, 4, 1), "draft")


@pytest.mark.django_db
def test_the_narrative_is_saved_and_audited_while_a_draft(p, as_user):
    row = _draft(p)
    _narrate(as_user(p.bea), row, summary=SENTENCE)
    row.refresh_from_db()
    assert row.sections["summary"] == SENTENCE
    event = AuditEvent.objects.filter(summary="Changed the six-monthly review's narrative").get()
    assert event.changes["summary"] == {"old": "", "new": SENTENCE}


@pytest.mark.django_db
def test_issuing_freezes_the_figures(p, as_user):
    _referred_children(p, 6)
    row = _draft(p)
    as_user(p.bea).post(reverse("monitoring:review_issue", args=[row.pk]))
    row.refresh_from_db()
    assert row.is_issued and row.issued_by == p.bea
    referrals = row.snapshot["figures"][0]
    assert referrals["lines"][0] == {"row": "Riverside Academy", "column": "Referrals",
                                     "now": "6", "before": "0", "change": "+6"}


@pytest.mark.django_db
def test_an_issued_review_refuses_edits_with_a_message(p, as_user):
    client = as_user(p.bea)
    row = _draft(p)
    _narrate(client, row, summary=SENTENCE)
    client.post(reverse("monitoring:review_issue", args=[row.pk]))
    response = _narrate(client, row, summary="Changed afterwards.")
    row.refresh_from_db()
    assert row.sections["summary"] == SENTENCE
    assert "This review has been issued, so it can no longer be changed" in response.text


@pytest.mark.django_db
def test_another_areas_review_is_not_found(p, as_user):
    row = SixMonthlyReview.objects.create(area=p.east, period_start=date(2026, 1, 1),
                                          period_end=date(2026, 6, 30), created_by=p.bea)
    assert as_user(p.bea).get(row.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_pdf_has_the_title_figures_narrative_and_marking_and_no_name(p, as_user):
    _referred_children(p, 6)
    client = as_user(p.bea)
    row = _draft(p)
    _narrate(client, row, summary=SENTENCE)
    response = client.get(reverse("monitoring:review_pdf", args=[row.pk]))
    text = _pdf_text(response)
    assert f"Six-monthly review: {row.period_start:%-d %B %Y}" in text
    assert "Referrals by the agency that made them" in text
    assert "Riverside Academy 6 0 +6" in text
    assert SENTENCE in text
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) > 1
    assert all(page.extract_text().count("OFFICIAL") >= 2 for page in pages)  # top and foot
    assert "Quorn" not in text and "Zelda" not in text


@pytest.mark.django_db
def test_an_issued_reviews_pdf_shows_the_frozen_figures(p, as_user):
    _referred_children(p, 6)
    client = as_user(p.bea)
    row = _draft(p)
    client.post(reverse("monitoring:review_issue", args=[row.pk]))
    _referred_children(p, 3)
    text = _pdf_text(client.get(reverse("monitoring:review_pdf", args=[row.pk])))
    assert "Riverside Academy 6 0 +6" in text


@pytest.mark.django_db
def test_the_pdf_is_tagged(p, as_user):
    row = _draft(p)
    response = as_user(p.bea).get(reverse("monitoring:review_pdf", args=[row.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]


@pytest.mark.django_db
def test_a_period_longer_than_a_year_is_refused(p, as_user):
    response = as_user(p.bea).post(NEW, _period_fields(date(2024, 1, 1), date(2025, 6, 30)))
    assert "The period must be a year or shorter" in response.text
    assert not SixMonthlyReview.objects.exists()


@pytest.mark.django_db
def test_the_review_pages_query_count_does_not_grow_with_the_data(p, as_user):
    client = as_user(p.bea)
    row = _draft(p)
    _referred_children(p, 2)
    client.get(row.get_absolute_url())  # warm: the first page of a session renews it
    cache.clear()  # a draft's figures are kept a while: count them each time here
    with CaptureQueriesContext(connection) as few:
        client.get(row.get_absolute_url())
    _referred_children(p, 12)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(row.get_absolute_url())
    assert response.context["figures"]["figures"][0]["lines"][0]["now"] == "14"
    print(f"review page: {len(many)} queries")
    assert len(many) == len(few)


def _opened_then_six_more_referred(p, client) -> SixMonthlyReview:
    """A draft opened (so its figures are kept) with six children referred, then six more."""
    row = _draft(p)
    _referred_children(p, 6)
    client.get(row.get_absolute_url())
    _referred_children(p, 6)
    return row


@pytest.mark.django_db
def test_a_drafts_figures_are_kept_between_openings(p, as_user):
    client = as_user(p.bea)
    row = _opened_then_six_more_referred(p, client)
    response = client.get(row.get_absolute_url())
    assert response.context["figures"]["figures"][0]["lines"][0]["now"] == "6"
    assert "counted again when the review is issued" in response.text


@pytest.mark.django_db
def test_issuing_counts_a_kept_draft_again(p, as_user):
    client = as_user(p.bea)
    row = _opened_then_six_more_referred(p, client)
    client.post(reverse("monitoring:review_issue", args=[row.pk]))
    row.refresh_from_db()
    assert row.snapshot["figures"][0]["lines"][0]["now"] == "12"


@pytest.mark.django_db
def test_a_drafts_pdf_says_when_its_kept_figures_were_counted(p, as_user):
    """A draft's figures are kept a while after they are counted: its PDF says when they were
    counted, as the page does, not when the PDF was made."""
    client = as_user(p.bea)
    row = _draft(p)
    counted = timezone.localtime().replace(second=0, microsecond=0)
    with time_machine.travel(counted, tick=False):
        client.get(row.get_absolute_url())  # counted and kept
    with time_machine.travel(counted + timedelta(minutes=10), tick=False):
        text = _pdf_text(client.get(reverse("monitoring:review_pdf", args=[row.pk])))
    assert f"figures counted {counted:%-d %B %Y, %H:%M}" in text


@pytest.mark.django_db
def test_the_list_shows_the_areas_reviews_with_their_status_in_as_many_queries(p, as_user):
    client = as_user(p.bea)
    url = reverse("monitoring:reviews")
    _draft(p)
    client.get(url)  # warm: the area's name for the heading is kept
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    issued = SixMonthlyReview.objects.create(
        area=p.north, period_start=date(2025, 1, 1), period_end=date(2025, 6, 30),
        created_by=p.bea, status=SixMonthlyReview.Status.ISSUED, issued_by=p.bea,
        issued_at=timezone.now(), snapshot={"figures": []}, sections={"summary": SENTENCE})
    SixMonthlyReview.objects.create(area=p.east, period_start=date(2024, 1, 1),
                                    period_end=date(2024, 6, 30), created_by=p.bea)
    with CaptureQueriesContext(connection) as two:
        response = client.get(url)
    assert len(two) == len(one)
    assert f"Six-monthly reviews: {p.north.name}" in response.text
    assert response.text.count("Draft</strong>") == 1
    assert f"Issued</strong> {timezone.localdate():%-d %B %Y}" in response.text
    assert "1 January 2025 to 30 June 2025" in response.text
    assert "1 January 2024" not in response.text  # another area's review
    assert issued.get_absolute_url() in response.text


@pytest.mark.django_db
def test_the_previous_period_is_written_as_dates_people_read(p, as_user):
    row = SixMonthlyReview.objects.create(area=p.north, period_start=date(2026, 6, 1),
                                          period_end=date(2026, 11, 30), created_by=p.bea)
    client = as_user(p.bea)
    page = client.get(row.get_absolute_url()).text
    assert "30 November 2025 to 31 May 2026" in page and "2025-11-30" not in page
    text = _pdf_text(client.get(reverse("monitoring:review_pdf", args=[row.pk])))
    assert "30 November 2025 to 31 May 2026" in text and "2025-11-30" not in text


@pytest.mark.django_db
def test_issuing_keeps_the_narrative_typed_but_not_yet_saved(p, as_user):
    row = _draft(p)
    client = as_user(p.bea)
    page = client.get(row.get_absolute_url()).text
    # One form: the issue button sends the narrative boxes with it.
    issue = reverse("monitoring:review_issue", args=[row.pk])
    assert f'formaction="{issue}"' in page
    client.post(reverse("monitoring:review_issue", args=[row.pk]), {"summary": SENTENCE})
    row.refresh_from_db()
    assert row.is_issued and row.sections["summary"] == SENTENCE


@pytest.mark.django_db
def test_issuing_with_a_narrative_too_long_issues_nothing_and_keeps_the_text(p, as_user):
    row = _draft(p)
    response = as_user(p.bea).post(reverse("monitoring:review_issue", args=[row.pk]),
                                   {"summary": "x" * 20001, "themes": SENTENCE})
    row.refresh_from_db()
    assert not row.is_issued
    assert response.status_code == 200
    assert "Summary must be 20,000 characters or fewer" in response.text
    assert SENTENCE in response.text


@pytest.mark.django_db
def test_a_figure_of_one_measure_has_no_measure_column_repeating_it(p, as_user):
    """"Measure | Measure" headed the figures whose rows are measures, each row then saying
    "Number": a column is only there when a figure counts more than one thing."""
    row = _draft(p)
    client = as_user(p.bea)
    page = " ".join(client.get(row.get_absolute_url()).text.split())
    assert ('<th scope="col" class="govuk-table__header">Measure</th> <th scope="col" '
            'class="govuk-table__header">Measure</th>') not in page
    assert '<td class="govuk-table__cell">Number</td>' not in page
    text = _pdf_text(client.get(reverse("monitoring:review_pdf", args=[row.pk])))
    assert "Measure Measure" not in text
