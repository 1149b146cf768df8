"""The meetings data file and the plain rules about meetings (SPEC §5)."""

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import meetings
from lantern.domain.profiles import load_directory
from lantern.domain.sources import names_a_procedure

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "meetings" / "data" / "meetings.toml"
PROFILES = load_directory(ROOT / "pathway" / "profiles")


@pytest.fixture(scope="module")
def data():
    return meetings.load(DATA)


def _raw():
    return tomllib.loads(DATA.read_text())


def test_every_spec_meeting_kind_has_its_data(data):
    assert set(data.kinds) == {"strategy_discussion", "strategy_meeting", "mase_initial",
                               "mase_review", "mase_looked_after", "statutory_review",
                               "complex_strategy", "cp_conference", "cmog"}


def test_the_data_names_only_profiles_that_exist(data):
    meetings.check_profiles(data, PROFILES)
    with pytest.raises(meetings.MeetingDataError, match="unknown policy profile"):
        meetings.check_profiles(data, ["coventry"])


def test_the_outcomes_are_seed_001s_seven(data):
    assert [o.code for o in data.outcomes] == [
        "early_help", "child_in_need", "child_protection", "care_plan_review",
        "criminal_action", "multi_agency_support", "further_assessment"]
    assert all(o.citation.startswith("West Midlands CSE toolkit") for o in data.outcomes)


def test_a_malformed_entry_is_named(data):
    raw = _raw()
    raw["kinds"]["mase_initial"]["agenda"] = "weekly"
    with pytest.raises(meetings.MeetingDataError, match=r"kinds\.mase_initial.*agenda"):
        meetings.parse(raw, "meetings.toml")


def test_an_unknown_invitee_in_a_kind_is_refused():
    raw = _raw()
    raw["kinds"]["cmog"]["invite"] = ["police", "astrologer"]
    with pytest.raises(meetings.MeetingDataError, match="astrologer"):
        meetings.parse(raw, "meetings.toml")


def test_a_missing_kind_is_refused():
    raw = _raw()
    del raw["kinds"]["cmog"]
    with pytest.raises(meetings.MeetingDataError, match="cmog"):
        meetings.parse(raw, "meetings.toml")


def test_police_and_childrens_social_care_are_warned_about_when_not_invited(data):
    found = meetings.attendance_warnings(data.kind("mase_initial"), invited={"csc"},
                                         attended=None)
    assert found == [meetings.Warning("police", "invited")]


def test_absence_is_warned_about_once_attendance_is_recorded(data):
    found = meetings.attendance_warnings(data.kind("strategy_meeting"),
                                         invited={"csc", "police"}, attended={"police"})
    assert found == [meetings.Warning("csc", "attended")]


def test_nothing_is_warned_when_both_attend(data):
    assert meetings.attendance_warnings(data.kind("complex_strategy"),
                                        invited={"csc", "police"},
                                        attended={"csc", "police"}) == []


def test_a_cmog_review_has_no_attendance_rule(data):
    assert meetings.attendance_warnings(data.kind("cmog"), invited=set(), attended=set()) == []


def test_a_complex_strategy_is_never_a_telephone_call(data):
    assert not meetings.format_allowed(data.kind("complex_strategy"), "phone")
    assert meetings.format_allowed(data.kind("complex_strategy"), "video")
    assert meetings.format_allowed(data.kind("strategy_discussion"), "phone")


def test_a_looked_after_child_s_iro_and_placement_are_proposed(data):
    kind = data.kind("mase_initial")
    plain = {i.code for i in meetings.proposed_invitees(
        kind, meetings.ProfileExtra(), looked_after=False, joint=False,
        invitees=data.invitees)}
    looked_after = {i.code for i in meetings.proposed_invitees(
        kind, meetings.ProfileExtra(), looked_after=True, joint=False,
        invitees=data.invitees)}
    assert {"iro", "placement"} <= looked_after
    assert not {"iro", "placement"} & plain
    assert {"referrer", "social_worker", "police", "health_cse_lead", "education_cse_lead",
            "yot"} <= plain


