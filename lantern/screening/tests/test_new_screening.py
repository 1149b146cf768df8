import pytest

from lantern import testing
from lantern.foundation.models import Area, AuditEvent
from lantern.screening.models import Screening


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


# --- every framework the area's profile names ---------------------------------------------
def _profile(p, profile):
    # Areas have no edit action yet (policy profiles are another issue's data files).
    Area.objects.filter(pk=p.north.pk).update(policy_profile=profile)


@pytest.mark.parametrize(("profile", "headings", "absent"), [
    ("coventry", ["Category 1 indicators", "Category 3 indicators"], ["Vulnerabilities"]),
    ("wales", ["Vulnerabilities", "Risk indicators", "Significant risk indicators"],
     ["Category 1 indicators", "Push factors"]),
    ("stockport", ["Level 1 signals (lower risk)", "Level 3 signals (high risk)",
                   "Personal indicators", "Behavioural indicators", "Situational indicators",
                   "Family history"], ["Push factors"]),
    ("bristol", ["Vulnerabilities", "Significant risk indicators", "Push, pull and risk factors",
                 "Risk factors", "Push factors", "Pull factors"], ["Level 1 signals"]),
])
def test_the_page_shows_the_frameworks_the_profile_names(p, child, as_user, profile, headings,
                                                        absent):
    _profile(p, profile)
    body = as_user(p.alice).get(f"/children/{child.pk}/screenings/new/").content.decode()
    for heading in headings:
        assert heading in body
    for heading in absent:
        assert heading not in body


def test_stockport_speaks_of_levels(p, child, as_user):
    _profile(p, "stockport")
    body = as_user(p.alice).get(f"/children/{child.pk}/screenings/new/").content.decode()
    assert "Level 2: medium risk" in body
    assert "Your decision: which level is right for this child?" in body


@pytest.mark.parametrize(("profile", "ticked", "shown"), [
    ("wales", ["seraf.s.missing_overnight"], "Category 3 to 4"),
    ("wales", ["seraf.v.low_self_esteem", "seraf.v.domestic_abuse", "seraf.r.drugs"],
     "Category 2 to 3"),
    ("stockport", ["sera2.regularly_missing"], "Level 1 to 2"),
    ("bristol", ["seraf.r.drugs"], "Category 2"),
])
def test_the_live_suggestion_follows_the_profiles_framework(p, child, as_user, profile, ticked,
                                                            shown):
    _profile(p, profile)
    body = as_user(p.alice).post(f"/children/{child.pk}/screenings/suggest/",
                                 {"indicators": ticked}).content.decode()
    assert f'id="suggested-category">{shown}<' in body


def test_a_range_says_why_and_what_its_upper_end_requires(p, child, as_user):
    _profile(p, "wales")
    body = as_user(p.alice).post(f"/children/{child.pk}/screenings/suggest/",
                                 {"indicators": ["seraf.s.controlling_adult"]}).content.decode()
    assert "The tool gives a range" in body
    assert "What the framework requires at category 4" in body
    assert "Controlled by an older person" in body  # the indicator behind it


def test_the_floor_is_explained_with_its_rule_in_the_live_suggestion(p, as_user):
    young = testing.make_child(p.alice, date_of_birth=testing.birthday_years_ago(12))
    testing.make_concern(young, p.alice)
    body = as_user(p.alice).post(f"/children/{young.pk}/screenings/suggest/",
                                 {"indicators": ["wm1.despair"]}).content.decode()
    assert 'id="suggestion-floor"' in body
    assert "cannot be lower than 2 for this child" in body and "under 13" in body


def test_a_partner_five_years_older_is_flagged_live(p, child, as_user):
    _profile(p, "stockport")
    body = as_user(p.alice).post(
        f"/children/{child.pk}/screenings/suggest/",
        {"indicators": ["sera1.getting_into_cars"], "partner_age": "21"},
    ).content.decode()
    assert "7 years older than the child" in body


def test_within_a_range_no_rationale_is_needed(p, child, as_user):
    _profile(p, "wales")
    as_user(p.alice).post(f"/children/{child.pk}/screenings/new/", _data(
        indicators=["seraf.s.missing_overnight"], final_category="3"))
    screening = Screening.objects.get()
    assert (screening.suggested_min, screening.suggested_max) == (3, 4)
    assert screening.final_category == 3 and screening.framework == "seraf"


def test_outside_a_range_a_rationale_is_needed(p, child, as_user):
    _profile(p, "stockport")
    body = as_user(p.alice).post(f"/children/{child.pk}/screenings/new/", _data(
        indicators=["sera2.regularly_missing"], final_category="3")).content.decode()
    assert "Enter why you chose level 3 when the tool suggested levels 1 to 2" in body


def test_the_floor_for_a_learning_disability_names_the_rule(p, as_user):
    child = testing.make_child(p.alice, learning_disability=True)
    testing.make_concern(child, p.alice)
    body = as_user(p.alice).post(f"/children/{child.pk}/screenings/new/", _data(
        indicators=["wm1.despair"], final_category="1", rationale="x")).content.decode()
    assert "Category 1 is below the lowest category allowed for this child (category 2)" in body
    assert "has a learning disability" in body
    assert not Screening.objects.exists()


