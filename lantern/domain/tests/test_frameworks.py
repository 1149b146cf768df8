import pytest

from lantern.domain import profile_frameworks
from lantern.domain.frameworks import FrameworkError, parse
from lantern.domain.sources import PROCEDURES
from lantern.screening import registry

MINIMAL = {
    "code": "xx",
    "version": "1",
    "name": "Example",
    "kind": "categorising",
    "source": "seed 999",
    "categories": [{"number": 1, "label": "Low", "citation": "seed 999 §1"}],
    "groups": [{"code": "xx1", "label": "Group", "category": 1}],
    "indicators": [{"code": "xx1.a", "group": "xx1", "wording": "A", "citation": "seed 999"}],
}


def _with(**changes):
    data = {k: (list(v) if isinstance(v, list) else v) for k, v in MINIMAL.items()}
    data.update(changes)
    return data


def test_a_minimal_framework_parses():
    framework = parse(_with(), "xx.toml")
    assert framework.indicator("xx1.a").category == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"version": ""}, "version: must not be empty"),
        ({"kind": "guesswork"}, 'kind: expected one of "categorising", "checklist", got'),
        ({"indicators": [{"code": "xx1.a", "group": "nope", "wording": "A",
                          "citation": "c"}]}, 'indicators[0].group: names unknown group "nope"'),
        ({"indicators": [{"code": "yy.a", "group": "xx1", "wording": "A", "citation": "c"}]},
         'indicators[0].code: codes start with the framework code "xx", got "yy.a"'),
        ({"indicators": [{"code": "xx1.a", "group": "xx1", "wording": "A"}]},
         "indicators[0].citation: required, but missing"),
        ({"indicators": [{"code": "xx1.a", "group": "xx1", "wording": "A", "citation": "c"},
                         {"code": "xx1.a", "group": "xx1", "wording": "B", "citation": "c"}]},
         'indicators[1].code: "xx1.a" appears twice'),
        ({"categories": [{"number": 2, "label": "x", "citation": "c"}]},
         "categories: must be numbered 1, 2, 3... in order"),
        ({"indicators": [{"code": "xx.a", "group": "xx1", "wording": "A", "citation": "c"}]},
         "indicators[0].code: codes are the group's code, a dot and a lower-case name"),
        ({"indicators": [{"code": "xx1.A b", "group": "xx1", "wording": "A",
                          "citation": "c"}]},
         "indicators[0].code: codes are the group's code, a dot and a lower-case name"),
        ({"groups": [{"code": "yy1", "label": "G", "category": 1}]},
         'groups[0].code: expected the framework code "xx" followed by a number or a dot and a'),
        ({"groups": [{"code": "xx1", "label": "G", "category": 4}]},
         "groups[0].category: expected one of the categories 1, got 4"),
        ({"groups": [{"code": "xx1", "label": "G", "kind": "hunch"}]},
         'groups[0].kind: expected one of "category", "vulnerability", "risk",'),
        ({"groups": [{"code": "xx1", "label": "G", "kind": "risk", "category": 1}]},
         "groups[0].category: a risk group has no category of its own"),
        ({"groups": [{"code": "xx1", "label": "G", "kind": "checklist"}]},
         "groups: a categorising framework needs groups that are not only checklists"),
        ({"kind": "checklist"}, "categories: a checklist framework has no categories"),
        ({"category_noun": "tier"}, 'category_noun: expected one of "category", "level", got'),
        ({"meeting_criteria": [{"code": "m", "wording": "M", "citation": "c",
                                "indicators": ["xx1.nope"]}]},
         "meeting_criteria[0].indicators: names unknown indicators: xx1.nope"),
        ({"meeting_criteria": [{"code": "m", "wording": "M", "citation": "c",
                                "facts": ["star_sign"]}]},
         'meeting_criteria[0].facts[0]: expected one of "learning_disability",'),
    ],
)
def test_a_malformed_framework_fails_naming_the_file_and_problem(changes, message):
    with pytest.raises(FrameworkError) as error:
        parse(_with(**changes), "broken.toml")
    assert str(error.value).startswith(f"broken.toml: {message}")


