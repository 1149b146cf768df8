"""Multi-agency meetings (SPEC §5): strategy discussions and meetings, MASE (initial and review),
complex strategy meetings for several linked children, CP conference links and CMOG reviews.

A meeting is convened by an area for one or more children, with an invitation list and
attendance, the child's and family's participation, an agenda worked through with minutes,
closed sections (requested by any professional, granted by the chair, hidden from the family),
and for each child its own record: the risk level set with the CSE risk assessment, the
outcomes, the decisions that concern them and the date of the next review."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lantern.foundation.models import Child, Marking

if TYPE_CHECKING:
    from django import forms


class ChairAcceptance(models.TextChoices):
    AWAITED = "awaited", "Awaiting a manager's acceptance"
    ACCEPTED = "accepted", "Accepted by a manager"
    REFUSED = "refused", "Refused by a manager"


class Meeting(models.Model):
    class Status(models.TextChoices):
        CONVENED = "convened", "Convened"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "By video call"
        PHONE = "phone", "By telephone"

    # The convening authority: its profile names the chair (seed 003 §11: the convening
    # authority chairs a joint meeting).
    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    profile = models.CharField(max_length=40, help_text="The area's policy profile when convened")
    label = models.CharField(max_length=200)
    # Who the profile says chairs and convenes, and why, as it was when the meeting was called.
    chair_basis = models.CharField(max_length=400)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    # A chair of a role the profile does not name chairs only with a reason a manager accepts
    # (issue 14, item 2); until then the meeting cannot be recorded as held.
    chair_reason = models.TextField(blank=True)
    chair_acceptance = models.CharField(max_length=10, choices=ChairAcceptance.choices,
                                        blank=True)
    chair_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+")
    chair_decided_at = models.DateTimeField(null=True, blank=True)
    chair_decision_reason = models.TextField(blank=True)
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    # A convenor of a role the profile does not name convenes only with a reason a manager of
    # the area accepts (issue 14, item 2); until then the meeting cannot be recorded as held.
    convenor_reason = models.TextField(blank=True)
    convenor_acceptance = models.CharField(max_length=10, choices=ChairAcceptance.choices,
                                           blank=True)
    convenor_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            null=True, blank=True, related_name="+")
    convenor_decided_at = models.DateTimeField(null=True, blank=True)
    convenor_decision_reason = models.TextField(blank=True)
    convened_at = models.DateTimeField(default=timezone.now)
    scheduled_for = models.DateTimeField(db_index=True)
    format = models.CharField(max_length=20, choices=Format.choices)
    venue = models.CharField(max_length=200, blank=True)
    joint = models.BooleanField(default=False, help_text="Children of another area involved")
    trigger = models.ForeignKey("intelligence.Trigger", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="meetings")
    # The profile's timescale for the meeting, computed when it was convened, and why a later
    # date was chosen if it was.
    due_at = models.DateTimeField(null=True, blank=True)
    due_basis = models.CharField(max_length=300, blank=True)
    late_reason = models.TextField(blank=True)
    agenda_template = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONVENED)
    held_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    # seed 001: a MASE that decides on a section 47 enquiry becomes a strategy discussion.
    became_strategy_discussion = models.BooleanField(default=False)
    protective_marking = models.CharField(max_length=30, choices=Marking.choices,
                                          default=Marking.OFFICIAL_SENSITIVE)
    children: "models.ManyToManyField[Child, MeetingChild]" = models.ManyToManyField(
        "foundation.Child", through="MeetingChild", related_name="meetings")

    # Not stored: set for the pages by lantern.meetings.queries (each child, and whether the
    # reader may see who they are).
    child_rows: list[tuple[Child, bool]]

    class Meta:
        ordering = ["-scheduled_for"]
        indexes = [models.Index(fields=["area", "status", "scheduled_for"]),
                   models.Index(fields=["area", "chair_acceptance"]),
                   models.Index(fields=["area", "convenor_acceptance"])]

    def __str__(self) -> str:
        return f"{self.label} on {self.scheduled_for:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.CONVENED

    @property
    def display_label(self) -> str:
        if self.became_strategy_discussion:
            return f"{self.label}, which became a strategy discussion"
        return self.label


class Attendance(models.TextChoices):
    INVITED = "invited", "Invited"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Did not attend"


class Participation(models.TextChoices):
    # seed 001, New referrals: attendance of the child and family is promoted unless it would
    # compromise the child's safety or an investigation; the decision and why are recorded.
    WHOLE = "whole", "Attends the whole meeting, apart from any closed section"
    PART = "part", "Attends part of the meeting"
    VIEWS = "views", "Does not attend: their views are brought to the meeting"
    NOT = "not", "Does not attend"


class MeetingChild(models.Model):
    """One child's own record of a meeting: what it decided about them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="records")
    child = models.ForeignKey("foundation.Child", on_delete=models.PROTECT,
                              related_name="meeting_records")
    # The child's and family's participation, decided by the CSE team manager with the child's
    # social work manager (seed 001).
    child_participation = models.CharField(max_length=10, choices=Participation.choices,
                                           blank=True)
    family_participation = models.CharField(max_length=10, choices=Participation.choices,
                                            blank=True)
    participation_reason = models.TextField(blank=True)
    participation_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                                 on_delete=models.PROTECT, null=True,
                                                 blank=True, related_name="+")
    participation_decided_with = models.CharField(max_length=200, blank=True)
    # seed 000 §14: parents are told beforehand they will be asked to leave for a confidential
    # section (asked where the profile says so).
    family_warned = models.BooleanField(null=True)
    # The CSE risk assessment (seed 001): at least children's social care, police and the CSE
    # health worker contribute; the CSE team manager and the police detective sergeant oversee
    # it; the level of risk is set by the meeting and recorded on police systems.
    risk_framework = models.CharField(max_length=20, blank=True)
    risk_category = models.PositiveSmallIntegerField(null=True, blank=True)
    risk_analysis = models.TextField(blank=True)
    csc_input = models.TextField(blank=True)
    police_input = models.TextField(blank=True)
    police_input_by = models.CharField(max_length=200, blank=True)
    health_input = models.TextField(blank=True)
    other_input = models.TextField(blank=True)
    manager_oversight_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                             null=True, blank=True, related_name="+")
    manager_oversight_at = models.DateTimeField(null=True, blank=True)
    manager_oversight = models.TextField(blank=True)
    police_oversight_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            null=True, blank=True, related_name="+")
    police_oversight_at = models.DateTimeField(null=True, blank=True)
    police_oversight = models.TextField(blank=True)
    recorded_on_police_systems = models.BooleanField(default=False)
    section_47 = models.BooleanField(default=False)
    outcomes = models.JSONField(default=list, blank=True)
    exit_strategy = models.TextField(blank=True)
    plan_review = models.TextField(blank=True, help_text="How the plan is going (reviews)")
    next_review_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    # Not stored: set for the pages and the minutes by lantern.meetings.queries and .pdf.
    named: bool
    decision_rows: list["MeetingDecision"]
    outcome_labels: list[str]

    class Meta:
        verbose_name = "child in a meeting"
        verbose_name_plural = "children in meetings"
        constraints = [models.UniqueConstraint(fields=["meeting", "child"],
                                               name="one_record_per_child_per_meeting")]
        indexes = [models.Index(fields=["child", "meeting"])]

    def __str__(self) -> str:
        return f"{self.meeting} for {self.child}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:child_record", args=[self.meeting_id, self.child_id])


