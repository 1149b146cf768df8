"""When something happened or is due, in words, the same in templates and in Python: for long
lists, which work each row's text out once rather than through the template's filters."""

from datetime import date

from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3


def short_datetime(value, *, all_day: bool = False) -> str:
    """`value|date:"j M Y, H:i"` (or `"j M Y"` when `all_day`) in local time, as Python: for
    long lists, which work it out once a row rather than through the template's filters."""
    local = timezone.localtime(value)
    text = short_date(local)
    return text if all_day else f"{text}, {local:%H:%M}"


def short_date(value: date) -> str:
    """`value|date:"j M Y"` for a date (or a datetime already in local time), as Python."""
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year}"


def long_date(value: date | None) -> str:
    """`value|date:"j F Y"` for a date (or a datetime already in local time), as Python; ""
    for None, as the filter gives."""
    return f"{value.day} {MONTHS[value.month]} {value.year}" if value is not None else ""


def long_datetime(local, *, all_day: bool = False) -> str:
    """`|date:"j F Y, H:i"` (or `"j F Y"` when `all_day`) of a local time, as Python."""
    return long_date(local) if all_day else f"{long_date(local)}, {local:%H:%M}"


def due_phrase(due, now=None):
    """'Overdue by 3 hours', 'due in 5 hours' or 'due in 2 days', for work trays."""
    if due is None:
        return "When judged right"
    now = now or timezone.now()
    seconds = (due - now).total_seconds()
    hours = abs(seconds) / 3600
    if hours < 1:
        amount = f"{max(1, round(abs(seconds) / 60))} minutes"
    elif hours < 48:
        n = round(hours)
        amount = f"{n} hour" + ("s" if n != 1 else "")
    else:
        n = round(hours / 24)
        amount = f"{n} days"
    return f"Overdue by {amount}" if seconds < 0 else f"Due in {amount}"
