"""Intelligence: reports, the entities they mention, the links from children to those entities,
entity-resolution decisions and the triggers the link graph raises (SPEC §7)."""

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lantern.domain import ages, normalise


class EntityKind(models.TextChoices):
    SUBJECT = "subject", "Person"
    LOCATION = "location", "Place"
    VEHICLE = "vehicle", "Vehicle"
    PHONE = "phone", "Phone number"
    ONLINE = "online", "Online identity"
    ORGANISATION = "organisation", "Organisation"


class LinkRole(models.TextChoices):
    # How the intelligence connects a child to an entity; the trigger criteria read these
    # (lantern/domain/data/triggers.toml).
    SUSPECT = "suspect", "Suspected of targeting or exploiting the child"
    FACILITATING = "facilitating", "Used to facilitate or enable the child's exploitation"
    CONTACT = "contact", "Used to contact or transport the child"
    ASSOCIATED = "associated", "Seen with or connected to the child"


class Entity(models.Model):
    """Anything intelligence mentions. Each kind has its own table (Subject, Location, ...)
    sharing this one, so mentions, links and merges point at one kind of row.

    Merges never move links: `canonical` names the entity a record has been merged into
    (itself when not merged), so undoing a merge only resets `canonical`."""

    kind = models.CharField(max_length=20, choices=EntityKind.choices)
    label = models.CharField(max_length=200)
    # Canonical key for exact matching (E.164 phone, registration, handle, postcode+name).
    key = models.CharField(max_length=200, blank=True, db_index=True)
    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    canonical = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="merged")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["kind", "key"]), models.Index(fields=["canonical"])]
        verbose_name_plural = "entities"

    def __str__(self) -> str:
        return self.label

    @property
    def canonical_pk(self) -> int:
        return self.canonical_id or self.pk


class SubjectQuerySet(models.QuerySet["Subject"]):
    def adults(self, today: date | None = None) -> "SubjectQuerySet":
        """Subjects who are not children: not ticked as under 18, not a child's own record,
        and not born less than 18 years ago as far as their date or year of birth tells
        (`Subject.treated_as_child` in one query)."""
        today = today or timezone.localdate()
        eighteen_ago = ages.add_years(today, -18)
        young = (models.Q(date_of_birth__gt=eighteen_ago)
                 | models.Q(date_of_birth__isnull=True, birth_year__gt=today.year - 18)
                 | models.Q(date_of_birth__isnull=True, birth_year=today.year - 18,
                            birth_month__gt=today.month))
        return self.filter(is_child=False, child__isnull=True).exclude(young)


class Subject(Entity):
    """A person suspected of exploiting children, or associated with them. A subject may be a
    child (a young person exploiting others, seeds 000 §3, 001): then `child` names their own
    record, their own needs are considered separately, and they keep a child's protections.
    A subject whose date of birth makes them under 18 is a child whatever the tick-box says
    (`treated_as_child`)."""

    given_names = models.CharField(max_length=120, blank=True)
    family_name = models.CharField(max_length=120, blank=True)
    nicknames = models.JSONField(default=list, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    phones = models.JSONField(default=list, blank=True)  # E.164
    is_child = models.BooleanField(default=False)
    child = models.ForeignKey("foundation.Child", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="as_subject")
    # Recorded by police for the disruption score (seed 003 §13).
    violence = models.BooleanField(default=False)
    previous_convictions = models.PositiveSmallIntegerField(default=0)
    # Recorded by police, each known or not known with a reason (issue 16 item 5: national
    # reviews found them unrecorded in about two thirds of cases). Codes from
    # lantern/domain/data/demographics.toml; "" is not yet recorded.
    sex = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=40, blank=True)
    nationality = models.CharField(max_length=60, blank=True)
    disability_status = models.CharField(max_length=20, blank=True)
    unknown_reasons = models.JSONField(default=dict, blank=True)

    objects: ClassVar = SubjectQuerySet.as_manager()

    def treated_as_child(self, today: date | None = None) -> bool:
        return self.is_child or self.child_id is not None or ages.certainly_under_18(
            date_of_birth=self.date_of_birth, birth_year=self.birth_year,
            birth_month=self.birth_month, today=today or timezone.localdate())

    def name_text(self) -> str:
        text = f"{self.given_names} {self.family_name}".strip()
        if self.nicknames:
            known = ", ".join(self.nicknames)
            text = f"{text} (known as {known})" if text else f"Known as {known}"
        return text or "Unnamed person"


