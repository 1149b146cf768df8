"""Who a child or a subject is: ethnic group (ONS 2021), nationality, sex or gender and
disability, each either recorded, "not known" with the reason it is not known, or not yet
asked (`lantern/domain/data/demographics.toml`; issue 16 item 5). No Django.

A value of "not_known" needs a reason; a recorded value carries none (any reason given with it
is dropped); a blank value with a reason is "not known" too (a free-text nationality left blank
because the source did not record it). Monitoring counts the three states apart."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from . import datafile
from .datafile import DataFileError, Schema, Text

DATA = Path(__file__).parent / "data"
NOT_KNOWN = "not_known"
Status = Literal["recorded", "not_known", "missing"]


class DemographicsDataError(DataFileError):
    """demographics.toml is malformed."""


class EthnicityFile(Schema):
    code: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    group: Text
    label: Text


class DemographicsFile(Schema):
    version: Text
    ethnicities: list[EthnicityFile] = Field(min_length=1)
    sexes: dict[str, Text] = Field(min_length=1)
    disability: dict[Literal["yes", "no"], Text] = Field(min_length=2)
    not_known_reasons: dict[str, Text] = Field(min_length=1)


@cache
def data() -> DemographicsFile:
    loaded = datafile.load(DATA / "demographics.toml", DemographicsFile, DemographicsDataError)
    codes = [e.code for e in loaded.ethnicities]
    if len(set(codes)) != len(codes) or NOT_KNOWN in codes:
        raise DemographicsDataError.at("lantern/domain/data/demographics.toml", "ethnicities",
                                       "each code must be used once, and not be not_known")
    return loaded


def ethnicity_choices() -> list[tuple[str, str]]:
    """(code, "Group: label") in the order of the classification, then "Not known"."""
    return [(e.code, f"{e.group}: {e.label}") for e in data().ethnicities] + [
        (NOT_KNOWN, "Not known")]


def ethnicity_labels() -> dict[str, str]:
    return dict(ethnicity_choices())


def sex_choices() -> list[tuple[str, str]]:
    return [*data().sexes.items(), (NOT_KNOWN, "Not known")]


def disability_choices() -> list[tuple[str, str]]:
    return [*data().disability.items(), (NOT_KNOWN, "Not known")]


def reason_choices() -> list[tuple[str, str]]:
    return list(data().not_known_reasons.items())


def status(value: str, reason: str | None) -> Status:
    if value and value != NOT_KNOWN:
        return "recorded"
    if reason and reason in data().not_known_reasons:
        return "not_known"
    return "missing"


@dataclass(frozen=True)
class Checked:
    reasons: dict[str, str]  # field -> reason, for the fields not known
    problems: dict[str, str]  # field -> what is wrong, in words for an error message


def check(values: Mapping[str, str], reasons: Mapping[str, str],
          names: Mapping[str, str]) -> Checked:
    """Each field of `values` (field -> value) against its reason. `names` says how a message
    names each field ("the person's ethnic group"). A "not known" without a valid reason is a
    problem; a recorded value drops its reason."""
    kept: dict[str, str] = {}
    problems: dict[str, str] = {}
    allowed = data().not_known_reasons
    for field, value in values.items():
        reason = (reasons.get(field) or "").strip()
        if value and value != NOT_KNOWN:
            continue
        if reason in allowed:
            kept[field] = reason
        elif reason:
            problems[field] = f"Select why {names[field]} is not known from the list"  # noqa: S608
        elif value == NOT_KNOWN:
            problems[field] = f"Select why {names[field]} is not known"
    return Checked(kept, problems)
