"""The framework definitions shipped in lantern/screening/frameworks/, loaded once."""

from functools import cache
from pathlib import Path

from lantern.domain import profile_frameworks
from lantern.domain.frameworks import Framework, FrameworkError, load_directory
from lantern.domain.profiles import Profile
from lantern.domain.screening import ScreeningInputError, check_framework
from lantern.pathway import queries as pathway_queries

DIRECTORY = Path(__file__).parent / "frameworks"


@cache
def load() -> dict[tuple[str, str], Framework]:
    frameworks = load_directory(DIRECTORY)
    for framework in frameworks.values():
        try:
            check_framework(framework)
        except ScreeningInputError as exc:
            raise FrameworkError(str(exc)) from exc
    return frameworks


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


# The frameworks each policy profile screens with (SPEC §4): first its categorising tool, then
# any checklists shown alongside it. The one mapping until policy profiles are data files.
# - coventry: the West Midlands regional tool (seed 001).
# - wales: SERAF (seed 002 §5.6-5.7).
# - stockport: the SERA levels with their checklist (seed 000 §5, §11).
# - bristol: seed 003 has no categorising tool of its own and says a tool is never an
#   assessment (§5). Of the tools it recognises (§6), the one in the seeds is SERAF, used by
#   Avon and Somerset Constabulary across the area, so Bristol screens with SERAF, with its
#   own push, pull and risk factors (§3) alongside. (Its children's social care use an adapted
#   NWG checklist that is not among the seeds.)
# An area whose profile cannot be found screens with the West Midlands tool, the regional
# default every area starts with (Area.policy_profile defaults to "coventry"). Which tools each
# profile uses is data: `frameworks` in lantern/pathway/profiles/*.toml.
DEFAULT_FRAMEWORKS = ("wm",)


def newest() -> dict[str, Framework]:
    """Each framework's newest version, by code."""
    return {code: get(code) for code in codes()}


def split_frameworks(codes, where: str) -> tuple[Framework, list[Framework]]:
    """A profile's frameworks: exactly one categorising tool, and checklists shown alongside.
    FrameworkError names the profile and the problem."""
    return profile_frameworks.split(codes, newest(), where)


def check_profile(profile: Profile, where: str) -> None:
    """The frameworks a policy profile names exist, one of them categorising. Run on every
    shipped profile at start-up and on every local profile when it is built
    (lantern.screening.apps registers it with lantern.pathway)."""
    split_frameworks(profile.frameworks, where)
    # The indicators that call for a tracked response (trafficking) are the framework's own.
    frameworks = newest()
    for i, response in enumerate(profile.responses):
        framework = frameworks.get(response.framework)
        for code in response.indicators:
            if framework is None or not framework.has_indicator(code):
                raise ValueError(f"{where}: responses[{i}].indicators: {code!r} is not an "
                                 f"indicator of the {response.framework!r} framework")


def frameworks_for_profile(profile: str) -> tuple[Framework, list[Framework]]:
    """The profile's categorising framework and the checklists shown alongside it (newest
    versions)."""
    try:
        codes = pathway_queries.profile(profile).frameworks
    except LookupError:
        codes = DEFAULT_FRAMEWORKS
    return split_frameworks(codes, f"profile {profile!r}")


def framework_for_profile(profile: str) -> Framework:
    return frameworks_for_profile(profile)[0]


def categorising_codes() -> list[str]:
    return sorted({code for (code, _v), f in load().items() if f.kind == "categorising"})
