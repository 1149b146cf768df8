from lantern import testing
from lantern.screening.models import Screening
from lantern.sharing.models import AuditEvent


def _data(**changes):
    data = {"indicators": ["wm2.vehicles"], "analysis": "Adults are grooming her.",
            "final_category": "2", "evidence_wm2.vehicles": "Seen by staff on 3 March."}
    data.update(changes)
    return data


def test_the_page_groups_indicators_as_the_tool_does(p, child, as_user):
    body = as_user(p.alice).get(f"/children/{child.pk}/screenings/new/").content.decode()
    assert "Category 1 indicators" in body and "Category 3 indicators" in body
    assert 'value="wm3.trafficked"' in body


def test_a_screening_keeps_the_suggestion_the_decision_and_the_framework_version(
    p, child, as_user
):
    response = as_user(p.alice).post(f"/children/{child.pk}/screenings/new/", _data())
    screening = Screening.objects.get()
    assert response["Location"] == f"/screenings/{screening.pk}/"
    assert (screening.framework, screening.framework_version) == ("wm", "2015.1")
    assert screening.suggested_min == screening.suggested_max == 2
    assert screening.final_category == 2
    assert screening.evidence == {"wm2.vehicles": "Seen by staff on 3 March."}
    assert screening.by_social_worker is False


def test_the_live_suggestion_explains_itself(p, child, as_user):
    body = as_user(p.alice).post(
        f"/children/{child.pk}/screenings/suggest/", {"indicators": ["wm3.rape"]}
    ).content.decode()
    assert "Category 3" in body
    assert "highest category of any indicator present" in body
    assert "Refer the child to children's social care" in body


def test_a_category_below_the_floor_is_refused_with_the_rule(p, as_user):
    young = testing.make_child(p.alice, date_of_birth=testing.birthday_years_ago(12))
    testing.make_concern(young, p.alice)
    body = as_user(p.alice).post(
        f"/children/{young.pk}/screenings/new/",
        _data(indicators=["wm1.poor_self_image"], final_category="1", rationale="Low"),
    ).content.decode()
    assert "Category 1 is below the lowest category allowed for this child" in body
    assert "under 13" in body
    assert not Screening.objects.exists()


def test_differing_from_the_suggestion_needs_a_rationale(p, child, as_user):
    body = as_user(p.alice).post(
        f"/children/{child.pk}/screenings/new/", _data(final_category="3")
    ).content.decode()
    assert "Enter why you chose category 3 when the tool suggested category 2" in body


def test_differing_with_a_rationale_is_accepted(p, child, as_user):
    as_user(p.alice).post(
        f"/children/{child.pk}/screenings/new/",
        _data(final_category="3", rationale="Police intelligence not in the tool."),
    )
    assert Screening.objects.get().final_category == 3


def test_analysis_is_required(p, child, as_user):
    body = as_user(p.alice).post(
        f"/children/{child.pk}/screenings/new/", _data(analysis="")
    ).content.decode()
    assert "Enter your analysis of the risk to the child" in body


def test_reading_a_screening_is_audited_and_hidden_from_outsiders(p, child, as_user):
    screening = testing.make_screening(child, p.alice)
    assert as_user(p.bob).get(f"/screenings/{screening.pk}/").status_code == 404
    assert as_user(p.fiona).get(f"/screenings/{screening.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="screening.screening").exists()
