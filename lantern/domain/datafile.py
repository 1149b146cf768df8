"""Checks every loader of a data file (profiles, meetings, plans) makes of a value, raising the
loader's own error with where in the file the problem is. No Django."""


def require(data, key: str, kind: type, where: str, error: type[Exception]):
    """`data[key]`, which must be present, of `kind` (a bool is not an int) and, for a string,
    not blank."""
    if key not in data:
        raise error(f"{where}: missing '{key}'")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise error(f"{where}: '{key}' must be {kind.__name__}, not {value!r}")
    if isinstance(value, str) and not value.strip():
        raise error(f"{where}: '{key}' is empty")
    return value
