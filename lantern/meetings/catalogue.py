"""The meetings data (lantern/meetings/data/meetings.toml), loaded and validated once."""

from functools import cache
from pathlib import Path

from lantern.domain.meetings import Catalogue, Chair, chair_for, load
from lantern.domain.profiles import Profile

PATH = Path(__file__).parent / "data" / "meetings.toml"


@cache
def get() -> Catalogue:
    return load(PATH)


def chair(profile: Profile, kind: str) -> Chair:
    """Who convenes and chairs `kind` under the profile (or the kind's default, adopted)."""
    return chair_for(get().kind(kind), profile.meeting(kind))
