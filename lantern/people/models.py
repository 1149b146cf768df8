"""Areas, agencies, the people who use Lantern, and the children it protects."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lantern.domain import ages


class Nation(models.TextChoices):
    # Bank holidays differ by nation (SPEC §4); the `holidays` package's GB subdivisions.
    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class Area(models.Model):
    """A local authority area and its safeguarding partnership."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    nation = models.CharField(max_length=3, choices=Nation.choices, default=Nation.ENGLAND)
    policy_profile = models.CharField(
        max_length=40,
        default="coventry",
        help_text="The procedures the area follows: its screening tool, timescales and chairs.",
    )
    # Local settings the seeds leave open, e.g. {"wm_prompt_next_category_at": 3}; the
    # screening ones and their defaults are in lantern.domain.screening.DEFAULT_SETTINGS.
    local_settings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    YOUTH_OFFENDING = "yot", "Youth offending"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary sector"
    PROBATION = "probation", "Probation"
    OTHER = "other", "Other"


class Agency(models.Model):
    """An organisation in an area: a school, a police force's local command, a health trust."""

    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="agencies")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="agency_name_unique_in_area")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    # SPEC §1
    REFERRER = "referrer", "Referrer"
    DSL = "dsl", "Designated safeguarding lead"
    FRONT_DOOR = "front_door", "Front door worker"
    SOCIAL_WORKER = "social_worker", "Social worker"
    CSE_MANAGER = "cse_manager", "CSE team manager"
    POLICE = "police", "Police"
    ANALYST = "analyst", "Analyst"
    BOARD = "board", "Board member or auditor"
    ADMIN = "admin", "Administrator"


class User(AbstractUser):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REFERRER)
    job_title = models.CharField(max_length=120, blank=True)
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )

    @property
    def area(self) -> Area | None:
        return self.agency.area if self.agency_id else None

    @property
    def area_id(self) -> int | None:
        return self.agency.area_id if self.agency_id else None

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.display_name


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Describes themselves another way"
    NOT_KNOWN = "not_known", "Not known"


class Child(models.Model):
    """A child or young person Lantern holds a record for. Always a victim or a child at risk,
    never the problem: the record describes what is happening to them."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="children")
    given_names = models.CharField("legal first names", max_length=120)
    family_name = models.CharField("legal last name", max_length=120)
    known_as = models.CharField(max_length=120, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    estimated_on = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=40, blank=True)
    first_language = models.CharField(max_length=60, blank=True)
    disability = models.BooleanField(default=False)
    learning_disability = models.BooleanField(default=False)
    looked_after = models.BooleanField(default=False)
    care_leaver = models.BooleanField(default=False)
    unaccompanied_asylum_seeking = models.BooleanField(default=False)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    school = models.CharField(max_length=160, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    local_ids = models.JSONField(default=dict, blank=True)
    # Kept up to date by the actions that change names (lantern.people.actions), for search.
    search_text = models.TextField(blank=True, editable=False)
    search_keys = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Optimistic locking: an edit names the version it started from (no lost updates).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["area", "date_of_birth"])]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:child", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def display_name(self) -> str:
        if self.known_as and self.known_as.lower() not in self.given_names.lower():
            return f"{self.full_name} (known as {self.known_as})"
        return self.full_name

    @property
    def all_names(self) -> list[str]:
        names = [self.full_name]
        if self.known_as:
            names.append(f"{self.known_as} {self.family_name}")
        names.extend(self.aliases or [])
        return names

    @property
    def birth_date_for_age(self) -> date | None:
        if self.date_of_birth:
            return self.date_of_birth
        if self.estimated_age is not None and self.estimated_on:
            return ages.estimated_birth_date(self.estimated_age, self.estimated_on)
        return None

    def age(self, today: date | None = None) -> ages.Age | None:
        birth = self.birth_date_for_age
        if birth is None:
            return None
        return ages.age_on(birth, today or timezone.localdate())

    @property
    def age_is_estimated(self) -> bool:
        return self.date_of_birth is None

    @property
    def turns_18_on(self) -> date | None:
        birth = self.birth_date_for_age
        return ages.turns(birth, 18) if birth else None


class Allocation(models.Model):
    """A worker allocated to a child (the allocated social worker, usually)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allocations")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="allocations")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["user", "ended_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_allocation_per_worker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} allocated to {self.child}"


class ChronologyEntry(models.Model):
    """One significant event in a child's life as Lantern knows it. Written by the action that
    records the event, in the same transaction, so the chronology is complete by construction."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="chronology")
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    url = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["child", "-occurred_at"])]
        verbose_name_plural = "chronology entries"

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.title}"
