"""The one loader of every data file Lantern ships (frameworks, policy profiles, meetings, plans,
triggers, disruption factors, nicknames, missing-episode suggestions, the Bichard questions,
lawful bases, ...). No Django.

Each kind of file has a schema: pydantic models deriving from `Schema`, which are strict (a
`true` or a `"3"` where a number is required is refused, never converted) and refuse unknown
keys, so a misspelt key cannot leave a default silently in force. TOML arrays are `list` in a
schema (strict mode takes no list for a tuple); the loaders turn what they read into the
frozen domain objects the rules use. Where a table takes one of several shapes, the schema is a
pydantic discriminated union whose members carry a `Tag`; the tag never shows in a key path.

Every problem, whether the schema finds it or a rule the loader checks afterwards (a cross
reference between entries or files), is reported in one format, one line per problem:

    lantern/pathway/profiles/wales.toml: timescales.referral_decision.hours: expected a
    number, got true

(on one line): the file (relative to the repository when it is one of Lantern's own), the key
path (`[i]` for the i-th entry of a list, counted from 0) and the problem. `DataFileError.at`
builds that message for the rule checks, so they read the same as the schema's.
"""

from __future__ import annotations

import json
import tomllib
import types
import typing
from collections.abc import Collection, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Self, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Tag, ValidationError

from lantern.domain import sources

# Where Lantern's own files are named from: the directory holding the `lantern` package.
ROOT = Path(__file__).resolve().parents[2]

Key = str | int
T = TypeVar("T")
Loc = Sequence[Key]


class DataFileError(ValueError):
    """A data file (or data of that shape, such as a local profile's overrides) is malformed.
    Its message is one or more lines `where: key.path: problem`; `problems` holds them."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = tuple(problems) or (message,)

    @classmethod
    def at(cls, where: str, key: str | Loc, problem: str) -> Self:
        """The error for one problem at `key` (a dotted path, or a sequence of keys and list
        positions; empty for the file as a whole)."""
        return cls(message(where, key, problem))

    @classmethod
    def many(cls, lines: Sequence[str]) -> Self:
        return cls("\n".join(lines), lines)


def key_path(loc: Loc) -> str:
    """("timescales", "meeting", "hours") -> "timescales.meeting.hours"; ("groups", 2, "code")
    -> "groups[2].code"."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def message(where: str, key: str | Loc, problem: str) -> str:
    path = key if isinstance(key, str) else key_path(key)
    return f"{where}: {path}: {problem}" if path else f"{where}: {problem}"


def name(path: Path) -> str:
    """How messages name a file: relative to the repository for Lantern's own files."""
    resolved = path.resolve()
    if resolved.is_relative_to(ROOT):
        return resolved.relative_to(ROOT).as_posix()
    return str(path)


# --- Schemas --------------------------------------------------------------------------------

