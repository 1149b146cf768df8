"""The shipped policy profiles say what SPEC §4 and the seeds say, and a malformed profile fails
loudly naming the problem."""

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.domain import dates
from lantern.domain.profiles import (
    OWNER_ROLES,
    NoTimescale,
    ProfileError,
    ReviewRule,
    build_local,
    load_directory,
    load_file,
    parse,
)
from lantern.domain.sources import names_a_procedure

DIRECTORY = Path(__file__).resolve().parents[2] / "pathway" / "profiles"
SHIPPED = load_directory(DIRECTORY)


def profile(code):
    return SHIPPED[code][1]


def at(text):
    return dates.local(datetime.fromisoformat(text))


def test_the_four_profiles_are_shipped():
    assert sorted(SHIPPED) == ["bristol", "coventry", "stockport", "wales"]


@pytest.mark.parametrize(("code", "frameworks", "nation"), [
    ("coventry", ("wm",), "ENG"),
    ("wales", ("seraf",), "WLS"),
    ("stockport", ("sera",), "ENG"),
    ("bristol", ("bristol", "seraf"), "ENG"),
])
def test_each_profile_names_its_frameworks_and_nation(code, frameworks, nation):
    assert profile(code).frameworks == frameworks
    assert profile(code).nation == nation


def test_every_timescale_cites_a_seed_or_says_why_it_was_adopted():
    # The return home interview's 72 hours are national guidance, England's or Wales's by the
    # profile's nation; the seeds set none, and the profile says so.
    for _data, found in SHIPPED.values():
        for timescale in found.timescales.values():
            cited = names_a_procedure(timescale.citation)
            adopted = bool(timescale.adopted) and names_a_procedure(timescale.adopted)
            assert cited or adopted, (found.code, timescale.step)


def test_stockport_timescales():
    stockport = profile("stockport")
    friday = at("2024-12-20T23:59")
    assert stockport.due("referral_decision", friday).as_text() == "2024-12-21T23:59:00+00:00"
    assert stockport.due("initial_assessment", friday).on == date(2025, 1, 3)
    # "within 10 days": calendar days, as the seed writes them.
    assert stockport.due("meeting", friday).on == date(2024, 12, 30)
    assert stockport.due("police_referral_decision", friday).as_text().startswith(
        "2024-12-21T23:59")
    # Stockport names only an initial assessment; "assessment" is that one.
    assert stockport.due("assessment", friday) == stockport.due("initial_assessment", friday)


def test_coventry_mase_is_within_15_working_days():
    assert profile("coventry").due("meeting", at("2024-12-20T10:00")).on == date(2025, 1, 15)


def test_coventry_sets_no_decision_timescale_of_its_own():
    coventry = profile("coventry")
    with pytest.raises(NoTimescale):
        coventry.timescale("referral_decision", own_only=True)
    # ...but its front door never waits without a deadline: the adopted 24 hours.
    adopted = coventry.timescale("referral_decision")
    assert adopted.amount == 24 and adopted.unit == "hours" and not adopted.own
    assert "West Midlands CSE toolkit sets no timescale" in adopted.basis("ENG")


def test_wales_counts_working_days_with_welsh_bank_holidays():
    wales = profile("wales")
    due = wales.due("assessment", at("2025-04-17T10:00"))
    # Tue 22 April is day 1: Good Friday and Easter Monday are skipped.
    assert due.on == date(2025, 4, 30)
    assert "bank holidays in Wales" in due.basis
    assert wales.due("initial_assessment", at("2025-04-17T10:00")).on == due.on


def test_bristol_assessment_is_45_working_days():
    due = profile("bristol").due("assessment", at("2024-12-20T10:00"))
    assert due.on == date(2025, 2, 26)
    assert "Bristol CSE practice guidance §11" in due.basis


@pytest.mark.parametrize(("code", "step"), [
    ("coventry", "assessment"), ("coventry", "police_referral_decision"),
    ("wales", "meeting"), ("bristol", "meeting"), ("bristol", "initial_assessment"),
])
def test_steps_without_a_timescale(code, step):
    with pytest.raises(NoTimescale):
        profile(code).timescale(step)


def test_reviews_per_category_follow_seed_002():
    wales = profile("wales")
    moderate = wales.review_rule("seraf", 3)
    significant = wales.review_rule("seraf", 4)
    assert (moderate.minimum, moderate.regular) == (1, False)
    assert (significant.minimum, significant.regular) == (1, True)
    assert wales.review_rule("seraf", 2) is None


