"""The one loader of data files: strict types, unknown keys refused, one error format."""

from typing import Annotated, Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Discriminator, Field, Tag

from lantern.domain import datafile
from lantern.domain.datafile import DataFileError, Schema, Text, one_of


class Entry(Schema):
    code: Text
    count: int = 0
    weight: float = 1.0
    flag: bool = False
    colour: Annotated[str, one_of({"red", "blue"})] = "red"


class Own(Schema):
    label: Text
    hours: Annotated[int, Field(ge=1)]


class Alias(Schema):
    same_as: str


def _shape(value: Any) -> str:
    return "alias" if isinstance(value, dict) and "same_as" in value else "own"


class Example(Schema):
    version: Text
    entries: list[Entry] = []
    steps: dict[Literal["first", "second"], Annotated[
        Annotated[Own, Tag("own")] | Annotated[Alias, Tag("alias")], Discriminator(_shape)]] = {}


def _problem(data: dict[str, Any]) -> str:
    with pytest.raises(DataFileError) as error:
        datafile.validate(data, Example, "x.toml")
    return str(error.value)


def test_a_valid_file_is_read_into_its_schema():
    read = datafile.validate({"version": "1", "entries": [{"code": "a", "count": 2}],
                              "steps": {"first": {"label": "L", "hours": 3},
                                        "second": {"same_as": "first"}}}, Example, "x.toml")
    assert read.entries[0].count == 2
    assert isinstance(read.steps["second"], Alias)


# Anything TOML can hold that is not a whole number.
NOT_INT = st.one_of(st.booleans(), st.text(), st.floats(allow_nan=False),
                    st.lists(st.integers(), max_size=2),
                    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@given(NOT_INT)
def test_nothing_but_a_whole_number_is_taken_where_one_is_required(value):
    assert _problem({"version": "1", "entries": [{"code": "a", "count": value}]}).startswith(
        "x.toml: entries[0].count: expected a")


@given(st.integers())
def test_any_whole_number_is_taken_where_one_is_required(value):
    read = datafile.validate({"version": "1", "entries": [{"code": "a", "count": value}]},
                             Example, "x.toml")
    assert read.entries[0].count == value


@given(st.one_of(st.integers(), st.floats(allow_nan=False)))
def test_a_number_field_takes_whole_and_decimal_numbers(value):
    read = datafile.validate({"version": "1", "entries": [{"code": "a", "weight": value}]},
                             Example, "x.toml")
    assert read.entries[0].weight == float(value)


@pytest.mark.parametrize(("value", "problem"), [
    (True, "expected a number, got true"),
    ("3", 'expected a number, got "3"'),
    (2.5, "expected a whole number, got 2.5"),
    ([1], "expected a number, got a list"),
])
def test_a_wrong_type_is_named_as_the_file_would_write_it(value, problem):
    assert _problem({"version": "1", "entries": [{"code": "a", "count": value}]}) == (
        f"x.toml: entries[0].count: {problem}")


def test_true_is_not_a_number_and_1_is_not_true():
    assert _problem({"version": "1", "entries": [{"code": "a", "weight": True}]}) == (
        "x.toml: entries[0].weight: expected a number, got true")
    assert _problem({"version": "1", "entries": [{"code": "a", "flag": 1}]}) == (
        "x.toml: entries[0].flag: expected true or false, got 1")


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(
    lambda key: key not in Entry.model_fields))
def test_any_unknown_key_is_refused_with_the_keys_allowed(key):
    assert _problem({"version": "1", "entries": [{"code": "a", key: 1}]}) == (
        f"x.toml: entries[0].{key}: unknown key (expected one of code, count, weight, flag, "
        "colour)")


def test_a_missing_key_is_named():
    assert _problem({"entries": []}) == "x.toml: version: required, but missing"


@given(st.text(alphabet=" \t\n", max_size=4))
def test_text_that_says_nothing_is_refused(blank):
    assert _problem({"version": blank}) == "x.toml: version: must not be empty"


def test_a_value_outside_its_set_is_named_with_the_values_allowed():
    assert _problem({"version": "1", "entries": [{"code": "a", "colour": "green"}]}) == (
        'x.toml: entries[0].colour: expected one of "blue", "red", got "green"')


def test_an_unknown_table_key_lists_the_keys_allowed():
    assert _problem({"version": "1", "steps": {"third": {"same_as": "first"}}}) == (
        "x.toml: steps.third: unknown key (expected one of first, second)")


def test_the_tag_of_a_tagged_table_never_shows_in_the_key_path():
    assert _problem({"version": "1", "steps": {"first": {"label": "L", "hours": 0}}}) == (
        "x.toml: steps.first.hours: must be at least 1, got 0")
    assert _problem({"version": "1", "steps": {"first": {"same_as": "x", "hours": 1}}}) == (
        "x.toml: steps.first.hours: unknown key (expected one of same_as)")


def test_every_problem_is_reported_one_per_line():
    with pytest.raises(DataFileError) as error:
        datafile.validate({"entries": [{"count": "1"}]}, Example, "x.toml")
    assert error.value.problems == (
        "x.toml: version: required, but missing",
        "x.toml: entries[0].code: required, but missing",
        'x.toml: entries[0].count: expected a number, got "1"',
    )
    assert str(error.value) == "\n".join(error.value.problems)


def test_a_rule_check_reads_like_a_schema_problem():
    error = DataFileError.at("x.toml", ("groups", 2, "code"), "appears twice")
    assert str(error) == "x.toml: groups[2].code: appears twice"
    assert str(DataFileError.at("x.toml", "", "no entries")) == "x.toml: no entries"


@given(st.lists(st.one_of(st.integers(min_value=0, max_value=99),
                          st.from_regex(r"[a-z_]{1,8}", fullmatch=True)), max_size=6))
def test_a_key_path_writes_list_positions_in_brackets(loc):
    path = datafile.key_path(loc)
    assert path.count("[") == sum(isinstance(part, int) for part in loc)
    assert not path.startswith(".")


def test_lanterns_own_files_are_named_from_the_repository(tmp_path):
    assert datafile.name(datafile.ROOT / "lantern" / "plans" / "data" / "plans.toml") == (
        "lantern/plans/data/plans.toml")
    assert datafile.name(tmp_path / "x.toml") == str(tmp_path / "x.toml")


def test_a_file_that_is_not_toml_is_refused_naming_it(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("version = \n")
    with pytest.raises(DataFileError, match=r"broken.toml: not valid TOML: "):
        datafile.load(path, Example)


def test_a_json_file_is_read_the_same_way(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"version": "1", "entries": [{"code": "a", "count": true}]}')
    with pytest.raises(DataFileError) as error:
        datafile.load(path, Example)
    assert str(error.value) == f"{path}: entries[0].count: expected a number, got true"
    path.write_text("[1, 2]")
    with pytest.raises(DataFileError, match="expected an object at the top, got a list"):
        datafile.read(path)
