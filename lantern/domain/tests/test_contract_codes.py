"""The indicator codes of SPEC §3 are the contract between the product, its API and its tests:
each shipped framework carries exactly these, in the group the SPEC puts them in."""

import pytest

from lantern.domain import language, sources
from lantern.screening import registry

SPEC_CODES = {
    "wm": {
        "wm1": """missing_or_late history_of_abuse overnight_unexplained sexualised_dress
            sexualised_risk_taking unknown_adults reduced_contact experimenting_substances
            social_media_change poor_self_image eating_disorder superficial_self_harm despair
            gum_clinic hotspots non_attendance placement_breakdown_behaviour repeat_offending
            disruptive_behaviour migrant unsure_orientation""",
        "wm2": """vehicles adults_linked_cse peers_at_risk assault_withdrawn reports_hotspots
            adult_partner unaccounted_money_goods phone_concern sti previous_sexual_abuse
            gangs_association internet_concealed online_sexual_bullying concealed_injuries
            missing_excluded_school placements_breakdown""",
        "wm3": """rape under13_sexual_activity street_homeless_with_adult exchanging_sex
            clubs_hotels serious_assault_disclosure abduction moved_around disappearing
            trafficked miscarriages_terminations chronic_substance_use serious_self_harm
            internet_exploitation clipping gang_member recruiting_peers hbv_forced_marriage
            red_light_removed""",
    },
    "seraf": {
        "seraf.v": """abuse_neglect la_care_history domestic_abuse family_substance_misuse
            family_mental_health family_breakdown low_self_esteem""",
        "seraf.r": """staying_out_late multiple_callers phone_concern despair assault_withdrawn
            sti peers_clipping drugs alcohol internet_concern unsuitable_accommodation isolated
            no_protective_adult education_disengaged independent_not_responding""",
        "seraf.s": """missing_overnight controlling_adult abused_by_controlling_adult
            vehicles_unknown_adults unexplained_money_items sex_work_areas unexplained_injury""",
    },
    "sera": {
        "sera1": """sexualised_risk_taking beginning_truancy occasionally_missing
            places_of_concern getting_into_cars gifts_resources early_substance_use""",
        "sera2": """regularly_missing swapping_sex regular_truancy hotspots vulnerable_peers
            violence_intimidation_fear developing_substance_use""",
        "sera3": """entrenched_abusive_relationships known_perpetrators
            missing_running_from_home problem_substance_use violence_intimidation_fear""",
    },
}
GROUP_KINDS = {
    "seraf.v": "vulnerability", "seraf.r": "risk", "seraf.s": "significant_risk",
    "sera1": "category", "sera2": "category", "sera3": "category",
    "wm1": "category", "wm2": "category", "wm3": "category",
}
CASES = [(fw, group, names.split()) for fw, groups in SPEC_CODES.items()
         for group, names in groups.items()]


@pytest.mark.parametrize(("code", "group", "names"), CASES)
def test_each_spec_group_holds_exactly_the_contract_codes(code, group, names):
    framework = registry.get(code)
    shipped = [i.code for i in framework.indicators_in(group)]
    assert shipped == [f"{group}.{name}" for name in names]
    assert framework.group(group).kind == GROUP_KINDS[group]


@pytest.mark.parametrize("code", ["wm", "seraf"])
def test_frameworks_of_the_spec_have_no_other_indicators(code):
    framework = registry.get(code)
    contract = {f"{g}.{n}" for g, names in SPEC_CODES[code].items() for n in names.split()}
    assert {i.code for i in framework.indicators} == contract


def test_sera_adds_only_its_checklist_beside_the_level_signals():
    framework = registry.get("sera")
    extra = {i.code for i in framework.indicators} - {
        f"{g}.{n}" for g, names in SPEC_CODES["sera"].items() for n in names.split()
    }
    assert {code.rsplit(".", 1)[0] for code in extra} == {"sera.p", "sera.b", "sera.s", "sera.f"}
    assert all(framework.kind_of(code) == "checklist" for code in extra)


def test_sera_levels_are_levels_and_seraf_has_four_categories():
    assert registry.get("sera").category_noun == "level"
    assert [c.label for c in registry.get("seraf").categories] == [
        "Not at risk", "Mild risk", "Moderate risk", "Significant risk"]
    assert [c.label for c in registry.get("sera").categories] == [
        "Lower risk", "Medium risk", "High risk"]


def test_bristol_is_a_checklist_of_risk_push_and_pull_factors():
    framework = registry.get("bristol")
    assert framework.kind == "checklist" and not framework.categories
    assert [g.code for g in framework.groups] == ["bristol.risk", "bristol.push", "bristol.pull"]
    assert len(framework.indicators_in("bristol.risk")) == 12
    assert len(framework.indicators_in("bristol.push")) == 6
    assert len(framework.indicators_in("bristol.pull")) == 8


def _every_shipped_indicator():
    return [(f.code, i) for f in registry.load().values() for i in f.indicators]


@pytest.mark.parametrize(("framework", "indicator"), _every_shipped_indicator(),
                         ids=lambda x: getattr(x, "code", x))
def test_shown_wording_is_child_centred(framework, indicator):
    # SPEC §12: the product's words never describe the child as the problem; the seed's own
    # words are kept only as the cited source.
    assert language.check(indicator.wording) == []
    assert indicator.citation.startswith(tuple(p.short for p in sources.PROCEDURES))


def test_seed_wording_that_blames_the_child_is_never_shown():
    sera = registry.get("sera")
    assert "promiscuity" in sera.indicator("sera.b.self_harm_low_esteem").seed_wording
    assert "sexually active" in sera.indicator("sera.b.sexual_activity").seed_wording
    seraf = registry.get("seraf")
    assert "sex work" in seraf.indicator("seraf.s.sex_work_areas").seed_wording
