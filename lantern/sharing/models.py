"""Audit of every read and write of a child's record, and (later) information-sharing
decisions and break-glass access."""

from django.conf import settings
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only: rows cannot be updated.")

    def delete(self):
        raise TypeError("The audit trail is append-only: rows cannot be deleted.")


class AuditEvent(models.Model):
    """One row of the append-only, hash-chained audit trail. `seq` runs 1, 2, 3, ... with no
    gaps and each row carries the hash of the one before, so a changed or removed row is found
    by `lantern audit verify`. Written only by `lantern.sharing.audit.record`."""

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, related_name="audit_events"
    )
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    path = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["child", "at"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The audit trail is append-only: rows cannot be updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only: rows cannot be deleted.")


class AuditChainHead(models.Model):
    """A single row holding the last sequence number and hash. Locking it serialises audit
    writers so the chain has no forks; it also reveals rows removed from the end."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain head at row {self.last_seq}"