def test_wales_adds_probation_to_its_strategy_meeting(data):
    wales = PROFILES["wales"][1]
    codes = [i.code for i in meetings.proposed_invitees(
        data.kind("strategy_meeting"), data.additions(wales, "strategy_meeting"),
        looked_after=False, joint=False, invitees=data.invitees)]
    assert "probation" in codes


def test_another_area_is_invited_only_to_a_joint_meeting(data):
    kind = data.kind("complex_strategy")
    joint = [i.code for i in meetings.proposed_invitees(
        kind, meetings.ProfileExtra(), looked_after=False, joint=True, invitees=data.invitees)]
    single = [i.code for i in meetings.proposed_invitees(
        kind, meetings.ProfileExtra(), looked_after=False, joint=False, invitees=data.invitees)]
    assert "other_area" in joint and "other_area" not in single


def test_the_profile_names_the_chair_and_a_missing_kind_falls_back_marked_adopted(data):
    coventry = PROFILES["coventry"][1]
    own = meetings.chair_for(data.kind("mase_initial"), coventry.meeting("mase_initial"))
    assert own.chaired_by == "CSE team manager" and not own.adopted
    fallback = meetings.chair_for(data.kind("complex_strategy"),
                                  coventry.meeting("complex_strategy"))
    assert fallback.adopted and "area service manager" in fallback.chaired_by


def test_stockport_strategy_meetings_are_chaired_by_an_iro(data):
    stockport = PROFILES["stockport"][1]
    who = meetings.chair_for(data.kind("strategy_meeting"),
                             stockport.meeting("strategy_meeting"))
    assert "independent reviewing officer" in who.chaired_by.lower()
    assert data.additions(stockport, "strategy_meeting").family_warned


@pytest.mark.parametrize(("owner", "role", "allocated", "allowed"), [
    ("cse_manager", "cse_manager", False, True),
    ("social_worker", "cse_manager", False, True),     # CSE team managers convene any meeting
    ("social_worker", "social_worker", True, True),    # the allocated social worker
    ("social_worker", "social_worker", False, False),  # ... but not any social worker
    ("police", "police", False, True),                 # CMOG: the lead detective inspector
    ("cse_manager", "referrer", False, False),
    ("cse_manager", "front_door", False, False),
])
def test_who_may_convene(owner, role, allocated, allowed):
    assert meetings.may_convene(owner, role, allocated=allocated) is allowed


def test_only_a_mase_becomes_a_strategy_discussion_on_section_47(data):
    assert meetings.becomes_strategy_discussion(data.kind("mase_initial"), section_47=True)
    assert not meetings.becomes_strategy_discussion(data.kind("mase_initial"),
                                                    section_47=False)
    assert not meetings.becomes_strategy_discussion(data.kind("strategy_meeting"),
                                                    section_47=True)


def test_the_risk_assessment_needs_social_care_police_and_health(data):
    assert meetings.missing_contributors(data, ["csc", "police"]) == ["health"]
    assert meetings.missing_contributors(data, ["csc", "police", "health"]) == []


def test_offered_kinds_put_the_profile_s_first(data):
    coventry = PROFILES["coventry"][1]
    kinds = meetings.offered_kinds(data, coventry)
    assert kinds[:5] == ["mase_initial", "mase_review", "statutory_review",
                         "mase_looked_after", "cmog"]
    assert "complex_strategy" in kinds and "strategy_meeting" not in kinds


# --- Chairs, the risk assessment and the MASE review (issue 14, items 2 and 4) ---------------

def test_the_mase_review_is_a_review_beside_the_initial_mase(data):
    review, initial = data.kind("mase_review"), data.kind("mase_initial")
    assert (review.agenda, review.step) == ("review", "review")
    assert (initial.agenda, initial.step) == ("initial", "meeting")
    coventry = PROFILES["coventry"][1]
    assert coventry.review_kind == "mase_review"
    mase_review = coventry.meeting("mase_review")
    assert mase_review is not None and mase_review.owner_role == "cse_manager"
    # The meeting for a child already open (seed 001) is its own kind, with a MASE's agenda.
    assert data.kind("statutory_review").agenda == "initial"
    assert "statutory_review" in coventry.required_meetings[0].counts


