"""The shipped policy profiles say what SPEC §4 and the seeds say, and a malformed profile fails
loudly naming the problem."""

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from lantern.domain import dates
from lantern.domain.profiles import (
    NoTimescale,
    ProfileError,
    build_local,
    load_directory,
    load_file,
    parse,
)

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
            cited = "seed 00" in timescale.citation
            adopted = bool(timescale.adopted) and "seed 00" in timescale.adopted
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
    assert "seed 001 sets no timescale" in adopted.basis("ENG")


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
    assert "seed 003 §11" in due.basis


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