def test_what_is_required_follows_the_decided_category(p, child, as_user):
    as_user(p.alice).post(f"/children/{child.pk}/screenings/new/", _data(
        indicators=["wm1.despair"], final_category="2", rationale="Police intelligence."))
    screening = Screening.objects.get()
    assert (screening.suggested_min, screening.final_category) == (1, 2)
    assert screening.requires_referral is True and screening.strategy_meeting == "required"
    assert any("MASE" in a for a in screening.required_actions)


def test_facts_and_the_checklist_alongside_are_kept_with_their_evidence(p, child, as_user):
    _profile(p, "bristol")
    as_user(p.alice).post(f"/children/{child.pk}/screenings/new/", _data(
        indicators=["seraf.r.drugs"], final_category="2", partner_age="22", s47_cse="on",
        checklist=["bristol.pull.gifts", "bristol.risk.going_missing"],
        **{"evidence_bristol.pull.gifts": "Given a phone by an older man."}))
    screening = Screening.objects.get()
    assert screening.checklists == {"bristol": {
        "version": "2017.1", "items": ["bristol.pull.gifts", "bristol.risk.going_missing"]}}
    assert screening.evidence == {"bristol.pull.gifts": "Given a phone by an older man."}
    assert screening.facts["partner_age"] == 22 and screening.facts["s47_cse"] is True
    assert screening.facts["age"] == 14 and screening.facts["screener_role"] == "referrer"
    assert screening.requires_referral is True  # Bristol refers every concern (SPEC §2)


def test_the_detail_page_shows_the_checklist_and_what_is_required(p, child, as_user):
    _profile(p, "bristol")
    as_user(p.alice).post(f"/children/{child.pk}/screenings/new/", _data(
        indicators=["seraf.r.drugs"], final_category="2", checklist=["bristol.pull.gifts"]))
    screening = Screening.objects.get()
    body = as_user(p.alice).get(screening.get_absolute_url()).content.decode()
    assert "Push, pull and risk factors" in body and "Being given alcohol, drugs" in body
    assert "What the framework requires at category 2" in body
    assert "Strategy meeting: consider one" in body


def test_a_young_person_of_19_with_additional_needs_is_screened_with_the_wm_tool(p, as_user):
    adult = testing.make_child(p.alice, date_of_birth=testing.birthday_years_ago(19))
    testing.make_concern(adult, p.alice)
    page = as_user(p.alice).get(f"/children/{adult.pk}/screenings/new/").content.decode()
    assert "age 19 is outside the West Midlands tool" in page
    assert "The young person has additional needs" in page
    as_user(p.alice).post(f"/children/{adult.pk}/screenings/new/", _data(
        indicators=["wm2.sti"], final_category="2", additional_needs="on"))
    assert Screening.objects.get().adult_route is True


def test_stockport_refuses_an_18_year_old(p, as_user):
    _profile(p, "stockport")
    adult = testing.make_child(p.alice, date_of_birth=testing.birthday_years_ago(18))
    testing.make_concern(adult, p.alice)
    body = as_user(p.alice).post(f"/children/{adult.pk}/screenings/new/", _data(
        indicators=["sera1.getting_into_cars"], final_category="1")).content.decode()
    assert "This child cannot be screened with this tool: age 18 is outside" in body
    assert not Screening.objects.exists()


def test_the_screening_page_is_hidden_from_outsiders_and_forbidden_to_analysts(p, child,
                                                                              as_user):
    assert as_user(p.bob).get(f"/children/{child.pk}/screenings/new/").status_code == 404
    assert as_user(p.ana).get(f"/children/{child.pk}/screenings/new/").status_code == 403
    assert as_user(p.bob).post(f"/children/{child.pk}/screenings/suggest/",
                               {"indicators": ["wm3.rape"]}).status_code == 404


# --- The screening as the concern's next page (issue 15, item 3) ----------------------------

def test_the_screening_is_prefilled_from_the_concern(p, child, as_user):
    concern = testing.make_concern(child, p.alice, narrative="Seen at the bus station late.",
                                   child_words="They look after me.")
    body = as_user(p.alice).get(
        f"/children/{child.pk}/screenings/new/?concern={concern.pk}").content.decode()
    assert "The concern you are screening" in body and "Seen at the bus station late." in body
    assert "They look after me.</textarea>" in body


def test_the_screening_is_linked_to_the_concern_it_followed(p, child, as_user):
    first = child.concerns.get()
    testing.make_concern(child, p.alice, narrative="A later concern.")
    as_user(p.alice).post(f"/children/{child.pk}/screenings/new/?concern={first.pk}", _data())
    assert Screening.objects.get().concern == first


def test_another_childs_concern_is_not_found(p, child, as_user):
    other = testing.make_child(p.alice, given_names="Other")
    concern = testing.make_concern(other, p.alice)
    response = as_user(p.alice).get(f"/children/{child.pk}/screenings/new/?concern={concern.pk}")
    assert response.status_code == 404


def test_a_concern_id_that_is_not_a_number_is_not_found(p, child, as_user):
    response = as_user(p.alice).get(f"/children/{child.pk}/screenings/new/?concern=%D9%A3")
    assert response.status_code == 404
