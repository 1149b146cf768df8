"""The rules that keep bad input from becoming a server error (issue 13), one by one; the
fuzz test over every page and form is lantern/site/tests/test_bad_input.py."""

import io

import pytest
from django import forms
from pypdf import PdfReader

from lantern.foundation import pdf
from lantern.foundation.forms import LONG_TEXT, SHORT_TEXT, GovukDateField, LanternForm
from lantern.foundation.http import parse_id
from lantern.foundation.models import Area


class _Form(LanternForm):
    born = GovukDateField(subject="the date of birth", past=True)
    story = forms.CharField(widget=forms.Textarea, required=False)
    name = forms.CharField(required=False)
    count = forms.IntegerField(required=False)
    area = forms.ModelChoiceField(queryset=Area.objects.all(), required=False)


def _form(**data) -> _Form:
    return _Form({"born_day": "1", "born_month": "2", "born_year": "2010", **data})


@pytest.mark.parametrize("year", ["99999999999999999999", "0", "0000", "10000", "٢٠١٠"])
def test_an_absurd_year_is_refused_with_a_message_and_kept(db, year):
    form = _form(born_year=year)
    assert not form.is_valid()
    assert form.errors["born"] == ["Date of birth must be a real date"]
    assert year in form.as_p()  # what was typed comes back to be corrected


def test_a_long_text_is_refused_with_its_limit(db):
    form = _form(story="x" * (LONG_TEXT + 1), name="y" * (SHORT_TEXT + 1))
    assert not form.is_valid()
    assert form.errors["story"] == [f"Story must be {LONG_TEXT:,} characters or fewer"]
    assert form.errors["name"] == [f"Name must be {SHORT_TEXT:,} characters or fewer"]


def test_a_text_at_its_limit_is_accepted(db):
    assert _form(story="x" * LONG_TEXT, name="y" * SHORT_TEXT).is_valid()


def test_a_huge_number_is_refused(db):
    form = _form(count="9" * 40)
    assert not form.is_valid() and form.errors["count"] == ["Enter a smaller number"]


@pytest.mark.parametrize("value", ["99999999999999999999", "٣", "1.5", "-1"])
def test_a_choice_of_record_by_an_odd_id_is_not_a_choice(db, value):
    form = _form(area=value)
    assert not form.is_valid() and "area" in form.errors


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), ("0", 0), ("9" * 18, 10**18 - 1), ("9" * 19, None), ("٣", None), ("²", None),
    ("-1", None), (" 1", None), ("", None), (None, None),
])
def test_ids_are_read_strictly(text, expected):
    assert parse_id(text) == expected


def test_a_pdf_too_long_to_draw_says_so_in_one_page(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_HTML", 10)
    body = pdf.render("meetings/pdf/minutes.html", {}, title="Minutes", marking="OFFICIAL")
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) == 1
    assert "too long to print" in reader.pages[0].extract_text()


def test_the_api_caps_its_page_and_refuses_an_odd_limit(p, child, as_user):
    client = as_user(p.fiona)
    assert client.get("/api/children/?limit=99999999999999999999").status_code == 200
    assert client.get("/api/children/?limit=٣").status_code == 400
    assert client.get("/api/children/99999999999999999999/").status_code == 404


class _Questions(LanternForm):
    happened = forms.CharField(label="What happened?", widget=forms.Textarea)
    views = forms.CharField(label="The child's views (optional)", widget=forms.Textarea,
                            required=False)


def test_a_long_answer_to_a_question_is_refused_in_a_sentence_not_the_question_itself(db):
    form = _Questions({"happened": "x" * (LONG_TEXT + 1), "views": "y" * (LONG_TEXT + 1)})
    assert not form.is_valid()
    assert form.errors["happened"] == [
        f"Your answer to ‘What happened?’ must be {LONG_TEXT:,} characters or fewer"]
    assert form.errors["views"] == [
        f"The child's views must be {LONG_TEXT:,} characters or fewer"]
