"""The policy profiles an area can adopt: the files shipped in lantern/pathway/profiles/
(loaded and validated at start-up) and the local profiles an administrator defines in the
database as overrides of one of them (validated the same way when saved).

A profile also names things other apps own, such as the screening frameworks it uses. Those
apps check them: each registers a check at start-up (`add_check`, from its AppConfig.ready),
which runs on every local profile built here; they check the shipped profiles themselves when
they start. So pathway never imports the apps above it."""

from collections.abc import Callable
from functools import cache
from pathlib import Path

from lantern.domain.profiles import Profile, ProfileError, build_local, load_directory

from .models import LocalProfile

DIRECTORY = Path(__file__).parent / "profiles"

# check(profile, where) raises a ValueError naming `where` and the problem.
ProfileCheck = Callable[[Profile, str], None]
_checks: dict[str, ProfileCheck] = {}


def add_check(name: str, check: ProfileCheck) -> None:
    """Check what a profile says about another app whenever a local profile is built
    (registering the same name again replaces it)."""
    _checks[name] = check


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
    for check in _checks.values():
        try:
            check(profile, f"local profile '{code}'")
        except ProfileError:
            raise
        except ValueError as error:
            raise ProfileError(str(error)) from None
    return profile


def get(code: str) -> Profile:
    """A shipped or local profile by code. LookupError when there is none."""
    if code in _files():
        return _files()[code][1]
    local = LocalProfile.objects.filter(code=code).first()
    if local is None:
        raise LookupError(f"unknown profile '{code}' (known: {', '.join(codes())})")
    return build(local.code, local.base, local.overrides)


def codes() -> list[str]:
    return file_codes() + list(LocalProfile.objects.order_by("code").values_list("code",
                                                                              flat=True))


def for_area(area) -> Profile:
    return get(area.policy_profile)


def choices() -> list[tuple[str, str]]:
    """(code, name) of every profile an area may adopt, for the administrator."""
    shipped = [(code, profile.name) for code, (_d, profile) in sorted(_files().items())]
    local = [(lp.code, f"{lp.name} (local, based on {lp.base})")
             for lp in LocalProfile.objects.order_by("code")]
    return shipped + local
