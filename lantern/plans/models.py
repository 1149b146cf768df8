"""The one plan per child (SPEC §6; seed 001: "there should only ever be one plan for the
child"): safety, disruption and support actions, each with its owner (person and agency), due
date, status, the risk it addresses and its history; the reviews of the plan; and the outcome
measures recorded at the start and at each review.

A child has at most one active plan: the database refuses a second (a partial unique index),
and every change names the version it started from, so two people editing at once never
overwrite each other (lantern.plans.actions.StalePlan)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lantern.foundation.models import Marking


class Plan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    child = models.ForeignKey("foundation.Child", on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    agreed_at_meeting = models.ForeignKey("meetings.Meeting", on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+")
    next_review_on = models.DateField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    protective_marking = models.CharField(max_length=30, choices=Marking.choices,
                                          default=Marking.OFFICIAL_SENSITIVE)
    # Optimistic locking: every change to the plan or its actions names the version it started
    # from and moves it on.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=models.Q(status="active"),
                                    name="one_active_plan_per_child"),
        ]

    def __str__(self) -> str:
        return f"Plan for child {self.child_id}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.child_id])


class PlanAction(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20)  # lantern/plans/data/plans.toml action_kinds
    disruption_type = models.CharField(max_length=20, blank=True)
    # SPEC §6: disruption actions are against named subjects (lantern.intelligence).
    subject = models.ForeignKey("intelligence.Subject", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="disruption_actions")
    description = models.TextField()
    risk = models.TextField(help_text="The risk the action addresses")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="plan_actions")
    # An owner without a Lantern account (a foster carer, a parent): named, with their agency.
    owner_name = models.CharField(max_length=200, blank=True)
    owner_agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    owner_agency_name = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=20, default="not_started")
    # Child Abduction Warning Notice (seed 002, appendix 3)
    parent_statement = models.BooleanField(default=False)
    served_on = models.DateField(null=True, blank=True)
    # Search of premises under PACE Code B (seed 002, appendix 3)
    occupier_consent_or_power = models.BooleanField(default=False)
    advisories_given = models.BooleanField(default=False)
    # Deadlines go through the one work-item machinery (trays, overdue, escalation).
    work_item = models.OneToOneField("foundation.WorkItem", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    agreed_at_meeting = models.ForeignKey("meetings.Meeting", on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    # Not stored: the words for the plan's page, set by lantern.plans.queries.
    kind_label: str
    status_label: str
    is_open: bool
    tactic_label: str

    class Meta:
        ordering = ["kind", "due_on", "id"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} action {self.pk} of plan {self.plan_id}"

    def get_absolute_url(self) -> str:
        return reverse("plans:action", args=[self.pk])

    @property
    def owner_display(self) -> str:
        person = self.owner.display_name if self.owner is not None else self.owner_name
        agency = (self.owner_agency.name if self.owner_agency is not None
                  else self.owner_agency_name)
        return f"{person}, {agency}" if agency else person


class ActionEvent(models.Model):
    """The history of an action as people read it on the plan: what changed, when, by whom."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.what


class Breach(models.Model):
    """A breach of a Child Abduction Warning Notice (seed 002, appendix 3)."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="breaches")
    occurred_on = models.DateField()
    detail = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "breaches"
        ordering = ["occurred_on", "id"]
        # The tasking lists' breaches recorded since the last meeting (issue 17).
        indexes = [models.Index(fields=["-recorded_at"], name="breach_recorded")]

    def __str__(self) -> str:
        return f"Breach on {self.occurred_on}"


class PlanReview(models.Model):
    """The plan reviewed at a review meeting (seed 001: the one plan is regularly reviewed by
    the MASE; seed 002 §6.4.1)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    summary = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["reviewed_at", "id"]

    def __str__(self) -> str:
        return f"Review of plan {self.plan_id}"


class MeasureRecord(models.Model):
    """One outcome measure for a child on a date (seed 001: at the start and at each review)."""

    class Stage(models.TextChoices):
        START = "start", "Start of the plan"
        REVIEW = "review", "Review"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="outcome_measures")
    measure = models.CharField(max_length=40)
    value = models.IntegerField()
    note = models.CharField(max_length=300, blank=True)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    recorded_on = models.DateField()
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_on", "id"]
        indexes = [models.Index(fields=["child", "measure", "recorded_on"])]

    def __str__(self) -> str:
        return f"{self.measure} = {self.value} on {self.recorded_on}"
