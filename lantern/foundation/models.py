"""The records every feature refers to and what every feature writes: areas, agencies, the
people who use Lantern and the children it protects, each child's chronology, work items with
their deadlines, and the hash-chained audit trail. Feature apps point at these with string
foreign keys ("foundation.Child"); nothing here knows the features."""

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
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


class LanternUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`lantern createsuperuser`, for the first administrator of a new installation (run by
        whoever operates the server): an administrator in Lantern's own terms too, so they can
        add everyone else through Lantern's pages."""
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


NAME_FIELDS = ("id", "username", "first_name", "last_name")


def name_fields(path: str) -> tuple[str, ...]:
    """The columns `User.display_name` reads of a user reached by `path`, for `only()`."""
    return tuple(f"{path}__{field}" for field in NAME_FIELDS)


def beyond_name(path: str) -> list[str]:
    """Every column of a user reached by `path` from a query's rows except those
    `User.display_name` reads, for `defer()`: a list that says who did something reads three
    columns of each person, not all twenty (issue 18)."""
    return [f"{path}__{field.attname}" for field in User._meta.concrete_fields
            if field.attname not in NAME_FIELDS]


class User(AbstractUser):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REFERRER)
    job_title = models.CharField(max_length=120, blank=True)
    # How many of their notifications are unread, kept by lantern.foundation.notify (the only
    # writer of notifications) so the header shows it without a query on every page.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )

    objects: ClassVar[LanternUserManager] = LanternUserManager()

    if TYPE_CHECKING:
        # Added to every user by django-otp's OTPMiddleware: has this session given its
        # second factor?
        def is_verified(self) -> bool: ...

    @property
    def area(self) -> Area | None:
        return self.agency.area if self.agency is not None else None

    @property
    def area_id(self) -> int | None:
        return self.agency.area_id if self.agency is not None else None

    @property
    def working_agency(self) -> Agency:
        """The user's agency, for the writes that record it. Every write first checks that the
        user may contribute (lantern.foundation.access), which needs an agency, so a user
        without one reaching a write is a bug: this raises rather than record no agency."""
        if self.agency is None:
            raise ValueError(f"User {self.pk} works for no agency")
        return self.agency

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


class LegalStatus(models.TextChoices):
    # What a looked-after child is looked after under decides whether their parents are told
    # (seed 001, Children Looked After; the rules are lantern/missing/data/looked_after.toml).
    SECTION_20 = "s20", "Accommodated under section 20 (a voluntary arrangement)"
    CARE_ORDER = "care_order", "Subject to an interim or full care order"
    OTHER = "other", "Looked after on another legal basis"


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
    nationality = models.CharField(max_length=60, blank=True)
    disability = models.BooleanField(default=False)  # disability_status == "yes", for screening
    # "yes", "no", "not_known" (with a reason) or "" when not asked (lantern.domain.demographics).
    disability_status = models.CharField(max_length=20, blank=True)
    # Why each of ethnicity, nationality, gender and disability is not known, where it is not:
    # {"ethnicity": "declined", ...}; codes from lantern/domain/data/demographics.toml.
    unknown_reasons = models.JSONField(default=dict, blank=True)
    learning_disability = models.BooleanField(default=False)
    looked_after = models.BooleanField(default=False)
    # Changed only by lantern.people.actions.set_looked_after, audited with the reason.
    legal_status = models.CharField(max_length=20, choices=LegalStatus.choices, blank=True)
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
    # Set when the front door merged this record into another (issue 15, item 2): the record
    # is kept, its history moved to `merged_into`, and its address leads there. Cleared by
    # undoing the merge (lantern.people.actions.merge_children, undo_merge).
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_records")

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["area", "date_of_birth"]),
            # An area's child ids read from the index alone: "may the user see this child" for
            # the roles that see their whole area hashes them (foundation.access, the links of
            # intelligence.access), instead of reading every page of the table that holds one
            # of the area's children (issue 18: 17-37 ms to 1 ms at 100,000 children).
            models.Index(fields=["area", "id"], name="foundation_child_area_ids"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("child", args=[self.pk])

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
        return Child.names_of(self.given_names, self.family_name, self.known_as, self.aliases)

    @staticmethod
    def names_of(given_names: str, family_name: str, known_as: str, aliases) -> list[str]:
        """`all_names` of a child read as values (a search ranks its candidates so)."""
        names = [f"{given_names} {family_name}".strip()]
        if known_as:
            names.append(f"{known_as} {family_name}")
        names.extend(aliases or [])
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
    # Not stored: the time as the child's record shows it, set by lantern.site.queries.
    occurred_iso: str
    occurred_text: str

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["child", "-occurred_at"])]
        verbose_name_plural = "chronology entries"

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.title}"


