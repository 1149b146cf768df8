"""The pathway from a concern to a decision at the front door (SPEC §2)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Concern(models.Model):
    """What a professional saw or heard that worries them about a child."""

    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE, related_name="concerns")
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
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

    # Not stored: the concern's link, set by lantern.pathway.queries.agency_concerns.
    url: str

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["agency", "child"]),
            # The tasking lists' new urgent concerns (issue 17): a few rows, newest first.
            models.Index(fields=["-recorded_at"], condition=models.Q(urgent=True),
                         name="concern_urgent_recent"),
            # The agency's latest concerns (the home page), newest first without a sort.
            models.Index(fields=["agency", "-recorded_at"], name="concern_agency_latest"),
        ]

    def __str__(self) -> str:
        return f"Concern about {self.child} recorded {self.recorded_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("pathway:concern", args=[self.pk])


class ConcernDiscussion(models.Model):
    """The designated safeguarding lead's discussion of a concern with the professional who
    recorded it, and what they agreed (SPEC §1; seed 000 §13, seed 001 "Professional
    response"). The concern itself is never changed: the discussion is kept beside it. The
    outcome is a code of data/discussion_outcomes.toml."""

    concern = models.OneToOneField(Concern, on_delete=models.CASCADE, related_name="discussion")
    discussed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    discussed_at = models.DateTimeField(default=timezone.now)
    discussed_with = models.CharField(max_length=200)
    notes = models.TextField()
    outcome = models.CharField(max_length=40)
    screening = models.ForeignKey(
        "screening.Screening", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text="The screening the lead confirmed, when they confirmed one.",
    )

    def __str__(self) -> str:
        return f"Discussion of {self.concern}"


class Consent(models.TextChoices):
    GIVEN = "given", "Yes, consent was given"
    REFUSED = "refused", "No, consent was refused"
    NOT_SOUGHT = "not_sought", "Consent was not sought"


class Referral(models.Model):
    """A request to the area's front door (MASH, First Response) to decide what happens next."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting decision"
        DECIDED = "decided", "Decided"

    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="referrals")
    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="referrals")
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
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
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
    # Not stored: what a row of the front door's tray draws, set by
    # lantern.pathway.queries.awaiting_decision (`url` also by child_referrals, with
    # `received_day`, for the child's record).
    url: str
    received_text: str
    received_day: str
    due_text: str
    due_words: str
    past_due: bool

    class Meta:
        ordering = ["decision_due_at"]
        indexes = [
            models.Index(fields=["area", "status", "decision_due_at"]),
            # The agency's latest referrals (the home page), newest first without a sort.
            models.Index(fields=["agency", "-received_at"], name="referral_agency_latest"),
        ]

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


class LocalProfile(models.Model):
    """A local policy profile: one of the shipped profiles (lantern/pathway/profiles/) with
    overrides an administrator writes in the same TOML form, validated the same way."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    base = models.CharField(max_length=40, help_text="The shipped profile it overrides.")
    overrides = models.TextField(
        blank=True,
        help_text="TOML, as in the shipped profiles: [timescales.STEP] tables replace the "
        "base's step by step; frameworks, reviews and meetings replace the base's.",
    )
    reason = models.TextField(help_text="Why the partnership departs from the base profile.")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Step(models.TextChoices):
    # SPEC §2, in pathway order.
    CONCERN = "concern", "Concern"
    SCREENING = "screening", "Screening"
    REFERRAL = "referral", "Referral"
    DECISION = "decision", "Front-door decision"
    ASSESSMENT = "assessment", "Assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    MEETING = "meeting", "Multi-agency meeting"
    PLAN = "plan", "Plan"
    REVIEW = "review", "Review"
    EXIT = "exit", "Exit"


class ExitRoute(models.TextChoices):
    TEAM_AROUND_CHILD = "team_around_child", "Team around the child"
    CHILD_IN_NEED = "child_in_need", "Child in need plan"
    CHILD_PROTECTION = "child_protection", "Child protection"
    CLOSE = "close", "Closed"


class Pathway(models.Model):
    """A child's way through the pathway (SPEC §2), from a concern to an exit. The state is
    the step the child is at; it changes only through lantern.pathway.actions. A child has at
    most one open pathway; a concern after an exit starts a new one."""

    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE, related_name="pathways")
    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=30, choices=Step.choices)
    # The urgent route: immediate significant harm, straight to a section 47 enquiry and an
    # urgent strategy discussion (seed 000 §13; seed 003 §11).
    urgent = models.BooleanField(default=False)
    section_47 = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    exited_at = models.DateTimeField(null=True, blank=True)
    exit_route = models.CharField(max_length=30, choices=ExitRoute.choices, blank=True)
    exit_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(exited_at__isnull=True),
                name="one_open_pathway_per_child",
            )
        ]
        indexes = [models.Index(fields=["area", "state"])]

    def __str__(self) -> str:
        return f"Pathway of {self.child}: {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.exited_at is None


class PathwayStep(models.Model):
    """One step a child's pathway went through: when it started, when it was done, and (through
    its work item) when it was due and why."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=30, choices=Step.choices)
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    # The deadline lives on the work item (one machinery for trays, overdue and escalation).
    work_item = models.OneToOneField(
        "foundation.WorkItem", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="step",
    )
    # Why there is no deadline, when there is none ("no timescale in the Bristol profile").
    no_deadline_reason = models.CharField(max_length=300, blank=True)
    urgent = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    url = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["pathway", "step"])]

    def __str__(self) -> str:
        return f"{self.get_step_display()} for {self.pathway.child}"


