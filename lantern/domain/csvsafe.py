"""Cells for a CSV download that a spreadsheet will not run as a formula (CSV injection,
OWASP): text beginning with = + - @, a tab or a carriage return is prefixed with an
apostrophe, which spreadsheets read as "this is text". Numbers are written as they are. An
agency's or a place's name is typed by people, so any text may begin that way. No Django here."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def row(values: list[object]) -> list[str | int | float]:
    return [cell(v) for v in values]
