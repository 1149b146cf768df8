"""Completeness of children's records by the agency that added them (issue 17, item 7)."""

import pytest
from django.urls import reverse

from lantern import testing

URL = reverse("monitoring:data_quality")


@pytest.mark.django_db
def test_completeness_counts_each_agencys_records_with_each_detail(p, as_user):
    for i in range(6):
        testing.make_child(p.alice, given_names=f"A{i}", ethnicity="white_british",
                           nhs_number="" if i < 5 else "9434765919")
    for i in range(5):
        testing.make_child(p.bob, given_names=f"B{i}", ethnicity="not_known",
                           date_of_birth=None, estimated_age=14,
                           estimated_on=testing.birthday_years_ago(0))
    figure = as_user(p.ana).get(URL).context["figure"]
    rows = {label: [c.text for c in cells] for label, cells, _ in figure.lines}
    assert rows["Riverside Academy"][:2] == ["6", "6"]
    assert rows["Hillcrest School"][:7] == ["5", "0", "0", "0", "0", "5", "0"]
    # One NHS number at Riverside: fewer than 5, and the column total is hidden with it.
    assert rows["Riverside Academy"][2] == "fewer than 5"


@pytest.mark.django_db
def test_completeness_counts_records_with_a_nationality(p, as_user):
    for i in range(5):
        testing.make_child(p.alice, given_names=f"A{i}", nationality="British")
    testing.make_child(p.alice, given_names="A5")
    figure = as_user(p.bea).get(URL).context["figure"]
    rows = {label: [c.text for c in cells] for label, cells, _ in figure.lines}
    assert rows["Riverside Academy"][0] == "6" and rows["Riverside Academy"][4] == "5"


@pytest.mark.django_db
def test_a_social_worker_may_not_open_completeness(p, as_user):
    assert as_user(p.sam).get(URL).status_code == 403


@pytest.mark.django_db
def test_completeness_counts_gender_disability_and_reasons_for_what_is_not_known(p, as_user):
    for i in range(5):
        testing.make_child(p.alice, given_names=f"A{i}", ethnicity="not_known",
                           disability_status="no",
                           unknown_reasons={"ethnicity": "declined", "nationality": "not_asked"})
    testing.make_child(p.alice, given_names="A5", gender="not_known", ethnicity="not_known")
    figure = as_user(p.bea).get(URL).context["figure"]
    row = dict(zip(figure.columns, [c.text for c in
                                    {label: cells for label, cells, _ in figure.lines}[
                                        "Riverside Academy"]], strict=True))
    assert row["Children"] == "6" and row["Ethnicity recorded"] == "0"
    assert row["Gender recorded"] == "5" and row["Disability recorded"] == "5"
    assert row["Ethnicity not known, reason given"] == "5"
    assert row["Nationality not known, reason given"] == "5"
    assert row["Gender not known, reason given"] == "0"


@pytest.mark.django_db
def test_completeness_counts_what_is_recorded_about_people_in_intelligence(p, as_user, child):
    from lantern.intelligence import actions
    from lantern.intelligence.models import Subject
    from lantern.intelligence.tests.helpers import person, report

    report(p.alice, [child], *(person("Dean", f"Ward{i}") for i in range(3)),
           person("Lee", "Cole"), person("Kyle", "Moss"))
    for subject in Subject.objects.all():
        actions.record_subject_details(
            subject, by=p.priya, sex="male", ethnicity="not_known", nationality="",
            disability_status="", unknown_reasons={"ethnicity": "not_recorded_by_source"})
    figure = as_user(p.bea).get(URL).context["subject_figure"]
    row = dict(zip(figure.columns, [c.text for c in figure.lines[0][1]], strict=True))
    assert row["People"] == "5" and row["Sex recorded"] == "5"
    assert row["Ethnicity recorded"] == "0" and row["Ethnicity not known, reason given"] == "5"
