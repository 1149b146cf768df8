"""The policy profiles behind every deadline: an area adopts a profile, an administrator
defines a local one. Each is audited."""

from django.db import transaction
from django.utils import timezone

from lantern.domain.profiles import ProfileError
from lantern.foundation import audit
from lantern.foundation.models import Area, User

from .. import policy
from ..models import LocalProfile


@transaction.atomic
def adopt_profile(area: Area, code: str, *, by: User) -> Area:
    """An area adopts a policy profile. Deadlines already set keep their basis; steps that start
    from now on follow the new profile."""
    policy.get(code)  # LookupError for an unknown profile
    locked = Area.objects.select_for_update().get(pk=area.pk)
    old = locked.policy_profile
    if old == code:
        return locked
    locked.policy_profile = code
    locked.save(update_fields=["policy_profile"])
    area.policy_profile = code
    audit.record(by, "update", locked, summary=f"Policy profile of {locked.name} set to {code}",
                 changes=audit.diff({"policy_profile": old}, {"policy_profile": code}))
    return locked


@transaction.atomic
def save_local_profile(*, code: str, name: str, base: str, overrides: str, reason: str,
                       by: User, instance: LocalProfile | None = None) -> LocalProfile:
    """Create or change a local profile, validated exactly as the shipped ones are
    (ProfileError names the problem)."""
    policy.build(code, base, overrides)
    if not reason.strip():
        raise ProfileError("Enter why the partnership departs from the base profile")
    fields = {"code": code, "name": name, "base": base, "overrides": overrides, "reason": reason}
    if instance is None or instance.pk is None:
        local = LocalProfile.objects.create(updated_by=by, updated_at=timezone.now(), **fields)
        audit.record(by, "create", local, summary=f"Local profile {code} created",
                     changes=audit.created(local, tuple(fields)))
        return local
    locked = LocalProfile.objects.select_for_update().get(pk=instance.pk)
    changes = audit.diff(locked, fields, changed_only=True)
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.updated_by = by
    locked.updated_at = timezone.now()
    locked.save()
    audit.record(by, "update", locked, summary=f"Local profile {code} changed", changes=changes)
    return locked