class Marking(models.TextChoices):
    # Government Security Classifications: case records about children are OFFICIAL, with the
    # SENSITIVE handling caveat for information whose loss would harm someone.
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


class WorkItem(models.Model):
    """Something someone must do for a child by a deadline: decide a referral, re-screen,
    hold a meeting, interview after a missing episode... Every app opens and closes work items
    through lantern.foundation.work, so every tray, overdue check and escalation reads one table.
    `due_at` is computed when the item opens (or its basis changes) and stored, never counted
    down; `basis` says which rule set it, in words a worker understands."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    child = models.ForeignKey(
        "Child", on_delete=models.CASCADE, null=True, blank=True,
        related_name="work_items",
    )
    area = models.ForeignKey("Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    # Either a named owner, or a role in the area (e.g. the front door) when nobody is named.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="work_items",
    )
    owner_role = models.CharField(max_length=20, blank=True)
    # None when no procedure sets a timescale: `basis` then says whose judgement sets when the
    # work is done (issue 14), and the item still sits in its owner's tray.
    due_at = models.DateTimeField(db_index=True, null=True, blank=True)
    # A day-based deadline ("7 working days") is met any time on due_at's local date; due_at
    # is then the last moment of that day and the date alone is shown.
    all_day = models.BooleanField(default=False)
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
    # Not stored: the tray's words for a row, set by lantern.foundation.trays.rows, and what a
    # tray's row draws, set by lantern.site.queries.work_items.
    kind_label: str
    owner_label: str
    child_url: str
    due_text: str
    due_words: str
    past_due: bool

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["area", "status", "due_at"]),
            # One kind of the area's work in due order (re-screening and urgent alerts on the
            # home page, the tasking lists' overdue return home interviews): the area's index
            # alone read every open item of the area (issues 17 and 18).
            models.Index(fields=["area", "kind", "status", "due_at"],
                         name="workitem_area_kind_due"),
            models.Index(fields=["owner", "status", "due_at"]),
            # Work for a role in an area, nobody named (the front door's own tray, a team's):
            # the area's index alone read every open item of the area (issue 18).
            models.Index(fields=["area", "owner_role", "status", "due_at"],
                         condition=models.Q(owner__isnull=True), name="workitem_area_role_due"),
            models.Index(fields=["source_type", "source_id"]),
            # Open urgent alerts in due order: the first part of a tray (urgent alerts come
            # first), read apart from the rest so that no tray sorts all its items (issue 18).
            models.Index(fields=["due_at", "id"], condition=models.Q(kind="urgent_alert",
                                                                     status="open"),
                         name="workitem_open_urgent"),
            # A person's open work in due order with what a tray's part filters on (the
            # child, for visibility; the kind), read from the index alone: the team tray
            # walks each report's open items (about 1,100 for a manager of 25 at 100,000
            # children), which the (owner, status, due_at) index read from the table and
            # sorted again by key (PostgreSQL: 7-11 → 2.6-3.3 ms, issue 18).
            models.Index(fields=["owner", "due_at", "id"], include=["child", "kind"],
                         condition=models.Q(status="open"), name="workitem_open_owner_due"),
            # Each kind of an area's open work, for the trays' filter (`trays.kinds_in_area`):
            # a skip from kind to kind through the (area, kind, status, due_at) index passed
            # over every closed item of the next kind first (1.6 ms at 100,000 children; 0.1
            # ms through this one).
            models.Index(fields=["area", "kind"], condition=models.Q(status="open"),
                         name="workitem_open_area_kind"),
            # A person's open work of one kind in due order (the home page's re-screening
            # tasks): by the owner's index alone the database read every open item of a
            # social worker holding a fifth of the area's children to find none of the kind
            # (1,800 at 100,000 children: 0.9-2 ms; issue 18).
            models.Index(fields=["owner", "kind", "due_at", "id"],
                         condition=models.Q(status="open"), name="workitem_open_owner_kind"),
        ]

    def __str__(self) -> str:
        if self.due_at is None:
            return f"{self.title} (no timescale)"
        return f"{self.title} (due {self.due_at:%Y-%m-%d %H:%M})"

    def is_overdue(self, now=None) -> bool:
        return (self.status == self.Status.OPEN and self.due_at is not None
                and self.due_at < (now or timezone.now()))

    def get_kind_label(self) -> str:
        """The kind in words, without the child's name (audit summaries are read by auditors
        who do not see identities)."""
        return self.kind.replace("_", " ")


class Notification(models.Model):
    """Something a person is told in Lantern (issue 14 item 9): a referral made, a strategy
    discussion's outcome, a child at risk, an adult considered a risk. Written only by
    lantern.foundation.notify.tell, which audits each one; `basis` is the rule that told them,
    with its citation. The title never names a child: the page it links to checks access."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=200, blank=True)
    basis = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # What it is about, e.g. ("pathway.referral", "42").
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only: rows cannot be updated.")

    def delete(self):
        raise TypeError("The audit trail is append-only: rows cannot be deleted.")


