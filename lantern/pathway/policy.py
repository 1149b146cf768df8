"""The policy profiles an area can adopt: the files shipped in lantern/pathway/profiles/
(loaded and validated at start-up) and the local profiles an administrator defines in the
database as overrides of one of them (validated the same way when saved)."""

from functools import cache
from pathlib import Path

from lantern.domain.profiles import Profile, ProfileError, build_local, load_directory

DIRECTORY = Path(__file__).parent / "profiles"


@cache
def _files() -> dict[str, tuple[dict, Profile]]:
    return load_directory(DIRECTORY)


def load() -> None:
    """Load and validate every shipped profile (called when Lantern starts)."""
    _files()


def file_codes() -> list[str]:
    return sorted(_files())


def file_profile(code: str) -> Profile:
    try:
        return _files()[code][1]
    except KeyError:
        raise LookupError(f"unknown profile '{code}' (known: {', '.join(file_codes())})") from None


def build(code: str, base: str, overrides: str) -> Profile:
    """A local profile from its base and overrides; ProfileError names any problem."""
    if code in _files():
        raise ProfileError(f"local profile '{code}': the name is taken by a shipped profile")
    if base not in _files():
        raise ProfileError(f"local profile '{code}': unknown base profile '{base}'")
    profile = build_local(code, base, _files()[base][0], overrides)
    from lantern.domain.frameworks import FrameworkError
    from lantern.screening import registry

    try:
        registry.split_frameworks(profile.frameworks, f"local profile '{code}'")
    except FrameworkError as error:
        raise ProfileError(str(error)) from None
    return profile


def get(code: str) -> Profile:
    """A shipped or local profile by code. LookupError when there is none."""
    if code in _files():
        return _files()[code][1]
    from .models import LocalProfile

    local = LocalProfile.objects.filter(code=code).first()
    if local is None:
        raise LookupError(f"unknown profile '{code}' (known: {', '.join(codes())})")
    return build(local.code, local.base, local.overrides)


def codes() -> list[str]:
    from .models import LocalProfile

    return file_codes() + list(LocalProfile.objects.order_by("code").values_list("code",
                                                                              flat=True))


def for_area(area) -> Profile:
    return get(area.policy_profile)


def choices() -> list[tuple[str, str]]:
    """(code, name) of every profile an area may adopt, for the administrator."""
    from .models import LocalProfile

    shipped = [(code, profile.name) for code, (_d, profile) in sorted(_files().items())]
    local = [(lp.code, f"{lp.name} (local, based on {lp.base})")
             for lp in LocalProfile.objects.order_by("code")]
    return shipped + local
