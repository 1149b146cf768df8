"""The framework definitions shipped in lantern/screening/frameworks/, loaded once."""

from functools import cache
from pathlib import Path

from lantern.domain.frameworks import Framework, load_directory

DIRECTORY = Path(__file__).parent / "frameworks"


@cache
def load() -> dict[tuple[str, str], Framework]:
    return load_directory(DIRECTORY)


def get(code: str, version: str | None = None) -> Framework:
    """A framework by code, at `version` or else its newest version."""
    frameworks = load()
    if version is not None:
        try:
            return frameworks[(code, version)]
        except KeyError:
            raise LookupError(f"unknown framework version: {code} {version}") from None
    versions = sorted((v for (c, v) in frameworks if c == code), key=_version_key)
    if not versions:
        raise LookupError(f"unknown framework: {code}")
    return frameworks[(code, versions[-1])]


def codes() -> list[str]:
    return sorted({code for (code, _version) in load()})


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


# Which categorising framework each policy profile screens with (SPEC §4). Until the other
# frameworks are encoded, every profile uses the West Midlands tool.
PROFILE_FRAMEWORKS = {"coventry": "wm"}


def framework_for_profile(profile: str) -> Framework:
    return get(PROFILE_FRAMEWORKS.get(profile, "wm"))
