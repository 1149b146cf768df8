"""Finding a child keeps what the user set out to do, and carries what they searched for into
"add a child" (issue 15, item 3)."""

from lantern import testing
from lantern.foundation.models import Child


def test_with_the_intent_a_found_child_leads_straight_to_the_concern(p, child, as_user):
    body = as_user(p.alice).get("/children/", {"name": "Jade Example", "next": "concern"}
                                ).content.decode()
    assert f'href="/children/{child.pk}/concerns/new/"' in body
    assert f'href="{child.get_absolute_url()}"' in body  # the record is still a link away


def test_without_the_intent_a_found_child_leads_to_their_record(p, child, as_user):
    body = as_user(p.alice).get("/children/", {"name": "Jade Example"}).content.decode()
    assert f'href="/children/{child.pk}/concerns/new/"' not in body


def test_an_intent_that_is_not_known_is_ignored(p, child, as_user):
    body = as_user(p.alice).get(
        "/children/", {"name": "Jade Example", "next": "https://example.com/"}
    ).content.decode()
    assert 'href="https://example.com/' not in body
    assert f'href="/children/{child.pk}/concerns/new/"' not in body


def test_the_home_page_search_shows_results_in_place(p, child, as_user):
    response = as_user(p.alice).get(
        "/children/", {"name": "Jade Example", "next": "concern"},
        headers={"HX-Request": "true", "HX-Target": "search-results"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="search-results"')
    assert f'href="/children/{child.pk}/concerns/new/"' in body


def test_add_a_child_carries_the_search_and_the_intent(p, as_user):
    body = as_user(p.alice).get(
        "/children/", {"name": "Olivia May Griffith", "date_of_birth_day": "27",
                       "date_of_birth_month": "6", "date_of_birth_year": "2010",
                       "next": "concern"}).content.decode()
    assert ('href="/children/add/?name=Olivia+May+Griffith&amp;date_of_birth_day=27&amp;'
            'date_of_birth_month=6&amp;date_of_birth_year=2010&amp;next=concern"') in body


def test_add_a_child_is_prefilled_from_the_search(p, as_user):
    body = as_user(p.alice).get(
        "/children/add/", {"name": "Olivia May Griffith", "date_of_birth_day": "27",
                           "date_of_birth_month": "6", "date_of_birth_year": "2010",
                           "next": "concern"}).content.decode()
    assert 'name="given_names" type="text" value="Olivia May"' in body or \
        'value="Olivia May"' in body
    assert 'value="Griffith"' in body
    assert 'value="27"' in body and 'value="6"' in body and 'value="2010"' in body
    assert "Next you will record your concern" in body


def test_a_date_of_birth_that_is_not_a_date_is_not_carried(p, as_user):
    body = as_user(p.alice).get(
        "/children/add/", {"name": "Olivia", "date_of_birth_day": "31",
                           "date_of_birth_month": "2", "date_of_birth_year": "2010"}
    ).content.decode()
    assert 'value="Olivia"' in body
    assert 'value="31"' not in body


def test_a_child_added_with_the_intent_leads_to_the_concern(p, as_user):
    response = as_user(p.alice).post(
        "/children/add/?next=concern",
        {"given_names": "Mia", "family_name": "Hollis", "date_of_birth_day": "4",
         "date_of_birth_month": "7", "date_of_birth_year": "2012", "gender": "female"})
    child = Child.objects.get(family_name="Hollis")
    assert response["Location"] == f"/children/{child.pk}/concerns/new/"


def test_a_possible_match_with_the_intent_leads_to_the_concern(p, as_user):
    known = testing.make_child(p.alice, given_names="Olivia", family_name="Griffiths",
                               date_of_birth=testing.birthday_years_ago(15))
    dob = known.date_of_birth
    body = as_user(p.alice).post(
        "/children/add/?next=concern",
        {"given_names": "Olivia", "family_name": "Griffith", "date_of_birth_day": dob.day,
         "date_of_birth_month": dob.month, "date_of_birth_year": dob.year,
         "gender": "female"}).content.decode()
    assert f'href="/children/{known.pk}/concerns/new/"' in body