@pytest.mark.parametrize(("kind", "completes"), [
    ("mase_initial", True), ("mase_review", True), ("mase_looked_after", True),
    ("statutory_review", True), ("strategy_meeting", True), ("complex_strategy", True),
    ("strategy_discussion", False), ("cp_conference", False), ("cmog", False),
])
def test_only_the_mase_and_strategy_meetings_complete_the_risk_assessment(data, kind,
                                                                          completes):
    # seed 001: "completed during the MASE/strategy meeting"; not every kind of meeting.
    found = data.kind(kind)
    assert found.risk_assessment is completes
    assert names_a_procedure(found.risk_assessment_citation)


def test_a_cp_conference_link_and_cmog_set_no_level(data):
    assert not data.kind("cp_conference").sets_level and not data.kind("cmog").sets_level
    assert all(data.kind(k).sets_level for k in data.kinds if data.kind(k).risk_assessment)


def test_a_kind_completing_the_assessment_must_set_the_level():
    raw = _raw()
    raw["kinds"]["mase_initial"]["sets_level"] = False
    with pytest.raises(meetings.MeetingDataError, match="kinds.mase_initial: a meeting that "
                       "completes the risk assessment sets the level"):
        meetings.parse(raw, "meetings.toml")


@given(police_input=st.booleans(), manager=st.booleans(), police=st.booleans())
def test_the_risk_assessment_asks_for_what_is_missing_only_where_it_is_completed(
        police_input, manager, police):
    data = meetings.load(DATA)
    missing = meetings.risk_assessment_problems(
        data.kind("mase_initial"), police_input=police_input, manager_oversight=manager,
        police_oversight=police)
    assert missing == [name for name, given_ in (("police_input", police_input),
                                                 ("manager_oversight", manager),
                                                 ("police_oversight", police)) if not given_]
    assert meetings.risk_assessment_problems(
        data.kind("cmog"), police_input=police_input, manager_oversight=manager,
        police_oversight=police) == []


@pytest.mark.parametrize(("profile", "kind", "role", "needs"), [
    ("coventry", "mase_initial", "cse_manager", False),
    ("coventry", "mase_initial", "social_worker", True),
    ("coventry", "mase_initial", "police", True),
    ("coventry", "cmog", "police", False),           # the lead detective inspector
    ("coventry", "cmog", "cse_manager", True),
    ("bristol", "strategy_discussion", "social_worker", False),  # a consultant social worker
    ("bristol", "strategy_discussion", "cse_manager", True),
    ("bristol", "complex_strategy", "cse_manager", False),       # an area service manager
    ("stockport", "strategy_meeting", "cse_manager", False),     # an IRO
    ("stockport", "strategy_meeting", "social_worker", True),
    ("wales", "strategy_meeting", "cse_manager", False),
    ("wales", "strategy_meeting", "police", True),
    # a kind the profile does not name: the kind's usual chair
    ("coventry", "complex_strategy", "cse_manager", False),
    ("coventry", "complex_strategy", "front_door", True),
])
def test_a_chair_of_a_role_the_profile_does_not_name_needs_acceptance(data, profile, kind,
                                                                      role, needs):
    found = PROFILES[profile][1]
    chair = meetings.chair_for(data.kind(kind), found.meeting(kind))
    assert meetings.chair_needs_acceptance(chair, role) is needs


def test_every_kind_names_who_may_chair_it(data):
    assert all(kind.default_chair_roles for kind in data.kinds.values())
    for _raw_profile, profile in PROFILES.values():
        assert all(rule.chair_roles for rule in profile.meetings), profile.code


@pytest.mark.parametrize(("role", "allowed"), [
    ("social_worker", True), ("front_door", True),  # children's social care (seed 001, Fig. 4)
    ("police", False), ("referrer", False), ("dsl", False), ("board", False),
])
def test_who_may_convene_another_role_s_meeting_with_a_reason_a_manager_accepts(role, allowed):
    assert meetings.may_convene_with_reason(role) is allowed