class Location(Entity):
    class Kind(models.TextChoices):
        ADDRESS = "address", "Address"
        PREMISES = "premises", "Premises (shop, takeaway, hotel...)"
        HOTSPOT = "hotspot", "Public place or hotspot"

    name = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    location_kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ADDRESS)


class Vehicle(Entity):
    class Licence(models.TextChoices):
        # Taxi and private-hire licensing is a route to children (issue 16 item 5; the 2025
        # national audit of group-based exploitation): the licence names the authority to tell.
        NONE = "", "Not licensed, or not known"
        TAXI = "taxi", "Taxi (hackney carriage)"
        PRIVATE_HIRE = "private_hire", "Private hire vehicle"

    registration = models.CharField(max_length=20, blank=True)  # canonical, no spaces
    make = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=40, blank=True)
    licence = models.CharField(max_length=20, choices=Licence.choices, blank=True)
    licence_number = models.CharField(max_length=40, blank=True)
    licensing_authority = models.CharField(max_length=120, blank=True)


class Phone(Entity):
    number = models.CharField(max_length=20)  # E.164

    @property
    def display(self) -> str:
        return normalise.phone_display(self.number)


class OnlineIdentity(Entity):
    platform = models.CharField(max_length=60, blank=True)
    handle = models.CharField(max_length=120)

    class Meta:
        verbose_name_plural = "online identities"


class Organisation(Entity):
    name = models.CharField(max_length=200)
    business = models.CharField(max_length=120, blank=True)


class SourceGrade(models.TextChoices):
    # The national 3x5x2 intelligence grading (SPEC §7; replaced the 5x5x5 of seed 001).
    RELIABLE = "1", "1: reliable"
    UNTESTED = "2", "2: untested"
    NOT_RELIABLE = "3", "3: not reliable"


class IntelligenceGrade(models.TextChoices):
    A = "A", "A: known directly to the source"
    B = "B", "B: known indirectly to the source but corroborated"
    C = "C", "C: known indirectly to the source"
    D = "D", "D: not known"
    E = "E", "E: suspected to be false"


class Handling(models.TextChoices):
    P = "P", "P: lawful sharing permitted"
    C = "C", "C: lawful sharing permitted with conditions"


# What a report's grading is written from, in `grading_text`'s order: a page that reads only
# these of many reports (the link chart) writes it without making a report of each row.
GRADING_FIELDS = ("handling", "source_grade", "intelligence_grade", "legacy_source",
                  "legacy_intelligence", "legacy_handling")


def grading_text(handling: str, source_grade: str, intelligence_grade: str, legacy_source: str,
                 legacy_intelligence: str, legacy_handling: str) -> str:
    """A report's grading as pages show it (`IntelligenceReport.grading`)."""
    if handling:  # graded (`IntelligenceReport.graded`)
        return f"{source_grade}{intelligence_grade}{handling}"
    if legacy_source:
        return f"{legacy_source}{legacy_intelligence}{legacy_handling} (5x5x5)"
    return "Not graded"


