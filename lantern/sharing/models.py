"""Audit of every read and write of a child's record, and (later) information-sharing
decisions and break-glass access."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django import forms


class SharingDecision(models.Model):
    """A decision to share information about a child, or not to: the seven golden rules ask
    that every such decision and its reasons are recorded (seed 000 appendix 3; seed 003 §7)."""

    class Outcome(models.TextChoices):
        SHARED = "shared", "Shared the information"
        NOT_SHARED = "not_shared", "Decided not to share"

    class Consent(models.TextChoices):
        GIVEN = "given", "Sought and given"
        REFUSED = "refused", "Sought and refused"
        NOT_SOUGHT = "not_sought", "Not sought"

    class Override(models.TextChoices):
        NONE = "", "Not overridden"
        SIGNIFICANT_HARM = "significant_harm", "To protect a child from significant harm"
        PUBLIC_INTEREST = "public_interest", "In the public interest"
        CRIME = "crime", "To prevent or detect a serious crime"

    child = models.ForeignKey(
        "foundation.Child", on_delete=models.CASCADE, related_name="sharing_decisions"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    what = models.TextField()
    recipient = models.CharField(max_length=200)
    recipient_agency = models.ForeignKey(
        "foundation.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=40)
    consent = models.CharField(max_length=20, choices=Consent.choices)
    consent_detail = models.TextField(blank=True)
    override = models.CharField(max_length=30, choices=Override.choices, blank=True)
    override_reason = models.TextField(blank=True)
    decided_by_name = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["child", "-decided_at"]),
                   models.Index(fields=["agency", "-decided_at"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} with {self.recipient} about {self.child}"


class BreakGlassGrant(models.Model):
    """Emergency, time-limited, read-only access to a child's record the user is not otherwise
    entitled to see. The reason is recorded, the CSE team manager is told, and a manager
    reviews every grant."""

    class Review(models.TextChoices):
        PENDING = "", "Not reviewed yet"
        APPROPRIATE = "appropriate", "Appropriate"
        INAPPROPRIATE = "inappropriate", "Not appropriate"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass"
    )
    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    review = models.CharField(max_length=20, choices=Review.choices, blank=True)
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    # Not stored: the review form shown with the grant, set by lantern.sharing.views.
    form: "forms.Form"

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "child", "expires_at"])]

    def __str__(self) -> str:
        return f"Emergency access by {self.user} to {self.child}"
