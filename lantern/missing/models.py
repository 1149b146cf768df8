"""Missing episodes, return home interviews, missing-person profiles and transition plans
(SPEC §8, §10, §13). Going missing is "the most immediate indicator of vulnerability to
sexual exploitation" (seed 003 §3): every episode is recorded with its interview clock."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from lantern.domain import missing
from lantern.foundation.models import AgencyKind, WorkItem


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT that have no public URL: Lantern serves them only through a
    view that checks access and audits the read. Files and folders are readable by Lantern's
    own user only."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through their view")


private_storage = PrivateStorage()


def _photo_path(instance, filename: str) -> str:
    # A random name: nothing about the child in the path.
    return f"private/missing-profiles/{uuid.uuid4().hex}.jpg"


class MissingFrom(models.TextChoices):
    HOME = missing.FROM_HOME, "Home (with parents or family)"
    FOSTER_CARE = "foster_care", "Foster care"
    CHILDRENS_HOME = "childrens_home", "A children's home or residential placement"
    SUPPORTED = "supported", "Supported accommodation"
    SCHOOL = "school", "School or college"
    OTHER = "other", "Somewhere else"


class HowBack(models.TextChoices):
    FOUND_BY_POLICE = "found_by_police", "Found by police"
    FOUND_BY_OTHERS = "found_by_others", "Found by a carer, family member or professional"
    CAME_BACK = "came_back", "Came back on their own"
    COLLECTED = "collected", "Collected after getting in touch"
    OTHER = "other", "Another way"


class MissingEpisode(models.Model):
    """One time a child went missing: when, from where, who reported it; and, once they are
    back, when and where they were found, who with, how they got back, and whether police
    protection was used or harm occurred."""

    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="missing_episodes")
    missing_from = models.CharField(max_length=20, choices=MissingFrom.choices)
    # The agency that provides the child's placement or care (a fostering agency, children's
    # home, children's services): a return home interviewer must be independent of it.
    placement_agency = models.ForeignKey(
        "foundation.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    went_missing_at = models.DateTimeField()
    reported_at = models.DateTimeField()
    reported_by = models.CharField(max_length=200)
    police_reference = models.CharField(max_length=60, blank=True)
    circumstances = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    returned_at = models.DateTimeField(null=True, blank=True)
    found_where = models.CharField(max_length=300, blank=True)
    found_with = models.TextField(blank=True)
    how_back = models.CharField(max_length=20, choices=HowBack.choices, blank=True)
    how_back_detail = models.CharField(max_length=300, blank=True)
    police_protection = models.BooleanField(null=True, blank=True,
                                            help_text="Police protection (Children Act s46)")
    harm = models.BooleanField(null=True, blank=True)
    harm_detail = models.TextField(blank=True)
    return_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                           null=True, blank=True, related_name="+")
    return_recorded_at = models.DateTimeField(null=True, blank=True)

    # Not stored: the episode's open return home interview work item, set for the pages by
    # lantern.missing.queries.with_interview_items.
    rhi_item: "WorkItem | None"
    # Not stored: what the timeline draws, set by lantern.missing.queries.on_timeline.
    url: str
    went_iso: str
    went_text: str
    found_text: str
    interview_text: str

    class Meta:
        ordering = ["-went_missing_at", "-id"]
        indexes = [models.Index(fields=["child", "-went_missing_at"]),
                   # The tasking lists' children missing now (issue 17): only open episodes.
                   models.Index(fields=["went_missing_at"],
                                condition=models.Q(returned_at__isnull=True),
                                name="missing_episode_open")]

    def __str__(self) -> str:
        return f"Missing episode of {self.child} from {self.went_missing_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("missing:episode", args=[self.pk])

    @property
    def is_missing(self) -> bool:
        return self.returned_at is None

    def as_domain(self) -> missing.Episode:
        return missing.Episode(went_missing_at=self.went_missing_at,
                               returned_at=self.returned_at, found_where=self.found_where,
                               missing_from=self.missing_from)

    def duration(self, now=None):
        return self.as_domain().duration(now or timezone.now())

    @property
    def duration_text(self) -> str:
        return missing.describe_duration(self.duration())


class ReturnInterview(models.Model):
    """The return home interview ("home debrief", seed 001) after an episode: held by someone
    independent of the placement, or offered and declined. What the child said is kept in
    their own words (seed 003 §7)."""

    class Outcome(models.TextChoices):
        HELD = "held", "The interview was held"
        DECLINED = "declined", "It was offered, and the child did not want it"

    episode = models.OneToOneField(MissingEpisode, on_delete=models.CASCADE,
                                   related_name="interview")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    held_at = models.DateTimeField(help_text="When it was held, or offered")
    venue = models.CharField(max_length=200, blank=True)
    interviewer_name = models.CharField(max_length=200)
    interviewer_agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT,
                                           related_name="+")
    child_words = models.TextField(blank=True)
    declined_reason = models.TextField(blank=True)
    push_factors = models.JSONField(default=list, blank=True)
    pull_factors = models.JSONField(default=list, blank=True)
    factors_notes = models.TextField(blank=True)
    # Kept as written, one a line, so they can be linked as intelligence.
    people_mentioned = models.TextField(blank=True)
    places_mentioned = models.TextField(blank=True)
    vehicles_mentioned = models.TextField(blank=True)
    actions = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Return home interview for {self.episode}"

    def get_absolute_url(self) -> str:
        return self.episode.get_absolute_url()

    @property
    def third_sector(self) -> bool:
        """Held by a voluntary or community organisation: seed 001 (Figure 2, the responses to
        categories 2 and 3) asks for home debriefs by the third sector."""
        return self.interviewer_agency.kind == AgencyKind.VOLUNTARY

    @property
    def sector_label(self) -> str:
        if self.third_sector:
            return "Third sector"
        return f"Not third sector: {self.interviewer_agency.get_kind_display().lower()}"


class MissingPersonProfile(models.Model):
    """What police need the moment a looked-after child is reported missing, held in advance
    (seed 001 and seed 002 §6.4: identifying information, the child's patterns of going
    missing): a photo, a description, phone numbers, and the places and people they may go
    to. Edits name the version they started from, so no one overwrites another's change."""

    child = models.OneToOneField("foundation.Child", on_delete=models.CASCADE,
                                 related_name="missing_profile")
    photo = models.FileField(storage=private_storage, upload_to=_photo_path, blank=True)
    photo_taken_on = models.DateField(null=True, blank=True)
    description = models.TextField()
    phone_numbers = models.TextField(blank=True)
    places = models.TextField(blank=True)
    people = models.TextField(blank=True)
    health_needs = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Missing-person profile of {self.child}"

    def get_absolute_url(self) -> str:
        return reverse("missing:profile", args=[self.child_id])


