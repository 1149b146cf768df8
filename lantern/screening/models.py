"""A screening: the professional's judgement of a child's risk, aided by a framework."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import registry


class Screening(models.Model):
    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="screenings")
    concern = models.ForeignKey(
        "pathway.Concern", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="screenings",
    )
    # The framework code and version used, so an old screening reads as it was made even after
    # the framework changes.
    framework = models.CharField(max_length=20)
    framework_version = models.CharField(max_length=20)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)
    indicators = models.JSONField(default=list)
    evidence = models.JSONField(default=dict, blank=True)
    suggested_min = models.PositiveSmallIntegerField()
    suggested_max = models.PositiveSmallIntegerField()
    floor = models.PositiveSmallIntegerField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    required_actions = models.JSONField(default=list)
    final_category = models.PositiveSmallIntegerField()
    rationale = models.TextField(blank=True)
    analysis = models.TextField()
    child_views = models.TextField(blank=True)
    protective_factors = models.TextField(blank=True)
    by_social_worker = models.BooleanField(default=False)
    # The facts besides the indicators that the rules used: age in years on the day, learning
    # disability, additional needs, s47 with CSE presenting, the partner's age, the screener's
    # role (lantern.domain.screening.ScreeningInput).
    facts = models.JSONField(default=dict, blank=True)
    # Checklists ticked alongside the framework, by code: {"bristol": {"version": "2017.1",
    # "items": ["bristol.risk.going_missing", ...]}}. Their evidence is in `evidence`.
    checklists = models.JSONField(default=dict, blank=True)
    # What the framework requires for the category decided on (SPEC §3, issue 3).
    requires_referral = models.BooleanField(default=False)
    strategy_meeting = models.CharField(max_length=20, blank=True)
    adult_route = models.BooleanField(default=False)

    class Meta:
        ordering = ["-screened_at"]
        indexes = [models.Index(fields=["child", "-screened_at"])]

    def __str__(self) -> str:
        return f"{self.framework} screening of {self.child}: category {self.final_category}"

    def get_absolute_url(self) -> str:
        return reverse("screening:detail", args=[self.pk])

    @property
    def framework_definition(self):
        return registry.get(self.framework, self.framework_version)

    @property
    def final_category_label(self) -> str:
        return self.framework_definition.category(self.final_category).label

    @property
    def final_category_name(self) -> str:
        """"category 2" or "level 2", as the framework says it."""
        return self.framework_definition.category_name(self.final_category)

    @property
    def suggestion_label(self) -> str:
        if self.suggested_min == self.suggested_max:
            return f"{self.suggested_min}"
        return f"{self.suggested_min} to {self.suggested_max}"

    @property
    def suggestion_name(self) -> str:
        return self.framework_definition.range_name(self.suggested_min, self.suggested_max)


class BichardAssessment(models.Model):
    """The initial risk assessment for a young person under 18 about whom there are concerns of
    sexual activity (seed 000, appendix 2 and flowchart): the Bichard questions, the
    discussion with a manager or safeguarding lead, the decision whether to refer to children's
    social care with its reasons, and consent."""

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_KNOWN = "not_known", "Not known"

    class Consent(models.TextChoices):
        GIVEN = "given", "Sought and given"
        REFUSED = "refused", "Sought and refused"
        NOT_SOUGHT = "not_sought", "Not sought"

    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="bichard_assessments")
    questions_version = models.CharField(max_length=20)
    # {question code: {"answer": "yes" | "no" | "not_known", "note": "..."}}
    answers = models.JSONField(default=dict)
    other_person_age = models.PositiveSmallIntegerField(null=True, blank=True)
    discussed_with = models.CharField(max_length=200)
    refer_to_social_care = models.BooleanField()
    reasons = models.TextField()
    consent = models.CharField(max_length=20, choices=Consent.choices)
    consent_detail = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "Bichard assessment"
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"Bichard assessment of {self.child}"

    def get_absolute_url(self) -> str:
        return reverse("screening:bichard", args=[self.pk])