class IntelligenceReport(models.Model):
    """Anything a professional knows that may help protect children, "however insignificant
    this may seem" (seed 001, 7): free text, the entities it mentions, the children it
    concerns. Police grade it; its handling code and sanitised text govern who sees what
    (lantern/intelligence/access.py)."""

    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, related_name="+",
                               help_text="The source agency")
    submitted_at = models.DateTimeField(default=timezone.now)
    occurred_on = models.DateField(null=True, blank=True)
    text = models.TextField()
    source_details = models.TextField(
        blank=True, help_text="Who told you and how: removed from the sanitised version.")
    sanitised_text = models.TextField(blank=True)
    children = models.ManyToManyField("foundation.Child", related_name="intelligence_reports",
                                      blank=True)
    # The areas of the children it concerns, kept with the report so police and analysts of
    # an area find the reports about its children by an index, not by reading every child of
    # the area (issue 18). Set with `children` when the report is submitted
    # (actions.submit_report; lantern generate writes both). Nothing else need update it: no
    # code changes a report's children but a merge, which moves them between records of one
    # area only (people.actions.merge_children refuses two areas), and a child's area does not
    # change (test_merges_keep_each_reports_areas). As a backstop, `lantern work` checks it
    # hourly and puts right, audited, any that is not (actions.keep_report_areas).
    child_areas = models.ManyToManyField("foundation.Area", related_name="+", blank=True,
                                         editable=False)
    # 3x5x2
    source_grade = models.CharField(max_length=1, choices=SourceGrade.choices, blank=True)
    intelligence_grade = models.CharField(max_length=1, choices=IntelligenceGrade.choices,
                                          blank=True)
    handling = models.CharField(max_length=1, choices=Handling.choices, blank=True)
    handling_conditions = models.TextField(blank=True)
    # Under handling C: the roles the conditions allow to read the sanitised text, stored as
    # ",cse_manager,social_worker," so one `contains` finds a role on SQLite and PostgreSQL.
    condition_roles = models.CharField(max_length=200, blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    graded_at = models.DateTimeField(null=True, blank=True)
    # When the grading is due to be looked at again (domain.disruption.review_due): past it,
    # the report is flagged for re-grading (issue 16).
    review_on = models.DateField(null=True, blank=True, db_index=True)
    # 5x5x5, kept for reports imported from older systems (seed 001, appendix 3).
    legacy_source = models.CharField(max_length=1, blank=True)  # A-E
    legacy_intelligence = models.CharField(max_length=1, blank=True)  # 1-5
    legacy_handling = models.CharField(max_length=1, blank=True)  # 1-5
    imported = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["area", "-submitted_at"])]

    def __str__(self) -> str:
        return f"Intelligence report {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("intelligence:report", args=[self.pk])

    @property
    def condition_role_list(self) -> list[str]:
        return [r for r in self.condition_roles.split(",") if r]

    @property
    def graded(self) -> bool:
        return bool(self.handling)

    @property
    def due_for_regrading(self) -> bool:
        return self.review_on is not None and self.review_on <= timezone.localdate()

    @property
    def grading(self) -> str:
        return grading_text(*(getattr(self, name) for name in GRADING_FIELDS))


class Mention(models.Model):
    """An entity as a report mentions it, with the words as the author wrote them."""

    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE,
                               related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="mentions")
    raw_text = models.CharField(max_length=300)
    role = models.CharField(max_length=20, choices=LinkRole.choices,
                            default=LinkRole.ASSOCIATED)

    def __str__(self) -> str:
        return self.raw_text


class Link(models.Model):
    """A child connected to an entity by a report."""

    child = models.ForeignKey("foundation.Child", on_delete=models.CASCADE,
                              related_name="intelligence_links")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links")
    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE,
                               related_name="links")
    role = models.CharField(max_length=20, choices=LinkRole.choices)
    occurred_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["entity"]), models.Index(fields=["child"])]
        constraints = [models.UniqueConstraint(fields=["child", "entity", "report", "role"],
                                               name="one_link_per_report_role")]

    def __str__(self) -> str:
        return f"Child {self.child_id} to entity {self.entity_id} ({self.role})"


