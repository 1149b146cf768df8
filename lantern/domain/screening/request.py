"""The request `lantern screen` reads: one JSON object, checked key by key so a misspelt flag
(which could hide a hard floor) never passes silently. No Django."""

from collections.abc import Mapping

from .common import SOCIAL_WORKER, ScreeningInput, ScreeningInputError

# The facts a screening may carry besides the indicators, as `lantern screen` reads them.
REQUEST_FIELDS = ("age", "indicators", "learning_disability", "additional_needs", "s47_cse",
                  "screener_role", "partner_age")


def _flag(data: Mapping[str, object], name: str) -> bool:
    value = data.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ScreeningInputError(f"{name} must be true or false, not {value!r}")
    return value


def _whole_number(data: Mapping[str, object], name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScreeningInputError(f"{name} must be a whole number of years, not {value!r}")
    return value


def input_from_request(data: object) -> ScreeningInput:
    """A ScreeningInput from the JSON object of the CLI contract: `age` and `indicators` are
    required, the flags default to false and `screener_role` to "social_worker". Anything
    else is refused naming the offending key or value, so a misspelt flag (which could hide a
    hard floor) never passes silently."""
    if not isinstance(data, dict):
        raise ScreeningInputError(f"the input must be a JSON object, not {data!r}")
    unknown = sorted(set(data) - set(REQUEST_FIELDS))
    if unknown:
        raise ScreeningInputError(
            f"unknown field {', '.join(repr(k) for k in unknown)}; expected "
            f"{', '.join(REQUEST_FIELDS)}"
        )
    for name in ("age", "indicators"):
        if name not in data:
            raise ScreeningInputError(f"'{name}' is required")
    age = _whole_number(data, "age")
    if age is None:
        raise ScreeningInputError("age must be a whole number of years, not None")
    indicators = data["indicators"]
    if not isinstance(indicators, list) or not all(isinstance(c, str) for c in indicators):
        raise ScreeningInputError(f"indicators must be a list of codes, not {indicators!r}")
    role = data.get("screener_role", SOCIAL_WORKER)
    if role is None:
        role = SOCIAL_WORKER
    if not isinstance(role, str) or not role.strip():
        raise ScreeningInputError(f"screener_role must be a role or job title, not {role!r}")
    return ScreeningInput(
        age=age,
        indicators=frozenset(indicators),
        learning_disability=_flag(data, "learning_disability"),
        additional_needs=_flag(data, "additional_needs"),
        s47_cse=_flag(data, "s47_cse"),
        screener_role=role.strip(),
        partner_age=_whole_number(data, "partner_age"),
    )
