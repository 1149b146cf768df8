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

    # Set on a worker's list of allocations (lantern.people.queries.allocated_to).
    child_url: str

    class Meta:
        indexes = [
            models.Index(fields=["user", "ended_at"]),
            # A worker's open allocations with their children's keys, read from the index alone
            # (PostgreSQL; elsewhere a plain index): their home page sorts a heavy social
            # worker's 2,486 by the child's name, and read 557 table pages to find them first.
            models.Index(fields=["user"], include=["child", "id"],
                         condition=models.Q(ended_at__isnull=True),
                         name="allocation_open_by_user"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_allocation_per_worker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} allocated to {self.child}"


class ChildMerge(models.Model):
    """Two records of one child joined by the front door (issue 15, item 2): `merged` now
    points at `kept`, and what moved is listed in `moves` so that undoing the merge moves
    exactly that back. Nothing is deleted, either way."""

    kept = models.ForeignKey("foundation.Child", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("foundation.Child", on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    # Why the records were thought the same when they were merged (duplicates.reasons).
    evidence = models.JSONField(default=list, blank=True)
    # Rows the merged record had one of, as the kept record did, set aside so the kept
    # record's carries on ({"pathway.Pathway": [pk]}); undoing the merge restores them.
    set_aside = models.JSONField(default=dict, blank=True)
    # Open work the merge changed, so nobody is asked to act on the merged record
    # ({"closed": [WorkItem pk], "repointed": [WorkItem pk]}): closed, the work of a pathway set
    # aside and the possible matches the merge answers; re-pointed at the kept record, work
    # about the merged record itself. Undoing the merge reopens and points back exactly these.
    work = models.JSONField(default=dict, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "merge of child records"
        verbose_name_plural = "merges of child records"
        indexes = [models.Index(fields=["kept", "undone_at"])]

    def __str__(self) -> str:
        return f"record {self.merged_id} merged into {self.kept_id}"


class MergeMove(models.Model):
    """One row moved from the merged record to the kept one: its model, the field that names
    the child, and its primary key."""

    merge = models.ForeignKey(ChildMerge, on_delete=models.PROTECT, related_name="moves")
    model = models.CharField(max_length=100)  # app_label.ModelName
    field = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=40)

    class Meta:
        verbose_name = "row moved by a merge"
        verbose_name_plural = "rows moved by a merge"

    def __str__(self) -> str:
        return f"{self.model} {self.object_pk}"
