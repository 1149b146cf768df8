"""Workers allocated to children (the allocated social worker, usually). The children
themselves, areas, agencies and users are the foundation's (lantern.foundation.models)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Allocation(models.Model):
    """A worker allocated to a child (the allocated social worker, usually)."""

    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="allocations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="allocations")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        indexes = [models.Index(fields=["user", "ended_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_allocation_per_worker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} allocated to {self.child}"
