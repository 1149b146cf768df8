"""Age is shown the same way wherever a child is: years and months, and when they turn 18."""

from datetime import date

from lantern import testing


def test_search_results_show_age_and_the_18th_birthday(p, child, as_user):
    body = as_user(p.alice).get("/children/?name=Jade+Example").content.decode()
    assert f"{child.age()}, turns 18 on {child.turns_18_on:%-d %B %Y}" in body


def test_the_referral_page_shows_them(p, child, as_user):
    referral = testing.make_referral(child, p.alice)
    body = as_user(p.fiona).get(referral.get_absolute_url()).content.decode()
    assert f"{child.age()}, turns 18 on {child.turns_18_on:%-d %B %Y}" in body


def test_the_screening_page_shows_them(p, child, as_user):
    body = as_user(p.alice).get(f"/children/{child.pk}/screenings/new/").content.decode()
    assert f"Jade Example, {child.age()}, turns 18 on {child.turns_18_on:%-d %B %Y}" in body


def test_an_adult_turned_18(p, as_user):
    adult = testing.make_child(p.alice, date_of_birth=testing.birthday_years_ago(19),
                               learning_disability=True)
    body = as_user(p.alice).get(f"/children/{adult.pk}/missing/").content.decode()
    assert f"19 years 0 months, turned 18 on {adult.turns_18_on:%-d %B %Y}" in body


def test_an_estimated_age_says_so(p, as_user):
    child = testing.make_child(p.alice, date_of_birth=None, estimated_age=15,
                               estimated_on=date(2026, 1, 1))
    body = as_user(p.alice).get(f"/children/{child.pk}/missing/").content.decode()
    assert f"{child.age()} (estimated), turns 18 on" in body
