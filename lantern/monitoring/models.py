"""The CSE leads directory (seed 002, appendix 1: a named lead contact in each agency; seed
004, "Resources" and "Risks": every partner agency has a nominated CSE lead): each agency
names its leads, and anyone in the partnership can find them. A lead who steps down is
marked removed, not deleted, so the directory's history stays in the audit trail."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
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

    @property
    def reference(self) -> str:
        """How the decision is named to someone who may not see its child: "TD-12"."""
        return f"TD-{self.pk}"


class SixMonthlyReview(models.Model):
    """The partnership board's six-monthly review of its CSE strategy (seed 004, "Evaluation
    and review": the board reviews progress on the strategy six-monthly): the data set for a
    period against the period before it, and the board's own narrative. Written while a draft;
    when issued, the figures are frozen in `snapshot` (as shown, with suppression applied) and
    the narrative can no longer change."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    # The narrative's sections, in the order the review prints them.
    SECTIONS = (
        ("summary", "Summary"),
        ("themes", "Themes"),
        ("service_gaps", "Gaps in service provision"),
        ("actions", "Actions for the board"),
    )

    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    sections = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-created_at"]
        indexes = [models.Index(fields=["area", "period_end"])]

    def __str__(self) -> str:
        return f"Six-monthly review, {self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:review", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def narrative(self) -> list[tuple[str, str, str]]:
        """(key, heading, text) for each section, in order."""
        return [(key, label, str((self.sections or {}).get(key, "")))
                for key, label in self.SECTIONS]


class DipSample(models.Model):
    """One month's dip sample of an area's screenings and CSE risk assessments (seed 001:
    "Monthly audits to dip sample CSE Risk Assessments"), drawn at random with `seed` so the
    draw can be repeated and checked (lantern.domain.dipsample)."""

    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month sampled")
    size = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    candidates = models.PositiveIntegerField(help_text="How many records the month had")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)
    # Not stored: its link in the samples list (lantern.monitoring.queries.dip_samples).
    url: str

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["area", "month"],
                                               name="one_dip_sample_per_area_month")]
        # The quality-assurance permission: someone who does not hold the auditor role but
        # audits for the partnership (a practice lead of another team, say).
        permissions = [("audit_dip_sample", "May be given records of a dip sample to audit")]

    def __str__(self) -> str:
        return f"Dip sample, {self.month:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:dip_sample", args=[self.pk])


class DipSampleItem(models.Model):
    """One record of a sample, given to one auditor, who reads it through a read-only grant
    (basis dip-sample audit) that ends when they complete its audit."""

    class Kind(models.TextChoices):
        SCREENING = "screening", "Screening"
        RISK_ASSESSMENT = "risk_assessment", "CSE risk assessment"

    sample = models.ForeignKey(DipSample, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    record_id = models.PositiveBigIntegerField(
        help_text="The screening's id, or the meeting record's (screening.Screening, "
                  "meetings.MeetingChild)")
    child = models.ForeignKey("foundation.Child", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                null=True, blank=True, related_name="dip_sample_items")
    summary = models.TextField(blank=True, help_text="The auditor's overall finding")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sample", "recorded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["sample", "kind", "record_id"],
                                               name="one_dip_sample_item_per_record")]
        indexes = [models.Index(fields=["auditor", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for dip-sample audit (item {self.pk})"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:dip_sample_item", args=[self.pk])

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class DipSampleGrade(models.Model):
    """The auditor's grade and comment for one area of the quality form."""

    item = models.ForeignKey(DipSampleItem, on_delete=models.CASCADE, related_name="grades")
    area = models.CharField(max_length=40)
    grade = models.CharField(max_length=40)
    comment = models.TextField()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["item", "area"],
                                               name="one_grade_per_quality_area")]

    def __str__(self) -> str:
        return f"{self.area}: {self.grade}"


class DipSampleAction(models.Model):
    """A finding of the audit and the action it calls for: the owner's work item, due at the
    end of `due_on`."""

    item = models.ForeignKey(DipSampleItem, on_delete=models.PROTECT, related_name="actions")
    finding = models.TextField()
    action = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    due_on = models.DateField()
    work_item = models.OneToOneField("foundation.WorkItem", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"Dip-sample action {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:dip_sample_item", args=[self.item_id])


class DataSetSnapshot(models.Model):
    """The data set's counts for one slice (period, area and the other filters), counted once
    and read by every page that asks for that slice until they are counted again: by `lantern
    work` for each area's default period, or on demand (issue 17: every monitoring page is a
    few indexed reads at 100,000 children). What is kept is generic: each figure as the data
    set's functions made it, before suppression (`dataset.Figure.source`), so the figures
    any change to the data set adds are kept without changing this table, and suppression
    is applied each time they are shown."""

    key = models.CharField(max_length=64, unique=True)  # lantern.monitoring.snapshots.key
    area = models.ForeignKey("foundation.Area", on_delete=models.CASCADE, null=True,
                             blank=True, related_name="+")  # None: every area
    # The period; none for figures of the records as they are (data quality).
    since = models.DateTimeField(null=True, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    # What was counted (the whole slice, or the page), and whether places are listed
    # (analysts), to count it again.
    slice = models.JSONField(encoder=DjangoJSONEncoder)
    places = models.BooleanField(default=False)
    default_period = models.BooleanField(default=False)
    figures = models.JSONField(encoder=DjangoJSONEncoder)
    counted_at = models.DateTimeField()
    seconds = models.FloatField(help_text="How long counting took")

    class Meta:
        indexes = [models.Index(fields=["default_period", "counted_at"])]

    def __str__(self) -> str:
        return f"Data set counted at {self.counted_at:%Y-%m-%d %H:%M}"
