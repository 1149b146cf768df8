from lantern.foundation.models import AuditEvent, Child, ChronologyEntry

VALID = {
    "given_names": "Mia",
    "family_name": "Hollis",
    "date_of_birth_day": "4",
    "date_of_birth_month": "7",
    "date_of_birth_year": "2012",
    "gender": "female",
    "circumstances": ["looked_after"],
    "nhs_number": "943 476 5919",
}


def test_adding_a_child_creates_the_record_in_the_users_area(p, as_user):
    response = as_user(p.alice).post("/children/add/", VALID)
    child = Child.objects.get(family_name="Hollis")
    assert response.status_code == 302 and response["Location"] == child.get_absolute_url()
    assert child.area == p.north and child.looked_after and child.nhs_number == "9434765919"


def test_adding_a_child_is_audited_and_starts_the_chronology(p, as_user):
    as_user(p.alice).post("/children/add/", VALID)
    child = Child.objects.get(family_name="Hollis")
    event = AuditEvent.objects.get(action="create", child=child)
    assert event.changes["given_names"] == {"old": None, "new": "Mia"}
    assert ChronologyEntry.objects.filter(child=child, kind="record").exists()


def test_missing_names_get_govuk_messages_and_keep_what_was_typed(p, as_user):
    data = dict(VALID, given_names="", family_name="")
    body = as_user(p.alice).post("/children/add/", data).content.decode()
    assert "Enter the child&#x27;s first name" in body
    assert "Enter the child&#x27;s last name" in body
    assert 'value="2012"' in body and "There is a problem" in body
    assert not Child.objects.exists()


def test_date_of_birth_or_estimated_age_is_required(p, as_user):
    data = dict(VALID, date_of_birth_day="", date_of_birth_month="", date_of_birth_year="")
    body = as_user(p.alice).post("/children/add/", data).content.decode()
    assert "Enter the date of birth, or an estimated age if it is not known" in body


def test_an_estimated_age_is_enough(p, as_user):
    data = dict(VALID, date_of_birth_day="", date_of_birth_month="", date_of_birth_year="",
                estimated_age="15")
    as_user(p.alice).post("/children/add/", data)
    child = Child.objects.get(family_name="Hollis")
    assert child.date_of_birth is None and child.age().years == 15


def test_a_partial_date_of_birth_says_what_is_missing(p, as_user):
    data = dict(VALID, date_of_birth_month="")
    body = as_user(p.alice).post("/children/add/", data).content.decode()
    assert "Date of birth must include a month" in body


def test_a_future_date_of_birth_is_refused(p, as_user):
    data = dict(VALID, date_of_birth_year="2099")
    body = as_user(p.alice).post("/children/add/", data).content.decode()
    assert "Date of birth must be today or in the past" in body


def test_an_invalid_nhs_number_is_refused(p, as_user):
    body = as_user(p.alice).post("/children/add/", dict(VALID, nhs_number="1234567890"))
    assert "Enter a real NHS number" in body.content.decode()


def test_a_second_record_for_a_child_the_user_can_see_is_shown_first(p, as_user):
    client = as_user(p.alice)
    client.post("/children/add/", VALID)
    body = client.post("/children/add/", VALID).content.decode()
    assert "Records that may be the same child" in body and "Same name" in body
    assert Child.objects.count() == 1


def test_board_members_cannot_add_children(p, as_user):
    assert as_user(p.bea).post("/children/add/", VALID).status_code == 403


# --- Not known, with a reason (issue 16 item 5) ---------------------------------------------

def test_an_ethnic_group_not_known_needs_the_reason(p, as_user):
    body = as_user(p.alice).post("/children/add/", dict(VALID, ethnicity="not_known")
                                 ).content.decode()
    assert "Select why the child&#x27;s ethnic group is not known" in body
    assert not Child.objects.exists()


def test_each_detail_not_known_is_kept_with_its_reason(p, as_user):
    as_user(p.alice).post("/children/add/", dict(
        VALID, gender="not_known", gender_reason="not_asked", ethnicity="not_known",
        ethnicity_reason="declined", nationality_reason="not_recorded_by_source",
        disability_status="not_known", disability_reason="not_asked"))
    child = Child.objects.get(family_name="Hollis")
    assert child.unknown_reasons == {"gender": "not_asked", "ethnicity": "declined",
                                     "nationality": "not_recorded_by_source",
                                     "disability": "not_asked"}
    assert child.disability_status == "not_known" and not child.disability


def test_a_disability_answered_yes_is_the_screening_fact_too(p, as_user):
    as_user(p.alice).post("/children/add/", dict(VALID, disability_status="yes",
                                                 ethnicity="asian_pakistani"))
    child = Child.objects.get(family_name="Hollis")
    assert child.disability and child.disability_status == "yes"
    assert child.unknown_reasons == {}


def test_the_childs_record_says_why_a_detail_is_not_known(p, as_user):
    client = as_user(p.alice)
    client.post("/children/add/", dict(VALID, ethnicity="not_known", ethnicity_reason="declined"))
    child = Child.objects.get(family_name="Hollis")
    body = client.get(child.get_absolute_url()).content.decode()
    assert "Not known: they chose not to say (or their family did)" in body


# --- Recorded, not known or not yet asked: GOV.UK conditional reveals ------------------------

def test_each_not_known_reason_is_revealed_by_its_not_known_radio(p, as_user):
    body = as_user(p.alice).get("/children/add/").content.decode()
    for status in ("gender", "ethnicity_status", "nationality_status", "disability_status"):
        assert f'data-aria-controls="conditional-id_{status}_' in body
    # Nothing chosen yet: each reason is drawn hidden, for govuk-frontend to reveal.
    assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden"' in body
    assert "Not yet asked" in body


def test_an_ethnic_group_said_to_be_recorded_must_be_chosen(p, as_user):
    body = as_user(p.alice).post("/children/add/", dict(
        VALID, ethnicity_status="recorded", nationality_status="recorded",
        nationality="Irish")).content.decode()
    assert "Select the child&#x27;s ethnic group" in body
    assert 'value="Irish"' in body
    assert not Child.objects.exists()


def test_a_not_known_without_its_reason_keeps_the_radio_and_what_was_typed(p, as_user):
    body = as_user(p.alice).post("/children/add/", dict(
        VALID, nationality_status="not_known", nationality="Irish")).content.decode()
    assert "Select why the child&#x27;s nationality is not known" in body
    assert 'value="not_known" checked data-aria-controls' in body
    assert 'value="Irish"' in body
    assert not Child.objects.exists()


def test_not_known_keeps_the_reason_and_drops_an_answer_typed_before(p, as_user):
    as_user(p.alice).post("/children/add/", dict(
        VALID, ethnicity_status="not_known", ethnicity="white_irish",
        ethnicity_reason="declined", nationality_status="not_asked", nationality="Irish",
        nationality_reason="declined"))
    child = Child.objects.get(family_name="Hollis")
    assert child.ethnicity == "not_known" and child.nationality == ""
    assert child.unknown_reasons == {"ethnicity": "declined"}
