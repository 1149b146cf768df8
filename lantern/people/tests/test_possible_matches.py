"""Possible matches before adding a child (issue 15, item 2): similar names with the same date of
birth, NHS number or postcode are shown with why; one the user may not open is never described."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from lantern import testing
from lantern.foundation.models import AuditEvent, Child, Role, WorkItem
from lantern.people import duplicates

OLIVIA = {
    "given_names": "Olivia", "family_name": "Griffith", "date_of_birth_day": "27",
    "date_of_birth_month": "6", "date_of_birth_year": "2010", "gender": "female",
}


def _existing(by, given="Olivia", family="Griffiths", born=date(2010, 6, 27), **details):
    return testing.make_child(by, given_names=given, family_name=family, date_of_birth=born,
                              **details)


def test_a_similar_name_with_the_same_date_of_birth_warns(p, as_user):
    olivia = _existing(p.alice)
    body = as_user(p.alice).post("/children/add/", OLIVIA).content.decode()
    assert "Records that may be the same child" in body
    assert olivia.get_absolute_url() in body
    assert "Similar name, Same date of birth" in body
    assert Child.objects.count() == 1


def test_leah_brenan_is_warned_of_leah_brennan(p, as_user):
    _existing(p.alice, "Leah", "Brennan", date(2011, 2, 3))
    data = dict(OLIVIA, given_names="Leah", family_name="Brenan", date_of_birth_day="3",
                date_of_birth_month="2", date_of_birth_year="2011")
    body = as_user(p.alice).post("/children/add/", data).content.decode()
    assert "Leah Brennan" in body and "Similar name, Same date of birth" in body
    assert Child.objects.count() == 1


def test_an_unrelated_child_is_added_without_a_warning(p, as_user):
    _existing(p.alice)
    data = dict(OLIVIA, given_names="Mia", family_name="Hollis", date_of_birth_day="4",
                date_of_birth_month="7", date_of_birth_year="2012")
    response = as_user(p.alice).post("/children/add/", data)
    assert response.status_code == 302
    assert Child.objects.filter(family_name="Hollis").exists()


def test_a_similar_name_born_on_another_day_is_not_a_match(p, as_user):
    _existing(p.alice, born=date(2009, 1, 15))
    assert as_user(p.alice).post("/children/add/", OLIVIA).status_code == 302
    assert Child.objects.count() == 2


def test_the_same_nhs_number_warns_whatever_the_name(p, as_user):
    _existing(p.alice, "Jade", "Example", date(2012, 1, 1), nhs_number="9434765919")
    data = dict(OLIVIA, nhs_number="943 476 5919")
    body = as_user(p.alice).post("/children/add/", data).content.decode()
    assert "Same NHS number" in body and "Jade Example" in body


def test_a_similar_name_at_the_same_postcode_warns(p, as_user):
    _existing(p.alice, born=None, estimated_age=14, postcode="NB1 2AB")
    body = as_user(p.alice).post("/children/add/", dict(OLIVIA, postcode="nb1 2ab")).text
    assert "Similar name, Same postcode" in body


def test_a_similar_name_at_the_same_address_warns(p, as_user):
    _existing(p.alice, born=None, estimated_age=14, address="12 Mill Lane,\nNorthbridge")
    data = dict(OLIVIA, address="12 Mill Lane\nNorthbridge")
    body = as_user(p.alice).post("/children/add/", data).text
    assert "Similar name, Same address" in body


def test_a_match_the_user_may_not_open_reveals_nothing(p, as_user):
    hidden = _existing(p.bob)  # Hillcrest's record: alice (Riverside) may not open it
    body = as_user(p.alice).post("/children/add/", OLIVIA).content.decode()
    assert "This child may already be known to the partnership" in body
    assert "Griffiths" not in body and hidden.get_absolute_url() not in body
    assert "Records that may be the same child" not in body
    assert "Send to the front door" in body
    assert Child.objects.count() == 1


def test_sending_to_the_front_door_opens_work_for_it_and_adds_no_record(p, as_user):
    hidden = _existing(p.bob)
    response = as_user(p.alice).post("/children/add/", dict(OLIVIA, send_to_front_door="yes"))
    assert response.status_code == 302 and response["Location"] == "/"
    item = WorkItem.objects.get(kind="possible_match")
    assert item.child == hidden and item.owner_role == Role.FRONT_DOOR
    assert item.area == p.north and "Olivia Griffith" in item.title
    assert Child.objects.count() == 1
    assert AuditEvent.objects.filter(action="refer", actor=p.alice).exists()


def test_the_user_can_confirm_it_is_a_different_child(p, as_user):
    olivia = _existing(p.alice)
    response = as_user(p.alice).post("/children/add/", dict(OLIVIA, different_child="yes"))
    added = Child.objects.get(family_name="Griffith")
    assert response.status_code == 302 and response["Location"] == added.get_absolute_url()
    event = AuditEvent.objects.get(action="decide", child=added)
    assert event.changes["possible_matches"] == [olivia.pk]


def test_a_child_of_another_area_is_not_a_match(p, as_user):
    _existing(p.carol)  # Eastmoor
    assert as_user(p.alice).post("/children/add/", OLIVIA).status_code == 302


def test_sending_to_the_front_door_with_no_hidden_match_adds_nothing(p, as_user):
    data = dict(OLIVIA, send_to_front_door="yes")
    response = as_user(p.alice).post("/children/add/", data)
    assert response.status_code == 200
    assert not Child.objects.exists() and not WorkItem.objects.exists()


NAME = st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=20)


@given(given_names=NAME, family_name=NAME)
def test_a_name_alone_is_never_a_match(given_names, family_name):
    child = Child(given_names=given_names, family_name=family_name,
                  date_of_birth=date(2010, 6, 27), postcode="NB1 2AB", school="Riverside")
    details = {"given_names": given_names, "family_name": family_name,
               "date_of_birth": date(2011, 1, 1), "postcode": "EM9 9ZZ", "school": "Hillcrest",
               "nhs_number": ""}
    assert duplicates.reasons(child, details) == []


@given(given_names=NAME, family_name=NAME)
def test_the_same_nhs_number_is_always_a_match(given_names, family_name):
    child = Child(given_names="Jade", family_name="Example", nhs_number="9434765919")
    details = {"given_names": given_names, "family_name": family_name,
               "nhs_number": "9434765919"}
    assert "Same NHS number" in duplicates.reasons(child, details)
