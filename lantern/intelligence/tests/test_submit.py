"""Sharing intelligence (issue 7): any professional, free text plus mentions."""

from lantern.foundation.models import AuditEvent
from lantern.intelligence.models import (
    Entity,
    IntelligenceReport,
    Link,
    Mention,
    Phone,
    Subject,
    Vehicle,
)

from .helpers import person, phone, report, vehicle


def _post(client, child, **extra):
    data = {"text": "Seen getting into a car with an older man called Mo.",
            "children": [str(child.pk)], "person_1_nickname": "Mo",
            "person_1_phone": "07700 900123", "person_1_role": "suspect",
            "vehicle_1_registration": "ab12 cde", "vehicle_1_colour": "silver",
            "vehicle_1_role": "contact"}
    data.update(extra)
    return client.post("/intelligence/new/", data)


def test_a_teacher_shares_intelligence_about_a_child(p, child, as_user):
    response = _post(as_user(p.alice), child)
    report_ = IntelligenceReport.objects.get()
    assert response.status_code == 302 and response.url == report_.get_absolute_url()
    assert report_.agency == p.riverside and list(report_.children.all()) == [child]
    assert {m.raw_text for m in Mention.objects.all()} == {"'Mo', 07700 900123",
                                                           "ab12 cde silver"}
    assert set(Link.objects.values_list("entity__kind", "role")) == {
        ("subject", "suspect"), ("vehicle", "contact")}
    assert child.chronology.filter(kind="intelligence").exists()
    assert AuditEvent.objects.filter(action="create", object_type="intelligence."
                                     "intelligencereport").exists()


def test_a_persons_phone_becomes_a_phone_they_use(p, child, as_user):
    _post(as_user(p.alice), child)
    subject = Subject.objects.get()
    assert subject.phones == ["+447700900123"]
    assert Phone.objects.get().associations.get().subject_id == subject.pk


def test_empty_text_gets_a_govuk_error(p, child, as_user):
    response = _post(as_user(p.alice), child, text="")
    assert response.status_code == 200
    assert "Enter what you know" in response.content.decode()


def test_a_phone_that_is_not_a_number_gets_an_error(p, child, as_user):
    body = _post(as_user(p.alice), child, person_1_phone="ring him").content.decode()
    assert "Enter a phone number, like 07700 900123" in body
    assert not IntelligenceReport.objects.exists()


def test_a_partial_date_of_birth_is_kept_as_written(p, child, as_user):
    _post(as_user(p.alice), child, person_1_born="3/1994")
    subject = Subject.objects.get()
    assert (subject.birth_year, subject.birth_month, subject.date_of_birth) == (1994, 3, None)


def test_ab12_cde_and_ab12cde_are_one_vehicle(p, child):
    report(p.alice, [child], vehicle("AB12 CDE"))
    report(p.priya, [child], vehicle("ab12cde"))
    assert Vehicle.objects.count() == 1
    assert Link.objects.filter(entity__kind="vehicle").count() == 2


def test_phone_numbers_compare_in_e164(p, child):
    report(p.alice, [child], phone("07700 900123"))
    report(p.priya, [child], phone("+44 7700-900123"))
    assert Phone.objects.get().number == "+447700900123"


def test_people_are_always_new_records_until_a_person_merges_them(p, child):
    report(p.alice, [child], person("Mohammed", "K"))
    report(p.priya, [child], person("Mohammed", "K"))
    assert Subject.objects.count() == 2
    assert Entity.objects.filter(canonical__isnull=False).count() == 0


def test_board_members_cannot_share_intelligence(p, as_user):
    assert as_user(p.bea).get("/intelligence/new/").status_code == 403


def test_the_form_starts_with_the_child_it_was_opened_from(p, child, as_user):
    body = as_user(p.alice).get(f"/intelligence/new/?child={child.pk}").content.decode()
    assert f'value="{child.pk}" checked' in body


def test_a_child_the_user_cannot_see_gives_404(p, child, as_user):
    assert as_user(p.carol).get(f"/intelligence/new/?child={child.pk}").status_code == 404


def test_wording_that_blames_the_child_is_pointed_out(p, child, as_user):
    body = _post(as_user(p.alice), child, text="She is putting herself at risk with Mo.",
                 person_1_phone="not a number").content.decode()
    assert "Check your wording: the child is a victim, never the problem." in body
