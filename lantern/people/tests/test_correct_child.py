"""Correcting a child's details (issue 15, item 4): an audited action with a reason, for those
who may change the record, shown in the chronology with who made it."""

from datetime import date

from lantern import testing
from lantern.foundation.models import AuditEvent, Child, ChronologyEntry, GrantBasis


def _url(child) -> str:
    return f"/children/{child.pk}/details/"


def _form(child, **changes) -> dict:
    data = {
        "given_names": child.given_names, "family_name": child.family_name,
        "known_as": child.known_as, "aliases": "\n".join(child.aliases),
        "date_of_birth_day": str(child.date_of_birth.day),
        "date_of_birth_month": str(child.date_of_birth.month),
        "date_of_birth_year": str(child.date_of_birth.year),
        "estimated_age": "", "nationality": child.nationality, "address": child.address,
        "postcode": child.postcode, "school": child.school, "nhs_number": child.nhs_number,
        "version": str(child.version), "reason": "Her school checked her passport",
    }
    data.update(changes)
    return data


def _child(p):
    return testing.make_child(p.alice, given_names="Olivia", family_name="Griffiths",
                              date_of_birth=date(2010, 6, 27), school="Riverside Academy")


def test_the_front_door_corrects_the_date_of_birth_and_nationality(p, as_user):
    child = _child(p)
    response = as_user(p.fiona).post(_url(child), _form(
        child, date_of_birth_day="28", nationality="British", postcode="nb1 2ab"))
    assert response.status_code == 302 and response["Location"] == child.get_absolute_url()
    child.refresh_from_db()
    assert child.date_of_birth == date(2010, 6, 28)
    assert child.nationality == "British" and child.postcode == "NB1 2AB"
    assert child.version == 2


def test_a_corrected_name_is_found_by_search(p, as_user):
    child = _child(p)
    as_user(p.fiona).post(_url(child), _form(child, family_name="Griffith"))
    child.refresh_from_db()
    assert "griffith" in child.search_text and "griffiths" not in child.search_text.split()


def test_the_correction_is_audited_with_old_and_new_values_and_the_reason(p, as_user):
    child = _child(p)
    as_user(p.fiona).post(_url(child), _form(child, school="Hillcrest School"))
    event = AuditEvent.objects.get(action="update", child=child)
    assert event.changes == {"school": {"old": "Riverside Academy", "new": "Hillcrest School"}}
    assert event.reason == "Her school checked her passport" and event.actor == p.fiona


def test_the_chronology_shows_what_was_corrected_and_by_whom(p, as_user):
    child = _child(p)
    as_user(p.fiona).post(_url(child), _form(child, date_of_birth_day="28",
                                             nationality="British"))
    entry = ChronologyEntry.objects.get(child=child, title__startswith="Details corrected")
    assert entry.title == "Details corrected: date of birth, nationality"
    assert entry.recorded_by == p.fiona and "Her school checked her passport" in entry.detail
    page = as_user(p.fiona).get(child.get_absolute_url()).text
    assert "Details corrected: date of birth, nationality" in page


def test_a_reason_is_required_and_the_form_is_kept(p, as_user):
    child = _child(p)
    response = as_user(p.fiona).post(_url(child), _form(child, reason="",
                                                        nationality="Irish"))
    body = response.content.decode()
    assert response.status_code == 200 and "Enter why you are correcting the details" in body
    assert 'value="Irish"' in body and "There is a problem" in body
    child.refresh_from_db()
    assert child.nationality == "" and child.version == 1


def test_an_invalid_nhs_number_gets_a_message_and_changes_nothing(p, as_user):
    child = _child(p)
    body = as_user(p.fiona).post(_url(child), _form(child, nhs_number="123")).content.decode()
    assert "Enter a real NHS number" in body
    assert not AuditEvent.objects.filter(action="update", child=child).exists()


def test_changing_nothing_is_said_and_not_recorded(p, as_user):
    child = _child(p)
    body = as_user(p.fiona).post(_url(child), _form(child)).content.decode()
    assert "You have not changed any details" in body
    assert not ChronologyEntry.objects.filter(child=child,
                                              title__startswith="Details corrected").exists()


def test_an_edit_that_began_before_another_is_refused(p, as_user):
    child = _child(p)
    stale = _form(child, nationality="Irish")
    as_user(p.maria).post(_url(child), _form(child, school="Hillcrest School"))
    body = as_user(p.fiona).post(_url(child), stale).content.decode()
    assert "Someone else changed this record" in body
    assert Child.objects.get(pk=child.pk).nationality == ""


def test_the_form_is_filled_in_from_the_record_and_the_opening_audited(p, as_user):
    child = _child(p)
    body = as_user(p.fiona).get(_url(child)).content.decode()
    assert 'value="Griffiths"' in body and 'value="2010"' in body
    assert AuditEvent.objects.filter(action="view", child=child, actor=p.fiona).exists()


def test_the_record_links_to_correct_details_for_those_who_may_change_it(p, as_user):
    child = _child(p)
    assert _url(child) in as_user(p.fiona).get(child.get_absolute_url()).text
    assert _url(child) not in as_user(p.alice).get(child.get_absolute_url()).text


def test_a_teacher_who_sees_the_record_may_not_correct_it(p, as_user):
    child = _child(p)
    assert as_user(p.alice).get(_url(child)).status_code == 403
    response = as_user(p.alice).post(_url(child), _form(child, nationality="Irish"))
    assert response.status_code == 403
    assert Child.objects.get(pk=child.pk).nationality == ""


def test_someone_who_cannot_see_the_child_gets_not_found(p, as_user):
    child = _child(p)
    assert as_user(p.sam).get(_url(child)).status_code == 404
    assert as_user(p.eve).post(_url(child), _form(child, nationality="Irish")).status_code == 404


def test_an_allocated_worker_may_correct_the_details(p, as_user):
    child = _child(p)
    testing.give_access(child, p.sam, by=p.maria, basis=GrantBasis.ALLOCATION, changes=True)
    response = as_user(p.sam).post(_url(child), _form(child, nationality="Irish"))
    assert response.status_code == 302
    assert Child.objects.get(pk=child.pk).nationality == "Irish"


def test_a_nationality_not_known_opens_with_its_radio_chosen_and_reason_shown(p, as_user):
    child = testing.make_child(p.alice, given_names="Olivia", family_name="Griffiths",
                               date_of_birth=date(2010, 6, 27), nationality="",
                               unknown_reasons={"nationality": "declined"})
    body = as_user(p.fiona).get(_url(child)).content.decode()
    assert ('value="not_known" checked data-aria-controls="conditional-id_nationality_status_1"'
            in body)
    assert '<option value="declined" selected>' in body


def test_a_nationality_recorded_must_be_entered(p, as_user):
    child = _child(p)
    body = as_user(p.fiona).post(_url(child), _form(
        child, nationality="", nationality_status="recorded")).content.decode()
    assert "Enter the child&#x27;s nationality" in body
