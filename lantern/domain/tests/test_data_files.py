"""Every data file Lantern ships is read through the one schema loader: each kind refuses a
value of the wrong type, an unknown key and a missing key, naming the file and the key path."""

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lantern.domain import (
    datafile,
    demographics,
    dipsample,
    frameworks,
    intelligence_files,
    lists,
    looked_after,
    meetings,
    missing,
    notifications,
    plans,
    profiles,
)

LANTERN = Path(__file__).resolve().parents[2]


def _schema(schema: type[datafile.Schema]) -> Callable[[object, str], object]:
    def check(data: object, where: str) -> object:
        return datafile.validate(data, schema, where, intelligence_files.IntelligenceDataError)

    return check


# Each kind of file: a shipped file, what checks it (parsed data and a name -> the domain
# object), and, as key paths into it, a value of the wrong type with the problem named, a new
# unknown key, and a required key to remove.
KINDS: dict[str, tuple[str, Callable[[object, str], object], tuple[Any, ...],
                       tuple[Any, ...], tuple[Any, ...]]] = {
    "framework": (
        "screening/frameworks/wm-2015.1.toml", frameworks.parse,
        (("categories", 0, "number"), True, "expected a number, got true"),
        ("indicators", 0, "colour"), ("indicators", 0, "citation")),
    "policy profile": (
        "pathway/profiles/wales.toml", profiles.parse,
        (("timescales", "referral_decision", "hours"), True, "expected a number, got true"),
        ("timescales", "referral_decision", "minutes"),
        ("timescales", "referral_decision", "label")),
    "meetings": (
        "meetings/data/meetings.toml", meetings.parse,
        (("kinds", "cmog", "by_phone"), "no", 'expected true or false, got "no"'),
        ("invitees", "police", "email"), ("risk_assessment", "citation")),
    "plans": (
        "plans/data/plans.toml", plans.parse,
        (("statuses", 0, "open"), 1, "expected true or false, got 1"),
        ("measures", 0, "unit"), ("measures", 0, "better")),
    "missing-episode suggestions": (
        "missing/data/indicator_suggestions.toml", missing.parse_rules,
        (("suggestions", 0, "when"), "repeated", 'expected a list, got "repeated"'),
        ("suggestions", 0, "weight"), ("suggestions", 0, "reason")),
    "return home interview lists": (
        "missing/data/interview.toml", lists.parse_interview,
        (("push", 0, "code"), 1, "expected text, got 1"),
        ("pull", 0, "hint"), ("push", 0, "wording")),
    "transition lists": (
        "missing/data/transitions.toml", lists.parse_transitions,
        (("outcomes", 0, "citation"), [], "expected text, got a list"),
        ("notes",), ("recovery_factors", 0, "code")),
    "Bichard questions": (
        "screening/data/bichard.toml", lists.parse_bichard,
        (("questions", 0, "wording"), 3, "expected text, got 3"),
        ("questions", 0, "hint"), ("citation",)),
    "lawful bases": (
        "sharing/data/lawful_bases.toml", lists.parse_lawful_bases,
        (("bases", 0, "label"), False, "expected text, got false"),
        ("bases", 0, "article"), ("bases", 0, "citation")),
    "discussion outcomes": (
        "pathway/data/discussion_outcomes.toml", lists.parse_discussion_outcomes,
        (("outcomes", 0, "needs_screening"), "yes", 'expected true or false, got "yes"'),
        ("outcomes", 0, "colour"), ("outcomes", 0, "citation")),
    "notification rules": (
        "domain/data/notifications.toml", notifications.parse,
        (("rules", "referral_lead_officer", "tell"), "referrer",
         'expected a list, got "referrer"'),
        ("rules", "referral_lead_officer", "who"), ("rules", "referral_lead_officer", "citation")),
    "triggers": (
        "domain/data/triggers.toml", _schema(intelligence_files.TriggersFile),
        (("complex_strategy", "criteria", "same_perpetrator", "min_children"), "2",
         'expected a number, got "2"'),
        ("network_referral", "deadline"), ("network_referral", "precondition")),
    "disruption factors": (
        "domain/data/disruption.toml", _schema(intelligence_files.DisruptionFile),
        (("factors", "violence", "weight"), True, "expected a number, got true"),
        ("factors", "violence", "floor"), ("factors", "violence", "label")),
    "nicknames": (
        "domain/data/nicknames.toml", _schema(intelligence_files.NicknamesFile),
        (("names", "mohammed"), "mo", 'expected a list, got "mo"'),
        ("aliases",), ("version",)),
    "demographics": (
        "domain/data/demographics.toml", _schema(demographics.DemographicsFile),
        (("ethnicities", 0, "label"), 3, "expected text, got 3"),
        ("religions",), ("not_known_reasons",)),
    "dip-sample quality form": (
        "domain/data/dip_sample.toml", dipsample.parse,
        (("grades", 0, "label"), 3, "expected text, got 3"),
        ("areas", 0, "colour"), ("areas", 0, "citation")),
    "looked-after children": (
        "missing/data/looked_after.toml", looked_after.parse,
        (("legal_statuses", 0, "label"), 3, "expected text, got 3"),
        ("measures", "colour"), ("legal_statuses", 0, "citation")),
}