class Schema(BaseModel):
    """A table of a data file: strict types, no unknown keys, immutable once read."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


# Text that must say something (a label, a citation, a code): not empty, not only spaces.
Text = Annotated[str, AfterValidator(_not_blank)]


def one_of(allowed: Collection[str]) -> AfterValidator:
    """A validator for a string that must be one of `allowed` (for sets the code defines at run
    time; a fixed list can be a Literal)."""
    values = sorted(allowed)

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(show(v) for v in values)}, "
                             f"got {show(value)}")
        return value

    return AfterValidator(check)


# --- Reading and validating -----------------------------------------------------------------

def read(path: Path, error: type[DataFileError] = DataFileError) -> dict[str, Any]:
    """A TOML (or JSON) file's top-level table, its text as users read it: the files cite the
    procedures by the team's file names ("seed 001 §3.2"), every rule, message and page built
    from them names the published procedure (lantern.domain.sources.cited)."""
    return cited_data(_read(path, error))


def cited_data(value: T) -> T:
    """Every string in `value` (a file's tables, lists, values) with its citations named."""
    return typing.cast(T, _named(value))


def _named(value: Any) -> Any:
    if isinstance(value, str):
        return sources.cited(value)
    if isinstance(value, dict):
        return {key: _named(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_named(item) for item in value]
    return value


def _read(path: Path, error: type[DataFileError]) -> dict[str, Any]:
    where = name(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error.at(where, "", f"cannot be read: {exc}") from exc
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise error.at(where, "", f"not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise error.at(where, "", f"expected an object at the top, got {show(data)}")
        return data
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error.at(where, "", f"not valid TOML: {exc}") from exc


S = TypeVar("S", bound=BaseModel)


def validate(data: object, schema: type[S], where: str,
             error: type[DataFileError] = DataFileError) -> S:
    """`data` checked against `schema`; `error` names every problem found."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise error.many([_line(detail, schema, where) for detail in exc.errors()]) from None


def load(path: Path, schema: type[S], error: type[DataFileError] = DataFileError) -> S:
    """Read and validate one file."""
    return validate(read(path, error), schema, name(path), error)


# --- Error messages -------------------------------------------------------------------------

def show(value: object) -> str:
    """A value as the file would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, datetime | date | time):
        return f"a date or time ({value.isoformat()})"
    return type(value).__name__


EXPECTED = {
    "int_type": "a number", "int_parsing": "a number", "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number",
    "string_type": "text", "bool_type": "true or false", "bool_parsing": "true or false",
    "list_type": "a list", "tuple_type": "a list", "set_type": "a list",
    "frozen_set_type": "a list", "dict_type": "a table", "model_type": "a table",
    "model_attributes_type": "a table", "dataclass_type": "a table",
}


def _line(detail: Any, schema: type[BaseModel], where: str) -> str:
    loc, holder, annotation, key_error = _walk(schema, tuple(detail["loc"]))
    kind, got = detail["type"], detail.get("input")
    if key_error:
        problem = "unknown key"
        allowed = [str(v) for v in _literal_args(annotation)]
        if allowed:
            problem += f" (expected one of {', '.join(allowed)})"
    elif kind == "missing":
        problem = "required, but missing"
    elif kind == "extra_forbidden":
        problem = "unknown key"
        allowed = _keys(holder)
        if allowed:
            problem += f" (expected one of {', '.join(allowed)})"
    elif kind == "int_type" and isinstance(got, float):
        problem = f"expected a whole number, got {show(got)}"
    elif kind in EXPECTED:
        problem = f"expected {EXPECTED[kind]}, got {show(got)}"
    elif kind == "literal_error":
        values = _literal_values(annotation) or [str(detail["ctx"]["expected"])]
        problem = f"expected one of {', '.join(values)}, got {show(got)}"
    elif kind in {"value_error", "assertion_error"}:
        problem = str(detail["ctx"]["error"])
    elif kind == "too_short":
        count = detail['ctx']['min_length']
        problem = f"must list at least {count} {'entry' if count == 1 else 'entries'}"
    elif kind in BOUNDS:
        bound = next(iter(detail["ctx"].values()))
        problem = f"must be {BOUNDS[kind]} {bound}, got {show(got)}"
    else:
        problem = f"{detail['msg'][:1].lower()}{detail['msg'][1:]}, got {show(got)}"
    return message(where, loc, problem)


BOUNDS = {"greater_than_equal": "at least", "less_than_equal": "at most",
          "greater_than": "more than", "less_than": "less than"}


def _walk(schema: type[BaseModel], raw: tuple[Any, ...]) -> tuple[list[Key], Any, Any, bool]:
    """Follow pydantic's error location through the schema. Returns the key path as the file
    has it (without the tags of tagged unions), the annotation holding the last key, the
    annotation that key points to, and whether the error is about a table's key itself
    (a dict key pydantic refused). Anything the walk does not know gives None."""
    shown: list[Key] = []
    current: Any = schema
    holder: Any = None
    for part in raw:
        base = _unwrap(current)
        member = _tag_member(base, part)
        if member is not None:
            current = member
            continue
        if part == "[key]":
            return shown, holder, _dict_key(holder), True
        shown.append(part)
        holder, current = base, _child(base, part)
    return shown, holder, current, False


def _unwrap(annotation: Any) -> Any:
    """Annotated[X, ...] -> X, X | None -> X; a union of several schemas is kept."""
    while True:
        if typing.get_origin(annotation) is Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if typing.get_origin(annotation) in {typing.Union, types.UnionType}:
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


def _tag_member(annotation: Any, part: object) -> Any:
    """The member of a discriminated union whose `Tag` is `part`, or None."""
    if not isinstance(part, str) or typing.get_origin(annotation) not in {
            typing.Union, types.UnionType}:
        return None
    for member in typing.get_args(annotation):
        if any(isinstance(m, Tag) and m.tag == part for m in getattr(member, "__metadata__", ())):
            return typing.get_args(member)[0]
    return None


def _child(annotation: Any, part: Key) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for field_name, info in annotation.model_fields.items():
            if part in {field_name, info.alias}:
                return info.annotation
        return None
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _dict_key(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    return args[0] if typing.get_origin(annotation) is dict and args else None


def _keys(model: Any) -> list[str]:
    model = _unwrap(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [info.alias or field for field, info in model.model_fields.items()]
    return []


def _literal_args(annotation: Any) -> tuple[object, ...]:
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    return ()


def _literal_values(annotation: Any) -> list[str]:
    return [show(v) for v in _literal_args(annotation)]
