from collections.abc import Sequence
from typing import cast

from django import forms

from lantern.domain.profiles import ParticipationRule
from lantern.foundation.forms import GovukDateField, GovukTimeField, LanternForm, YesNoField
from lantern.foundation.models import User

from . import catalogue
from .models import AgendaItem, Attendance, ClosedSection, Meeting, Participation


class KindForm(LanternForm):
    kind = forms.ChoiceField(
        label="What kind of meeting?", widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of meeting"},
    )

    def __init__(self, *args, kinds: list[tuple[str, str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [(code, label) for code, label, _hint in kinds]
        # Read by the {% field %} tag (foundation/templatetags/govuk.py) for each radio's hint.
        kind.choice_hints = {  # type: ignore[attr-defined]
            code: hint for code, _label, hint in kinds
        }


class ConveneForm(LanternForm):
    kind = forms.CharField(widget=forms.HiddenInput)
    scheduled_on = GovukDateField(subject="the date of the meeting", label="Date of the meeting")
    scheduled_time = GovukTimeField(subject="the time", label="Time", required=True,
                                    help_text="For example, 10:00",
                                    error_messages={"required": "Enter the time of the meeting"})
    format = forms.ChoiceField(
        label="How will it be held?", widget=forms.RadioSelect, choices=Meeting.Format.choices,
        error_messages={"required": "Select how the meeting will be held"},
    )
    venue = forms.CharField(label="Where (optional)", required=False, max_length=200)
    chair: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label="Who will chair it?", queryset=None,
        error_messages={"required": "Select who will chair the meeting"},
    )
    invite = forms.MultipleChoiceField(
        label="Who will you invite?", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Proposed from the child's record and the area's procedures. You can invite "
        "others, and the child and family, from the meeting's page.",
    )
    chair_reason = forms.CharField(
        label="If the chair is not of a role the procedure names, why do they chair it?",
        required=False, widget=forms.Textarea,
        help_text="A manager then accepts the chair before the meeting can be recorded as held",
    )
    convenor_reason = forms.CharField(
        label="The procedure names another role to convene it: why do you convene it?",
        required=False, widget=forms.Textarea,
        help_text="A manager of the area then accepts it before the meeting can be recorded "
        "as held",
    )
    late_reason = forms.CharField(
        label="If the meeting cannot be held by its deadline, why not?", required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args, chairs, proposals: list[tuple[str, str]], chair_hint: str,
                 **kwargs):
        super().__init__(*args, **kwargs)
        chair = cast(forms.ModelChoiceField, self.fields["chair"])
        chair.queryset = chairs
        # Django's documented way to word a ModelChoiceField's options, which mypy sees as
        # replacing a method.
        chair.label_from_instance = lambda obj: (  # type: ignore[method-assign]
            f"{obj.display_name}, {obj.get_role_display().lower()}, {obj.agency.name}")
        chair.help_text = chair_hint
        cast(forms.ChoiceField, self.fields["invite"]).choices = proposals


class InviteForm(LanternForm):
    invitee = forms.ChoiceField(label="Who are you inviting?",
                                error_messages={"required": "Select who you are inviting"})
    user: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label="Lantern user (if they have an account)",
                                  queryset=None, required=False, empty_label="No account")
    name = forms.CharField(label="Name (if they have no Lantern account)", required=False,
                           max_length=200)
    agency_name = forms.CharField(label="Their agency or relationship to the child (optional)",
                                  required=False, max_length=200)
    for_child = forms.ChoiceField(label="Whose family? (child and family only)",
                                  required=False)

    def __init__(self, *args, users, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.several = len(children) > 1
        self.fields["for_child"].choices = [("", "Select")] + children
        data = catalogue.get()
        self.fields["invitee"].choices = [("", "Select")] + [
            (code, spec.label) for code, spec in data.invitees.items()]
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}, {u.agency.name}"

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            self.add_error("name", "Select a Lantern user or enter the person's name")
        spec = catalogue.get().invitees.get(data.get("invitee") or "")
        if spec is not None and not spec.professional and self.several and not data.get(
                "for_child"):
            self.add_error("for_child", "Select the child whose family this is")
        return data


class AttendanceForm(LanternForm):
    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for invitation in invitations:
            self.fields[f"i{invitation.pk}"] = forms.ChoiceField(
                label=invitation.name, choices=Attendance.choices,
                initial=invitation.attendance,
                error_messages={"required": f"Select whether {invitation.name} attended"},
            )

    def attendance(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data[f"i{i.pk}"] for i in self.invitations}

    def rows(self):
        return [(i, self[f"i{i.pk}"]) for i in self.invitations]


class ParticipationForm(LanternForm):
    child_participation = forms.ChoiceField(
        label="Does the child attend?", widget=forms.RadioSelect, choices=Participation.choices,
        error_messages={"required": "Select whether the child attends"})
    family_participation = forms.ChoiceField(
        label="Does the family attend?", widget=forms.RadioSelect,
        choices=Participation.choices,
        error_messages={"required": "Select whether the family attends"})
    reason = forms.CharField(
        label="Why?", widget=forms.Textarea,
        help_text="Attendance is promoted unless it would compromise the child's safety or an "
        "investigation (West Midlands CSE toolkit)",
        error_messages={"required": "Enter the reason for the decision"})
    decided_with = forms.CharField(
        label="Who did you decide this with?", max_length=200,
        error_messages={"required": "Enter who the decision was made with"})
    family_warned = YesNoField(
        label="Were the parents told beforehand that they will be asked to leave for a "
        "confidential section?", required=False,
        required_message="Select yes if the parents were told",
        help_text="Stockport CSE procedure §14: explain this to parents before the meeting")


    def __init__(self, *args, rule: ParticipationRule, **kwargs):
        super().__init__(*args, **kwargs)
        # Who decides, and with whom, is the area's profile's (issue 14, item 2).
        if rule.decided_with:
            self.fields["decided_with"].help_text = (
                f"Decided by {rule.describe()} ({rule.citation})")
        else:
            del self.fields["decided_with"]


def _acceptance_form(role: str, refused_then: str) -> type[LanternForm]:
    """A manager's acceptance of a meeting's chair or convenor (`role`): yes, or no with
    reasons."""

    class AcceptanceForm(LanternForm):
        accept = YesNoField(label=f"Do you accept them as {role}?",
                            required_message=f"Select yes if you accept them as {role}")
        reason = forms.CharField(label="Your reasons", required=False, widget=forms.Textarea,
                                 help_text=f"Needed if you refuse: {refused_then}")

        def clean(self):
            data = super().clean() or {}
            if data.get("accept") is False and not (data.get("reason") or "").strip():
                self.add_error("reason", f"Enter why the {role} is refused")
            return data

    return AcceptanceForm


ChairDecisionForm = _acceptance_form(
    "chair", "the meeting is then convened again with a chair the procedure names")
ConvenorDecisionForm = _acceptance_form(
    "convenor", "the meeting is then convened again by whom the procedure names")


class MinutesForm(LanternForm):
    minutes = forms.CharField(label="Minutes", widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ClosedRequestForm(LanternForm):
    reason = forms.CharField(
        label="Why should part of the meeting be closed to the child and family?",
        widget=forms.Textarea,
        help_text="For example, third-party information about a suspected perpetrator",
        error_messages={"required": "Enter why part of the meeting should be closed"})
    agenda_item: "forms.ModelChoiceField[AgendaItem]" = forms.ModelChoiceField(
        label="During which agenda item? (optional)",
                                         queryset=None, required=False, empty_label="Not yet")

    def __init__(self, *args, agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = agenda


class ClosedDecisionForm(LanternForm):
    grant = YesNoField(label="Will you close this part of the meeting to the child and "
                       "family?", required_message="Select yes if you will close it")
    explanation_to_family = forms.CharField(
        label="What did you explain to the child and family?", widget=forms.Textarea,
        required=False,
        help_text="The chair explains the reasons for any closed section to the child and "
        "family (West Midlands CSE toolkit). This is what their version of the minutes says about "
        "it.")
    refusal_reason = forms.CharField(label="If not, why does the meeting stay open?",
                                     widget=forms.Textarea, required=False)

    def clean(self):
        data = super().clean()
        if data.get("grant") is True and not (data.get("explanation_to_family") or "").strip():
            self.add_error("explanation_to_family",
                           "Enter what you explained to the child and family")
        if data.get("grant") is False and not (data.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", "Enter why the meeting stays open")
        return data


class ClosedMinutesForm(LanternForm):
    minutes = forms.CharField(label="Minutes of the closed section", widget=forms.Textarea,
                              required=False)


class ChildRecordForm(LanternForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    risk_category = forms.TypedChoiceField(
        label="Level of risk set by the meeting", widget=forms.RadioSelect, coerce=int,
        help_text="Set by the meeting on professional judgement (West Midlands CSE toolkit)",
        error_messages={"required": "Select the level of risk"})
    risk_analysis = forms.CharField(
        label="CSE risk assessment: risks, vulnerabilities and protective factors",
        widget=forms.Textarea,
        help_text="Write about what is being done to the child, and what protects them",
        error_messages={"required": "Enter the risk assessment"})
    csc_input = forms.CharField(label="Children's social care's contribution",
                                widget=forms.Textarea, required=False)
    police_input = forms.CharField(label="Police contribution", widget=forms.Textarea,
                                   required=False,
                                   help_text="The police must contribute (West Midlands CSE "
                                             "toolkit)")
    police_input_by = forms.CharField(label="Police officer contributing", required=False,
                                      max_length=200)
    health_input = forms.CharField(label="CSE health worker's contribution",
                                   widget=forms.Textarea, required=False)
    other_input = forms.CharField(label="Other agencies' contributions (optional)",
                                  widget=forms.Textarea, required=False)
    outcomes = forms.MultipleChoiceField(
        label="Outcomes of the meeting for this child", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the outcomes"})
    section_47 = YesNoField(
        label="Did the meeting decide on a section 47 enquiry?",
        required_message="Select yes if the meeting decided on a section 47 enquiry",
        help_text="A MASE that decides on a section 47 enquiry becomes a strategy discussion "
        "(West Midlands CSE toolkit)")
    next_review_on = GovukDateField(subject="the date of the next review", required=False,
                                    label="Date of the next review")
    exit_strategy = forms.CharField(label="Exit strategy", widget=forms.Textarea,
                                    required=False,
                                    help_text="For example, team around the child or child "
                                    "protection (Stockport CSE procedure §14)")
    plan_review = forms.CharField(label="How is the plan going?", widget=forms.Textarea,
                                  required=False,
                                  help_text="The review of the child's plan at this meeting")

    def __init__(self, *args, categories, review: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["risk_category"]).choices = categories
        cast(forms.ChoiceField, self.fields["outcomes"]).choices = [
            (o.code, o.label) for o in catalogue.get().outcomes
        ]
        if not review:
            del self.fields["plan_review"]


class OversightForm(LanternForm):
    comment = forms.CharField(label="Your oversight and comments", widget=forms.Textarea,
                              error_messages={"required": "Enter your comments"})
    recorded_on_police_systems = forms.BooleanField(
        label="The level of risk is recorded on police systems", required=False)


class DecisionForm(LanternForm):
    text = forms.CharField(label="Decision", widget=forms.Textarea,
                           error_messages={"required": "Enter the decision"})
    children = forms.MultipleChoiceField(
        label="Which children does it concern?", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the children the decision concerns"})
    closed_section: "forms.ModelChoiceField[ClosedSection]" = forms.ModelChoiceField(
        label="Made in a closed section? (optional)", queryset=None, required=False,
        empty_label="No: the family may read it")

    def __init__(self, *args, children, closed_sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = children
        self.fields["closed_section"].queryset = closed_sections
        self.fields["closed_section"].label_from_instance = lambda s: (
            f"Closed section {s.pk}: {s.reason[:60]}")


class CancelForm(LanternForm):
    reason = forms.CharField(label="Why is the meeting cancelled?", widget=forms.Textarea,
                             error_messages={"required": "Enter why the meeting is cancelled"})


class AgreementForm(LanternForm):
    agreed = YesNoField(
        label="Does your area agree to this joint meeting?",
        required_message="Select yes if your area agrees to the joint meeting")
    reason = forms.CharField(label="Reason (needed if your area declines)", required=False,
                             max_length=2000, widget=forms.Textarea)

    def clean(self):
        data = super().clean()
        if data.get("agreed") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why your area declines the joint meeting")
        return data


class ConcludeForm(LanternForm):
    """Recording the meeting as held. When the police or children's social care were not
    invited or did not attend, the person recording it confirms they understand (issue 14)."""

    absence_acknowledged = forms.BooleanField(
        label="I understand, and the meeting was held without them", required=False)

    def __init__(self, *args, absences: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.absences = list(absences)
        if not self.absences:
            del self.fields["absence_acknowledged"]
        else:
            field = self.fields["absence_acknowledged"]
            field.required = True
            field.error_messages["required"] = (
                "Confirm that you understand the meeting was held without them")
            field.help_text = " ".join(self.absences)