def _shipped(kind: str) -> tuple[dict[str, Any], str]:
    relative = KINDS[kind][0]
    return tomllib.loads((LANTERN / relative).read_text()), f"lantern/{relative}"


def _parent(data: dict[str, Any], path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


def _refusal(kind: str, change: Callable[[dict[str, Any]], None]) -> str:
    data, where = _shipped(kind)
    data = copy.deepcopy(data)
    change(data)
    with pytest.raises(datafile.DataFileError) as error:
        KINDS[kind][1](data, where)
    return str(error.value)


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_file_of_each_kind_passes_its_checks(kind):
    data, where = _shipped(kind)
    KINDS[kind][1](data, where)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_refuses_a_value_of_the_wrong_type_naming_file_and_key(kind):
    path, value, problem = KINDS[kind][2]

    def change(data):
        _parent(data, path)[path[-1]] = value

    assert _refusal(kind, change) == (
        f"lantern/{KINDS[kind][0]}: {datafile.key_path(path)}: {problem}")


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_refuses_an_unknown_key_naming_file_and_key(kind):
    path = KINDS[kind][3]

    def change(data):
        _parent(data, path)[path[-1]] = "anything"

    assert _refusal(kind, change).startswith(
        f"lantern/{KINDS[kind][0]}: {datafile.key_path(path)}: unknown key (expected one of ")


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_refuses_a_missing_key_naming_file_and_key(kind):
    path = KINDS[kind][4]

    def change(data):
        del _parent(data, path)[path[-1]]

    assert _refusal(kind, change) == (
        f"lantern/{KINDS[kind][0]}: {datafile.key_path(path)}: required, but missing")


def test_every_data_file_lantern_ships_has_a_kind_here():
    shipped = {path.relative_to(LANTERN).as_posix()
               for pattern in ("*.toml", "*.json") for path in LANTERN.rglob(pattern)
               if "static" not in path.parts}
    frameworks_and_profiles = {p for p in shipped
                               if p.startswith(("screening/frameworks/", "pathway/profiles/"))}
    assert shipped - frameworks_and_profiles == {relative for relative, *_ in KINDS.values()
                                                 } - frameworks_and_profiles


def test_every_shipped_framework_and_profile_loads():
    assert len(frameworks.load_directory(LANTERN / "screening" / "frameworks")) == 4
    assert set(profiles.load_directory(LANTERN / "pathway" / "profiles")) == {
        "bristol", "coventry", "stockport", "wales"}


def test_the_intelligence_files_load_from_where_they_are_shipped():
    assert intelligence_files.triggers().complex_strategy.criteria
    assert intelligence_files.disruption().factors
    assert intelligence_files.nicknames().names["mohammed"]


@pytest.mark.parametrize(("parse", "key", "entry"), [
    (lists.parse_lawful_bases, "bases", {"code": "consent", "label": "L", "citation": "c"}),
    (lists.parse_interview, "push", {"code": "p", "wording": "W", "citation": "c"}),
])
def test_a_code_twice_in_a_list_is_refused_naming_the_second(parse, key, entry):
    data = {"bases": [entry, entry]} if key == "bases" else {
        "push": [entry, entry], "pull": [entry]}
    with pytest.raises(lists.ListError) as error:
        parse(data, "x.toml")
    assert str(error.value) == f'x.toml: {key}[1].code: "{entry["code"]}" appears twice'


def test_the_bichard_questions_need_unique_codes():
    question = {"code": "q", "wording": "W"}
    with pytest.raises(lists.ListError, match=r'^x.toml: questions\[1\].code: "q" appears twice'):
        lists.parse_bichard({"version": "1", "citation": "c",
                             "questions": [question, question]}, "x.toml")


def test_a_disruption_factor_the_score_cannot_measure_is_refused():
    data, where = _shipped("disruption factors")
    data["factors"]["charm"] = dict(data["factors"]["violence"])
    with pytest.raises(datafile.DataFileError, match=r"factors.charm: unknown key \(expected"):
        KINDS["disruption factors"][1](data, where)


def test_a_trigger_criterion_with_an_unknown_role_is_refused():
    data, where = _shipped("triggers")
    data["network_referral"]["criteria"]["multiple_suspects"]["roles"] = ["bystander"]
    with pytest.raises(datafile.DataFileError) as error:
        KINDS["triggers"][1](data, where)
    assert str(error.value).startswith(
        "lantern/domain/data/triggers.toml: network_referral.criteria.multiple_suspects.roles[0]"
        ': expected one of "suspect", "facilitating", "contact", "associated", got "bystander"')
