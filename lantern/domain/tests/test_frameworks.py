import pytest

from lantern.domain.frameworks import FrameworkError, parse
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
        ({"version": ""}, "'version' is empty"),
        ({"kind": "guesswork"}, "kind must be one of"),
        ({"indicators": [{"code": "xx1.a", "group": "nope", "wording": "A",
                          "citation": "c"}]}, "names unknown group 'nope'"),
        ({"indicators": [{"code": "yy.a", "group": "xx1", "wording": "A", "citation": "c"}]},
         "must start with the framework code"),
        ({"indicators": [{"code": "xx1.a", "group": "xx1", "wording": "A"}]},
         "missing 'citation'"),
        ({"indicators": [{"code": "xx1.a", "group": "xx1", "wording": "A", "citation": "c"},
                         {"code": "xx1.a", "group": "xx1", "wording": "B", "citation": "c"}]},
         "appears twice"),
        ({"categories": [{"number": 2, "label": "x", "citation": "c"}]},
         "numbered 1, 2, 3"),
    ],
)
def test_a_malformed_framework_fails_naming_the_file_and_problem(changes, message):
    with pytest.raises(FrameworkError) as error:
        parse(_with(**changes), "broken.toml")
    assert "broken.toml" in str(error.value)
    assert message in str(error.value)


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
            assert indicator.citation.startswith("seed ")