class AreaAgreement(models.Model):
    """Another area's agreement to a joint meeting about its children (seed 003 §11: a joint
    complex strategy meeting, chaired by the convening authority). Until that area's CSE team
    manager agrees, nobody invited through the convening area sees its children's records:
    the meeting shows them only as "a child in <area>". The access an agreement gives is a
    grant per invitation, ending with the meeting's own access."""

    class State(models.TextChoices):
        AWAITED = "awaited", "Agreement awaited"
        AGREED = "agreed", "Agreed"
        DECLINED = "declined", "Declined"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agreements")
    area = models.ForeignKey("foundation.Area", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.AWAITED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "area"],
                                               name="one_agreement_per_area_per_meeting")]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.area} for {self.meeting}"


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    # The invitee type (lantern/meetings/data/meetings.toml [invitees]), or "chair"/"convenor".
    invitee = models.CharField(max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="meeting_invitations")
    name = models.CharField(max_length=200)
    agency = models.ForeignKey("foundation.Agency", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    agency_kind = models.CharField(max_length=20, blank=True)
    # The child and family are not professionals: they never see a closed section.
    professional = models.BooleanField(default=True)
    for_child = models.ForeignKey("foundation.Child", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    attendance = models.CharField(max_length=20, choices=Attendance.choices,
                                  default=Attendance.INVITED)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")

    # Not stored: set for the meeting's page by lantern.meetings.queries.
    invitee_label: str

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["user", "meeting"])]
        constraints = [models.UniqueConstraint(
            fields=["meeting", "user"], condition=models.Q(user__isnull=False),
            name="one_invitation_per_user_per_meeting")]

    def __str__(self) -> str:
        return f"{self.name} invited to meeting {self.meeting_id}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    citation = models.CharField(max_length=300)
    closed_hint = models.BooleanField(default=False)
    # Open minutes: read by everyone who may read the meeting, and by the family.
    minutes = models.TextField(blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    # Not stored: the minutes form shown with the item, set by lantern.meetings.views.
    form: "forms.Form"

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "code"],
                                               name="one_agenda_item_per_code")]

    def __str__(self) -> str:
        return self.title


class ClosedSection(models.Model):
    """Part of a meeting closed to the child and family (seed 001: "closed access"; seed 000
    §14: the confidential section). Any professional attending may ask; the chair decides and
    explains the reasons to the child and family. Its minutes are read only by professionals
    invited to the meeting and the CSE team managers of the areas involved, and never appear in
    anything made for the child or family."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        GRANTED = "granted", "Granted"
        REFUSED = "refused", "Refused"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE,
                                related_name="closed_sections")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="closed_sections")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    # What the chair told the child and family about why part of the meeting is closed: the one
    # thing about a closed section the family version carries.
    explanation_to_family = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    minutes_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"Closed section {self.pk} of meeting {self.meeting_id}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:closed_section", args=[self.meeting_id, self.pk])


class MeetingDecision(models.Model):
    """A decision of the meeting about one child: a decision about several children is one row
    for each, so each child's record holds the decisions that concern them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    child = models.ForeignKey("foundation.Child", on_delete=models.PROTECT,
                              related_name="meeting_decisions")
    text = models.TextField()
    # Decided in a closed section: hidden as its minutes are.
    closed_section = models.ForeignKey(ClosedSection, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="decisions")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["child", "meeting"])]

    def __str__(self) -> str:
        return f"Decision about child {self.child_id} at meeting {self.meeting_id}"