def test_the_shipped_west_midlands_tool_keeps_every_contract_code():
    framework = registry.get("wm")
    codes = {i.code for i in framework.indicators}
    assert len([c for c in codes if c.startswith("wm1.")]) == 21
    assert len([c for c in codes if c.startswith("wm2.")]) == 16
    assert len([c for c in codes if c.startswith("wm3.")]) == 19
    assert {"wm1.missing_or_late", "wm2.placements_breakdown", "wm3.red_light_removed"} <= codes


def test_every_shipped_indicator_cites_a_seed():
    for framework in registry.load().values():
        for indicator in framework.indicators:
            assert indicator.citation.startswith(tuple(p.short for p in PROCEDURES))


def test_a_checklist_framework_has_only_checklist_groups_and_no_categories():
    framework = parse(_with(kind="checklist", categories=[],
                            groups=[{"code": "xx1", "label": "G"}]), "list.toml")
    assert framework.group("xx1").kind == "checklist"
    assert framework.indicator("xx1.a").category is None
    with pytest.raises(FrameworkError, match="only checklist groups"):
        parse(_with(kind="checklist", categories=[],
                    groups=[{"code": "xx1", "label": "G", "kind": "risk"}]), "list.toml")


def test_groups_of_seraf_kinds_carry_no_category():
    framework = parse(_with(groups=[{"code": "xx.v", "label": "V", "kind": "vulnerability"}],
                            indicators=[{"code": "xx.v.a", "group": "xx.v", "wording": "A",
                                         "citation": "c"}]), "kinds.toml")
    assert framework.kind_of("xx.v.a") == "vulnerability"
    assert framework.indicator("xx.v.a").category is None


def test_every_shipped_categorising_framework_has_rules_and_profiles_name_real_tools():
    frameworks = registry.load()
    assert {code for (code, _v), f in frameworks.items() if f.kind == "categorising"} == {
        "wm", "seraf", "sera"}
    from lantern.pathway import policy

    for profile in policy.file_codes():
        tool, checklists = registry.frameworks_for_profile(profile)
        assert tool.kind == "categorising"
        assert all(c.kind == "checklist" for c in checklists)


@pytest.mark.parametrize(("profile", "tool", "checklists"), [
    ("coventry", "wm", []), ("wales", "seraf", []), ("stockport", "sera", []),
    ("bristol", "seraf", ["bristol"]), ("somewhere_new", "wm", []),
])
def test_each_profile_screens_with_its_tool(db, profile, tool, checklists):
    framework, alongside = registry.frameworks_for_profile(profile)
    assert framework.code == tool and [c.code for c in alongside] == checklists


def test_a_profile_naming_a_missing_framework_is_refused_naming_it():
    with pytest.raises(FrameworkError, match="profile 'nowhere' names unknown frameworks"):
        profile_frameworks.split(("zz",), registry.newest(), "profile 'nowhere'")


def test_a_profile_naming_two_categorising_tools_is_refused():
    with pytest.raises(FrameworkError, match="exactly one categorising framework"):
        profile_frameworks.split(("wm", "seraf"), registry.newest(), "profile 'two'")


def test_a_profile_names_one_tool_and_its_checklists():
    tool, checklists = profile_frameworks.split(("seraf", "bristol"), registry.newest(), "p")
    assert (tool.code, [c.code for c in checklists]) == ("seraf", ["bristol"])


def test_a_range_of_categories_reads_categories_not_categorys():
    assert parse(_with(), "xx.toml").range_name(1, 3) == "categories 1 to 3"
    assert parse(_with(category_noun="level"), "xx.toml").range_name(1, 2) == "levels 1 to 2"
