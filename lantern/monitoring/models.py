"""The CSE leads directory (seed 002, appendix 1: a named lead contact in each agency; seed
004, "Resources" and "Risks": every partner agency has a nominated CSE lead): each agency
names its leads, and anyone in the partnership can find them. A lead who steps down is
marked removed, not deleted, so the directory's history stays in the audit trail."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CseLead(models.Model):
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT,
                               related_name="cse_leads")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name", "name"]
        indexes = [models.Index(fields=["agency", "removed_at"])]

    def __str__(self) -> str:
        return f"{self.name}, CSE lead for {self.agency}"
