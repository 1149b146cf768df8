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
    assert rows["Hillcrest School"] == ["5", "0", "0", "0", "0"]
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