class AuditEvent(models.Model):
    """One row of the append-only, hash-chained audit trail. `seq` runs 1, 2, 3, ... with no
    gaps and each row carries the seal of the one before; its own seal (`hash`) is an
    HMAC-SHA-256 under the audit key named by `key_id`, kept outside the database, so a changed
    or removed row is found by `lantern audit verify` even if someone recomputed the chain.
    Written only by `lantern.foundation.audit.record`."""

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    child = models.ForeignKey(
        "Child", on_delete=models.PROTECT, null=True, related_name="audit_events"
    )
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    path = models.CharField(max_length=300, blank=True)
    key_id = models.CharField(max_length=40, default="")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # The entry's own seal from when it was written (AuditEntry.mac); empty on rows chained
    # before the sequencer existed. The chain's seal covers it when present.
    entry_mac = models.CharField(max_length=64, blank=True, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["child", "at"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The audit trail is append-only: rows cannot be updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only: rows cannot be deleted.")


class AuditEntry(models.Model):
    """An audit row written but not yet chained: `record` inserts it without any lock, sealed
    on its own (`mac`, HMAC under the audit key of its content), and the sequencer
    (lantern.foundation.audit.seal, run by `lantern work` and by `lantern audit`) moves entries
    into the chain in id order, keeping the seal, then deletes them here."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    child = models.ForeignKey("Child", on_delete=models.PROTECT, null=True, related_name="+")
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    path = models.CharField(max_length=300, blank=True)
    key_id = models.CharField(max_length=40)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"pending audit entry {self.id}: {self.actor_label} {self.action}"


class AuditShown(models.Model):
    """One child a list, search, chart or picker showed, for one audit row: an index of the
    row's sealed `changes["children"]`, written with it by `audit.record`, so the child's
    access log finds every response that showed them with one indexed query. The sealed
    row is the record; `lantern audit verify` checks that, not this index."""

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="shown")
    child = models.ForeignKey("Child", on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["child", "event"])]

    def __str__(self) -> str:
        return f"audit row {self.event_id} showed child {self.child_id}"


class AuditChainHead(models.Model):
    """A single row holding the last sequence number and hash. Locking it serialises audit
    writers so the chain has no forks; it also reveals rows removed from the end."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain head at row {self.last_seq}"


class GrantBasis(models.TextChoices):
    # SPEC §9: each involvement with a child is an explicit grant with a basis and an end.
    ALLOCATION = "allocation", "Allocated to the child"
    REFERRAL_ROUTING = "referral_routing", "Brought the child to the partnership, or referred them"
    FRONT_DOOR_MEMBERSHIP = "front_door_membership", "Member of the deciding front door"
    MEETING_INVITATION = "meeting_invitation", "Invited to a meeting about the child"
    PLAN_ACTION = "plan_action", "Owns an action in the child's plan"
    CROSS_AREA_AGREEMENT = "cross_area_agreement", "Agreement between areas"
    BREAK_GLASS = "break_glass", "Emergency access"
    # Read-only, until the auditor completes the audit of the sampled record (seed 001).
    DIP_SAMPLE_AUDIT = "dip_sample_audit", "Auditing a record of the monthly dip sample"


class GrantQuerySet(models.QuerySet):
    def live(self, now=None):
        """Grants in force now: started, not ended, not revoked."""
        now = now or timezone.now()
        return self.filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now),
            starts_at__lte=now, revoked_at__isnull=True,
        )

    def held_by(self, user):
        """Grants to the user, or to their agency as a whole."""
        held = models.Q(user_id=user.pk)
        if user.agency_id:
            held |= models.Q(agency_id=user.agency_id)
        return self.filter(held)