class MeetingRequirement(models.Model):
    """A meeting the decided category or level calls for (the profile's [[required_meetings]]):
    opened as work on the child's pathway, which cannot reach a plan or exit until it is held,
    unless a manager records an exception with the reason. Exceptions stay here, countable by
    monitoring (issue 14)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="requirements")
    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="meeting_requirements")
    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    label = models.CharField(max_length=200)
    counts = models.JSONField(default=list, help_text="Meeting kinds whose holding satisfies it")
    framework = models.CharField(max_length=20)
    category = models.PositiveSmallIntegerField()
    citation = models.CharField(max_length=300)
    required_at = models.DateTimeField()
    work_item = models.ForeignKey("foundation.WorkItem", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")
    held_at = models.DateTimeField(null=True, blank=True)
    meeting_url = models.CharField(max_length=200, blank=True)
    excepted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    excepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    exception_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["required_at", "id"]
        indexes = [models.Index(fields=["pathway", "kind"]),
                   models.Index(fields=["area", "excepted_at"])]

    def __str__(self) -> str:
        return f"{self.label} required for {self.child}"

    def get_absolute_url(self) -> str:
        return reverse("pathway:pathway", args=[self.child_id])

    @property
    def outstanding(self) -> bool:
        return self.held_at is None and self.excepted_at is None


class TrackedResponse(models.Model):
    """A response the decided category or the indicators recorded call for (the profile's
    [[responses]]: seed 001's category 3 and trafficking responses): opened as work for the
    allocated social worker, or the tray the profile names, and done with what was done. A
    child with trafficking indicators cannot leave the pathway while a response that waits for
    a decision (the National Referral Mechanism's) is undecided, unless a manager records an
    exception with the reason, kept here so monitoring counts it (issue 14, item 6)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="responses")
    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="tracked_responses")
    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    citation = models.CharField(max_length=300)
    framework = models.CharField(max_length=20)
    category = models.PositiveSmallIntegerField(null=True, blank=True)
    # The trigger indicators (trafficking) are present: some outcomes are refused, and a
    # response that waits for a decision keeps the child on the pathway until it comes.
    indicated = models.BooleanField(default=False)
    blocks_exit = models.BooleanField(default=False)
    opened_at = models.DateTimeField()
    work_item = models.ForeignKey("foundation.WorkItem", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")
    # The latest outcome recorded, and every one with what was done, who and when.
    outcome = models.CharField(max_length=40, blank=True)
    outcome_label = models.CharField(max_length=200, blank=True)
    history = models.JSONField(default=list)
    decided_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    excepted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    excepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    exception_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [models.UniqueConstraint(fields=["pathway", "code"],
                                               name="one_tracked_response_per_pathway")]
        indexes = [models.Index(fields=["area", "excepted_at"])]

    def __str__(self) -> str:
        return f"{self.label} for {self.child}"

    def get_absolute_url(self) -> str:
        return reverse("pathway:pathway", args=[self.child_id])

    @property
    def holds_exit(self) -> bool:
        """The child cannot leave the pathway because of it (no decision, no exception)."""
        return self.blocks_exit and self.decided_at is None and self.excepted_at is None


class AdultReferral(models.Model):
    """Telling adult safeguarding of a young person aged 18 or over at risk (issue 14, item
    10): opened once per pathway as work for the allocated social worker, or the tray the
    profile's [adult_safeguarding] names, by the route the area's nation uses (the Care Act in
    England, adult protection in Wales). Done by recording the referral (when, to whom, their
    reference), or by a manager's exception with the reason, kept here so monitoring counts
    it."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE,
                                related_name="adult_referrals")
    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="adult_referrals")
    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=200)
    citation = models.CharField(max_length=300)
    # What found the young person at risk, in words ("Screening: SERAF category 3, aged 19").
    trigger = models.CharField(max_length=300)
    opened_at = models.DateTimeField()
    work_item = models.ForeignKey("foundation.WorkItem", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")
    referred_on = models.DateField(null=True, blank=True)
    referred_to = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    excepted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    excepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    exception_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [models.UniqueConstraint(fields=["pathway"],
                                               name="one_adult_referral_per_pathway")]
        indexes = [models.Index(fields=["area", "excepted_at"])]

    def __str__(self) -> str:
        return f"Adult safeguarding told of {self.child}"

    def get_absolute_url(self) -> str:
        return reverse("pathway:pathway", args=[self.child_id]) + f"#adult-referral-{self.pk}"

    @property
    def outstanding(self) -> bool:
        return self.recorded_at is None and self.excepted_at is None
