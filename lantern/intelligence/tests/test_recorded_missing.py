"""What national reviews found missing (issue 16 item 5): who a subject is (sex, ethnic
group, nationality, disability, each with a reason when not known), whether a network is
group-based exploitation (who, when, why, audited), and a vehicle's taxi or private-hire
licence."""

import pytest

from lantern.foundation.models import AuditEvent
from lantern.intelligence import actions
from lantern.intelligence.models import Subject, Trigger, Vehicle

from .helpers import grade, person, report, vehicle

DETAILS = {"sex": "male", "ethnicity": "not_known", "ethnicity_reason": "not_recorded_by_source",
           "nationality": "", "nationality_reason": "unknown_to_source",
           "disability_status": "no"}


@pytest.fixture
def dean(p, child):
    grade(report(p.alice, [child], person("Dean", "Ward")), p.priya)
    return Subject.objects.get()


def test_police_record_who_a_person_is_with_reasons_for_what_is_not_known(p, dean, as_user):
    client = as_user(p.priya)
    assert "Who this person is" in client.get(
        f"/intelligence/chart/?focus=e{dean.pk}").content.decode()
    response = client.post(f"/intelligence/subjects/{dean.pk}/details/", DETAILS)
    assert response.status_code == 302
    dean.refresh_from_db()
    assert (dean.sex, dean.ethnicity, dean.nationality, dean.disability_status) == (
        "male", "not_known", "", "no")
    assert dean.unknown_reasons == {"ethnicity": "not_recorded_by_source",
                                    "nationality": "unknown_to_source"}
    event = AuditEvent.objects.get(summary="Recorded who the person is")
    assert event.changes["ethnicity"] == {"old": "", "new": "not_known"}


def test_not_known_without_a_reason_is_refused_and_what_was_typed_is_kept(p, dean, as_user):
    body = as_user(p.priya).post(f"/intelligence/subjects/{dean.pk}/details/",
                                 dict(DETAILS, ethnicity_reason="", nationality="Albanian")
                                 ).content.decode()
    assert "There is a problem" in body
    assert "Select why the person&#x27;s ethnic group is not known" in body
    assert 'value="Albanian"' in body
    dean.refresh_from_db()
    assert dean.ethnicity == "" and dean.unknown_reasons == {}


def test_a_recorded_answer_drops_a_reason_given_with_it(p, dean, as_user):
    as_user(p.priya).post(f"/intelligence/subjects/{dean.pk}/details/",
                          dict(DETAILS, ethnicity="white_other", nationality="Albanian"))
    dean.refresh_from_db()
    assert dean.ethnicity == "white_other" and dean.unknown_reasons == {}


def test_only_police_record_who_a_person_is(p, dean, as_user):
    assert "Who this person is" not in as_user(p.maria).get(
        f"/intelligence/chart/?focus=e{dean.pk}").content.decode()
    assert as_user(p.maria).post(f"/intelligence/subjects/{dean.pk}/details/",
                                 DETAILS).status_code == 404


# --- Group-based exploitation on a network --------------------------------------------------

@pytest.fixture
def network(p, child):
    from lantern import testing

    kayla = testing.make_child(p.alice, given_names="Kayla", family_name="Morrow")
    report(p.alice, [child, kayla], person("Dean", "Ward"), person("Lee", "Cole"))
    return Trigger.objects.filter(kind="complex_strategy").first()


def test_a_manager_records_a_network_as_group_based_with_who_when_and_why(p, network,
                                                                           as_user):
    client = as_user(p.maria)
    body = client.post(network.get_absolute_url(), {"decision": "group", "group_based": "yes",
                                                    "reason": ""}).content.decode()
    assert "Enter why you are recording this" in body
    network.refresh_from_db()
    assert not network.group_based and network.group_based_at is None
    client.post(network.get_absolute_url(), {"decision": "group", "group_based": "yes",
                                             "reason": "Two men passing girls between them."})
    network.refresh_from_db()
    assert network.group_based and network.group_based_by == p.maria
    assert network.group_based_at is not None
    event = AuditEvent.objects.get(summary="Recorded the network as group-based exploitation")
    assert event.reason == "Two men passing girls between them."
    page = client.get(network.get_absolute_url()).content.decode()
    assert "Recorded by" in page and "Two men passing girls between them." in page


