"""The allocated worker's entitlement, registered with lantern.foundation.access in
PeopleConfig.ready: a worker allocated to a child sees and changes the child's record."""

from django.db.models import Exists, OuterRef, Q

from .models import Allocation


def allocated(user) -> Q:
    return Q(Exists(Allocation.objects.filter(child=OuterRef("pk"), user=user, ended_at=None)))
