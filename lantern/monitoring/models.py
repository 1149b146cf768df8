"""The CSE leads directory (seed 002, appendix 1: a named lead contact in each agency; seed
004, "Resources" and "Risks": every partner agency has a nominated CSE lead): each agency
names its leads, and anyone in the partnership can find them. A lead who steps down is
marked removed, not deleted, so the directory's history stays in the audit trail."""

from django.conf import settings
from django.db import models
from django.urls import reverse
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


class TaskingDecision(models.Model):
    """What a daily or weekly tasking meeting decided about one item of its list (seed 004:
    "daily and weekly tasking meetings in the MASSH"), with the action it agreed, when one was:
    the action is a work item owned by the person named."""

    class Cadence(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    held_on = models.DateField()
    item_key = models.CharField(max_length=80)
    item_label = models.CharField(max_length=300)
    child = models.ForeignKey("foundation.Child", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    decision = models.TextField()
    action_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    action_due_on = models.DateField(null=True, blank=True)
    work_item = models.OneToOneField("foundation.WorkItem", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "decided_at"]
        constraints = [models.UniqueConstraint(
            fields=["area", "cadence", "held_on", "item_key"],
            name="one_tasking_decision_per_item_per_list")]

    def __str__(self) -> str:
        return f"{self.get_cadence_display()} tasking on {self.held_on}: {self.item_label}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:tasking") + f"?list={self.cadence}"