def test_a_dismissed_networks_group_based_flag_may_still_be_recorded(p, network):
    actions.dismiss_trigger(network, by=p.maria, reason="Already in one plan")
    actions.record_group_based(network, by=p.maria, group_based=False, reason="Siblings")
    network.refresh_from_db()
    assert network.group_based is False and network.group_based_reason == "Siblings"


def test_police_see_the_flag_but_only_cse_managers_record_it(p, network, as_user):
    assert as_user(p.priya).post(network.get_absolute_url(), {
        "decision": "group", "group_based": "yes", "reason": "x"}).status_code == 403
    network.refresh_from_db()
    assert network.group_based_at is None


def test_recording_the_flag_needs_a_reason(p, network):
    with pytest.raises(ValueError):
        actions.record_group_based(network, by=p.maria, group_based=True, reason=" ")
    network.refresh_from_db()
    assert network.group_based_at is None


# --- Taxi and private-hire licences ---------------------------------------------------------

def _submit(client, **vehicle_fields):
    data = {"text": "Picked up from school in a taxi.", "vehicle_1_registration": "AB12 CDE"}
    data.update({f"vehicle_1_{k}": v for k, v in vehicle_fields.items()})
    return client.post("/intelligence/new/", data)


def test_a_vehicle_is_recorded_with_its_private_hire_licence_and_authority(p, as_user):
    response = _submit(as_user(p.alice), licence="private_hire", licence_number="PH 4521",
                       licensing_authority="Northbridge City Council")
    assert response.status_code == 302
    car = Vehicle.objects.get()
    assert (car.licence, car.licence_number, car.licensing_authority) == (
        "private_hire", "PH 4521", "Northbridge City Council")
    assert "private hire vehicle, licence PH 4521, Northbridge City Council" in (
        car.mentions.get().raw_text)


def test_a_licence_number_without_saying_taxi_or_private_hire_is_refused(p, as_user):
    body = _submit(as_user(p.alice), licence_number="PH 4521").content.decode()
    assert "Select whether it is a taxi or private hire vehicle" in body
    assert not Vehicle.objects.exists()


def test_a_later_report_fills_a_known_vehicles_licence_without_overwriting_it(p, child):
    report(p.alice, [child], vehicle("AB12 CDE"))
    licensed = vehicle("ab12cde")
    licensed.licence, licensed.licence_number = "taxi", "HC 77"
    report(p.alice, [child], licensed)
    car = Vehicle.objects.get()
    assert (car.licence, car.licence_number) == ("taxi", "HC 77")
    assert AuditEvent.objects.filter(summary="Recorded the vehicle's licence").count() == 1
    other = vehicle("AB12CDE")
    other.licence, other.licence_number = "private_hire", "PH 1"
    report(p.alice, [child], other)
    car.refresh_from_db()
    assert (car.licence, car.licence_number) == ("taxi", "HC 77")


def test_the_details_form_reveals_each_reason_from_its_not_known_radio(p, dean, as_user):
    actions.record_subject_details(dean, by=p.priya, sex="male", ethnicity="not_known",
                                   nationality="", disability_status="",
                                   unknown_reasons={"ethnicity": "declined"})
    body = as_user(p.priya).get(f"/intelligence/chart/?focus=e{dean.pk}").content.decode()
    # The record's "not known" is the status radio, chosen, with its reason revealed.
    assert ('value="not_known" checked data-aria-controls="conditional-id_ethnicity_status_1"'
            in body)
    assert 'id="conditional-id_ethnicity_status_1">' in body
    assert 'data-aria-controls="conditional-id_sex_' in body


def test_an_ethnic_group_said_to_be_recorded_must_be_chosen(p, dean, as_user):
    body = as_user(p.priya).post(f"/intelligence/subjects/{dean.pk}/details/", dict(
        DETAILS, ethnicity="", ethnicity_status="recorded", nationality="Albanian",
        nationality_status="recorded")).content.decode()
    assert "Select the person&#x27;s ethnic group" in body
    assert 'value="Albanian"' in body
    dean.refresh_from_db()
    assert dean.ethnicity == ""