class BlockingKey(models.Model):
    """Keys under which a subject is compared with new mentions (a phone number, the sound of
    a name): an indexed look-up finds the few subjects worth scoring, however many there are."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="blocking_keys")
    key = models.CharField(max_length=80, db_index=True)

    def __str__(self) -> str:
        return self.key


class Association(models.Model):
    """Two entities connected by a report: a person and the phone, vehicle or online
    identity they use."""

    subject = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="associations")
    report = models.ForeignKey(IntelligenceReport, on_delete=models.CASCADE,
                               related_name="associations")

    class Meta:
        indexes = [models.Index(fields=["subject"]), models.Index(fields=["entity"])]

    def __str__(self) -> str:
        return f"Entity {self.subject_id} uses entity {self.entity_id}"


class MergeProposal(models.Model):
    """Two entities entity resolution thinks may be one, with the per-field evidence."""

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting review"
        # A risky merge one reviewer agreed to, waiting for a second (domain.merge_safety).
        SECOND = "second", "Awaiting a second reviewer"
        MERGED = "merged", "Merged"
        REJECTED = "rejected", "Not the same"
        UNDONE = "undone", "Merge undone"

    left = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=EntityKind.choices)
    score = models.FloatField(help_text="Match weight in bits")
    probability = models.FloatField()
    engine = models.CharField(max_length=20)
    evidence = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    first_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+")

    # Not stored: each side in words the reviewer may see, set by lantern.intelligence.views.
    left_text: str
    right_text: str

    class Meta:
        ordering = ["-probability", "created_at"]
        constraints = [models.UniqueConstraint(fields=["left", "right"],
                                               name="one_proposal_per_pair")]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"Proposal to merge {self.left_id} and {self.right_id}"

    def get_absolute_url(self) -> str:
        return reverse("intelligence:proposal", args=[self.pk])


class ResolutionDecision(models.Model):
    """A person's decision on a proposal: merge, reject, or undo an earlier merge."""

    class Action(models.TextChoices):
        MERGE = "merge", "Merged"
        FIRST = "first", "Agreed by a first reviewer"
        REJECT = "reject", "Not the same"
        UNDO = "undo", "Merge undone"

    proposal = models.ForeignKey(MergeProposal, on_delete=models.PROTECT,
                                 related_name="decisions")
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.TextField(blank=True)
    score = models.FloatField()
    evidence = models.JSONField(default=dict)
    # For a merge: entity ids whose canonical changed, and what it was before (for undo).
    moved = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} (proposal {self.proposal_id})"


class TriggerKind(models.TextChoices):
    COMPLEX_STRATEGY = "complex_strategy", "Complex strategy meeting"
    NETWORK_REFERRAL = "network_referral", "CSE Intelligence and Response Network referral"


class Trigger(models.Model):
    """A pattern in the link graph that calls for a complex strategy meeting or a network
    referral (seed 003 §11, §4), with its evidence. Dismissed only with a reason."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DISMISSED = "dismissed", "Dismissed"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    kind = models.CharField(max_length=30, choices=TriggerKind.choices)
    criterion = models.CharField(max_length=40)
    key = models.CharField(max_length=120, db_index=True)
    focus_entity = models.ForeignKey(Entity, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    focus_child = models.ForeignKey("foundation.Child", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    areas = models.ManyToManyField("foundation.Area", related_name="+")
    children = models.ManyToManyField("foundation.Child", related_name="triggers")
    joint = models.BooleanField(default=False)
    evidence = models.JSONField(default=dict)
    precondition_met = models.BooleanField(null=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    state_reason = models.TextField(blank=True)
    state_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    state_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # A CSE team manager's judgement that the network is group-based exploitation (several
    # adults acting together): who, when and why, audited (issue 16 item 5).
    group_based = models.BooleanField(default=False)
    group_based_reason = models.TextField(blank=True)
    group_based_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+")
    group_based_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["state", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.evidence.get('label', self.criterion)}"

    def get_absolute_url(self) -> str:
        return reverse("intelligence:trigger", args=[self.pk])


class RankingSnapshot(models.Model):
    """A user's disruption ranking of subjects (Operation Topaz, seed 003 §13), kept ahead
    (issue 17 and 18): ranking reads every intelligence link the user may see, so it is
    ranked once and read by the disruption priorities page and the weekly tasking list until
    it is ranked again, by `lantern work` or when a day old (lantern.intelligence.queries,
    `kept_ranking`). Each user's own, since what they may see is their own. Only ids and
    figures are kept: the subjects are read, and what the user may see of them checked, each
    time a ranking is shown."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    # The user's role and agency when ranked: a ranking made for another role or agency is
    # never shown.
    role = models.CharField(max_length=30)
    agency = models.ForeignKey("foundation.Agency", on_delete=models.CASCADE, null=True,
                               related_name="+")
    # [[subject id, priority, children, areas, weighted children, best grade, last seen,
    # reports], ...], highest priority first: what scoring a subject reads besides the
    # subject's own violence and convictions (lantern.domain.disruption.SubjectFacts).
    rows = models.JSONField(default=list)
    # Young people (subjects treated as children) left out of the ranking.
    young_people = models.PositiveIntegerField(default=0)
    ranked_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"Ranking of user {self.user_id} at {self.ranked_at:%Y-%m-%d %H:%M}"