class Grant(models.Model):
    """One reason a person (or every member of an agency) may see a child's record: its basis,
    from when, until when, and whether it also lets them add to the record. The only source of
    access to a child besides the area-wide roles (lantern.foundation.access); written only by
    lantern.foundation.grants, which writes the audit row, never by having written something
    about the child. `source_type`/`source_id` name the record it follows (an allocation, an
    invitation, an emergency access request), so ending that record ends the grant."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="grants")
    # Exactly one of user and agency.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="grants")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="grants")
    basis = models.CharField(max_length=30, choices=GrantBasis.choices)
    # Read-only: see the record, add nothing to it (emergency access).
    read_only = models.BooleanField(default=False)
    # Change the record itself (its details, pathway, plan), not only add to it.
    changes = models.BooleanField(default=False)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=300)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=60, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            # The visibility join: a user's (or their agency's) grants, child by child.
            models.Index(fields=["user", "child", "ends_at"], name="grant_user_child_end"),
            models.Index(fields=["agency", "child", "ends_at"], name="grant_agency_child_end"),
            models.Index(fields=["child", "ends_at"], name="grant_child_end"),
            models.Index(fields=["source_type", "source_id"], name="grant_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False, agency__isnull=True)
                           | models.Q(user__isnull=True, agency__isnull=False)),
                name="grant_to_user_or_agency",
            ),
            models.CheckConstraint(
                condition=~models.Q(read_only=True, changes=True),
                name="grant_read_only_never_changes",
            ),
        ]

    def __str__(self) -> str:
        holder = self.user if self.user_id else self.agency
        return f"{self.get_basis_display()}: {holder} for child {self.child_id}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.revoked_at is None and self.starts_at <= now
                and (self.ends_at is None or self.ends_at > now))


class AccountChange(models.Model):
    """A change to someone's role or agency (and so their area), asked for by an administrator
    with a reason (lantern.foundation.accounts). Most are made at once; making someone police,
    a CSE team manager or an administrator waits for a second administrator's approval."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second administrator"
        MADE = "made", "Made"
        APPROVED = "approved", "Approved and made"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="account_changes")
    # A new account: it stays inactive until the change is made (approved, when it must be).
    new_account = models.BooleanField(default=False)
    old_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    new_role = models.CharField(max_length=20, choices=Role.choices)
    old_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    new_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    # Not stored: set by the approvals page (lantern.foundation.views.account_changes).
    form: Any
    may_approve: bool

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One change at a time waits for approval, so approvals cannot race each other.
            models.UniqueConstraint(fields=["user"], condition=models.Q(status="pending"),
                                    name="one_pending_account_change_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.old_role} -> {self.new_role} ({self.status})"


class Draft(models.Model):
    """What someone has typed into a long form and not yet submitted, kept on the server so a
    timeout, a closed tab or a lost connection loses nothing (issue 15). A form is known by the
    page it is on and the address it posts to. Only its author ever sees it
    (lantern.foundation.drafts); it expires after settings.DRAFT_DAYS and `lantern work`
    deletes it then."""

    class Source(models.TextChoices):
        TYPING = "typing", "Saved while typing"
        SIGNED_OUT = "signed_out", "Sent after the session ended"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    page = models.CharField(max_length=300)
    action = models.CharField(max_length=300)
    # {"field name": ["value", ...]}: the form's fields as typed, never the CSRF token.
    fields = models.JSONField(default=dict)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.TYPING)
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "page", "action"],
                                    name="one_draft_per_form_and_author")
        ]

    def __str__(self) -> str:
        return f"draft of {self.action} by user {self.author_id}"
