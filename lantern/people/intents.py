"""What the user set out to do when they went to find a child (issue 15, item 3): "record a
concern" is kept through the search and through adding a child, so the child found or added
leads straight on to it. A fixed list of names, never an address taken from the query string,
so `?next=` cannot send anyone elsewhere."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.urls import reverse

from lantern.foundation.http import url_pattern

# The intent's name in `?next=`, and the page it leads to for the child (by URL name: the
# people app names the page, it does not import the app that draws it).
INTENTS = {"concern": "pathway:record_concern"}


def clean(value: object) -> str:
    """The intent named, or "" for anything else."""
    return value if isinstance(value, str) and value in INTENTS else ""


def url_for(intent: str, child) -> str:
    """Where the child found or added leads: the intent's page, or the child's record."""
    return urls_for(intent)(child.pk)


def urls_for(intent: str) -> Callable[[object], str]:
    """`url_for` of many children (a search's results) by their ids, the address reversed
    once (foundation.http.url_pattern)."""
    return url_pattern(INTENTS.get(intent, "child"))


def add_child_url(intent: str, name: str = "", dob_parts: tuple[str, str, str] = ("", "", "")
                  ) -> str:
    """"Add a child", carrying what was searched for and the intent."""
    query = {key: value for key, value in (
        ("name", name.strip()[:200]), ("date_of_birth_day", dob_parts[0][:4]),
        ("date_of_birth_month", dob_parts[1][:4]), ("date_of_birth_year", dob_parts[2][:4]),
        ("next", intent)) if value}
    return reverse("people:add") + (f"?{urlencode(query)}" if query else "")


def split_name(name: str) -> tuple[str, str]:
    """First names and last name from a searched name: the last word is taken as the last
    name when there are two or more; one word is a first name. The user corrects either."""
    words = name.split()
    if len(words) < 2:
        return (words[0] if words else ""), ""
    return " ".join(words[:-1]), words[-1]