def test_every_profile_has_a_review_rule_citing_a_seed():
    # issue 14, item 4: every profile says how reviews follow the level of risk; a rule a
    # profile borrows from another procedure says so.
    for code, (_data, found) in SHIPPED.items():
        assert found.reviews, code
        for rule in found.reviews:
            assert names_a_procedure(rule.citation), (code, rule)
            assert rule.framework in found.frameworks, (code, rule)


def test_every_level_that_calls_for_a_meeting_has_a_review_rule():
    for code, (_data, found) in SHIPPED.items():
        for required in found.required_meetings:
            for category in required.categories:
                assert found.review_rule(required.framework, category), (code, category)


def test_bristol_adopts_serafs_reviews_and_says_so():
    bristol = profile("bristol")
    for category, regular in ((3, False), (4, True)):
        rule = bristol.review_rule("seraf", category)
        assert (rule.minimum, rule.regular) == (1, regular)
        assert "Bristol CSE practice guidance" in rule.adopted
        assert "All Wales CSE protocol" in rule.citation


@given(minimum=st.integers(0, 5), regular=st.booleans(), held=st.integers(0, 8))
def test_the_next_review_date_is_needed_while_reviews_are_regular_or_too_few(minimum, regular,
                                                                            held):
    rule = ReviewRule("wm", 2, minimum, regular, "West Midlands CSE toolkit")
    assert rule.needs_date(held) is (regular or held < minimum)


@pytest.mark.parametrize(("code", "decided_by", "with_"), [
    ("coventry", ("cse_manager",), "social work manager"),
    ("bristol", ("chair",), ""),
    ("wales", ("cse_manager",), "social work manager"),
    ("stockport", ("cse_manager",), "social work manager"),
])
def test_each_profile_says_who_decides_the_child_s_and_family_s_participation(
        code, decided_by, with_):
    rule = profile(code).participation
    assert rule.decided_by == decided_by
    assert with_ in rule.decided_with and (with_ or not rule.decided_with)
    # Wales and Stockport name no one: Lantern follows SPEC §5 and says it adopted it.
    assert bool(rule.adopted) is (code in ("wales", "stockport"))


@given(role=st.sampled_from(sorted(OWNER_ROLES)), is_chair=st.booleans())
def test_only_whom_the_profile_names_decides_participation(role, is_chair):
    # Coventry: the CSE team manager, chairing or not; Bristol: the chair, whatever their role.
    assert profile("coventry").participation.may_decide(role, is_chair=is_chair) is (
        role == "cse_manager")
    assert profile("bristol").participation.may_decide(role, is_chair=is_chair) is is_chair


@pytest.mark.parametrize(("code", "kind", "chair"), [
    ("stockport", "strategy_meeting", "independent reviewing officer"),
    ("coventry", "mase_initial", "CSE team manager"),
    ("wales", "strategy_meeting", "lead responsibility for CSE"),
    ("bristol", "complex_strategy", "area service manager"),
    ("bristol", "strategy_discussion", "consultant social worker"),
])
def test_who_chairs_which_meeting(code, kind, chair):
    assert chair.lower() in profile(code).meeting(kind).chaired_by.lower()


MINIMAL: dict[str, Any] = {
    "code": "xx",
    "name": "Example",
    "nation": "ENG",
    "source": "seed 999",
    "frameworks": ["wm"],
    "timescales": {"referral_decision": {"label": "Decision", "hours": 24, "from": "referral",
                                         "citation": "seed 999 §1"}},
    "reviews": [{"framework": "wm", "category": 2, "minimum": 1, "regular": True,
                 "citation": "seed 999 §2"}],
    "participation": {"decided_by": ["chair"], "citation": "seed 999 §3"},
    "adult_safeguarding": {"route": "Adult safeguarding", "tell": "adult services",
                           "at_risk": {"wm": 1}, "owner_role": "front_door",
                           "judgement": "the social worker", "citation": "seed 999 §4"},
}


def _with(**changes):
    data = {**MINIMAL, "timescales": dict(MINIMAL["timescales"])}
    data.update(changes)
    return data


def test_a_minimal_profile_parses():
    assert parse(_with(), "xx.toml").timescale("referral_decision").amount == 24