class ProfileHandover(models.Model):
    """A missing-person profile handed to police, with the information-sharing decision that
    records it and the version handed over."""

    profile = models.ForeignKey(MissingPersonProfile, on_delete=models.CASCADE,
                                related_name="handovers")
    decision = models.OneToOneField("sharing.SharingDecision", on_delete=models.PROTECT,
                                    related_name="+")
    episode = models.ForeignKey(MissingEpisode, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    profile_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Handover of {self.profile} (version {self.profile_version})"


class YesNoNotKnown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known yet"


class TransitionPlan(models.Model):
    """How a young person's protection goes on past 18 (SPEC §10; seed 001 "Young people aged
    18 years and over" and "Leaving care / aftercare"; seed 002 §6.5)."""

    child = models.OneToOneField("foundation.Child", on_delete=models.CASCADE,
                                 related_name="transition_plan")
    # Care Act criteria (codes in data/transitions.toml) answered yes, no or not known.
    care_act = models.JSONField(default=dict)
    adult_safeguarding_notified = models.BooleanField(null=True)
    notified_on = models.DateField(null=True, blank=True)
    notified_to = models.CharField(max_length=200, blank=True)
    not_notified_reason = models.TextField(blank=True)
    pathway_plan_applies = models.BooleanField(default=False)
    pathway_plan_names_cse = models.BooleanField(null=True, blank=True)
    pathway_plan_note = models.TextField(blank=True)
    recovery_factors = models.JSONField(default=list, blank=True)
    screening_continues_to = models.PositiveSmallIntegerField()
    outcomes = models.JSONField(default=list)
    outcome_detail = models.TextField()
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Transition plan of {self.child}"

    def get_absolute_url(self) -> str:
        return reverse("missing:transition", args=[self.child_id])

    @property
    def care_act_may_be_met(self) -> bool:
        return care_act_may_be_met(self.care_act)


def care_act_may_be_met(answers: dict) -> bool:
    """The criteria may be met while none of them is answered no (seed 001: adult safeguarding
    services should always be notified of concerns)."""
    return bool(answers) and YesNoNotKnown.NO not in answers.values()


# --- Looked-after children (SPEC §13; seed 001, Children Looked After) ----------------------

class ParentsDecision(models.Model):
    """Whether a looked-after child's parents were told of a significant matter (a missing
    episode, a concern), under the rule for the child's legal status at the time
    (data/looked_after.toml). When they were not told, the reasons; under a status whose
    parents must be told, the team or service manager who decided it."""

    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="parents_decisions")
    episode = models.ForeignKey(MissingEpisode, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="parents_decisions")
    matter = models.CharField(max_length=300)
    legal_status = models.CharField(max_length=20)
    told = models.BooleanField()
    how_told = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    # Set when not telling them departs from a "must" rule: a manager's exception.
    manager_exception = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["child", "-recorded_at"])]

    def __str__(self) -> str:
        return f"Parents {'told' if self.told else 'not told'}: {self.matter}"

    def get_absolute_url(self) -> str:
        return reverse("missing:looked_after", args=[self.child_id])


class RestrictiveMeasure(models.Model):
    """Restricting a looked-after child's liberty or confiscating their property: proposed
    with the reason and the order that allows it, agreed (or refused) by the team or service
    manager responsible for the child's case, and only then recorded as taken (seed 001)."""

    class Decision(models.TextChoices):
        AGREED = "agreed", "Agreed"
        REFUSED = "refused", "Not agreed"

    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="restrictive_measures")
    kind = models.CharField(max_length=40)  # a code in data/looked_after.toml
    detail = models.TextField()
    reason = models.TextField()
    order_in_place = models.CharField(max_length=300)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["child", "-proposed_at"])]

    # Not stored: the measure's wording from data/looked_after.toml, set for the pages by
    # lantern.missing.queries.
    label: str

    def __str__(self) -> str:
        return f"{self.kind} for {self.child}"

    def get_absolute_url(self) -> str:
        return reverse("missing:measure", args=[self.pk])

    @property
    def agreed(self) -> bool:
        return self.decision == self.Decision.AGREED


class PlacementReview(models.Model):
    """The placement questions (seed 001) answered for a looked-after child, after a missing
    episode or at any time: each answer kept as written; the latest is the one shown."""

    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="placement_reviews")
    episode = models.ForeignKey(MissingEpisode, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="placement_reviews")
    answers = models.JSONField(default=dict)  # question code -> answer
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Placement questions for {self.child}"

    def get_absolute_url(self) -> str:
        return reverse("missing:looked_after", args=[self.child_id])
