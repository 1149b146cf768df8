"""The pathway from a concern to a decision at the front door (SPEC §2)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Concern(models.Model):
    """What a professional saw or heard that worries them about a child."""

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="concerns")
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    observed_on = models.DateField()
    observed_time = models.TimeField(null=True, blank=True)
    narrative = models.TextField()
    child_words = models.TextField(
        blank=True, help_text="What the child said, in their own words (seed 003 §7)."
    )
    urgent = models.BooleanField(default=False)
    discussed_with = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["agency", "child"])]

    def __str__(self) -> str:
        return f"Concern about {self.child} recorded {self.recorded_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("pathway:concern", args=[self.pk])


class Consent(models.TextChoices):
    GIVEN = "given", "Yes, consent was given"
    REFUSED = "refused", "No, consent was refused"
    NOT_SOUGHT = "not_sought", "Consent was not sought"


class Referral(models.Model):
    """A request to the area's front door (MASH, First Response) to decide what happens next."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting decision"
        DECIDED = "decided", "Decided"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="referrals")
    area = models.ForeignKey("people.Area", on_delete=models.PROTECT, related_name="referrals")
    concern = models.ForeignKey(
        Concern, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    screening = models.ForeignKey(
        "screening.Screening", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="referrals",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    urgent = models.BooleanField(default=False)
    # seed 000 §13: refusal of consent never by itself stops a referral; the reason for
    # referring without consent is recorded.
    consent = models.CharField(max_length=20, choices=Consent.choices)
    consent_detail = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    decision_due_at = models.DateTimeField(db_index=True)
    due_basis = models.CharField(max_length=300)

    class Meta:
        ordering = ["decision_due_at"]
        indexes = [models.Index(fields=["area", "status", "decision_due_at"])]

    def __str__(self) -> str:
        return f"Referral of {self.child} received {self.received_at:%d %b %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("pathway:referral", args=[self.pk])

    def is_overdue(self, now=None) -> bool:
        return self.status == self.Status.AWAITING and self.decision_due_at < (
            now or timezone.now()
        )


class Outcome(models.TextChoices):
    # The decisions the front door takes on a referral (issue 2; SPEC §2).
    NO_FURTHER_ACTION = "nfa", "No further action"
    SINGLE_AGENCY = "single_agency", "Single-agency support"
    EARLY_HELP = "early_help", "Early help"
    ASSESSMENT = "assessment", "Assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    SECTION_47 = "section_47", "Section 47 enquiry"


class Decision(models.Model):
    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.referral.child}"

    @property
    def on_time(self) -> bool:
        return self.decided_at <= self.referral.decision_due_at


class WorkItem(models.Model):
    """Something someone must do for a child by a deadline: decide a referral, re-screen,
    hold a meeting, interview after a missing episode... Every app opens and closes work items
    through lantern.pathway.work, so every tray, overdue check and escalation reads one table.
    `due_at` is computed when the item opens (or its basis changes) and stored, never counted
    down; `basis` says which rule set it, in words a worker understands."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    child = models.ForeignKey(
        "people.Child", on_delete=models.CASCADE, null=True, blank=True,
        related_name="work_items",
    )
    area = models.ForeignKey("people.Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    # Either a named owner, or a role in the area (e.g. the front door) when nobody is named.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="work_items",
    )
    owner_role = models.CharField(max_length=20, blank=True)
    due_at = models.DateTimeField(db_index=True)
    basis = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    # What the item is about, e.g. ("pathway.referral", "42"); with `url` to open it.
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=60, blank=True)
    url = models.CharField(max_length=200, blank=True)
    # Set by the background loop (`lantern work`) when it notices and escalates.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["area", "status", "due_at"]),
            models.Index(fields=["owner", "status", "due_at"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_at:%Y-%m-%d %H:%M})"

    def is_overdue(self, now=None) -> bool:
        return self.status == self.Status.OPEN and self.due_at < (now or timezone.now())