@pytest.mark.parametrize(("changes", "message"), [
    ({"nation": "GB"}, 'nation: expected one of "ENG", "NIR", "SCT", "WLS", got "GB"'),
    ({"frameworks": []}, "frameworks: must list at least 1 entry"),
    ({"timescale": {}}, "timescale: unknown key (expected one of code, name, nation, source,"),
    ({"timescales": {}}, "timescales: a profile must set timescales.referral_decision (mark it"),
    ({"timescales": {**MINIMAL["timescales"], "lunch": {"same_as": "referral_decision"}}},
     "timescales.lunch: unknown key (expected one of referral_decision, assessment,"),
    ({"timescales": {"referral_decision": {"label": "D", "hours": 24, "working_days": 1,
                                           "from": "referral", "citation": "c"}}},
     "timescales.referral_decision: give exactly one of hours, working_days, calendar_days,"),
    ({"timescales": {"referral_decision": {"label": "D", "hours": 24, "from": "referral"}}},
     "timescales.referral_decision.citation: required, but missing"),
    ({"timescales": {"referral_decision": {"label": "D", "hours": 0, "from": "referral",
                                           "citation": "c"}}},
     "timescales.referral_decision.hours: must be at least 1, got 0"),
    ({"timescales": {"referral_decision": {"label": "D", "hours": "24", "from": "referral",
                                           "citation": "c"}}},
     'timescales.referral_decision.hours: expected a number, got "24"'),
    ({"timescales": {"referral_decision": {"label": "D", "hours": True, "from": "referral",
                                           "citation": "c"}}},
     "timescales.referral_decision.hours: expected a number, got true"),
    ({"timescales": {"referral_decision": {"label": "D", "hours": 1.5, "from": "referral",
                                           "citation": "c"}}},
     "timescales.referral_decision.hours: expected a whole number, got 1.5"),
    ({"timescales": {"referral_decision": {"label": "D", "hours": 367, "from": "referral",
                                           "citation": "c"}}},
     "timescales.referral_decision.hours: must be at most 366, got 367"),
    ({"timescales": {"referral_decision": {"label": "D", "hours": 24, "from": "lunch",
                                           "citation": "c"}}},
     'timescales.referral_decision.from: expected one of "referral", "step", "return", got'),
    ({"timescales": {**MINIMAL["timescales"], "assessment": {"same_as": "meeting"}}},
     'timescales.assessment.same_as: "meeting" has no timescale of its own'),
    ({"reviews": [{"framework": "seraf", "category": 3, "minimum": 1, "regular": False,
                   "citation": "c"}]}, "reviews[0].framework: expected one of the profile's"),
    ({"reviews": []}, "reviews: must list at least 1 entry"),
    ({"participation": {"decided_by": ["mayor"], "citation": "c"}},
     'participation.decided_by[0]: expected one of "chair", "cse_manager",'),
    ({"participation": {"decided_by": [], "citation": "c"}},
     "participation.decided_by: must list at least 1 entry"),
    ({"meetings": [{"kind": "mase_initial", "label": "M", "situation": "s", "convened_by": "c",
                    "chaired_by": "c", "owner_role": "cse_manager", "citation": "c"}]},
     "meetings[0].chair_roles: required, but missing"),
    ({"meetings": [{"kind": "mase_initial", "label": "M", "situation": "s", "convened_by": "c",
                    "chaired_by": "c", "owner_role": "cse_manager", "chair_roles": [],
                    "citation": "c"}]},
     "meetings[0].chair_roles: must list at least 1 entry"),
    ({"meetings": [{"kind": "mase_initial", "label": "M", "situation": "s", "convened_by": "c",
                    "chaired_by": "c", "owner_role": "cse_manager",
                    "chair_roles": ["cse_manager"], "citation": "c"}],
      "required_meetings": [{"framework": "wm", "categories": [2, 3], "kind": "mase_initial",
                             "citation": "c"}]},
     "required_meetings[0].categories: wm category 3 calls for a meeting but [[reviews]]"),
    ({"review_kind": "mase_review"}, "review_kind: expected one of the kinds in its"),
    ({"meetings": [{"kind": "party", "label": "P", "situation": "s", "convened_by": "c",
                    "chaired_by": "c", "owner_role": "cse_manager", "citation": "c"}]},
     'meetings[0].kind: expected one of "strategy_discussion", "strategy_meeting",'),
    ({"meeting_kind": "mase_initial"}, "meeting_kind: expected one of the kinds in its"),
    ({"required_meetings": [{"framework": "wm", "categories": [2], "kind": "mase_initial",
                             "citation": "c"}]},
     "required_meetings[0].kind: expected one of the kinds in its [[meetings]]"),
    ({"required_meetings": [{"framework": "seraf", "categories": [3], "kind": "mase_initial",
                             "citation": "c"}]},
     "required_meetings[0].framework: expected one of the profile's"),
    ({"required_meetings": [{"framework": "wm", "categories": [], "kind": "mase_initial",
                             "citation": "c"}]},
     "required_meetings[0].categories: must list at least 1 entry"),
    ({"adult_safeguarding": {**MINIMAL["adult_safeguarding"], "at_risk": {"seraf": 2}}},
     "adult_safeguarding.at_risk.seraf: expected one of the profile's frameworks"),
    ({"adult_safeguarding": {**MINIMAL["adult_safeguarding"], "at_risk": {}}},
     "adult_safeguarding.at_risk: must"),
    ({"adult_safeguarding": {**MINIMAL["adult_safeguarding"], "judgement": ""}},
     "adult_safeguarding.judgement: with no `due` timescale, say whose judgement"),
    ({"adult_safeguarding": {**MINIMAL["adult_safeguarding"], "owner_role": "mayor"}},
     'adult_safeguarding.owner_role: expected one of'),
    ({"adult_safeguarding": None}, "adult_safeguarding: "),
])
def test_a_malformed_profile_fails_naming_the_problem(changes, message):
    with pytest.raises(ProfileError) as error:
        parse(_with(**changes), "xx.toml")
    assert str(error.value).startswith(f"xx.toml: {message}")


def test_a_file_whose_code_differs_from_its_name_is_refused(tmp_path):
    path = tmp_path / "yy.toml"
    path.write_text(DIRECTORY.joinpath("coventry.toml").read_text())
    with pytest.raises(ProfileError, match="must match the file name"):
        load_file(path)


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    (tmp_path / "broken.toml").write_text("code = \n")
    with pytest.raises(ProfileError, match="broken.toml: not valid TOML"):
        load_directory(tmp_path)


def test_a_local_profile_overrides_a_step_and_keeps_the_rest():
    base = SHIPPED["coventry"][0]
    local = build_local("northbridge", "coventry", base, """
[timescales.assessment]
label = "Child and family assessment"
working_days = 45
from = "referral"
citation = "Northbridge partnership, local decision"
""")
    assert local.base == "coventry" and local.code == "northbridge"
    assert local.due("assessment", at("2024-12-20T10:00")).on == date(2025, 2, 26)
    assert local.timescale("meeting") == profile("coventry").timescale("meeting")


def test_a_local_profile_is_validated_like_a_file():
    base = SHIPPED["coventry"][0]
    with pytest.raises(ProfileError, match="local profile 'northbridge': timescales.meeting"):
        build_local("northbridge", "coventry", base, "[timescales.meeting]\nhours = 3\n")
    with pytest.raises(ProfileError, match="unknown key"):
        build_local("northbridge", "coventry", base, "code = 'other'\n")


# --- Adult safeguarding for a young person aged 18 or over (issue 14, item 10) --------------

_OVER_18 = "West Midlands CSE toolkit, Young people aged 18 years and over"


@pytest.mark.parametrize(("code", "route", "citation", "adopted"), [
    ("coventry", "Care Act 2014", _OVER_18, False),
    ("stockport", "Care Act 2014", _OVER_18, True),
    ("bristol", "Care Act 2014", _OVER_18, True),
    ("wales", "Protection of Vulnerable Adults (POVA)", "All Wales CSE protocol §6.5", True),
])
def test_each_profile_names_its_nation_s_adult_safeguarding_route(code, route, citation,
                                                                 adopted):
    rule = profile(code).adult_safeguarding
    assert route in rule.route and rule.citation.startswith(citation)
    # Only Coventry's own seed says adult safeguarding is always told: the others say so.
    assert bool(rule.adopted) is adopted
    # No seed sets a timescale: the work says whose judgement sets it.
    assert rule.timescale is None and "social worker" in rule.judgement
    assert rule.owner_role == "front_door"


@given(category=st.one_of(st.none(), st.integers(min_value=0, max_value=5)))
def test_a_young_adult_is_at_risk_from_each_tool_s_first_category_of_risk(category):
    at_risk = category is not None
    assert profile("coventry").adult_safeguarding.calls_for("wm", category) is (
        at_risk and category >= 1)
    assert profile("wales").adult_safeguarding.calls_for("seraf", category) is (
        at_risk and category >= 2)
    assert profile("stockport").adult_safeguarding.calls_for("sera", category) is (
        at_risk and category >= 1)
    # Bristol's checklist has no category: only its SERAF screenings (and referrals) count.
    assert not profile("bristol").adult_safeguarding.calls_for("bristol", category)


def test_a_profile_may_time_telling_adult_safeguarding():
    due = {"label": "Adult safeguarding told", "hours": 24, "from": "step", "citation": "local"}
    rule = parse(_with(adult_safeguarding={**MINIMAL["adult_safeguarding"], "due": due,
                                           "judgement": ""}), "xx.toml").adult_safeguarding
    assert rule is not None and rule.timescale is not None and rule.timescale.amount == 24
